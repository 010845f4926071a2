"""Cell maps of the EMRT (1.1-1.3, 2.0-2.1), the CRT (2.2) and the AMRT (1.2, 1.21, 1.3).

Every address was read from RMI's blank templates (shared/cmrt/templates): answer cells and their
allowed values from the Declaration's data validations, the label of each row from the translation
keys in the hidden ``L`` sheet ("DeclarationB17" -> "Company Unique ID:"), because the templates
were saved with Chinese labels.

EMRT 2.x and AMRT ask the supplier to pick its minerals; the question rows below each header are
then labelled by formulas that drop unpicked minerals ("(Delete Cobalt)"), put "Other" names in
place, sort the rest alphabetically (Excel's case-insensitive order) and remove duplicates
(Declaration!P12:AA21). The reader repeats that, so the n-th picked mineral in alphabetical order
answers on the n-th row below each header.
"""

from __future__ import annotations

from dataclasses import replace

from oretrace.rmi.layouts import (
    CMRT6_COMPANY,
    CMRT6_SMELTER_COLUMNS,
    LOOKUP_6_COLUMNS,
    RESPONSE_RATES_6,
    YES_NO,
    YES_NO_UNKNOWN,
    CompanyQuestionSpec,
    Layout,
    ListSpec,
    QuestionSpec,
    register,
)
from oretrace.rmi.model import TemplateKind

PRODUCTS_1000 = ListSpec("Product List", 6, {"number": "B", "name": "C", "comments": "D"}, last_row=1000)
PRODUCTS_REQUESTER = {
    "number": "B",
    "name": "C",
    "requester_number": "D",
    "requester_name": "E",
    "comments": "F",
}
MINE_COLUMNS = {
    "metal": "A",
    "smelter_name": "B",
    "mine_name": "C",
    "mine_id": "D",
    "id_source": "E",
    "country": "F",
    "street": "G",
    "city": "H",
    "state": "I",
    "contact_name": "J",
    "contact_email": "K",
    "next_steps": "L",
    "comments": "M",
}
MINES = ListSpec("Mine List", 5, MINE_COLUMNS, last_row=2504)
SMELTERS_6 = ListSpec("Smelter List", 5, CMRT6_SMELTER_COLUMNS)
LOOKUP_6 = ListSpec("Smelter Look-up", 5, LOOKUP_6_COLUMNS)

EMRT_SURVEY = ("Yes, in conformance with IPC1755 (e.g. EMRT)", "Yes, Using Other Format (Describe)", "No")
EMRT_AUDITED = ("Yes", "Yes, when more processors are validated", "No")
# EMRT 2.x / AMRT response rates; "100%" is the number 1 in the EMRT 1.x, CRT and AMRT lists.
RESPONSE_RATES_SURVEYED = (*RESPONSE_RATES_6, "Unknown", "Did not survey")
YES_NO_UNKNOWN_NOT_DECLARING = ("Yes", "No", "Unknown", "Not declaring")


# --- EMRT 1.1 - 1.3: cobalt and mica, CMRT 6.x company block --------------------------------------

EMRT1 = Layout(
    kind=TemplateKind.EMRT,
    family="EMRT 1",
    minerals=("Cobalt", "Mica"),
    company_cells=CMRT6_COMPANY,
    questions=(
        QuestionSpec(
            "Q1",
            25,
            ("Yes", "No", "Unknown", "Not applicable for this declaration"),
            topic="intentionally_added",
        ),
        QuestionSpec("Q2", 31, YES_NO_UNKNOWN, topic="remains_in_product"),
        # Cobalt may answer "DRC only" (B94:B97), mica "India and/or Madagascar only" (B110:B113).
        QuestionSpec("Q3", 37, (*YES_NO_UNKNOWN, "DRC only", "India and/or Madagascar only"), topic="cahra"),
        # Only the cobalt row is labelled and validated (D44); the mica row below it is unused.
        QuestionSpec("Q4", 43, YES_NO_UNKNOWN, topic="all_recycled", minerals=("Cobalt",)),
        QuestionSpec("Q5", 49, RESPONSE_RATES_6, numeric={1.0: "100%"}, topic="supplier_response_rate"),
        QuestionSpec("Q6", 55, YES_NO_UNKNOWN, topic="all_smelters_identified"),
        QuestionSpec("Q7", 61, YES_NO_UNKNOWN, topic="all_smelters_reported"),
    ),
    company_questions=(
        CompanyQuestionSpec("A", 69, YES_NO, topic="policy"),
        CompanyQuestionSpec("B", 71, YES_NO, topic="policy_public", url_in_comment=True),
        # Header in row 73; cobalt answers in D74 (Yes/No), mica in D75 (B118:B120).
        CompanyQuestionSpec("C", 74, EMRT_AUDITED, topic="require_audited_smelters", per_mineral_rows=2),
        CompanyQuestionSpec("D", 77, YES_NO, topic="due_diligence"),
        CompanyQuestionSpec("E", 79, EMRT_SURVEY, topic="supplier_survey"),
        CompanyQuestionSpec("F", 81, YES_NO, topic="review_against_expectations"),
        CompanyQuestionSpec("G", 83, YES_NO, topic="corrective_action"),
    ),
    smelters=SMELTERS_6,
    products=PRODUCTS_1000,
    lookup=LOOKUP_6,
)


# --- EMRT 2.0 / 2.1: six minerals to pick, ten answer rows per question -----------------------------

EMRT2_MINERALS = ("Cobalt", "Copper", "Graphite", "Lithium", "Mica", "Nickel")

EMRT2 = Layout(
    kind=TemplateKind.EMRT,
    family="EMRT 2",
    minerals=EMRT2_MINERALS,
    # The pick list (D12:G13) pushes the rest of the company block down by four rows.
    company_cells={
        "name": "D8",
        "declaration_scope": "D9",
        "scope_description": "D10",
        "unique_id": "D16",
        "unique_id_authority": "D17",
        "address": "D18",
        "contact_name": "D19",
        "contact_email": "D20",
        "contact_phone": "D21",
        "authorizer_name": "D22",
        "authorizer_title": "D23",
        "authorizer_email": "D24",
        "authorizer_phone": "D25",
        "effective_date": "D26",
    },
    mineral_selection_cells=("D12", "E12", "G12", "D13", "E13", "G13"),
    mineral_rows=10,
    questions=(
        QuestionSpec("Q1", 29, YES_NO_UNKNOWN_NOT_DECLARING, topic="intentionally_added"),
        QuestionSpec("Q2", 41, YES_NO_UNKNOWN, topic="remains_in_product"),
        QuestionSpec("Q3", 53, YES_NO_UNKNOWN, topic="cahra"),
        QuestionSpec("Q4", 65, YES_NO_UNKNOWN, topic="all_recycled"),
        QuestionSpec(
            "Q5", 77, RESPONSE_RATES_SURVEYED, numeric={1.0: "100%"}, topic="supplier_response_rate"
        ),
        QuestionSpec("Q6", 89, YES_NO_UNKNOWN, topic="all_smelters_identified"),
        QuestionSpec("Q7", 101, YES_NO_UNKNOWN, topic="all_smelters_reported"),
    ),
    company_questions=(
        CompanyQuestionSpec("A", 115, YES_NO, topic="policy"),
        CompanyQuestionSpec("B", 117, YES_NO, topic="policy_public", url_in_comment=True),
        # Header in row 119; D120:D129, one row per picked mineral in the same order as Q1-Q7.
        CompanyQuestionSpec("C", 120, EMRT_AUDITED, topic="require_audited_smelters", per_mineral_rows=10),
        CompanyQuestionSpec("D", 131, YES_NO, topic="due_diligence"),
        CompanyQuestionSpec("E", 133, EMRT_SURVEY, topic="supplier_survey"),
        CompanyQuestionSpec("F", 135, YES_NO, topic="review_against_expectations"),
        CompanyQuestionSpec("G", 137, YES_NO, topic="corrective_action"),
    ),
    smelters=SMELTERS_6,
    products=ListSpec("Product List", 6, {"number": "B", "name": "C", "comments": "D"}, last_row=1000),
    mines=MINES,
    lookup=LOOKUP_6,
)

# EMRT 2.1 adds the requester's product number and name (Product List D and E; comments move to F).
EMRT21 = replace(EMRT2, products=ListSpec("Product List", 6, PRODUCTS_REQUESTER, last_row=1000))


# --- CRT 2.2: cobalt only, Q1-Q6, company questions A-I ----------------------------------------------

CRT2 = Layout(
    kind=TemplateKind.CRT,
    family="CRT 2",
    minerals=("Cobalt",),
    company_cells=CMRT6_COMPANY,
    questions=(
        QuestionSpec("Q1", 25, YES_NO_UNKNOWN, topic="intentionally_added"),
        QuestionSpec("Q2", 31, (*YES_NO_UNKNOWN, "DRC or adjoining countries only"), topic="cahra"),
        QuestionSpec("Q3", 37, YES_NO_UNKNOWN, topic="all_recycled"),
        QuestionSpec("Q4", 43, RESPONSE_RATES_6, numeric={1.0: "100%"}, topic="supplier_response_rate"),
        QuestionSpec("Q5", 49, YES_NO_UNKNOWN, topic="all_smelters_identified"),
        QuestionSpec("Q6", 55, YES_NO_UNKNOWN, topic="all_smelters_reported"),
    ),
    company_questions=(
        # "a publicly available cobalt sourcing policy": its URL goes in G63 (the Checker tests it).
        CompanyQuestionSpec("A", 63, YES_NO, topic="policy", url_in_comment=True),
        CompanyQuestionSpec("B", 65, YES_NO, topic="policy_covers_annex_ii"),
        CompanyQuestionSpec("C", 67, YES_NO, topic="due_diligence"),
        CompanyQuestionSpec("D", 69, YES_NO, topic="require_supplier_due_diligence"),
        CompanyQuestionSpec("E", 71, YES_NO, topic="require_audited_smelters"),
        CompanyQuestionSpec("F", 73, YES_NO, topic="require_supplier_annex_ii"),
        CompanyQuestionSpec(
            "G", 75, ("Yes, CRT", "Yes, Using Other Format (Describe)", "No"), topic="supplier_survey"
        ),
        CompanyQuestionSpec("H", 77, YES_NO, topic="review_against_expectations"),
        CompanyQuestionSpec("I", 79, YES_NO, topic="corrective_action"),
    ),
    smelters=SMELTERS_6,
    # Its Smelter List has no formulas in A-J: metal (B) and look-up name (C) are picked, the rest typed.
    smelter_entry="typed",
    products=PRODUCTS_1000,
    lookup=LOOKUP_6,
)


# --- AMRT 1.2 / 1.3: up to ten minerals, Q1 and Q2 only ----------------------------------------------

AMRT_MINERALS = (
    "Aluminum",
    "Iridium",
    "Lime",
    "Manganese",
    "Palladium",
    "Platinum",
    "Rare Earth Elements",
    "Rhodium",
    "Ruthenium",
    "Silver",
    "Soda Ash",
    "Zinc",
    # AMRT 1.2's list (Declaration!B65:B68) also had these.
    "Copper",
    "Lithium",
    "Nickel",
)
AMRT_SELECTION = ("D12", "E12", "G12", "H12", "I12", "D13", "E13", "G13", "H13", "I13")

# 1.3: minerals picked from a list in D12:I13, "Other" names typed in D15:I16; company block D17-D27.
AMRT13 = Layout(
    kind=TemplateKind.AMRT,
    family="AMRT 1",
    minerals=AMRT_MINERALS,
    company_cells={
        "name": "D8",
        "declaration_scope": "D9",
        "scope_description": "D10",
        "unique_id": "D17",
        "unique_id_authority": "D18",
        "address": "D19",
        "contact_name": "D20",
        "contact_email": "D21",
        "contact_phone": "D22",
        "authorizer_name": "D23",
        "authorizer_title": "D24",
        "authorizer_email": "D25",
        "authorizer_phone": "D26",
        "effective_date": "D27",
    },
    mineral_selection_cells=AMRT_SELECTION,
    mineral_other_cells=("D15", "E15", "G15", "H15", "I15", "D16", "E16", "G16", "H16", "I16"),
    # Declaration!B68:B79, the list behind D12:I13 (B80 is "Other [specify below]").
    mineral_choices=AMRT_MINERALS[:12],
    mineral_rows=10,
    questions=(
        QuestionSpec("Q1", 30, YES_NO_UNKNOWN_NOT_DECLARING, topic="intentionally_added"),
        QuestionSpec(
            "Q2", 42, RESPONSE_RATES_SURVEYED, numeric={1.0: "100%"}, topic="supplier_response_rate"
        ),
    ),
    company_questions=(),
    smelters=SMELTERS_6,
    products=ListSpec("Product List", 6, PRODUCTS_REQUESTER, last_row=2005),
    mines=MINES,
    lookup=LOOKUP_6,
)

# 1.2: minerals typed (in English) in D12:I13 with no "Other" cells, company block D14-D24, Q1 and
# Q2 three rows higher, a Smelter List without the input and look-up columns, and no Smelter Look-up.
AMRT12 = replace(
    AMRT13,
    company_cells={
        **AMRT13.company_cells,
        "unique_id": "D14",
        "unique_id_authority": "D15",
        "address": "D16",
        "contact_name": "D17",
        "contact_email": "D18",
        "contact_phone": "D19",
        "authorizer_name": "D20",
        "authorizer_title": "D21",
        "authorizer_email": "D22",
        "authorizer_phone": "D23",
        "effective_date": "D24",
    },
    mineral_other_cells=(),
    mineral_choices=(),
    smelter_entry="typed",
    questions=(
        replace(AMRT13.questions[0], header_row=27),
        replace(AMRT13.questions[1], header_row=39),
    ),
    smelters=ListSpec(
        "Smelter List",
        5,
        {
            "metal": "A",
            "name": "B",
            "country": "C",
            "smelter_id": "D",
            "id_source": "E",
            "street": "F",
            "city": "G",
            "state": "H",
            "contact_name": "I",
            "contact_email": "J",
            "next_steps": "K",
            "mine_names": "L",
            "mine_countries": "M",
            "recycled_or_scrap": "N",
            "comments": "O",
        },
    ),
    products=ListSpec("Product List", 6, {"number": "B", "name": "C", "comments": "D"}, last_row=2005),
    lookup=None,
)

# EMRT 1.1 and 1.11: their Checker also wants the policy's URL in G69, the comment of question A.
EMRT11 = replace(
    EMRT1,
    company_questions=tuple(
        replace(q, url_in_comment=True) if q.id == "A" else q for q in EMRT1.company_questions
    ),
)

register(EMRT11, "1.1", "1.11")
register(EMRT1, "1.2", "1.3")
register(EMRT2, "2.0")
register(EMRT21, "2.1")
# The file RMI published as CRT 2.21 says "Revision 2.2" in J3 and its Revision tab ends at 2.2; its
# cells differ from 2.2's in one cached example answer only, so no content tells them apart.
register(CRT2, "2.2")
# RMI's AMRT 1.21 (May 2025) keeps 1.2's cells: its Declaration, Checker, Smelter List, Mine List,
# Product List and Minerals Scope formulas and the Declaration's data validations are the same,
# formula for formula, as 1.2's; it was saved in English with nine example minerals typed.
register(AMRT12, "1.2", "1.21")
register(AMRT13, "1.3")
