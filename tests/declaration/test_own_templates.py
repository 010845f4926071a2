"""Our own EMRT, CRT and AMRT: derived from the suppliers' files of that kind, written into RMI's blank
template, read back exactly as written, with the template's Checker at 0 (recomputed, and as
LibreOffice computes it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from declaration.rollups import kind_supplier, rollup, settings, smelter
from libreoffice import recalculated_copy
from oretrace.declaration import ProductScope, apply_overrides, derive_declaration
from oretrace.declaration.derive import COMPANY
from oretrace.errors import BadInput
from oretrace.review import checker_missing
from oretrace.rmi import read_template
from oretrace.rmi.writer import DeclaredProduct, blank_layout, write_declaration
from oretrace.rollup.model import MineSummary
from samples import TEMPLATES, shared_file

# EMRT 2.x question numbers: Q1 used, Q2 remains, Q3 CAHRA, Q4 100% recycled, Q6/Q7 all identified/reported.
EMRT2_USED = {"Q1": "Yes", "Q2": "Yes", "Q3": "No", "Q4": "No", "Q6": "Yes", "Q7": "Yes"}
EMRT1_USED = EMRT2_USED  # the same numbers in EMRT 1.x (Q4 asked for cobalt only)
CRT_USED = {"Q1": "Yes", "Q2": "No", "Q3": "No", "Q5": "Yes", "Q6": "Yes"}  # CRT: no "remains" question
AMRT_USED = {"Q1": "Yes"}
NOT_USED = {"Q1": "No"}
CRT_ONLY_QUESTIONS = {"CRT": {"B": "Yes", "D": "Yes", "F": "Yes"}}

# Per blank template: the version read, the suppliers' answers, and a smelter of each mineral in scope
# from that template's own Smelter Look-up (AMRT 1.2 has none: its CID is typed).
CASES = {
    "RMI_EMRT_2.1.xlsx": (
        "2.1",
        {"Cobalt": EMRT2_USED, "Mica": EMRT2_USED, "Copper": NOT_USED},
        [
            ("Cobalt", "CID003875", "Advanced Materials Production Plant"),
            ("Mica", "CID003592", "Arctic Minerals"),
        ],
    ),
    "RMI_EMRT_2.0.xlsx": ("2.0", {"Cobalt": EMRT2_USED}, [("Cobalt", "CID003875", "Advanced Materials")]),
    "RMI_EMRT_1.1.xlsx": (
        "1.1",
        {"Cobalt": EMRT1_USED, "Mica": NOT_USED},
        [("Cobalt", "CID003927", "Anhui Hanrui New Material Co., Ltd.")],
    ),
    "RMI_EMRT_1.11.xlsx": (
        "1.11",
        {"Cobalt": EMRT1_USED, "Mica": NOT_USED},
        [("Cobalt", "CID003927", "Anhui Hanrui New Material Co., Ltd.")],
    ),
    "RMI_EMRT_1.2.xlsx": (
        "1.2",
        {"Cobalt": EMRT1_USED, "Mica": NOT_USED},
        [("Cobalt", "CID003927", "Anhui Hanrui New Material Co., Ltd.")],
    ),
    "RMI_EMRT_1.3.xlsx": (
        "1.3",
        {"Cobalt": EMRT1_USED, "Mica": NOT_USED},
        [("Cobalt", "CID003927", "Anhui Hanrui New Material Co., Ltd.")],
    ),
    "RMI_CRT_2.2.xlsx": ("2.2", {"Cobalt": CRT_USED}, [("Cobalt", "CID003264", "Chemaf Etoile")]),
    "RMI_CRT_2.21.xlsx": ("2.2", {"Cobalt": CRT_USED}, [("Cobalt", "CID003264", "Chemaf Etoile")]),
    "RMI_AMRT_1.3.xlsx": (
        "1.3",
        {"Aluminum": AMRT_USED, "Silver": AMRT_USED, "Zinc": NOT_USED},
        [("Aluminum", "CID004629", "Aluminerie Alouette Inc."), ("Silver", "CID004700", "Attero Recycling")],
    ),
    "RMI_AMRT_1.2.xlsx": (
        "1.2",
        {"Aluminum": AMRT_USED, "Silver": AMRT_USED},
        [("Aluminum", "CID004629", "Aluminerie Alouette Inc."), ("Silver", "CID004700", "Attero Recycling")],
    ),
}


def _mine(
    mineral: str, name: str, mine_id: str | None, country: str, smelters: tuple[str, ...]
) -> MineSummary:
    return MineSummary(mineral, name, mine_id, country, False, False, ("Alpha Parts",), smelters)


# The suppliers' Mine Lists: a cobalt mine supplying two smelters, a mica mine with no ID and no smelter,
# silver and aluminium mines for the AMRT, and a copper mine (copper is not used: it stays out).
MINES = (
    _mine(
        "Cobalt",
        "Kamoto Copper Company",
        "MINE-CD-0042",
        "Democratic Republic of the Congo",
        ("Chemaf", "Jinchuan"),
    ),
    _mine("Mica", "Koderma Mica Mine", None, "India", ()),
    _mine("Silver", "Cannington Mine", "MINE-AU-0007", "Australia", ("Attero Recycling",)),
    _mine("Aluminum", "Boké Bauxite Mine", None, "Guinea", ()),
    _mine("Copper", "Escondida", "MINE-CL-0001", "Chile", ("Codelco",)),
)


def _written(file_name: str):
    """(derivation, our file's bytes, the file read back) for one blank template."""
    blank = shared_file(TEMPLATES / file_name).read_bytes()
    layout = blank_layout(blank, name=file_name)
    version, answers, smelters = CASES[file_name]
    data = rollup(
        [
            kind_supplier("Alpha Parts", layout.kind, version, answers),
            kind_supplier("Beta Boards", layout.kind, version, answers),
        ],
        [
            smelter(metal, cid, name, suppliers=("Alpha Parts", "Beta Boards"))
            for metal, cid, name in smelters
        ],
    )
    data = replace(data, mines=MINES)
    derivation = derive_declaration(
        data, settings(kind_company_questions=CRT_ONLY_QUESTIONS), layout=layout, today=dt.date(2026, 5, 1)
    )
    written = write_declaration(blank, derivation.declaration, name=file_name)
    return derivation, written, read_template(written, name=f"our-{file_name}")


def _answers(response):
    return {
        mineral: {q: a.value for q, a in questions.items() if a.value is not None}
        for mineral, questions in response.answers.items()
        if any(a.value is not None for a in questions.values())
    }


@pytest.mark.parametrize("file_name", sorted(CASES))
def test_our_template_reads_back_exactly_what_was_written(file_name):
    derivation, _written_bytes, response = _written(file_name)
    declaration = derivation.declaration

    assert response.kind == derivation.kind
    assert derivation.missing() == []
    assert response.minerals == derivation.minerals
    assert _answers(response) == {m: a for m, a in declaration.answers.items() if a}
    assert {k: a.value for k, a in response.company_questions.items() if a.value} == (
        declaration.company_questions
    )
    if derivation.layout.company_questions:  # the AMRT has none, so no policy URL
        assert response.policy_url.value == "https://norland.example/conflict-minerals"
    assert response.company.name.value == "Norland Instruments, Inc."
    assert response.company.effective_date.value == dt.date(2026, 5, 1)
    assert response.scope == "A"
    assert [(s.metal, s.smelter_id) for s in response.smelters] == [
        (s.metal, s.smelter_id) for s in declaration.smelters
    ]
    assert len(response.smelters) == len(CASES[file_name][2])
    assert [(m.metal, m.smelter_name, m.mine_name, m.mine_id, m.country) for m in response.mines] == [
        (m.metal, m.smelter_name, m.mine_name, m.mine_id, m.country) for m in declaration.mines
    ]
    assert checker_missing(response) == 0


@pytest.mark.parametrize(
    ("file_name", "mines"),
    [
        (
            "RMI_EMRT_2.1.xlsx",
            [
                (
                    "Cobalt",
                    "Chemaf",
                    "Kamoto Copper Company",
                    "MINE-CD-0042",
                    "Democratic Republic of the Congo",
                ),
                (
                    "Cobalt",
                    "Jinchuan",
                    "Kamoto Copper Company",
                    "MINE-CD-0042",
                    "Democratic Republic of the Congo",
                ),
                ("Mica", None, "Koderma Mica Mine", None, "India"),
            ],
        ),
        (
            "RMI_AMRT_1.3.xlsx",
            [
                ("Aluminum", None, "Boké Bauxite Mine", None, "Guinea"),
                ("Silver", "Attero Recycling", "Cannington Mine", "MINE-AU-0007", "Australia"),
            ],
        ),
    ],
)
def test_our_mine_list_holds_the_suppliers_mines_of_the_minerals_we_use(file_name, mines):
    # One row per mine and smelter it supplies; copper is not used, so its mine is not listed.
    _derivation, _bytes, response = _written(file_name)
    assert [(m.metal, m.smelter_name, m.mine_name, m.mine_id, m.country) for m in response.mines] == mines
    assert [m.row for m in response.mines] == list(range(5, 5 + len(mines)))


@pytest.mark.parametrize("file_name", sorted(CASES))
def test_libreoffice_shows_the_templates_checker_at_zero(file_name, tmp_path):
    _derivation, written, _response = _written(file_name)
    path = tmp_path / f"our-{file_name}"
    path.write_bytes(written)
    recalculated = read_template(recalculated_copy(path, tmp_path))
    assert recalculated.checker_cached == 0


def test_our_emrt_answers_by_topic_with_the_reasons_shown():
    derivation, _bytes, _response = _written("RMI_EMRT_2.1.xlsx")

    assert derivation.minerals == ("Cobalt", "Copper", "Graphite", "Lithium", "Mica", "Nickel")
    cobalt = {a.question: a for a in derivation.answers if a.metal == "Cobalt"}
    assert cobalt["Q1"].answer == "Yes" and "2 of 2 suppliers" in cobalt["Q1"].reason
    assert cobalt["Q3"].answer == "No"  # CAHRA: the CMRT's Q4 rule, read from the EMRT's Q3
    assert cobalt["Q5"].answer == "100%" and "2 of 2 surveyed suppliers responded" in cobalt["Q5"].reason
    assert cobalt["Q6"].answer == "Yes"
    copper = {a.question: a for a in derivation.answers if a.metal == "Copper"}
    assert copper["Q1"].answer == "No" and copper["Q2"].answer is None
    assert "EMRT 2 asks the later questions only when it is Yes" in copper["Q2"].reason
    company = {(a.question, a.metal): a for a in derivation.company_answers}
    assert company[("E", "")].answer == "Yes, in conformance with IPC1755 (e.g. EMRT)"
    assert "2 of the 2 supplier files read are the EMRT" in company[("E", "")].reason
    assert company[("A", "")].reason.startswith("our CMRT's answer to its question A")
    # Question C is asked per mineral in scope: cobalt and mica, not copper.
    assert sorted(m for q, m in company if q == "C") == ["Cobalt", "Mica"]


def test_our_crt_needs_the_questions_the_cmrt_does_not_ask():
    blank = shared_file(TEMPLATES / "RMI_CRT_2.2.xlsx").read_bytes()
    data = rollup([kind_supplier("Alpha Parts", "CRT", "2.2", {"Cobalt": CRT_USED})])
    derivation = derive_declaration(data, settings(), layout=blank_layout(blank))

    assert derivation.missing() == ["B", "D", "F"]
    reason = next(a.reason for a in derivation.company_answers if a.question == "B")
    assert "our CMRT asks nothing like it (policy_covers_annex_ii): give our CRT's answer" in reason


def test_an_amrt_declares_the_minerals_its_suppliers_answered_for():
    blank = shared_file(TEMPLATES / "RMI_AMRT_1.3.xlsx").read_bytes()
    data = rollup([kind_supplier("Alpha Parts", "AMRT", "1.3", {"Zinc": AMRT_USED, "Copper": AMRT_USED})])
    derivation = derive_declaration(data, settings(), layout=blank_layout(blank))
    response = read_template(write_declaration(blank, derivation.declaration))

    assert derivation.minerals == ("Copper", "Zinc")
    # Copper is not in the AMRT 1.3 list: it is picked as "Other" and named below.
    assert [(p.pick.value, p.other_name.value) for p in response.mineral_picks[:2]] == [
        ("Other [specify below]", "Copper"),
        ("Zinc", None),
    ]
    assert response.minerals == ("Copper", "Zinc")


def test_an_amrt_without_answered_minerals_is_refused_with_a_reason():
    blank = shared_file(TEMPLATES / "RMI_AMRT_1.3.xlsx").read_bytes()
    with pytest.raises(BadInput, match="no minerals to declare"):
        derive_declaration(rollup([]), settings(), layout=blank_layout(blank))


@pytest.mark.parametrize(
    ("file_name", "raw"),
    [
        ("RMI_CRT_2.2.xlsx", 1),
        ("RMI_EMRT_1.3.xlsx", 1),
        ("RMI_AMRT_1.3.xlsx", 1),
        ("RMI_EMRT_2.1.xlsx", "100%"),
    ],
)
def test_100_percent_is_written_as_the_templates_list_holds_it(file_name, raw):
    derivation, _bytes, response = _written(file_name)
    question = derivation.layout.question_by_topic("supplier_response_rate").id
    answer = response.answers[derivation.minerals[0]][question]
    assert answer.answer.raw == raw
    assert answer.value == "100%"


def test_a_suppliers_answer_is_read_from_the_question_asking_the_same_in_its_own_template():
    # CMRT 3.01 asks about 100% recycled in Q4 and about all smelters identified in Q6 (6.x: Q5, Q7);
    # CMRT 2.03a's Q1 "necessary to the product" is the ancestor of "intentionally added".
    cmrt3 = {
        "Q1": "Yes",
        "Q2": "Yes",
        "Q3": "No",
        "Q4": "Unknown",
        "Q5": "Yes, 100%",
        "Q6": "No",
        "Q7": "Yes",
    }
    data = rollup(
        [
            kind_supplier("Alpha Parts", "CMRT", "3.01", {"Tin": cmrt3}),
            kind_supplier("Beta Boards", "CMRT", "2.03a", {"Gold": {"Q1": "Yes"}}),
        ],
        [smelter("Tin", "CID000292", "Alpha", suppliers=("Alpha Parts",))],
    )
    derivation = derive_declaration(data, settings())

    assert "1 of 1 suppliers in scope answered Unknown" in derivation.answer("Tin", "Q5").reason
    assert "1 of 1 suppliers in scope answered No" in derivation.answer("Tin", "Q7").reason
    assert derivation.answer("Gold", "Q1").answer == "Yes"


def test_a_product_level_emrt_2_1_keeps_the_comments_in_their_own_column():
    # EMRT 2.1 puts the requester's number and name in D and E of the Product List; comments are in F.
    blank = shared_file(TEMPLATES / "RMI_EMRT_2.1.xlsx").read_bytes()
    data = rollup([kind_supplier("Alpha Parts", "EMRT", "2.1", {"Cobalt": EMRT2_USED})])
    scope = ProductScope(
        products=(DeclaredProduct("NI-100", "Oscilloscope", "cobalt in the battery"),),
        suppliers={"NI-100": ("Alpha Parts",)},
    )
    derivation = derive_declaration(data, settings(), products=scope, layout=blank_layout(blank))
    response = read_template(write_declaration(blank, derivation.declaration))

    assert response.scope == "B"
    product = response.products[0]
    assert (product.number, product.name, product.comments) == (
        "NI-100",
        "Oscilloscope",
        "cobalt in the battery",
    )
    assert product.requester_number is None


def test_changing_an_emrt_answer_names_the_emrts_minerals_and_questions():
    derivation, _bytes, _response = _written("RMI_EMRT_2.1.xlsx")
    with pytest.raises(BadInput) as raised:
        apply_overrides(derivation, {"Tin": {"Q7": "Yes"}, "Cobalt": {"Q8": "Yes", "Q5": "Did not survey"}})
    message = str(raised.value)
    assert "unknown metal 'Tin' (one of Cobalt, Copper, Graphite, Lithium, Mica, Nickel)" in message
    assert "Cobalt: unknown question 'Q8' (Q1, Q2, Q3, Q4, Q5, Q6, Q7)" in message
    changed = apply_overrides(derivation, {"Cobalt": {"Q5": "Did not survey"}}, note="checked")
    assert changed.declaration.answers["Cobalt"]["Q5"] == "Did not survey"
    assert changed.answer("Cobalt", "Q5").reason.startswith("changed by the analyst: checked (derived: 100%")


def test_the_analyst_answers_the_crt_questions_the_cmrt_does_not_ask():
    blank = shared_file(TEMPLATES / "RMI_CRT_2.2.xlsx").read_bytes()
    data = rollup([kind_supplier("Alpha Parts", "CRT", "2.2", {"Cobalt": CRT_USED})])
    derivation = derive_declaration(data, settings(), layout=blank_layout(blank))

    changed = apply_overrides(derivation, {COMPANY: {"B": "Yes", "D": "Yes", "F": "No"}}, note="policy 2026")
    assert changed.missing() == []
    assert {k: changed.declaration.company_questions[k] for k in "BDF"} == {"B": "Yes", "D": "Yes", "F": "No"}
    assert changed.find(COMPANY, "B").reason.startswith(
        "changed by the analyst: policy 2026 (derived: (blank)"
    )
    with pytest.raises(BadInput, match="unknown company question 'J'"):
        apply_overrides(derivation, {COMPANY: {"J": "Yes"}})
    cmrt = derive_declaration(data, settings())
    with pytest.raises(BadInput, match="they are the organisation's settings"):
        apply_overrides(cmrt, {COMPANY: {"A": "No"}})
