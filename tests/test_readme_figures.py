"""README's table of the survey's figures is the core's own: a definition changed in one place only fails."""

from __future__ import annotations

from pathlib import Path

from oretrace.survey import FIGURES, REVIEW_FIGURES

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_defines_every_figure_as_the_core_does():
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index("| figure | how it is counted |") + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("| "):
            break
        label, definition = (cell.strip() for cell in line.strip("|").split(" | "))
        rows.append((label, definition))
    assert rows == [(d.label, d.definition) for d in [*FIGURES.values(), *REVIEW_FIGURES.values()]]
