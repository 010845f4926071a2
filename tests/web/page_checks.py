"""What a browser test checks on any page it visits: nothing wider than the screen."""

from __future__ import annotations

from pathlib import Path

# Elements reaching past the right edge of the viewport, outside a region meant to scroll sideways.
_WIDER_THAN_THE_SCREEN = """
[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.scroll'))
  .map(e => e.tagName + '.' + e.className + ':' + e.textContent.slice(0, 40))
"""


def wider_than_the_screen(page) -> list[str]:
    return page.evaluate(_WIDER_THAN_THE_SCREEN)


def shoot(page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
