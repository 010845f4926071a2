"""The Mine List of EMRT 2.x files in the roll-up: each mine once per mineral with the suppliers that
report it, its country as a country of origin, and the per-file record that keeps it."""

from __future__ import annotations

import pytest

from oretrace.rollup.analyse import AnalysisSettings, FileAnalysis, analyse_file
from oretrace.rollup.compute import build_rollup
from oretrace.rollup.countries import CountryList
from oretrace.rollup.export import rollup_tables, rollup_to_dict
from oretrace.rollup.model import MINE_LIST

KAMOTO = ("Cobalt", "Glencore Nikkelverk", "Kamoto Copper Company", "MINE-KCC-01", "Company", "DRC")
MUTANDA = ("Cobalt", None, "Mutanda Mining", None, None, "Congo, Democratic Republic of the")
KOUDOU = ("Mica", "Jharkhand Mica Works", "Koderma Mica Mine", "MINE-KOD-7", "Company", "INDIA")


def _analysis(name: str, company: str, mines: list[tuple]) -> FileAnalysis:
    from filled_templates import TIANMA, emrt21_bytes

    data = emrt21_bytes(company={**TIANMA, "name": company}, mines=mines)
    return analyse_file(data, AnalysisSettings(), name=name)


@pytest.fixture(scope="module")
def two_files() -> tuple[FileAnalysis, FileAnalysis]:
    first = _analysis("a.xlsx", "Alpha Batteries", [KAMOTO, KOUDOU])
    # The same Kamoto mine, its ID in other case and its country spelled as RMI does; and one more mine.
    kamoto_again = (
        "Cobalt",
        None,
        "Kamoto Copper Co.",
        "mine-kcc-01",
        None,
        "Congo, Democratic Republic of the",
    )
    second = _analysis("b.xlsx", "Beta Cells", [kamoto_again, MUTANDA])
    return first, second


def test_the_mine_list_rows_are_read_into_the_file_analysis(two_files):
    first, _ = two_files
    assert [(m.metal, m.mine_name, m.mine_id, m.country) for m in first.mines] == [
        ("Cobalt", "Kamoto Copper Company", "MINE-KCC-01", "DRC"),
        ("Mica", "Koderma Mica Mine", "MINE-KOD-7", "INDIA"),
    ]


def test_overlapping_mines_of_two_files_are_one_mine_with_both_suppliers(two_files):
    rollup = build_rollup(two_files)
    cobalt = rollup.mines_for("Cobalt")
    assert [(m.name, m.country, m.suppliers) for m in cobalt] == [
        ("Kamoto Copper Company", "Congo, Democratic Republic of the", ("Alpha Batteries", "Beta Cells")),
        ("Mutanda Mining", "Congo, Democratic Republic of the", ("Beta Cells",)),
    ]
    kamoto = cobalt[0]
    assert kamoto.smelters == ("Glencore Nikkelverk",)
    assert kamoto.covered_country and kamoto.cahra
    koderma = rollup.mines_for("Mica")[0]
    assert (koderma.country, koderma.covered_country, koderma.cahra) == ("India", False, False)


def test_a_cahra_list_marks_a_mine_outside_the_covered_countries(two_files):
    rollup = build_rollup(two_files, cahra=CountryList(["India"]))
    koderma = rollup.mines_for("Mica")[0]
    assert (koderma.covered_country, koderma.cahra) == (False, True)


def test_mine_countries_are_countries_of_origin_from_the_mine_list(two_files):
    origins = build_rollup(two_files).origin_countries()
    assert [(o.mineral, o.country, o.sources) for o in origins] == [
        ("Cobalt", "Congo, Democratic Republic of the", (MINE_LIST,)),
        ("Mica", "India", (MINE_LIST,)),
    ]


def test_the_exports_carry_the_mines_and_the_countries_of_origin(two_files):
    rollup = build_rollup(two_files)
    tables = {table.name: table for table in rollup_tables(rollup)}
    mines = tables["Mines"]
    assert mines.headers[:4] == ["Mineral", "Mine", "Mine ID", "Country"]
    assert mines.rows[0][:7] == [
        "Cobalt",
        "Kamoto Copper Company",
        "MINE-KCC-01",
        "Congo, Democratic Republic of the",
        "Yes",
        "Yes",
        2,
    ]
    assert tables["Origins"].rows[1] == ["Mica", "India", [MINE_LIST]]
    data = rollup_to_dict(rollup)
    assert [m["name"] for m in data["mines"]] == [
        "Kamoto Copper Company",
        "Mutanda Mining",
        "Koderma Mica Mine",
    ]
    assert data["origin_countries"][0]["sources"] == [MINE_LIST]


def test_the_stored_record_keeps_the_mines(two_files):
    first, _ = two_files
    stored = FileAnalysis.from_dict(first.as_dict())
    assert stored == first
    assert stored.mines[0].smelter_name == "Glencore Nikkelverk"


def test_a_record_stored_before_mines_were_kept_has_none(two_files):
    first, _ = two_files
    older = first.as_dict()
    del older["mines"]
    assert FileAnalysis.from_dict(older).mines == ()
