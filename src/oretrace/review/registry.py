"""The rule registry: a plain dict keyed by code, and the context every rule reads.

A rule is one function that yields Hits (where, what, what to ask); the registry turns them into
Findings with the rule's code and severity, so a rule never states its own code twice. Rules find
answers by layout *topic* ("covered_countries"), never by question number, because the numbers
moved between CMRT 3.x and 6.x (6.0 inserted the CAHRA question as Q4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from oretrace.review.findings import Finding, Severity
from oretrace.rmi.layouts import Layout, layout_for
from oretrace.rmi.model import Answer, SmelterRow, TemplateKind, TemplateResponse

ALL_KINDS = frozenset(TemplateKind)
CMRT_ONLY = frozenset({TemplateKind.CMRT})

# The layout topics of the questions that decide whether a mineral is in scope (CMRT 6.x Q1, Q2).
INTENTIONALLY_ADDED = "intentionally_added"
REMAINS_IN_PRODUCT = "remains_in_product"


@dataclass(frozen=True)
class Hit:
    """What a rule found, before the registry adds its code and severity."""

    sheet: str | None
    cell: str | None
    message: str
    question: str
    mineral: str | None = None


@dataclass(frozen=True)
class Rule:
    """A registered check. ``title`` and each finding's message are the analyst's words ("the supplier
    does not know …"); ``for_supplier`` says the same to the supplier about its own file ("Your file
    answers “Unknown” …"), without the position or the values, which the finding shows beside it. The
    portal and the supplier's e-mails show ``for_supplier`` and the finding's question, never the
    analyst's message."""

    code: str
    severity: Severity
    title: str
    kinds: frozenset[TemplateKind]
    example: Hit  # shown in docs/checks.md
    source: str  # where the rule comes from: the template's own Checker, a validator, a vendor's help
    check: Callable[[Context], Iterable[Hit]] = field(repr=False, compare=False)
    for_supplier: str = ""

    def applies_to(self, kind: TemplateKind) -> bool:
        return kind in self.kinds

    def run(self, context: Context) -> Iterator[Finding]:
        for hit in self.check(context):
            yield self.finding(hit)

    def finding(self, hit: Hit) -> Finding:
        return Finding(
            code=self.code,
            severity=self.severity,
            sheet=hit.sheet,
            cell=hit.cell,
            message=hit.message,
            question=hit.question,
            mineral=hit.mineral,
        )


RULES: dict[str, Rule] = {}


def for_supplier(code: str | None) -> str:
    """What the rule with this code says to the supplier; "" for a code no rule has (retired)."""
    found = RULES.get(code or "")
    return found.for_supplier if found else ""


def rule(
    code: str,
    *,
    severity: Severity,
    title: str,
    example: Hit,
    source: str,
    for_supplier: str = "",
    kinds: Iterable[TemplateKind] = ALL_KINDS,
) -> Callable[[Callable[[Context], Iterable[Hit]]], Callable[[Context], Iterable[Hit]]]:
    """Register the decorated check under ``code``; a code can be registered only once."""

    def register(check: Callable[[Context], Iterable[Hit]]) -> Callable[[Context], Iterable[Hit]]:
        if code in RULES:
            raise ValueError(f"review rule {code!r} is registered twice")
        RULES[code] = Rule(
            code=code,
            severity=severity,
            title=title,
            kinds=frozenset(kinds),
            example=example,
            source=source,
            check=check,
            for_supplier=for_supplier,
        )
        return check

    return register


@dataclass(frozen=True)
class Context:
    """One response under review, with what the rules need beside it."""

    response: TemplateResponse
    layout: Layout | None
    reference: Any  # anything with .get(smelter_id) -> object with .metal (see review.reference)
    reporting_year: int | None
    today: dt.date
    minimum_version: str | None = None  # the oldest template version the inquiry asked for
    # Whom the file was sent to (review.identity.ExpectedSupplier); None: the identity rule does not run.
    expected_supplier: Any = None
    # The minerals the inquiry asks about (oretrace.rmi.minerals); None: every one the template asks about.
    minerals: tuple[str, ...] | None = None

    @classmethod
    def build(
        cls,
        response: TemplateResponse,
        *,
        reference: Any = None,
        reporting_year: int | None = None,
        minimum_version: str | None = None,
        today: dt.date | None = None,
        expected_supplier: Any = None,
        minerals: Iterable[str] | None = None,
    ) -> Context:
        from oretrace.review.reference import ReferenceIndex

        return cls(
            response=response,
            layout=layout_for(response.kind, response.version),
            reference=ReferenceIndex.build(response, reference),
            reporting_year=reporting_year,
            today=today or dt.date.today(),
            minimum_version=minimum_version,
            expected_supplier=expected_supplier,
            minerals=None if minerals is None else tuple(minerals),
        )

    # --- answers by topic ---------------------------------------------------------------------

    def question_id(self, topic: str) -> str | None:
        if self.layout is None:
            return None
        spec = self.layout.question_by_topic(topic)
        return spec.id if spec else None

    def answer(self, mineral: str, topic: str) -> Answer | None:
        question = self.question_id(topic)
        if question is None:
            return None
        return self.response.answers.get(mineral, {}).get(question)

    def value(self, mineral: str, topic: str) -> str | None:
        found = self.answer(mineral, topic)
        return found.value if found else None

    def company_question(self, topic: str) -> Answer | None:
        if self.layout is None:
            return None
        spec = next((q for q in self.layout.company_questions if q.topic == topic), None)
        if spec is None:
            return None
        return self.response.company_questions.get(spec.id)

    # --- scope ----------------------------------------------------------------------------------

    def declared_out_of_scope(self, mineral: str) -> bool:
        """Q1 or Q2 answered "No": the supplier says the mineral is not in its products."""
        return any(self.value(mineral, topic) == "No" for topic in (INTENTIONALLY_ADDED, REMAINS_IN_PRODUCT))

    def declared_in_scope(self, mineral: str) -> bool:
        """Q1 "Yes", and Q2 "Yes" where the template asks it: the mineral is in the products."""
        if self.value(mineral, INTENTIONALLY_ADDED) != "Yes":
            return False
        return (
            self.question_id(REMAINS_IN_PRODUCT) is None or self.value(mineral, REMAINS_IN_PRODUCT) == "Yes"
        )

    def smelters_for(self, mineral: str) -> tuple[SmelterRow, ...]:
        return self.response.smelters_for(mineral)

    @property
    def smelter_sheet(self) -> str:
        return self.layout.smelters.sheet if self.layout else "Smelter List"

    def smelter_column(self, field_name: str) -> str | None:
        if self.layout is None:
            return None
        return self.layout.smelters.columns.get(field_name)

    def smelter_cell(self, row: SmelterRow, field_name: str) -> str:
        """ "C12" when the layout knows the column, else "row 12"."""
        column = self.smelter_column(field_name)
        return f"{column}{row.row}" if column else f"row {row.row}"


def address_of(ref: str | None) -> tuple[str | None, str | None]:
    """("Declaration", "D8") from "Declaration!D8"; (None, None) for a cell the layout lacks."""
    if not ref or "!" not in ref:
        return None, None
    sheet, address = ref.split("!", 1)
    return sheet, address
