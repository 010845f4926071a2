"""Cell maps of the CMRT before 6.0: 1.00, 2.00-2.03a, 3.00-3.02 (read from CFSI/EICC files), and
4.x / 5.x (derived from the revision history, verified against the file at read time).

Every address below was read from the legacy sample workbooks (shared/cmrt/legacy): answer cells
from their data validations, labels from the cached label text, input cells from their cell style
where a validation was missing (CMRT 1.00's date). Where the domain notes disagreed with the
files, the files won; the differences are named at each map.
"""

from __future__ import annotations

from dataclasses import replace

from oretrace.rmi.layouts import (
    CMRT6_COMPANY,
    CMRT6_SMELTER_COLUMNS,
    CMRT_METALS,
    FILING_ANSWERS,
    LOOKUP_6_COLUMNS,
    RESPONSE_RATES_3,
    RESPONSE_RATES_6,
    SURVEY_ANSWERS,
    YES_NO,
    YES_NO_UNKNOWN,
    CompanyQuestionSpec,
    Layout,
    ListSpec,
    QuestionSpec,
    register,
)
from oretrace.rmi.model import TemplateKind

# CMRT 1.00-2.x spell "unknown" this way in Q2 and Q3 (their data validations).
YES_NO_UNCERTAIN = ("Yes", "No", "Uncertain or Unknown")
# CMRT 2.x Q4, "Have you received completed CMRTs from all of your suppliers?"
RESPONSE_RATES_2 = ("Yes", "No but > 75%", "No but > 50%", "No but > 25%", "No but < 25%", "No - none")
# CMRT 1.00 I / 2.x H, "Do you verify due diligence information received from your suppliers?"
VERIFY_ANSWERS = (
    "Yes (3rd party audit)",
    "Yes (documentation review only)",
    "Yes (internal audit)",
    "Yes (all methods apply)",
    "No",
)
PRODUCTS_3 = ListSpec("Product List", 6, {"number": "B", "name": "C", "comments": "D"}, last_row=300)


# --- CMRT 3.00 - 3.02 -----------------------------------------------------------------------------
# Company block as in 6.x (D8-D22). Q1-Q7 at the 6.x header rows of Q1-Q7, but Q3 asks about the
# covered countries, Q4 about 100% recycled and Q5 about supplier responses ("Yes, 100%" ...).
# Company questions A-J, one every other row from D69.

CMRT3_SMELTER_COLUMNS = {
    k: v for k, v in CMRT6_SMELTER_COLUMNS.items() if k not in ("id_input", "standard_name")
}

CMRT3_QUESTIONS = (
    QuestionSpec("Q1", 25, YES_NO, topic="intentionally_added"),
    # "necessary to the production ... and contained in the finished product": 6.x Q2's ancestor.
    QuestionSpec("Q2", 31, YES_NO, topic="remains_in_product"),
    QuestionSpec("Q3", 37, YES_NO_UNKNOWN, topic="covered_countries"),
    QuestionSpec("Q4", 43, YES_NO_UNKNOWN, topic="all_recycled"),
    QuestionSpec("Q5", 49, RESPONSE_RATES_3, topic="supplier_response_rate"),
    QuestionSpec("Q6", 55, YES_NO, topic="all_smelters_identified"),
    QuestionSpec("Q7", 61, YES_NO_UNKNOWN, topic="all_smelters_reported"),
)

CMRT3_COMPANY_QUESTIONS = (
    CompanyQuestionSpec("A", 69, YES_NO, topic="policy"),
    CompanyQuestionSpec("B", 71, YES_NO, topic="policy_public", url_in_comment=True),
    CompanyQuestionSpec("C", 73, YES_NO, topic="require_conflict_free_suppliers"),
    CompanyQuestionSpec("D", 75, YES_NO, topic="require_audited_smelters"),
    CompanyQuestionSpec("E", 77, YES_NO, topic="due_diligence"),
    CompanyQuestionSpec("F", 79, YES_NO, topic="supplier_survey"),
    CompanyQuestionSpec("G", 81, YES_NO, topic="request_smelter_names"),
    CompanyQuestionSpec("H", 83, YES_NO, topic="review_against_expectations"),
    CompanyQuestionSpec("I", 85, YES_NO, topic="corrective_action"),
    CompanyQuestionSpec("J", 87, YES_NO, topic="annual_disclosure"),
)

CMRT3 = Layout(
    kind=TemplateKind.CMRT,
    family="CMRT 3",
    minerals=CMRT_METALS,
    company_cells=CMRT6_COMPANY,
    questions=CMRT3_QUESTIONS,
    company_questions=CMRT3_COMPANY_QUESTIONS,
    # 6.x's columns B-Q without the A input column (added in 4.1) and the hidden R (added in 5.0).
    smelters=ListSpec("Smelter List", 5, CMRT3_SMELTER_COLUMNS, last_row=2504),
    products=PRODUCTS_3,
    # Header in row 2 (3.01): A Metal, B Standard Smelter Names, C Country, D Old / E New Smelter ID.
    lookup=ListSpec(
        "Standard Smelter Names",
        3,
        {"metal": "A", "standard_name": "B", "country": "C", "old_smelter_id": "D", "smelter_id": "E"},
    ),
)


# --- CMRT 2.00 - 2.03a ----------------------------------------------------------------------------
# One "authorized company representative" (D14-D17) is both the contact and the authorizer, so the
# same cells fill both in the model. Date of Completion in D18. Q1-Q6 with four metal rows each
# below headers 21, 27, ... 51; company questions A-J at D59 ... D77 (the domain notes say A-I:
# every 2.x sample has J, "Are you subject to the SEC Conflict Minerals disclosure requirement rule?").

CMRT2_COMPANY = {
    "name": "D8",
    "declaration_scope": "D9",
    "scope_description": "D10",
    "unique_id": "D12",
    "address": "D13",
    "contact_name": "D14",
    "contact_email": "D16",
    "contact_phone": "D17",
    "authorizer_name": "D14",
    "authorizer_title": "D15",
    "authorizer_email": "D16",
    "authorizer_phone": "D17",
    "effective_date": "D18",
}

CMRT2_QUESTIONS = (
    QuestionSpec("Q1", 21, YES_NO, topic="necessary"),
    QuestionSpec("Q2", 27, YES_NO_UNCERTAIN, topic="covered_countries"),  # "DRC or an adjoining country"
    QuestionSpec("Q3", 33, YES_NO_UNCERTAIN, topic="recycled_sources"),
    QuestionSpec("Q4", 39, RESPONSE_RATES_2, topic="supplier_response_rate"),
    QuestionSpec("Q5", 45, ("Yes all smelters have been provided", "No"), topic="all_smelters_identified"),
    QuestionSpec("Q6", 51, YES_NO_UNKNOWN, topic="all_smelters_validated"),
)

CMRT2_COMPANY_QUESTIONS = (
    CompanyQuestionSpec("A", 59, YES_NO, topic="policy"),
    CompanyQuestionSpec("B", 61, YES_NO, topic="policy_public", url_in_comment=True),
    CompanyQuestionSpec(
        "C",
        63,
        ("Yes", "Yes included in standard contract language", "No"),
        topic="require_conflict_free_suppliers",
    ),
    CompanyQuestionSpec(
        "D", 65, ("Yes", "No", "Planned once lists become available"), topic="require_audited_smelters"
    ),
    CompanyQuestionSpec("E", 67, YES_NO, topic="due_diligence"),
    CompanyQuestionSpec("F", 69, YES_NO, topic="supplier_survey"),
    CompanyQuestionSpec("G", 71, YES_NO, topic="request_smelter_names"),
    CompanyQuestionSpec("H", 73, VERIFY_ANSWERS, topic="review_against_expectations"),
    CompanyQuestionSpec("I", 75, YES_NO, topic="corrective_action"),
    CompanyQuestionSpec("J", 77, YES_NO, topic="annual_disclosure"),
)

# 2.02 added the "Smelter ID" column F; 2.00 and 2.01 go straight from country (E) to street (F).
CMRT2_SMELTER_COLUMNS = {
    "metal": "B",
    "lookup_name": "C",  # "Smelter Reference List"
    "name": "D",  # "Standard Smelter Names"
    "country": "E",
    "smelter_id": "F",
    "street": "G",
    "city": "H",
    "state": "I",
    "contact_name": "J",
    "contact_email": "K",
    "next_steps": "L",
    "mine_names": "M",
    "mine_countries": "N",
    "comments": "O",
}
CMRT200_SMELTER_COLUMNS = {
    # No ID column in 2.00/2.01; the 2.00 sample keeps a typed v2 smelter ID in column A, outside
    # the template's columns, and it is read there rather than lost.
    "id_input": "A",
    "metal": "B",
    "lookup_name": "C",
    "name": "D",
    "country": "E",
    "street": "F",
    "city": "G",
    "state": "H",
    "contact_name": "I",
    "contact_email": "J",
    "next_steps": "K",
    "mine_names": "L",
    "mine_countries": "M",
    "comments": "N",
}

# "Standard Smelter Names" in 2.x, header row 2: A Metal ("Gold (Au)" in 2.00-2.02), B name,
# C known aliases, D country, E v2 smelter ID (F ISO code and G a running number are not read).
LOOKUP_2_COLUMNS = {
    "metal": "A",
    "standard_name": "B",
    "known_aliases": "C",
    "country": "D",
    "smelter_id": "E",
}

CMRT2 = Layout(
    kind=TemplateKind.CMRT,
    family="CMRT 2",
    minerals=CMRT_METALS,
    company_cells=CMRT2_COMPANY,
    questions=CMRT2_QUESTIONS,
    company_questions=CMRT2_COMPANY_QUESTIONS,
    # 2.02 keeps translation tables from row 2506 of the Smelter List; data rows end at 2504.
    smelters=ListSpec("Smelter List", 5, CMRT2_SMELTER_COLUMNS, last_row=2504),
    products=PRODUCTS_3,
    lookup=ListSpec("Standard Smelter Names", 3, LOOKUP_2_COLUMNS),
    # The scope list (Declaration!B126:B129 in 2.00): A. Company Level, B. Division Level,
    # C. Product Category Level, D. Product Level. Division and category are user-defined scopes.
    scope_letters={"A": "A", "B": "C", "C": "C", "D": "B"},
)

# 2.00 / 2.01: the copyright line is at Smelter List!B1002 and translation tables follow it.
CMRT200 = replace(CMRT2, smelters=ListSpec("Smelter List", 5, CMRT200_SMELTER_COLUMNS, last_row=1001))


# --- CMRT 1.00 ------------------------------------------------------------------------------------
# No scope field; the company block starts at D7; the date is three cells (day E17, month H17,
# year J17: the input style of row 17; the day's own list validation sits on D7:J7 by mistake).
# Q1-Q5 below headers 19, 25, ... 43; company questions A-K at D51 ... D71.

CMRT1 = Layout(
    kind=TemplateKind.CMRT,
    family="CMRT 1",
    minerals=CMRT_METALS,
    company_cells={
        "name": "D7",
        "unique_id": "D8",
        "address": "D9",
        "authorizer_name": "D10",
        "authorizer_title": "D11",
        "authorizer_email": "D12",
        "authorizer_phone": "D13",
        "contact_name": "D14",
        "contact_email": "D15",
        "contact_phone": "D16",
        "effective_date": "E17",
    },
    date_parts=("E17", "H17", "J17"),
    questions=(
        QuestionSpec("Q1", 19, YES_NO, topic="necessary"),
        QuestionSpec("Q2", 25, YES_NO_UNCERTAIN, topic="covered_countries"),
        QuestionSpec("Q3", 31, YES_NO_UNCERTAIN, topic="recycled_sources"),
        QuestionSpec("Q4", 37, YES_NO, topic="all_smelters_identified"),
        QuestionSpec("Q5", 43, YES_NO_UNKNOWN, topic="all_smelters_validated"),
    ),
    company_questions=(
        CompanyQuestionSpec("A", 51, YES_NO, topic="policy"),
        CompanyQuestionSpec("B", 53, YES_NO, topic="policy_public", url_in_comment=True),
        CompanyQuestionSpec("C", 55, YES_NO, topic="require_conflict_free_suppliers"),
        CompanyQuestionSpec("D", 57, YES_NO, topic="require_audited_smelters"),
        CompanyQuestionSpec("E", 59, YES_NO, topic="due_diligence"),
        CompanyQuestionSpec("F", 61, YES_NO, topic="suppliers_all_responded"),
        CompanyQuestionSpec("G", 63, YES_NO, topic="supplier_survey"),
        CompanyQuestionSpec("H", 65, YES_NO, topic="request_smelter_names"),
        CompanyQuestionSpec("I", 67, VERIFY_ANSWERS, topic="review_against_expectations"),
        CompanyQuestionSpec("J", 69, YES_NO, topic="corrective_action"),
        CompanyQuestionSpec("K", 71, YES_NO, topic="annual_disclosure"),
    ),
    # Header in row 4, a 3-point spacer row 5, input rows 6-300 (validations B6:B300). Inputs are
    # every other column (the ones between are merged into them).
    smelters=ListSpec(
        "Smelter and Mine List",
        6,
        {
            "metal": "B",  # "Tantalum (Ta)" ...
            "name": "D",
            "tier_level": "E",
            "location": "F",  # street / city / country in one cell
            "contact_name": "H",
            "contact_email": "J",
            "conflict_free_listed": "L",
            "next_steps": "N",
            "mine_names": "P",
            "mine_countries": "R",
            "comments": "X",
        },
        last_row=300,
        raw_columns=("T", "V"),  # product category that uses the metal, additional product details
    ),
    checker_total=None,
)


# --- CMRT 4.x and 5.x: derived, not read ----------------------------------------------------------
# No 4.x or 5.x template was available. The 6.5 Revision tab says: 4.0 replaced the Standard Smelter
# Names tab with a "Smelter Reference List" tab and reworded questions; 4.1 added the smelter-ID input
# column A; 5.0 removed company question G (request smelter names), renamed the reference tab to
# "Smelter Look-up" and added the hidden standard-name column R; 6.0 added Q4 (CAHRA) and removed
# C. So 4.x is 3.x's Declaration (Q1-Q7, A-J) and 5.x has A-I, each later question moving up two
# rows. Because these are inferences, ``verified=False`` makes the reader prove them on the file:
# every question header must be where the map puts it, and no extra question may follow.

CMRT4 = Layout(
    kind=TemplateKind.CMRT,
    family="CMRT 4",
    minerals=CMRT_METALS,
    company_cells=CMRT6_COMPANY,
    questions=tuple(
        replace(q, allowed=RESPONSE_RATES_3 + RESPONSE_RATES_6, numeric={1.0: "100%"}) if q.id == "Q5" else q
        for q in CMRT3_QUESTIONS
    ),
    company_questions=tuple(
        replace(q, allowed=SURVEY_ANSWERS + YES_NO) if q.id == "F" else q for q in CMRT3_COMPANY_QUESTIONS
    ),
    smelters=ListSpec(
        "Smelter List",
        5,
        {k: v for k, v in CMRT6_SMELTER_COLUMNS.items() if k != "standard_name"},
        last_row=2504,
    ),
    products=ListSpec("Product List", 6, {"number": "B", "name": "C", "comments": "D"}),
    lookup=ListSpec("Smelter Reference List", 5, LOOKUP_6_COLUMNS, other_sheets=("Smelter Look-up",)),
    verified=False,
)

_CMRT5_TOPICS = (
    ("policy", YES_NO),
    ("policy_public", YES_NO),
    ("require_conflict_free_suppliers", YES_NO),
    ("require_audited_smelters", YES_NO),
    ("due_diligence", YES_NO),
    ("supplier_survey", SURVEY_ANSWERS + YES_NO),
    ("review_against_expectations", YES_NO),
    ("corrective_action", YES_NO),
    ("annual_disclosure", YES_NO + FILING_ANSWERS),
)

CMRT5 = replace(
    CMRT4,
    family="CMRT 5",
    company_questions=tuple(
        CompanyQuestionSpec(letter, 69 + 2 * i, allowed, topic=topic, url_in_comment=topic == "policy_public")
        for i, (letter, (topic, allowed)) in enumerate(zip("ABCDEFGHI", _CMRT5_TOPICS, strict=True))
    ),
    smelters=ListSpec("Smelter List", 5, CMRT6_SMELTER_COLUMNS, last_row=2504),
    lookup=ListSpec("Smelter Look-up", 5, LOOKUP_6_COLUMNS, other_sheets=("Smelter Reference List",)),
)

register(CMRT1, "1.00")
register(CMRT200, "2.0", "2.00", "2.01")
register(CMRT2, "2.02", "2.03", "2.03a")
register(CMRT3, "3.0", "3.00", "3.01", "3.02")
register(CMRT4, "4.0", "4.00", "4.01", "4.01a", "4.01b", "4.1", "4.10", "4.2", "4.20")
register(CMRT5, "5.0", "5.00", "5.01", "5.1", "5.10", "5.11", "5.12")
