"""The online form's steps, and which findings belong to each.

A step shows the findings on the cells it asks for, so a supplier sees, next to the questions it is
answering, what the review says about them. Findings about the file as a whole (no cell, or the
Checker tab) belong to the last step, where the whole review is shown before submitting.

Which steps a template has follows from its layout: the AMRT asks no company questions, only the
EMRT 2.x and the AMRT have a Mine List, and where minerals are picked (EMRT 2.x, AMRT) the scope step
asks for them too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from oretrace.review.findings import Finding
from oretrace.rmi.layouts import Layout

# The company block's cells that the scope step asks for instead of the company step.
SCOPE_FIELDS = ("declaration_scope", "scope_description")


@dataclass(frozen=True)
class Step:
    slug: str  # in the address: /p/<token>/online/<slug>/
    sheet: str | None  # the sheet whose findings it shows; None: every finding (the review step)
    whole_sheet: bool = False  # every finding on ``sheet``, not only those on ``cells(layout)``

    def cells(self, layout: Layout) -> frozenset[str]:
        """The Declaration addresses this step asks for (empty for a list sheet)."""
        if self.slug == "company":
            return frozenset(a for f, a in layout.company_cells.items() if f not in SCOPE_FIELDS)
        if self.slug == "scope":
            scope = [layout.company_cells[f] for f in SCOPE_FIELDS if f in layout.company_cells]
            return frozenset([*scope, *layout.mineral_selection_cells, *layout.mineral_other_cells])
        if self.slug == "minerals":
            per_question = layout.mineral_rows or len(layout.minerals)
            rows = [q.header_row + 1 + i for q in layout.questions for i in range(per_question)]
        elif self.slug == "questions":
            rows = [q.row + i for q in layout.company_questions for i in range(max(q.per_mineral_rows, 1))]
        else:
            return frozenset()
        return frozenset(
            f"{column}{row}" for row in rows for column in (layout.answer_column, layout.comment_column)
        )

    def covers(self, finding: Finding, layout: Layout) -> bool:
        if self.sheet is None:
            return True
        if finding.sheet != self.sheet:
            return False
        return self.whole_sheet or finding.cell in self.cells(layout)


STEPS = (
    Step("company", "Declaration"),
    Step("scope", "Declaration"),
    Step("minerals", "Declaration"),
    Step("questions", "Declaration"),
    Step("smelters", "Smelter List", whole_sheet=True),
    Step("mines", "Mine List", whole_sheet=True),
    Step("products", "Product List", whole_sheet=True),
    Step("review", None),
)


def steps_for(layout: Layout) -> tuple[Step, ...]:
    """The steps of the form for a template with ``layout``, in order."""
    left_out = set()
    if not layout.company_questions:
        left_out.add("questions")
    if layout.mines is None:
        left_out.add("mines")
    if layout.products is None:
        left_out.add("products")
    return tuple(step for step in STEPS if step.slug not in left_out)


def step_named(slug: str, layout: Layout | None = None) -> Step | None:
    """The step called ``slug``; with ``layout``, only one that template has."""
    return next((step for step in (steps_for(layout) if layout else STEPS) if step.slug == slug), None)


def findings_for_step(findings: Iterable[Finding], step: Step, layout: Layout) -> list[Finding]:
    return [finding for finding in findings if step.covers(finding, layout)]
