"""The reader on every blank RMI template in ../shared/cmrt/templates (saved with Chinese labels).

Look-up sizes: the reader keeps every Smelter Look-up row that names a metal and a smelter, so it
counts the rows of templates.md section 1.5 (6.01: 587, 6.4: 660, 6.5: 637), including the
"Smelter not listed" / "Smelter not yet identified" rows of each metal, which carry no CID; the
unique CIDs and the per-metal counts of that table are asserted separately.
"""

from __future__ import annotations

from collections import Counter

import pytest

from oretrace.rmi import TemplateKind, read_template
from samples import TEMPLATES, shared_file

CMRT_METALS = ("Tantalum", "Tin", "Gold", "Tungsten")
EMRT2_MINERALS = ("Cobalt", "Copper", "Graphite", "Lithium", "Mica", "Nickel")

AMRT121_EXAMPLE_MINERALS = (
    "Aluminum",
    "Chromium",
    "Iron/ Steel",
    "Magnesium",
    "Palladium",
    "Silicon",
    "Silver",
    "Titanium",
    "Zinc",
)

TEMPLATE_FACTS = [
    # file, kind, version, minerals, look-up rows, Checker!D2 of the blank
    ("RMI_CMRT_6.01.xlsx", TemplateKind.CMRT, "6.01", CMRT_METALS, 587, 52),
    ("RMI_CMRT_6.1.xlsx", TemplateKind.CMRT, "6.1", CMRT_METALS, 606, 52),
    ("RMI_CMRT_6.22.xlsx", TemplateKind.CMRT, "6.22", CMRT_METALS, 628, 52),
    ("RMI_CMRT_6.31.xlsx", TemplateKind.CMRT, "6.31", CMRT_METALS, 637, 50),
    ("RMI_CMRT_6.4.xlsx", TemplateKind.CMRT, "6.4", CMRT_METALS, 660, 51),
    ("RMI_CMRT_6.4_english_blank.xlsx", TemplateKind.CMRT, "6.4", CMRT_METALS, 660, 52),
    ("RMI_CMRT_6.5.xlsx", TemplateKind.CMRT, "6.5", CMRT_METALS, 637, 52),
    ("RMI_EMRT_1.1.xlsx", TemplateKind.EMRT, "1.1", ("Cobalt", "Mica"), 145, 31),
    ("RMI_EMRT_1.11.xlsx", TemplateKind.EMRT, "1.11", ("Cobalt", "Mica"), 145, 31),
    ("RMI_EMRT_1.2.xlsx", TemplateKind.EMRT, "1.2", ("Cobalt", "Mica"), 160, 31),
    ("RMI_EMRT_1.3.xlsx", TemplateKind.EMRT, "1.3", ("Cobalt", "Mica"), 187, 31),
    ("RMI_EMRT_2.0.xlsx", TemplateKind.EMRT, "2.0", EMRT2_MINERALS, 432, 68),
    ("RMI_EMRT_2.1.xlsx", TemplateKind.EMRT, "2.1", EMRT2_MINERALS, 491, 68),
    ("RMI_CRT_2.2.xlsx", TemplateKind.CRT, "2.2", ("Cobalt",), 90, 23),
    # RMI's "2.21" says "Revision 2.2" in J3 and differs from 2.2 in one cached example cell only
    ("RMI_CRT_2.21.xlsx", TemplateKind.CRT, "2.2", ("Cobalt",), 90, 23),
    # AMRT 1.2 was saved with seven example minerals typed in Chinese, in the file's own row order
    ("RMI_AMRT_1.2.xlsx", TemplateKind.AMRT, "1.2", ("铬", "锂", "铝", "镍", "铜", "锌", "银"), 0, 22),
    # AMRT 1.21 was saved in English with nine example minerals typed, in alphabetical row order
    ("RMI_AMRT_1.21.xlsx", TemplateKind.AMRT, "1.21", AMRT121_EXAMPLE_MINERALS, 0, 26),
    ("RMI_AMRT_1.3.xlsx", TemplateKind.AMRT, "1.3", (), 86, 9),
]


@pytest.mark.parametrize(("file", "kind", "version", "minerals", "lookup_rows", "checker"), TEMPLATE_FACTS)
def test_it_reads_each_blank_template(file, kind, version, minerals, lookup_rows, checker):
    response = read_template(shared_file(TEMPLATES / file))
    assert (response.kind, response.version) == (kind, version)
    assert response.minerals == minerals
    assert len(response.lookup) == lookup_rows
    assert response.checker_cached == checker
    company = response.company
    assert company.name.value is None
    assert company.contact_email.value is None
    assert company.effective_date.value is None
    # the blank 6.31 was saved with "A. Company" chosen in D9; the others with nothing
    assert response.scope == ("A" if version == "6.31" else None)
    assert response.products == ()
    assert response.mines == ()
    answered = {
        (m, q): a.value for m, answers in response.answers.items() for q, a in answers.items() if a.value
    }
    # ... and with example answers for tantalum (Q2-Q8, Q6 the text "100%" of 6.31+)
    assert answered == (SAVED_EXAMPLE_631 if version == "6.31" else {})


SAVED_EXAMPLE_631 = {
    ("Tantalum", "Q2"): "Yes",
    ("Tantalum", "Q3"): "Yes",
    ("Tantalum", "Q4"): "Unknown",
    ("Tantalum", "Q5"): "Yes",
    ("Tantalum", "Q6"): "100%",
    ("Tantalum", "Q7"): "No",
    ("Tantalum", "Q8"): "No",
}


@pytest.mark.parametrize(
    ("file", "cids", "per_metal"),
    [
        ("RMI_CMRT_6.01.xlsx", 311, {"Gold": 160, "Tantalum": 38, "Tin": 59, "Tungsten": 54}),
        ("RMI_CMRT_6.4.xlsx", 368, {"Gold": 183, "Tantalum": 36, "Tin": 93, "Tungsten": 56}),
        ("RMI_CMRT_6.5.xlsx", 349, {"Gold": 182, "Tantalum": 35, "Tin": 73, "Tungsten": 59}),
    ],
)
def test_it_counts_the_cmrt_look_up_as_the_domain_notes_do(file, cids, per_metal):
    lookup = read_template(shared_file(TEMPLATES / file)).lookup
    identified = {(entry.metal, entry.smelter_id) for entry in lookup if entry.smelter_id}
    assert len({cid for _, cid in identified}) == cids
    assert Counter(metal for metal, _ in identified) == per_metal
    assert sum(1 for entry in lookup if entry.smelter_id is None) == 8


def test_it_reads_the_example_smelter_row_saved_in_the_chinese_64_template():
    [row] = read_template(shared_file(TEMPLATES / "RMI_CMRT_6.4.xlsx")).smelters
    assert (row.row, row.metal, row.lookup_name, row.city) == (5, "Tin", "Alpha Metals", "Altoona")
    assert row.street is None  # a formula blank cached as 0


def test_it_reads_the_emrt2_company_block_four_rows_lower():
    response = read_template(shared_file(TEMPLATES / "RMI_EMRT_2.1.xlsx"))
    assert response.company.unique_id.ref == "Declaration!D16"
    assert response.company.effective_date.ref == "Declaration!D26"
    assert response.answers["Nickel"]["Q7"].answer.ref == "Declaration!D107"
    assert [key for key in response.company_questions if key.startswith("C:")] == [
        f"C:{mineral}" for mineral in EMRT2_MINERALS
    ]
    assert response.company_questions["C:Nickel"].answer.ref == "Declaration!D125"
    assert Counter(entry.metal for entry in response.lookup) == {
        "Cobalt": 175,
        "Copper": 136,
        "Graphite": 2,
        "Lithium": 77,
        "Mica": 36,
        "Nickel": 65,
    }


def test_it_reads_emrt1_q4_for_cobalt_only_and_c_per_mineral():
    response = read_template(shared_file(TEMPLATES / "RMI_EMRT_1.3.xlsx"))
    assert "Q4" in response.answers["Cobalt"]
    assert "Q4" not in response.answers["Mica"]
    assert response.company_questions["C:Mica"].answer.ref == "Declaration!D75"
    assert response.policy_url.ref == "Declaration!G71"


def test_it_reads_the_crt_company_questions_a_to_i():
    response = read_template(shared_file(TEMPLATES / "RMI_CRT_2.21.xlsx"))
    assert sorted(response.company_questions) == list("ABCDEFGHI")
    # the blank 2.21 was saved with an example answer to G
    assert response.company_questions["G"].value == "Yes, Using Other Format (Describe)"
    # question A asks for a public cobalt policy; its URL goes in A's comment cell, blank here
    assert (response.policy_url.ref, response.policy_url.value) == ("Declaration!G63", None)


def test_it_reads_the_amrt12_company_block_and_questions():
    response = read_template(shared_file(TEMPLATES / "RMI_AMRT_1.2.xlsx"))
    assert response.company.unique_id.ref == "Declaration!D14"
    assert response.company.effective_date.ref == "Declaration!D24"
    assert response.answers["铬"]["Q1"].answer.ref == "Declaration!D28"
    assert response.answers["银"]["Q2"].answer.ref == "Declaration!D46"
    assert response.company_questions == {}


def test_it_reads_the_amrt121_with_the_amrt12_cells():
    response = read_template(shared_file(TEMPLATES / "RMI_AMRT_1.21.xlsx"))
    assert response.company.unique_id.ref == "Declaration!D14"
    assert response.company.contact_email.ref == "Declaration!D18"
    assert response.company.effective_date.ref == "Declaration!D24"
    assert response.answers["Aluminum"]["Q1"].answer.ref == "Declaration!D28"
    assert response.answers["Zinc"]["Q1"].answer.ref == "Declaration!D36"
    assert response.answers["Zinc"]["Q2"].answer.ref == "Declaration!D48"
    assert response.company_questions == {}
