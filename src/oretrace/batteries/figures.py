"""Every figure the battery due-diligence report states.

The facility, survey and status figures are the Conflict Minerals Report's own (reports.figures.Facts),
computed from the same roll-up, only over Annex X's raw materials instead of the 3TG: one definition of
each figure, so this report and the CMR of the same campaign cannot disagree. The figures only this
report has (the risk actions per Annex X category, the turnover of Article 47) are defined here.
"""

from __future__ import annotations

from oretrace.batteries.categories import CATEGORIES, ROLLUP_METALS
from oretrace.batteries.inputs import BatteryInputs
from oretrace.reports.document import Figure, Source
from oretrace.reports.figures import Facts, count_text
from oretrace.risk.codes import SMELTER, SUPPLIER, annex_x_code


def euro_text(amount: int) -> str:
    return f"EUR {amount:,}"


class BatteryFacts(Facts):
    """The CMR's figures over Annex X's raw materials, and the figures of the battery settings and the
    Annex X risk actions."""

    scope_metals = ROLLUP_METALS
    scope_words = "all Annex X raw materials"

    def __init__(self, inputs: BatteryInputs):
        super().__init__(inputs.report)
        self.battery = inputs

    def supplier_kinds(self) -> list[str]:
        """The templates the suppliers answered on ("EMRT", "CRT"), as the roll-up read them."""
        kinds = {s.kind for s in self.inputs.rollup.suppliers if s.readable and s.kind}
        return sorted(kinds)

    def actions(self, category: str | None = None, *, closed: bool | None = None) -> Figure:
        """Risk actions tagged with an Annex X category (all, or one), optionally closed or still open."""
        chosen = [
            a
            for a in self.battery.actions
            if (category is None or a.category == category) and (closed is None or a.closed == closed)
        ]
        params: list[tuple[str, str]] = [("category", category)] if category else []
        if closed is not None:
            params.append(("status", "closed" if closed else "open"))
        words = CATEGORIES[category].title if category else "any Annex X category"
        state = "" if closed is None else (" closed" if closed else " still open")
        label = f"Risk register of the {self.inputs.year} inquiry: actions{state} tagged {words}"
        return Figure(len(chosen), count_text(len(chosen)), Source("risk.actions", label, tuple(params)))

    def flagged(self, category: str, subject_kind: str) -> Figure:
        """Suppliers (SUPPLIER) or facilities (SMELTER) the risk assessment flags with the category's kind."""
        assert self.battery.risk is not None  # asked only of a report written with its assessment
        code = annex_x_code(subject_kind, category)
        count = len(self.battery.risk.flagged(code))
        who = "suppliers" if subject_kind == SUPPLIER else "facilities"
        label = (
            f"Risk assessment of {self.battery.risk.as_of.isoformat()}: {who} flagged "
            f"{CATEGORIES[category].title}"
        )
        return Figure(count, count_text(count), Source("risk.flags", label, (("flag", code),)))

    def flagged_categories(self) -> list[str]:
        """The categories the risk assessment flags any supplier or facility with, in Annex X's order."""
        return [c for c in CATEGORIES if any(self.flagged(c, k).value for k in (SUPPLIER, SMELTER))]

    def turnover(self, which: str) -> Figure | None:
        """The net turnover ("company") or group turnover ("group") as the settings state it."""
        turnover = self.battery.settings.turnover
        value = turnover.net_turnover_eur if which == "company" else turnover.group_turnover_eur
        if value is None:
            return None
        words = "net turnover" if which == "company" else "consolidated turnover of the group"
        source = Source(
            "settings.turnover",
            f"Report settings: {words} in the financial year preceding the last, as stated",
            (("of", which),),
        )
        return Figure(value, euro_text(value), source)
