"""Every figure the reports print, computed once from the inputs with its source, and the filling of
narrative placeholders with those figures.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from oretrace.errors import BadInput
from oretrace.reports.document import Figure, Paragraph, Run, Source
from oretrace.reports.inputs import PLACEHOLDERS, SECTIONS, ReportInputs, YearFigures
from oretrace.rollup.countries import country_name
from oretrace.rollup.model import COVERED_COUNTRIES, SmelterSummary
from oretrace.smelters.sample import is_sample
from oretrace.survey import FIGURES, REVIEW_FIGURES

# Rule 13p-1 covers tin, tantalum, tungsten and gold only; a roll-up of EMRTs may also hold cobalt or
# mica facilities, which have no place in a Conflict Minerals Report. CMRT order: Ta, Sn, W, Au.
METALS = ("Tantalum", "Tin", "Tungsten", "Gold")

# Audit statuses in the order a reader expects them, best first; the words are
# oretrace.smelters.status.AuditStatus values, "Unknown" where no status list gave one.
STATUS_ORDER = (
    "Conformant",
    "Cross-Recognized",
    "Compliant",
    "Active",
    "Progressing",
    "Non-Conformant",
    "Suspended",
    "Not enrolled",
    "Unknown",
)
# RMI treats cross-recognised standards (LBMA, RJC) as equivalent, and the 2014 "Compliant" is the same
# finding under its older name (as AuditStatus.counts_as_conformant).
CONFORMANT_STATUSES = frozenset({"Conformant", "Cross-Recognized", "Compliant"})


def whole_percent(share: float) -> str:
    # Half-up, as readers round: 0.965 is "97%", not the banker's "96%".
    return f"{Decimal(str(share * 100)).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"


def count_text(n: int) -> str:
    return f"{n:,}"


def metal_of(smelter: SmelterSummary, metals: tuple[str, ...] = METALS) -> str | None:
    """The facility's metal as the report names it, or None when the report does not cover it."""
    for metal in metals:
        if smelter.metal.strip().lower() == metal.lower():
            return metal
    return None


def status_of(smelter: SmelterSummary) -> str:
    return smelter.audit_status or "Unknown"


def ordered_statuses(statuses: set[str]) -> list[str]:
    known = [s for s in STATUS_ORDER if s in statuses]
    return known + sorted(statuses - set(STATUS_ORDER))


def covered_countries_text() -> str:
    names = [
        ("the " + c if c.split()[0] in {"Democratic", "Republic", "Central"} else c)
        for c in COVERED_COUNTRIES
    ]
    return ", ".join(names[:-1]) + " and " + names[-1]


class Facts:
    """The figures of one report, each with its source, computed from one ReportInputs."""

    # The metals a report covers and how a source names them all: the Conflict Minerals Report the 3TG;
    # the battery due-diligence report (oretrace.batteries.figures) Annex X's raw materials.
    scope_metals: tuple[str, ...] = METALS
    scope_words = "all 3TG"

    def __init__(self, inputs: ReportInputs):
        self.inputs = inputs
        rollup = inputs.rollup
        self.smelters = tuple(s for s in rollup.smelters if self.metal_of(s) is not None)
        self.unidentified = tuple(
            u for u in rollup.unidentified if u.metal is None or self.metal_of_name(u.metal) is not None
        )
        self.generated = f"{rollup.generated_at:%Y-%m-%d}"

    def metal_of(self, smelter: SmelterSummary) -> str | None:
        return metal_of(smelter, self.scope_metals)

    def metal_of_name(self, name: str) -> str | None:
        """A metal as a supplier's row names it ("Tin", "cobalt"), as this report names it."""
        for metal in self.scope_metals:
            if name.strip().lower() == metal.lower():
                return metal
        return None

    @property
    def statuses_known(self) -> bool:
        """Whether any identified facility has an audit status from a list: without one, "conformant"
        cannot be said of any, and a share of 0% would be a claim the data does not make."""
        return any(s.audit_status for s in self.smelters)

    @property
    def reference_is_sample(self) -> bool:
        """Whether the facilities were matched against a sample of RMI's list rather than RMI's list."""
        return is_sample(self.inputs.rollup.reference_release)

    def reference_words(self) -> tuple[Run, ...]:
        """The reference list the names were matched against, as the report names it: its release is a
        figure of the roll-up (it holds digits, and a reader checks it on the reference data page)."""
        release = self.inputs.rollup.reference_release
        if not release:
            return ("the smelter reference list we used",)
        named = Figure(
            release, release, self.rollup_source("rollup.reference", "the smelter reference list used")
        )
        if self.reference_is_sample:
            return ("the sample of RMI's smelter list we used (", named, "), not RMI's full list")
        return ("RMI's smelter list (", named, ")")

    def rollup_source(self, key: str, words: str, params: tuple[tuple[str, str], ...] = ()) -> Source:
        return Source(key, f"Roll-up of {self.generated}: {words}", params)

    # the survey and settings -----------------------------------------------------------------

    def survey(self, name: str) -> Figure | None:
        """A survey figure (oretrace.survey.FIGURES) or a review figure (REVIEW_FIGURES); None when this
        run does not know it (a folder of files keeps no reminders)."""
        value = self.inputs.survey.value(name)
        if value is None:
            return None
        if name in FIGURES:
            label = f"Survey: {FIGURES[name].definition[0].lower()}{FIGURES[name].definition[1:].rstrip('.')}"
            if name == "surveyed" and self.inputs.survey.surveyed_is_stated:
                label = "Report settings: the number of suppliers surveyed, as stated (no list names them)"
            return Figure(value, count_text(value), Source(f"survey.{name}", label))
        definition = REVIEW_FIGURES[name].definition
        return Figure(
            value,
            count_text(value),
            Source(f"review.{name}", f"Review: {definition[0].lower()}{definition[1:].rstrip('.')}"),
        )

    def known(self, name: str) -> Figure:
        """A survey figure this document relies on being known."""
        figure = self.survey(name)
        if figure is None:
            raise ValueError(f"{name} is not known for this report")
        return figure

    def response_rate(self) -> Figure:
        c = self.inputs.survey
        return Figure(
            c.response_rate,
            whole_percent(c.response_rate),
            Source(
                "survey.response_rate",
                f"Survey: {c.responded} of {c.surveyed} suppliers surveyed responded",
            ),
        )

    def supply_chain(self, name: str) -> Figure:
        value = getattr(self.inputs.supply_chain, name)
        words = name.replace("_", " ")
        return Figure(value, count_text(value), Source(f"supply_chain.{name}", f"Report settings: {words}"))

    # roll-up ----------------------------------------------------------------------------------

    def supplier_files(self, readable: bool | None = None) -> Figure:
        files = self.inputs.rollup.suppliers
        n_readable = sum(1 for s in files if s.readable)
        label = f"Roll-up of {self.generated}: {n_readable} of {len(files)} supplier files readable"
        if readable is None:
            return Figure(len(files), count_text(len(files)), Source("rollup.suppliers", label))
        value = n_readable if readable else len(files) - n_readable
        return Figure(
            value, count_text(value), Source("rollup.suppliers", label, (("readable", _yes(readable)),))
        )

    def facilities(self, *, metal: str | None = None, status: str | None = None, **flags: bool) -> Figure:
        """Identified 3TG facilities, filtered by metal, audit status, conformant, covered_country, cahra."""
        chosen = [s for s in self.smelters if metal is None or self.metal_of(s) == metal]
        if status is not None:
            chosen = [s for s in chosen if status_of(s) == status]
        if "conformant" in flags:
            chosen = [s for s in chosen if (status_of(s) in CONFORMANT_STATUSES) == flags["conformant"]]
        for flag in ("covered_country", "cahra"):
            if flag in flags:
                chosen = [s for s in chosen if getattr(s, flag) == flags[flag]]
        params = [("metal", metal)] if metal else []
        if status is not None:
            params.append(("status", status))
        params.extend((k, _yes(v)) for k, v in flags.items())
        words = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in params) or self.scope_words
        source = Source(
            "rollup.smelters", f"Roll-up of {self.generated}: identified facilities ({words})", tuple(params)
        )
        return Figure(len(chosen), count_text(len(chosen)), source)

    def conformant_share(self, metal: str | None = None) -> Figure:
        total = self.facilities(metal=metal).value
        conformant = self.facilities(metal=metal, conformant=True).value
        share = conformant / total if total else 0.0
        params = (("metal", metal),) if metal else ()
        label = (
            f"Roll-up of {self.generated}: {conformant} of {total} identified facilities"
            f"{' for ' + metal if metal else ''} conformant or cross-recognized"
        )
        return Figure(
            share, whole_percent(share), Source("rollup.smelters", label, (*params, ("share", "conformant")))
        )

    def unidentified_names(self, metal: str | None = None) -> Figure:
        chosen = [u for u in self.unidentified if metal is None or self.metal_of_name(u.metal or "") == metal]
        params = (("metal", metal),) if metal else ()
        label = f"Roll-up of {self.generated}: smelter names matching no known facility"
        return Figure(len(chosen), count_text(len(chosen)), Source("rollup.unidentified", label, params))

    def country_count(self, country: str, metal: str | None) -> Figure:
        chosen = [
            s
            for s in self.smelters
            if (s.country or "Unknown") == country and (metal is None or self.metal_of(s) == metal)
        ]
        params = ((("metal", metal),) if metal else ()) + (("country", country),)
        label = f"Roll-up of {self.generated}: identified facilities located in {country}"
        return Figure(len(chosen), count_text(len(chosen)), Source("rollup.smelters", label, params))

    def countries(self) -> list[str]:
        counts = Counter(s.country or "Unknown" for s in self.smelters)
        return sorted(counts, key=lambda c: (-counts[c], c))

    # the Mine Lists (EMRT 2.x, AMRT): a mine's country is where the mineral was extracted ----------

    def mines(self) -> Figure:
        count = len(self.inputs.rollup.mines)
        label = f"Roll-up of {self.generated}: mines of the suppliers' Mine Lists, each once per mineral"
        return Figure(count, count_text(count), Source("rollup.mines", label))

    def mine_country_count(self, country: str) -> Figure:
        """Mines of the suppliers' Mine Lists in ``country``, however it is spelled ("CHINA", "China"):
        the roll-up keeps a mine's country by its ISO name."""
        named = country_name(country) or country
        count = sum(1 for m in self.inputs.rollup.mines if (m.country or "Unknown") == named)
        label = f"Roll-up of {self.generated}: mines of the suppliers' Mine Lists located in {named}"
        return Figure(count, count_text(count), Source("rollup.mines", label, (("country", named),)))

    def mine_countries(self) -> list[str]:
        """The countries of the Mine Lists' mines, the most mines first."""
        counts = Counter(m.country or "Unknown" for m in self.inputs.rollup.mines)
        return sorted(counts, key=lambda c: (-counts[c], c))

    def statuses(self) -> list[str]:
        return ordered_statuses({status_of(s) for s in self.smelters})

    def metals(self) -> list[str]:
        present = {self.metal_of(s) for s in self.smelters}
        return [m for m in self.scope_metals if m in present]

    def status_as_of(self) -> Figure | None:
        """The date of the newest audit-status list the roll-up used, or None when it used none."""
        dates = [s.status_as_of for s in self.smelters if s.status_as_of is not None]
        if not dates:
            return None
        newest = max(dates)
        lists = ", ".join(self.inputs.rollup.status_lists) or "RMI facility lists"
        return Figure(
            newest.isoformat(),
            f"{newest:%B} {newest.day}, {newest.year}",
            self.rollup_source(
                "rollup.smelters", f"audit statuses from {lists}", (("field", "status_as_of"),)
            ),
        )

    # year over year ---------------------------------------------------------------------------

    def current_year(self) -> YearFigures:
        c = self.inputs.survey
        return YearFigures(
            year=self.inputs.year,
            surveyed=c.surveyed,
            responded=c.responded,
            smelters_identified=self.facilities().value,
            conformant_smelters=self.facilities(conformant=True).value,
            covered_country_smelters=self.facilities(covered_country=True).value,
        )

    def history(self, year: YearFigures, field: str) -> Figure:
        value = getattr(year, field)
        text = whole_percent(value) if field in {"response_rate", "conformant_share"} else count_text(value)
        words = field.replace("_", " ")
        source = Source(
            "history",
            f"Report settings: {words} reported for {year.year}",
            (("year", str(year.year)), ("field", field)),
        )
        return Figure(value, text, source)

    # placeholders -----------------------------------------------------------------------------

    def placeholder_values(self) -> dict[str, str | Figure | None]:
        org = self.inputs.organisation
        return {
            "organisation": org.name,
            "website": org.website,
            "policy_url": org.policy_url or org.website,
            "year": str(self.inputs.year),
            "period": self.inputs.period,
            "covered_countries": covered_countries_text(),
            **{key: self.survey(key) for key in FIGURES},
            "response_rate": self.response_rate(),
            "direct_suppliers": self.supply_chain("direct_suppliers"),
            "indirect_suppliers": self.supply_chain("indirect_suppliers"),
            "smelters_identified": self.facilities(),
            "conformant_share": self.conformant_share(),
            "covered_country_facilities": self.facilities(covered_country=True),
            "unidentified_names": self.unidentified_names(),
        }

    def fill(self, text: str, where: str) -> tuple[Paragraph, ...]:
        """A narrative text as paragraphs (split at blank lines), placeholders replaced by figures."""
        values = self.placeholder_values()
        paragraphs = []
        for chunk in re.split(r"\n\s*\n", text.strip()):
            runs: list[Run] = []
            try:
                parsed = list(string.Formatter().parse(" ".join(chunk.split())))
            except ValueError as exc:
                raise BadInput(
                    f"The text of {where!r} has an unmatched brace ({exc}); write {{{{ or }}}} for a literal brace."
                ) from exc
            for literal, name, spec, conversion in parsed:
                if literal:
                    runs.append(literal)
                if name is None:
                    continue
                if name not in PLACEHOLDERS or conversion:
                    raise BadInput(
                        f"The text of {where!r} uses {{{name}}}, which is not a placeholder; "
                        f"use one of: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}."
                    )
                value = values[name]
                if value is None:
                    where_from = (
                        "this run does not count" if name in FIGURES else "the organisation settings have no"
                    )
                    raise BadInput(
                        f"The text of {where!r} uses {{{name}}}, but {where_from} {PLACEHOLDERS[name]}; "
                        "add it or change the text."
                    )
                runs.extend(_with_noun(value, spec, name, where))
            paragraphs.append(Paragraph(tuple(_merge(runs))))
        return tuple(paragraphs)

    def section(self, key: str) -> tuple[Paragraph, ...]:
        titles = {spec.key: spec.title for spec in SECTIONS}
        return self.fill(self.inputs.section_text(key), titles[key])


def plural(figure: Figure, singular: str, plural_form: str, *, none: str | None = None) -> str:
    """The form that agrees with the figure; ``none`` for a zero written "none" ("none was")."""
    if figure.value == 0 and none is not None:
        return none
    return singular if figure.value == 1 else plural_form


def counted(figure: Figure, singular: str, plural_form: str) -> tuple[Run, ...]:
    """ "1 supplier", "260 suppliers": a count with its noun in the number it takes."""
    return (figure, " " + plural(figure, singular, plural_form))


def _with_noun(value, spec: str, name: str, where: str) -> tuple[Run, ...]:
    """A placeholder's runs: the value, and for {name:singular|plural} the noun that agrees with it."""
    if not spec:
        return (value,)
    singular, bar, plural_form = spec.partition("|")
    if not bar or not isinstance(value, Figure) or not isinstance(value.value, int):
        raise BadInput(
            f"The text of {where!r} uses {{{name}:{spec}}}; only a count takes a noun, written "
            f"{{{name}:singular|plural}} (e.g. {{surveyed:supplier|suppliers}})."
        )
    return counted(value, singular.strip(), plural_form.strip())


def natural_key(text: str) -> tuple:
    """ "Company 2" before "Company 10", as a reader expects."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text))


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if isinstance(run, str) and merged and isinstance(merged[-1], str):
            # "Norland Instruments, Inc." at the end of a sentence must not end it twice.
            if merged[-1].endswith(".") and run.startswith("."):
                run = run[1:]
            merged[-1] += run
        else:
            merged.append(run)
    return merged


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
