"""What browser tests share: checking a page is no wider than the screen, photographing it, signing in
as staff, and submitting an online answer and keeping the file."""

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


def signed_in(browser, base_url: str, next_path: str, username: str, password: str):
    """A desktop page of a staff member signed in through the log-in form, showing ``next_path``."""
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    desk.goto(f"{base_url}/login/?next={next_path}")
    desk.fill("input[name=username]", username)
    desk.fill("input[name=password]", password)
    desk.click("button.primary")
    desk.wait_for_url(f"**{next_path}")
    return desk


def submit_online_and_download(page, path: Path) -> Path:
    """On the online form's last step: submit, then download the file the answers became to ``path``."""
    page.click("button:has-text('Submit your answers')")
    page.wait_for_url("**/files/1/")
    with page.expect_download() as download_info:
        page.click("text=Download this file")
    download_info.value.save_as(path)
    return path
