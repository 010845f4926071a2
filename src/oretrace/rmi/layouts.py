"""Where each template version keeps each answer: cell maps as data, one per template family.

The addresses come from RMI's own templates, opened and read (see the project's domain notes,
templates.md section 1). Labels are never used to find a cell: they are formulas that follow the
language chosen in Declaration!D3, and RMI saves its templates with Chinese labels.

This module holds the shared types, the CMRT 6.x map and the registry; older CMRT versions live in
``layouts_cmrt.py`` and the EMRT, CRT and AMRT in ``layouts_extended.py``.

Topics: ``QuestionSpec.topic`` and ``CompanyQuestionSpec.topic`` name what a question asks in words
that stay the same across kinds and versions, so that a review rule written once works on a CMRT 3.01
and an EMRT 2.1 alike. The names in use are listed in ``QUESTION_TOPICS`` and ``COMPANY_TOPICS``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from oretrace.rmi.model import TemplateKind
from oretrace.rmi.sheets import column_index

YES_NO = ("Yes", "No")
YES_NO_UNKNOWN = ("Yes", "No", "Unknown")
CMRT_METALS = ("Tantalum", "Tin", "Gold", "Tungsten")

# CMRT 6.x Q6. In 6.01-6.22 the list cell holds the number 1 formatted as a percentage.
RESPONSE_RATES_6 = ("100%", "Greater than 90%", "Greater than 75%", "Greater than 50%", "50% or less", "None")
# CMRT 3.x Q5 (and its 2.x / 4.x / 5.x siblings): the same question with older wording.
RESPONSE_RATES_3 = (
    "Yes, 100%",
    "No, but greater than 75%",
    "No, but greater than 50%",
    "No, but greater than 25%",
    "No, but less than 25%",
    "None",
)
SURVEY_ANSWERS = ("Yes, in conformance with IPC1755 (e.g., CMRT)", "Yes, using other format (describe)", "No")
FILING_ANSWERS = ("Yes, with the SEC", "Yes, with the EU", "Yes, with the SEC and the EU", "No")


# What each per-mineral question asks, named once for every kind and version.
QUESTION_TOPICS = {
    "intentionally_added": "Is the mineral intentionally added or used in the product or its production?",
    "necessary": "Is the metal necessary to the functionality or production of the product? (CMRT 1.00-2.x)",
    "remains_in_product": "Does the mineral remain in (is it contained in) the product?",
    "covered_countries": "Does it originate from the DRC or an adjoining (covered) country?",
    "cahra": "Is it sourced from conflict-affected and high-risk areas?",
    "all_recycled": "Does 100 percent of it come from recycled or scrap sources?",
    "recycled_sources": "Does it come from recycled or scrap sources at all? (CMRT 1.00-2.x)",
    "supplier_response_rate": "How many relevant suppliers responded? Allowed values run from all to none.",
    "all_smelters_identified": "Have all smelters supplying it been identified?",
    "all_smelters_reported": "Has all smelter information received been reported in this declaration?",
    "all_smelters_validated": "Are all smelters validated as conflict-free (on the CFS list)? (CMRT 1.00-2.x)",
}
# What each company-level question asks.
COMPANY_TOPICS = {
    "policy": "Has the company a (responsible / conflict) minerals sourcing policy?",
    "policy_public": "Is the policy publicly available on the website? (URL in the comment)",
    "policy_covers_annex_ii": "Does the policy cover the OECD Annex II risks and child labour? (CRT)",
    "require_conflict_free_suppliers": "Does it require direct suppliers to be DRC conflict-free? (CMRT 1-5)",
    "require_audited_smelters": "Does it require suppliers to source from independently audited smelters?",
    "require_supplier_due_diligence": "Does it require suppliers to exercise OECD due diligence? (CRT)",
    "require_supplier_annex_ii": "Must suppliers' due diligence cover the Annex II risks? (CRT)",
    "due_diligence": "Has it implemented due diligence measures?",
    "suppliers_all_responded": "Has it completed templates from all its suppliers? (CMRT 1.00)",
    "supplier_survey": "Does it survey its relevant suppliers (with this template)?",
    "request_smelter_names": "Does it request smelter names from its suppliers? (CMRT 1-4)",
    "review_against_expectations": "Does it review (verify) suppliers' due diligence information?",
    "corrective_action": "Does its review process include corrective action management?",
    "annual_disclosure": "Is it subject to (must it file) an annual conflict minerals disclosure (SEC / EU)?",
}


@dataclass(frozen=True)
class QuestionSpec:
    """A per-mineral question: its header row; answers follow, one row per mineral."""

    id: str
    header_row: int
    allowed: tuple[str, ...]
    numeric: dict[float, str] | None = None
    topic: str = ""  # a stable, language-free name the review rules use: "intentionally_added", ...
    # The minerals the question asks about when not all of them (EMRT 1.x Q4 asks about cobalt only).
    minerals: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompanyQuestionSpec:
    id: str
    row: int
    allowed: tuple[str, ...]
    topic: str = ""
    url_in_comment: bool = False  # CMRT 6.x B: "specify the URL in the comment field"
    per_mineral_rows: int = 0  # EMRT C: one answer row per mineral from ``row`` on, below its header

    @property
    def header_row(self) -> int:
        """The row whose column B holds the question ("C. Do you require ..."): the answers' own row,
        or the row above the first per-mineral answer."""
        return self.row - 1 if self.per_mineral_rows else self.row


@dataclass(frozen=True)
class ListSpec:
    """A list sheet (smelters, products, mines, look-up): where data starts and which column is what."""

    sheet: str
    first_row: int
    columns: dict[str, str]
    last_row: int | None = None  # rows past this hold the copyright footer, not data
    numeric_zero_is_blank: bool = True
    # Sheet names this list may go by, tried in order after ``sheet`` (CMRT 5.0 renamed the
    # "Smelter Reference List" tab to "Smelter Look-up").
    other_sheets: tuple[str, ...] = ()
    # Columns kept only in a row's ``raw`` (CMRT 1.00's product category and details per smelter).
    raw_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    kind: TemplateKind
    family: str
    minerals: tuple[str, ...]
    company_cells: dict[str, str]
    questions: tuple[QuestionSpec, ...]
    company_questions: tuple[CompanyQuestionSpec, ...]
    smelters: ListSpec
    products: ListSpec | None = None
    mines: ListSpec | None = None
    lookup: ListSpec | None = None
    answer_column: str = "D"
    comment_column: str = "G"
    checker_total: str | None = "D2"
    # EMRT 2.x / AMRT select their minerals in cells; unselected ones read "(Delete X)".
    mineral_selection_cells: tuple[str, ...] = ()
    # AMRT 1.3: the cell holding the name when the matching selection cell reads "Other [specify below]".
    mineral_other_cells: tuple[str, ...] = ()
    # AMRT 1.3: the minerals the selection cells' drop-down offers; any other is picked as "Other".
    mineral_choices: tuple[str, ...] = ()
    mineral_rows: int = 0  # rows per question when minerals are selected (EMRT 2.x: 10)
    notes: tuple[str, ...] = field(default_factory=tuple)
    # The version's own scope letters mapped to the model's (CMRT 2.x "D. Product Level" is B).
    scope_letters: dict[str, str] | None = None
    # CMRT 1.00 asks for the date in three cells: day, month name, year.
    date_parts: tuple[str, str, str] | None = None
    # How a smelter identified by CID is entered in the Smelter List: "id" types the CID in the input
    # column A and the row's formulas fill in the rest from the look-up (CMRT 6.x, EMRT, AMRT 1.3);
    # "typed" writes every column as a value (CRT 2.2 and AMRT 1.2 have no such formulas).
    smelter_entry: str = "id"
    # False for a map derived from the revision notes rather than read from a template (CMRT 4.x,
    # 5.x): the reader then requires every question header to be where the map expects it.
    verified: bool = True

    def question(self, question_id: str) -> QuestionSpec | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def question_by_topic(self, topic: str) -> QuestionSpec | None:
        return next((q for q in self.questions if q.topic == topic), None)


# --- CMRT 6.01 - 6.5 ------------------------------------------------------------------------

CMRT6_COMPANY = {
    "name": "D8",
    "declaration_scope": "D9",
    "scope_description": "D10",
    "unique_id": "D12",
    "unique_id_authority": "D13",
    "address": "D14",
    "contact_name": "D15",
    "contact_email": "D16",
    "contact_phone": "D17",
    "authorizer_name": "D18",
    "authorizer_title": "D19",
    "authorizer_email": "D20",
    "authorizer_phone": "D21",
    "effective_date": "D22",
}

CMRT6_SMELTER_COLUMNS = {
    "id_input": "A",
    "metal": "B",
    "lookup_name": "C",
    "name": "D",
    "country": "E",
    "smelter_id": "F",
    "id_source": "G",
    "street": "H",
    "city": "I",
    "state": "J",
    "contact_name": "K",
    "contact_email": "L",
    "next_steps": "M",
    "mine_names": "N",
    "mine_countries": "O",
    "recycled_or_scrap": "P",
    "comments": "Q",
    "standard_name": "R",
}

LOOKUP_6_COLUMNS = {
    "metal": "A",
    "alias": "B",
    "standard_name": "C",
    "country": "D",
    "smelter_id": "E",
    "source": "F",
    "street": "G",
    "city": "H",
    "state": "I",
}

CMRT6 = Layout(
    kind=TemplateKind.CMRT,
    family="CMRT 6",
    minerals=CMRT_METALS,
    company_cells=CMRT6_COMPANY,
    questions=(
        QuestionSpec("Q1", 25, YES_NO, topic="intentionally_added"),
        QuestionSpec("Q2", 31, YES_NO, topic="remains_in_product"),
        QuestionSpec("Q3", 37, YES_NO_UNKNOWN, topic="covered_countries"),
        QuestionSpec("Q4", 43, YES_NO_UNKNOWN, topic="cahra"),
        QuestionSpec("Q5", 49, YES_NO_UNKNOWN, topic="all_recycled"),
        QuestionSpec("Q6", 55, RESPONSE_RATES_6, numeric={1.0: "100%"}, topic="supplier_response_rate"),
        QuestionSpec("Q7", 61, YES_NO, topic="all_smelters_identified"),
        QuestionSpec("Q8", 67, YES_NO, topic="all_smelters_reported"),
    ),
    company_questions=(
        CompanyQuestionSpec("A", 75, YES_NO, topic="policy"),
        CompanyQuestionSpec("B", 77, YES_NO, topic="policy_public", url_in_comment=True),
        CompanyQuestionSpec("C", 79, YES_NO, topic="require_audited_smelters"),
        CompanyQuestionSpec("D", 81, YES_NO, topic="due_diligence"),
        CompanyQuestionSpec("E", 83, SURVEY_ANSWERS, topic="supplier_survey"),
        CompanyQuestionSpec("F", 85, YES_NO, topic="review_against_expectations"),
        CompanyQuestionSpec("G", 87, YES_NO, topic="corrective_action"),
        CompanyQuestionSpec("H", 89, FILING_ANSWERS, topic="annual_disclosure"),
    ),
    smelters=ListSpec("Smelter List", 5, CMRT6_SMELTER_COLUMNS, last_row=2504),
    products=ListSpec("Product List", 6, {"number": "B", "name": "C", "comments": "D"}, last_row=2005),
    lookup=ListSpec("Smelter Look-up", 5, LOOKUP_6_COLUMNS),
)

LAYOUTS: dict[tuple[TemplateKind, str], Layout] = {}


def register(layout: Layout, *versions: str) -> Layout:
    for version in versions:
        LAYOUTS[(layout.kind, version)] = layout
    return layout


register(CMRT6, "6.0", "6.01", "6.1", "6.2", "6.21", "6.22", "6.3", "6.31", "6.4", "6.5")


def layout_for(kind: TemplateKind, version: str) -> Layout | None:
    _load_other_families()
    return LAYOUTS.get((kind, version))


def supported_versions(kind: TemplateKind) -> list[str]:
    _load_other_families()
    return sorted((v for k, v in LAYOUTS if k == kind), key=version_key)


@functools.cache
def sheets_read(*, with_lookup: bool = True) -> frozenset[str]:
    """Every sheet name some layout reads, as ``open_workbook(sheets=…)`` wants them."""
    _load_other_families()
    names = {"Declaration", "Checker"}
    for layout in LAYOUTS.values():
        for spec in (layout.smelters, layout.products, layout.mines, with_lookup and layout.lookup):
            if spec:
                names.update((spec.sheet, *spec.other_sheets))
    return frozenset(names)


@functools.cache
def list_columns_read() -> dict[str, int]:
    """For each sheet the layouts read only as a list (smelters, products, mines, look-up), how many
    leading columns any layout reads there (1 = A), as ``open_workbook(columns_read=…)`` wants them.
    Sheets also read cell by cell (Declaration, Checker) are not listed."""
    _load_other_families()
    widest: dict[str, int] = {}
    for layout in LAYOUTS.values():
        for spec in (layout.smelters, layout.products, layout.mines, layout.lookup):
            if spec is None:
                continue
            letters = (*spec.columns.values(), *spec.raw_columns)
            columns = max(column_index(letter) + 1 for letter in letters)
            for sheet in (spec.sheet, *spec.other_sheets):
                widest[sheet] = max(widest.get(sheet, 0), columns)
    for sheet in ("Declaration", "Checker"):
        widest.pop(sheet, None)
    return widest


def version_key(version: str) -> tuple:
    """Sort key for RMI version strings such as 2.03a, 6.1, 6.22 (6.1 sorts before 6.22)."""
    letter = version[-1] if version[-1:].isalpha() else ""
    major, _, minor = version.rstrip("abcdefghijklmnopqrstuvwxyz").partition(".")
    # RMI's minor numbers are decimals: 6.1 < 6.22 < 6.3, so compare them as fractions.
    return (int(major) if major.isdigit() else 0, float(f"0.{minor}") if minor.isdigit() else 0.0, letter)


def _load_other_families() -> None:
    """Register the older CMRT and the EMRT / CRT / AMRT maps, which import this module's types."""
    from oretrace.rmi import layouts_cmrt, layouts_extended  # noqa: F401  (registering is the import)
