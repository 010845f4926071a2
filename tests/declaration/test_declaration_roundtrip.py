"""A derived declaration written into a blank template reads back with the derived answers."""

from __future__ import annotations

import datetime as dt

from builders import build_cmrt6
from declaration.rollups import IN_SCOPE, METALS, rollup, settings, smelter, supplier, unidentified
from libreoffice import recalculated_copy
from oretrace.declaration import ProductScope, apply_overrides, derive_declaration
from oretrace.rmi import read_template
from oretrace.rmi.model import LookupEntry
from oretrace.rmi.writer import DeclaredProduct, write_declaration
from oretrace.rollup.analyse import AnalysisSettings, analyse_file
from oretrace.rollup.compute import build_rollup
from oretrace.smelters import reference_from_lookup
from samples import TEMPLATES, shared_file

ANSWERS = {**IN_SCOPE, "Q3": "No", "Q4": "No", "Q5": "No", "Q7": "Yes"}


def _derivation(**kwargs):
    data = rollup(
        [
            supplier("Alpha Parts", ANSWERS, Gold={"Q1": "No"}),
            supplier("Beta Boards", {**ANSWERS, "Q3": "Unknown"}),
        ],
        [
            smelter("Tungsten", "CID002082", "Xiamen Tungsten Co., Ltd."),
            smelter("Tin", "CID000292", "Alpha", "United States of America"),
        ],
        [unidentified("Tantalum", "Example Tantalum Works", "China")],
    )
    return derive_declaration(data, settings(**kwargs), surveyed=2, today=dt.date(2026, 5, 1))


def _answers(response):
    return {
        metal: {q: a.value for q, a in questions.items() if a.value is not None}
        for metal, questions in response.answers.items()
    }


def test_a_synthetic_template_reads_back_the_derived_answers(tmp_path):
    blank = build_cmrt6(tmp_path / "blank.xlsx").read_bytes()
    derivation = apply_overrides(_derivation(include_unidentified=True), {"Tin": {"Q7": "No"}})
    written = read_template(write_declaration(blank, derivation.declaration))

    assert _answers(written) == derivation.declaration.answers
    assert written.answers["Tin"]["Q3"].value == "Unknown"
    assert written.answers["Tin"]["Q6"].value == "100%"
    assert written.answers["Tin"]["Q7"].value == "No"
    assert written.answers["Gold"]["Q1"].value == "Yes"  # Beta uses gold
    assert written.company.name.value == "Norland Instruments, Inc."
    assert written.scope == "A"
    assert written.company_questions["E"].value == "Yes, in conformance with IPC1755 (e.g., CMRT)"
    assert written.policy_url.value == "https://norland.example/conflict-minerals"
    assert [(s.metal, s.smelter_id or s.name) for s in written.smelters] == [
        ("Tantalum", "Example Tantalum Works"),
        ("Tin", "CID000292"),
        ("Tungsten", "CID002082"),
    ]


def test_the_real_cmrt_6_5_reads_back_the_derived_answers_and_part_numbers():
    blank = shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx").read_bytes()
    data = rollup(
        [supplier("Alpha Parts", ANSWERS), supplier("Beta Boards", ANSWERS)],
        [smelter("Tungsten", "CID002082", "Xiamen Tungsten Co., Ltd.", suppliers=("Beta Boards",))],
    )
    scope = ProductScope(
        products=(DeclaredProduct("NI-100", "Oscilloscope"), DeclaredProduct("NI-200")),
        suppliers={"NI-100": ("Beta Boards",), "NI-200": ("Beta Boards",)},
    )
    derivation = derive_declaration(data, settings(), products=scope, today=dt.date(2026, 5, 1))
    written = read_template(write_declaration(blank, derivation.declaration))

    assert written.version == "6.5"
    assert _answers(written) == derivation.declaration.answers
    assert written.answers["Tungsten"]["Q6"].value == "100%"
    assert written.scope == "B"
    assert written.effective_date == dt.date(2026, 5, 1)
    assert [(p.number, p.name) for p in written.products] == [("NI-100", "Oscilloscope"), ("NI-200", None)]
    assert [(s.metal, s.smelter_id) for s in written.smelters] == [("Tungsten", "CID002082")]


def test_supplier_files_through_the_roll_up_to_our_declaration(tmp_path):
    """Column P of the suppliers' Smelter Lists reaches Q5 through the roll-up."""
    reference = reference_from_lookup(
        [LookupEntry("Gold", "Recycled Gold", "Recycled Gold", "JAPAN", "CID000900")], release="test list"
    )
    gold = {"metal": "Gold", "lookup_name": "Recycled Gold", "smelter_id": "CID000900", "country": "JAPAN"}
    files = [
        build_cmrt6(
            tmp_path / f"{name}.xlsx",
            company={"name": name},
            answers={**ANSWERS, "Q5": "Yes"},
            smelters=[{**gold, "recycled_or_scrap": "Yes"}],
        )
        for name in ("Alpha Parts", "Beta Boards")
    ]
    analysis = AnalysisSettings(reference=reference)
    derivation = derive_declaration(
        build_rollup([analyse_file(path, analysis) for path in files]), settings(), surveyed=2
    )
    q5 = derivation.answer("Gold", "Q5")
    assert (q5.answer, q5.reason) == (
        "Yes",
        "all 1 identified smelters are recyclers according to the suppliers",
    )
    assert derivation.answer("Gold", "Q7").answer == "Yes"
    assert derivation.answer("Tin", "Q7").reason == "no tin smelter was identified"


def test_libreoffice_checker_shows_no_missing_fields_in_a_derived_cmrt(tmp_path):
    """Gold and tantalum out of scope (Q1 No), tin and tungsten in scope with a smelter each."""
    blank = shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx").read_bytes()
    data = rollup(
        [supplier("Alpha Parts", ANSWERS, Gold={"Q1": "No"}, Tantalum={"Q1": "No"})],
        [
            smelter("Tungsten", "CID002082", "Xiamen Tungsten Co., Ltd."),
            smelter("Tin", "CID000292", "Alpha", "United States of America"),
        ],
    )
    derivation = derive_declaration(data, settings(), surveyed=1, today=dt.date(2026, 5, 1))
    assert [derivation.answer(m, "Q1").answer for m in METALS] == ["No", "Yes", "No", "Yes"]
    path = tmp_path / "ours.xlsx"
    path.write_bytes(write_declaration(blank, derivation.declaration))
    recalculated = read_template(recalculated_copy(path, tmp_path))
    assert recalculated.checker_cached == 0
    assert _answers(recalculated) == derivation.declaration.answers
