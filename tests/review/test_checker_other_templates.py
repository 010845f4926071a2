"""checker_missing() on the EMRT, CRT and AMRT: what each template's own Checker tab counts.

The rule tests build responses (no files needed); the RMI tests compare with the count each blank
template saved, and with the count LibreOffice computes after answers are filled into a copy.
"""

from __future__ import annotations

import datetime as dt

import pytest

from builders import build_amrt13
from libreoffice import recalculated_copy
from oretrace.review import checker_missing, review
from oretrace.rmi import read_template
from oretrace.rmi.model import TemplateKind
from oretrace.rmi.patching import CellWrite, patch_workbook
from review.factories import make_template_response, smelter
from samples import TEMPLATES, shared_file

EMRT, CRT, AMRT = TemplateKind.EMRT, TemplateKind.CRT, TemplateKind.AMRT
EMRT2_NAMES = ("Cobalt", "Copper", "Graphite", "Lithium", "Mica", "Nickel")
CHECKED = [
    (EMRT, "1.1"),
    (EMRT, "1.11"),
    (EMRT, "1.2"),
    (EMRT, "1.3"),
    (EMRT, "2.0"),
    (EMRT, "2.1"),
    (CRT, "2.2"),
    (AMRT, "1.2"),
    (AMRT, "1.21"),
    (AMRT, "1.3"),
]


def checker_cells(response) -> list[tuple[str | None, str | None]]:
    report = review(response, today=dt.date(2025, 8, 1))
    assert report.checker_missing == checker_missing(response)
    return [(f.cell, f.mineral) for f in report.findings if f.code == "required-field-missing"]


# --- the rules, on built responses ----------------------------------------------------------------


@pytest.mark.parametrize(("kind", "version"), CHECKED, ids=lambda v: str(v))
def test_a_complete_response_has_nothing_missing(kind, version):
    assert checker_missing(make_template_response(kind, version)) == 0


# Company Name, Contact Name, Email - Contact, Email - Authorizer, Effective Date: EMRT 2.x and AMRT
# moved the block down for their mineral pick list (and AMRT 1.3 again for its "Other" names).
COMPANY_BLOCK = {
    (EMRT, "1.1"): ["D8", "D15", "D16", "D20", "D22"],
    (EMRT, "1.11"): ["D8", "D15", "D16", "D20", "D22"],
    (EMRT, "1.2"): ["D8", "D15", "D16", "D20", "D22"],
    (EMRT, "1.3"): ["D8", "D15", "D16", "D20", "D22"],
    (EMRT, "2.0"): ["D8", "D19", "D20", "D24", "D26"],
    (EMRT, "2.1"): ["D8", "D19", "D20", "D24", "D26"],
    (CRT, "2.2"): ["D8", "D15", "D16", "D20", "D22"],
    (AMRT, "1.2"): ["D8", "D17", "D18", "D22", "D24"],
    (AMRT, "1.21"): ["D8", "D17", "D18", "D22", "D24"],
    (AMRT, "1.3"): ["D8", "D20", "D21", "D25", "D27"],
}


@pytest.mark.parametrize(("kind", "version"), CHECKED, ids=lambda v: str(v))
def test_the_company_block_is_checked_where_the_template_keeps_it(kind, version):
    blank = dict.fromkeys(("name", "contact_name", "contact_email", "authorizer_email", "effective_date"))
    # the authorizer's phone is never required
    response = make_template_response(kind, version, company=blank | {"authorizer_phone": None})
    assert [cell for cell, _mineral in checker_cells(response)] == COMPANY_BLOCK[(kind, version)]


def test_emrt1_unknown_at_q1_takes_a_mineral_out_like_no():
    for answer in ("No", "Unknown", "Not applicable for this declaration"):
        response = make_template_response(
            EMRT,
            "1.3",
            answers={"Mica": {"Q1": answer, **dict.fromkeys(("Q2", "Q3", "Q5", "Q6", "Q7"))}},
            company_questions={"C:Mica": None},
            smelters=(smelter(5, "Cobalt", "Some Smelter", name="Some Smelter", country="CHINA"),),
        )
        assert checker_missing(response) == 0, answer
    # a blank Q1 keeps mica in: Q1, Q2, Q3, Q5, Q6, Q7 (Q4 asks about cobalt only), C and its smelters
    response = make_template_response(
        EMRT,
        "1.3",
        answers={"Mica": dict.fromkeys(("Q1", "Q2", "Q3", "Q5", "Q6", "Q7"))},
        company_questions={"C:Mica": None},
        smelters=(),
    )
    assert checker_cells(response) == [
        ("D27", "Mica"),
        ("D33", "Mica"),
        ("D39", "Mica"),
        ("D51", "Mica"),
        ("D57", "Mica"),
        ("D63", "Mica"),
        ("D75", "Mica"),
        (None, "Cobalt"),
        (None, "Mica"),
    ]


def test_emrt_1_1_wants_a_url_for_question_a_too():
    # 1.1 and 1.11 test G69 when A ("a sourcing policy?") is "Yes"; 1.2 dropped that line.
    no_urls = {"A": None, "B": None}
    assert checker_cells(make_template_response(EMRT, "1.1", comments=no_urls)) == [
        ("G69", None),
        ("G71", None),
    ]
    assert checker_cells(make_template_response(EMRT, "1.11", comments=no_urls)) == [
        ("G69", None),
        ("G71", None),
    ]
    assert checker_cells(make_template_response(EMRT, "1.2", comments=no_urls)) == [("G71", None)]
    assert checker_missing(make_template_response(EMRT, "1.1", comments={"A": "x", "B": "ab"})) == 1


def test_smelter_not_listed_without_a_country_counts_from_emrt_1_2_on():
    rows = (
        smelter(5, "Cobalt", "Smelter not listed", name="Katanga Works"),
        smelter(6, "Mica", "Some Smelter", name="Some Smelter", country="INDIA"),
    )
    counts = {
        v: checker_missing(make_template_response(EMRT, v, smelters=rows)) for v in ("1.11", "1.2", "2.1")
    }
    # 1.1 / 1.11 add the line up outside their total (SUM(H4:H62)); the row still lists cobalt
    assert counts == {"1.11": 0, "1.2": 1, "2.1": 1}


@pytest.mark.parametrize(("kind", "version", "question"), [(EMRT, "1.3", "E"), (CRT, "2.2", "G")])
def test_the_survey_question_needs_a_description_of_another_format(kind, version, question):
    other = {question: "Yes, Using Other Format (Describe)"}
    described = make_template_response(
        kind, version, company_questions=other, comments={question: "Our form"}
    )
    undescribed = make_template_response(kind, version, company_questions=other, comments={question: None})
    off_list = make_template_response(kind, version, company_questions={question: "Yes"})
    row = {"E": 79, "G": 75}[question]
    assert checker_cells(described) == []
    assert checker_cells(undescribed) == [(f"G{row}", None)]
    assert checker_cells(off_list) == [(f"D{row}", None)]  # the Checker compares with its own list


def test_emrt2_checks_the_picked_minerals_and_unknown_at_q2_takes_one_out():
    nothing_picked = make_template_response(EMRT, "2.1", minerals=(), smelters=())
    assert checker_cells(nothing_picked) == [("D12", None)]
    # Lithium (second row): Q2 "Unknown" leaves only Q1 and Q2 to answer, nor C, nor smelters
    unknown = make_template_response(
        EMRT,
        "2.1",
        minerals=("Cobalt", "Lithium"),
        answers={"Lithium": {"Q2": "Unknown", "Q3": None, "Q7": None}},
        company_questions={"C:Lithium": None},
        smelters=(smelter(5, "Cobalt", "Some Smelter", name="Some Smelter", country="CHINA"),),
    )
    assert checker_missing(unknown) == 0
    declaring = make_template_response(
        EMRT, "2.1", minerals=("Cobalt", "Lithium"), answers={"Lithium": {"Q3": None}}, smelters=()
    )
    assert checker_cells(declaring) == [("D55", "Lithium"), (None, "Cobalt"), (None, "Lithium")]


def test_crt_asks_for_smelters_only_while_q1_is_blank_and_q2_is_yes():
    # H57 = IF(AND(OR(Q1="Yes",Q2="Yes"), no cobalt row), K57, 0) with K57 = "Q1 is missing"
    def count(q1, q2):
        return checker_missing(
            make_template_response(CRT, "2.2", answers={"Cobalt": {"Q1": q1, "Q2": q2}}, smelters=())
        )

    assert [count("Yes", "Yes"), count(None, "Yes"), count(None, "No"), count("No", "Yes")] == [0, 2, 1, 0]
    # Q1 "Unknown" takes cobalt out: no Q2-Q6 and no company questions
    assert (
        checker_missing(make_template_response(CRT, "2.2", answers={"Cobalt": {"Q1": "Unknown", "Q2": None}}))
        == 0
    )
    # A is the public-policy question here: its URL in G63
    assert checker_cells(make_template_response(CRT, "2.2", comments={"A": ""})) == [("G63", None)]


def test_amrt_counts_q1_and_smelters_but_not_q2():
    response = make_template_response(AMRT, "1.3", answers={"Zinc": {"Q1": None, "Q2": None}}, smelters=())
    assert checker_cells(response) == [("D32", "Zinc"), (None, "Silver"), (None, "Zinc")]
    not_declaring = make_template_response(
        AMRT, "1.3", answers={"Zinc": {"Q1": "Not declaring"}}, smelters=()
    )
    assert checker_cells(not_declaring) == [(None, "Silver")]


def test_amrt_1_2_counts_a_smelter_row_only_with_a_name_and_a_country():
    nameless = (smelter(5, "Silver", None, country="PERU"), smelter(6, "Zinc", None, name="Zinc Co"))
    named = (
        smelter(5, "Silver", None, name="Plata SA", country="PERU"),
        smelter(6, "Zinc", None, name="Z", country="CHINA"),
    )
    assert checker_missing(make_template_response(AMRT, "1.2", smelters=nameless)) == 2
    assert checker_missing(make_template_response(AMRT, "1.2", smelters=named)) == 0
    # 1.3 tests its look-up and country columns with ISBLANK, which their formulas never are
    assert checker_missing(make_template_response(AMRT, "1.3", smelters=nameless)) == 0


def test_products_are_needed_for_scope_b():
    for kind, version in CHECKED:
        response = make_template_response(
            kind, version, company={"declaration_scope": "B. Product (or List of Products)"}
        )
        assert checker_cells(response) == [("B6", None)], (kind, version)


# --- RMI's templates ------------------------------------------------------------------------------

BLANK_TEMPLATES = [
    ("RMI_EMRT_1.1.xlsx", 31),
    ("RMI_EMRT_1.11.xlsx", 31),
    ("RMI_EMRT_1.2.xlsx", 31),
    ("RMI_EMRT_1.3.xlsx", 31),
    # saved with all six minerals picked
    ("RMI_EMRT_2.0.xlsx", 68),
    ("RMI_EMRT_2.1.xlsx", 68),
    ("RMI_CRT_2.2.xlsx", 23),
    ("RMI_CRT_2.21.xlsx", 23),
    # saved with seven minerals typed in Chinese: company fields, Q1 and a smelter line for each
    ("RMI_AMRT_1.2.xlsx", 22),
    # saved in English with nine minerals typed: the company fields, Q1 and a smelter line for each
    ("RMI_AMRT_1.21.xlsx", 26),
    # nothing picked: the company fields and the pick line
    ("RMI_AMRT_1.3.xlsx", 9),
]


@pytest.mark.parametrize(("name", "expected"), BLANK_TEMPLATES)
def test_rmi_blank_templates_match_their_saved_checker(name, expected):
    response = read_template(shared_file(TEMPLATES / name))
    assert (response.checker_cached, checker_missing(response)) == (expected, expected)


# --- RMI's templates filled in, recalculated by LibreOffice ----------------------------------------

SIGNED = dt.date(2025, 5, 1)
# Company Name, scope, contact (name, e-mail, phone), authorizer (name, e-mail), date: D8-D22.
COMPANY_6 = {
    "D8": "Acme Components Ltd.",
    "D9": "A. Company",
    "D15": "Jane Doe",
    "D16": "jane.doe@acme.example",
    "D17": "+44 114 000 0000",
    "D18": "John Roe",
    "D20": "john.roe@acme.example",
    "D22": SIGNED,
}
EMRT1_ANSWERS = {
    # 1.1: Cobalt in scope with Q5 (D50) unanswered; mica out (Q1 "No")
    **{"D26": "Yes", "D32": "Yes", "D38": "No", "D44": "No", "D56": "Yes", "D62": "Yes"},
    "D27": "No",
    # A "Yes" without a URL in G69, B with one; C for cobalt (D74) unanswered; E "other format"
    # without the description in G79
    **{
        "D69": "Yes",
        "D71": "Yes",
        "G71": "www.acme.example/policy",
        "D77": "Yes",
        "D81": "Yes",
        "D83": "Yes",
    },
    "D79": "Yes, Using Other Format (Describe)",
}
NOT_LISTED_COBALT = {"Smelter List!B6": "Cobalt", "Smelter List!C6": "Smelter not listed"}

FILLED = {
    # phone, products (scope B), Q5, A's URL, C, E; the "Smelter not listed" row is outside 1.1's total
    "EMRT_1.1": (
        COMPANY_6
        | {"D17": None, "D9": "B. Product (or List of Products)"}
        | EMRT1_ANSWERS
        | NOT_LISTED_COBALT,
        6,
    ),
    # phone, Q5, C, E and, from 1.2 on, the "Smelter not listed" row without a name; no line for A's URL;
    # mica "Unknown" at Q1 needs nothing more
    "EMRT_1.3": (COMPANY_6 | {"D17": None} | EMRT1_ANSWERS | {"D27": "Unknown"} | NOT_LISTED_COBALT, 5),
    # Cobalt, Lithium, Nickel picked (rows 30-32): contact phone, authorizer e-mail without "@", cobalt Q7
    # (D102), B's URL "x", E, no cobalt smelter; lithium is "Not declaring", nickel "Unknown" at Q2
    "EMRT_2.1": (
        {
            **{"D12": "Cobalt", "E12": "(Delete Copper)", "G12": "(Delete Graphite)"},
            **{"D13": "Lithium", "E13": "(Delete Mica)", "G13": "Nickel"},
            **{
                "D8": "Acme Components Ltd.",
                "D9": "A. Company",
                "D19": "Jane Doe",
                "D20": "jane.doe@acme.example",
            },
            **{"D22": "John Roe", "D24": "john.roe at acme.example", "D26": SIGNED},
            **{"D30": "Yes", "D31": "Not declaring", "D32": "Yes", "D42": "Yes", "D44": "Unknown"},
            **{"D54": "No", "D66": "No", "D78": "Greater than 90%", "D90": "Yes"},
            **{
                "D115": "Yes",
                "D117": "Yes",
                "G117": "x",
                "D120": "Yes",
                "D131": "Yes",
                "D135": "Yes",
                "D137": "Yes",
            },
            **{"Smelter List!B6": "Nickel", "Smelter List!C6": "Smelter not listed"},
            **{"Smelter List!D6": "Nickel Works", "Smelter List!E6": "INDONESIA"},
        },
        6,
    ),
    # nothing picked: the pick line and the company fields after the company name
    "EMRT_2.0": (
        {"D8": "Acme Components Ltd."}
        | {
            a: f"(Delete {m})"
            for a, m in zip(("D12", "E12", "G12", "D13", "E13", "G13"), EMRT2_NAMES, strict=True)
        },
        8,
    ),
    # Q1 blank with Q2 "Yes" and no smelter: Q1, Q5, A's URL, I, and the smelter line
    "CRT_2.2": (
        COMPANY_6
        | {"D32": "Yes", "D38": "Yes", "D44": "Greater than 90%", "D56": "Yes"}
        | {f"D{row}": "Yes" for row in range(63, 78, 2)}
        | {"D75": "Yes, CRT"},
        5,
    ),
    # Q1 answered: the Checker no longer asks for cobalt smelters, though none is listed
    "CRT_2.21": (
        COMPANY_6
        | {"D26": "Yes", "D32": "Yes", "D38": "Yes", "D44": "Greater than 90%", "D50": "Yes", "D56": "Yes"}
        | {f"D{row}": "Yes" for row in range(63, 80, 2)}
        | {"G63": "www.acme.example/policy", "D75": "Yes, Using Other Format (Describe)", "G75": "Own form"},
        0,
    ),
    # Aluminum and Zinc typed (rows 28, 29): zinc's Q1, the authorizer e-mail, and zinc's smelter row
    # without a country; Q2 is never counted
    "AMRT_1.2": (
        {
            **{
                "D12": "Aluminum",
                "E12": "Zinc",
                "G12": None,
                "H12": None,
                "I12": None,
                "D13": None,
                "E13": None,
            },
            **{
                "D8": "Acme Components Ltd.",
                "D9": "A. Company",
                "D17": "Jane Doe",
                "D18": "jane.doe@acme.example",
            },
            **{"D19": "+44 114 000 0000", "D20": "John Roe", "D22": "john.roe.acme.example", "D24": SIGNED},
            "D28": "Yes",
            **{"Smelter List!A5": "Aluminum", "Smelter List!B5": "Alu Smelter", "Smelter List!C5": "CHINA"},
            **{"Smelter List!A6": "Zinc", "Smelter List!B6": "Zinc Works"},
        },
        3,
    ),
    # AMRT 1.21, filled as the 1.2 above: its nine typed examples cleared, Aluminum and Zinc typed
    "AMRT_1.21": (
        {
            **dict.fromkeys(("G12", "H12", "I12", "D13", "E13", "G13", "H13")),
            **{"D12": "Aluminum", "E12": "Zinc"},
            **{
                "D8": "Acme Components Ltd.",
                "D9": "A. Company",
                "D17": "Jane Doe",
                "D18": "jane.doe@acme.example",
            },
            **{"D19": "+44 114 000 0000", "D20": "John Roe", "D22": "john.roe.acme.example", "D24": SIGNED},
            "D28": "Yes",
            **{"Smelter List!A5": "Aluminum", "Smelter List!B5": "Alu Smelter", "Smelter List!C5": "CHINA"},
            **{"Smelter List!A6": "Zinc", "Smelter List!B6": "Zinc Works"},
        },
        3,
    ),
    # Silver, Zinc and "Other" Tellurium (rows 31-33), scope B with a product: Tellurium has no
    # smelter, silver's "Smelter not listed" row has no country; zinc is "Not declaring"
    "AMRT_1.3": (
        {
            **{"D12": "Silver", "E12": "Zinc", "G12": "Other [specify below]", "G15": "Tellurium"},
            **{"D8": "Acme Components Ltd.", "D9": "B. Product (or List of Products)", "D20": "Jane Doe"},
            **{"D21": "jane.doe@acme.example", "D22": "+44 114 000 0000", "D23": "John Roe"},
            **{
                "D25": "john.roe@acme.example",
                "D27": SIGNED,
                "D31": "Yes",
                "D32": "Yes",
                "D33": "Not declaring",
            },
            **{
                "Product List!B6": "P-100",
                "Smelter List!B6": "Silver",
                "Smelter List!C6": "Smelter not listed",
            },
            "Smelter List!D6": "Plata SA",
        },
        2,
    ),
    # The same file with a second "Other" pick left unnamed: the Checker's "Other" line counts once.
    "AMRT_1.3+unnamed-other": (
        {
            **{"D12": "Silver", "E12": "Zinc", "G12": "Other [specify below]", "G15": "Tellurium"},
            **{"H12": "Other [specify below]"},
            **{"D8": "Acme Components Ltd.", "D9": "B. Product (or List of Products)", "D20": "Jane Doe"},
            **{"D21": "jane.doe@acme.example", "D22": "+44 114 000 0000", "D23": "John Roe"},
            **{"D25": "john.roe@acme.example", "D27": SIGNED, "D31": "Yes", "D32": "Yes"},
            **{"D33": "Not declaring", "Product List!B6": "P-100", "Smelter List!B6": "Silver"},
            **{"Smelter List!C6": "Smelter not listed", "Smelter List!D6": "Plata SA"},
        },
        3,
    ),
}


def _writes(cells: dict) -> list[CellWrite]:
    found = []
    for where, value in cells.items():
        sheet, _, address = where.rpartition("!")
        found.append(CellWrite(sheet or "Declaration", address, value))
    return found


@pytest.mark.parametrize("name", FILLED)
def test_filled_templates_match_the_checker_libreoffice_computes(name, tmp_path):
    cells, expected = FILLED[name]
    blank = shared_file(TEMPLATES / f"RMI_{name.split('+')[0]}.xlsx").read_bytes()
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(patch_workbook(blank, _writes(cells)))
    response = read_template(recalculated_copy(path, tmp_path))
    assert (response.checker_cached, checker_missing(response)) == (expected, expected)


def test_amrt_1_3_counts_an_other_pick_without_its_name_once(tmp_path):
    named = read_template(build_amrt13(tmp_path / "named.xlsx", picked=("Zinc",), other=("Tellurium",)))
    unnamed = read_template(
        build_amrt13(tmp_path / "unnamed.xlsx", picked=("Zinc",), other=("Tellurium", "", ""))
    )
    extra = [f for f in review(unnamed).findings if "“Other [specify below]”" in f.message]
    assert checker_missing(unnamed) - checker_missing(named) == 1
    assert [(f.code, f.cell) for f in extra] == [("required-field-missing", "G15")]
