"""README's table of what each template kind gets names the minerals the core says each one asks about."""

from __future__ import annotations

from pathlib import Path

from oretrace.rmi.layouts import layout_for
from oretrace.rmi.minerals import minerals_asked
from oretrace.rmi.model import TemplateKind

README = Path(__file__).resolve().parents[1] / "README.md"
# The version each row of the table stands for.
ROWS = {
    "CMRT 6.x": "6.5",
    "EMRT 1.x": "1.3",
    "EMRT 2.x": "2.1",
    "CRT 2.2, 2.21": "2.2",
    "AMRT 1.2, 1.3": "1.3",
}


def test_the_readme_names_the_minerals_each_template_asks_about():
    lines = README.read_text(encoding="utf-8").splitlines()
    start = (
        lines.index(
            "| kind and versions | minerals a campaign can ask about | minerals chosen by | filed for the organisation |"
        )
        + 2
    )
    found = {}
    for line in lines[start:]:
        if not line.startswith("| "):
            break
        kind_and_versions, minerals, *_ = (cell.strip() for cell in line.strip("|").split(" | "))
        found[kind_and_versions] = tuple(minerals.split(", "))
    assert found == {row: minerals_asked(row.split()[0], version) for row, version in ROWS.items()}


# The columns of README's feature table, each with the version whose layout it stands for.
FEATURE_COLUMNS = {
    "CMRT 6.x": ("CMRT", "6.5"),
    "EMRT 1.1–1.3": ("EMRT", "1.3"),
    "EMRT 2.0, 2.1": ("EMRT", "2.1"),
    "CRT 2.2, 2.21": ("CRT", "2.2"),
    "AMRT 1.2, 1.21, 1.3": ("AMRT", "1.3"),
}


def test_the_readme_says_which_templates_have_a_mine_list_as_the_layouts_do():
    lines = README.read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line.startswith("| | CMRT 6.x |"))
    columns = [cell.strip() for cell in header.strip("|").split(" | ")][1:]
    assert columns == list(FEATURE_COLUMNS)
    mine_row = next(line for line in lines if line.startswith("| Mine List |"))
    cells = [cell.strip() for cell in mine_row.strip("|").split(" | ")][1:]
    for column, cell in zip(columns, cells, strict=True):
        layout = layout_for(TemplateKind(FEATURE_COLUMNS[column][0]), FEATURE_COLUMNS[column][1])
        assert (cell == "none in the template") == (layout.mines is None), column
