"""The one-page risk summary for senior management (OECD DDG Step 3, A: "report findings of the supply chain
risk assessment to the designated senior management"), as HTML, PDF and XLSX.

The page answers what a VP asks: how many suppliers answered, how many suppliers and smelters are high
risk and why, and what is being done about them. The PDF goes the way the Conflict Minerals Report does
(oretrace.reports.render_pdf): self-contained HTML laid out by WeasyPrint, with nothing loaded from the
network. It is one page by design: when the top risks do not fit, the list is shortened and the page
says how many more are in the risk register. Names stored before the reader cleaned supplier text may
hold characters XML cannot; every format drops them (oretrace.xmltext), the XLSX through oretrace.tabular.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from oretrace.errors import BadInput
from oretrace.reports.figures import whole_percent
from oretrace.risk.actions import actions_for
from oretrace.risk.assess import RiskAssessment, RiskRating
from oretrace.risk.codes import FLAG_KINDS
from oretrace.smelters.status import parse_status
from oretrace.survey import FIGURES
from oretrace.tabular import Table, to_xlsx
from oretrace.xmltext import xml_safe

FORMATS = {
    "html": ("text/html", ".html"),
    "pdf": ("application/pdf", ".pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}
TOP_RISKS = 8
FLAG_KINDS_SHOWN = 6
ACTIONS_PER_RISK = 2


@dataclass(frozen=True)
class OpenAction:
    """A register entry as the summary shows it; ``key`` is the RiskRating.key it belongs to."""

    key: str
    what: str
    owner: str
    due: dt.date | None
    status: str = "Open"


@dataclass(frozen=True)
class ManagementSummary:
    """The figures and rows of the page, computed once for every format."""

    title: str
    organisation: str | None
    year: int | None
    assessment: RiskAssessment
    top: tuple[RiskRating, ...]
    actions: dict[str, tuple[OpenAction, ...]]  # RiskRating.key -> its open actions
    actions_suggested: bool  # True when no register was given and the standard responses are shown
    more_risks: int  # subjects rated medium or high that are not in ``top``

    @property
    def smelters_conformant(self) -> int:
        return sum(
            n for status, n in self.assessment.smelters_by_status().items() if _counts_as_conformant(status)
        )

    def headline(self) -> list[tuple[str, str]]:
        """(label, value) of the headline figures, in the order the page and the workbook show them."""
        a = self.assessment
        rate = whole_percent(a.response_rate) if a.response_rate is not None else "n/a"
        suppliers, smelters = a.supplier_counts(), a.smelter_counts()
        total = len(a.smelters)
        conformant = self.smelters_conformant
        return [
            ("Suppliers surveyed", str(a.survey.surveyed)),
            ("Suppliers responded", f"{a.survey.responded} ({rate})"),
            ("Suppliers declined (nothing to report)", str(a.survey.declined)),
            ("High-risk suppliers", str(suppliers["high"])),
            ("Medium-risk suppliers", str(suppliers["medium"])),
            ("Low-risk suppliers", str(suppliers["low"])),
            ("Smelters identified", str(total)),
            (
                "Smelters RMAP conformant",
                f"{conformant} ({whole_percent(conformant / total)})" if total else "0",
            ),
            ("High-risk smelters", str(smelters["high"])),
            ("Medium-risk smelters", str(smelters["medium"])),
            ("Low-risk smelters", str(smelters["low"])),
        ]


def _counts_as_conformant(status: str) -> bool:
    parsed = parse_status(status)
    return parsed is not None and parsed.counts_as_conformant


def build_summary(
    assessment: RiskAssessment,
    *,
    organisation: str | None = None,
    year: int | None = None,
    open_actions: Sequence[OpenAction] | None = None,
    top: int = TOP_RISKS,
) -> ManagementSummary:
    """``open_actions``: the register's open entries; None shows the standard responses as suggestions."""
    chosen = assessment.top(top)
    if open_actions is None:
        actions = {r.key: _suggested(r, assessment.as_of) for r in chosen}
    else:
        actions = {}
        for action in open_actions:
            actions.setdefault(action.key, ())
            actions[action.key] += (action,)
    return ManagementSummary(
        title="Responsible minerals: supply-chain risk summary",
        organisation=organisation,
        year=year,
        assessment=assessment,
        top=chosen,
        actions=actions,
        actions_suggested=open_actions is None,
        more_risks=len(assessment.top(len(assessment.ratings))) - len(chosen),
    )


def _suggested(rating: RiskRating, opened: dt.date) -> tuple[OpenAction, ...]:
    found = []
    for flag in rating.flags:
        if flag.mitigated:
            continue
        for action in actions_for(flag):
            found.append(
                OpenAction(rating.key, action.what, action.owner_role, action.due_on(opened), "Suggested")
            )
    return tuple(found[:ACTIONS_PER_RISK])


def render(
    assessment: RiskAssessment,
    format: str,
    *,
    organisation: str | None = None,
    year: int | None = None,
    open_actions: Sequence[OpenAction] | None = None,
    top: int = TOP_RISKS,
) -> bytes:
    """The summary as a file's bytes: "html", "pdf" (one page) or "xlsx"."""
    if format not in FORMATS:
        raise BadInput(f"Unknown summary format {format!r}; choose one of {', '.join(FORMATS)}.")
    summary = build_summary(
        assessment, organisation=organisation, year=year, open_actions=open_actions, top=top
    )
    if format == "html":
        return render_html(summary).encode("utf-8")
    if format == "pdf":
        return render_pdf(summary)
    return render_xlsx(summary)


# --- HTML -----------------------------------------------------------------------------------------

RATING_COLOURS = {"high": "#b42318", "medium": "#b54708", "low": "#067647"}
RATING_TINTS = {"high": "#fef3f2", "medium": "#fffaeb", "low": "#ecfdf3"}
STATUS_COLOURS = {
    "Conformant": "#067647",
    "Cross-Recognized": "#3b7d5b",
    "Compliant": "#067647",
    "Active": "#2e6da4",
    "Progressing": "#2e6da4",
    "Non-Conformant": "#b42318",
    "Suspended": "#d92d20",
    "Not enrolled": "#b54708",
    "Unknown": "#8a8a8a",
}

CSS = """
@page { size: Letter; margin: 1.4cm 1.5cm 1.3cm 1.5cm; }
body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; font-size: 8.5pt; color: #1d2939;
  margin: 0; }
.footer { font-size: 7pt; color: #777; margin-top: 8pt; border-top: 1px solid #eaecf0; padding-top: 3pt; }
header { border-bottom: 2pt solid #1d2939; padding-bottom: 5pt; margin-bottom: 9pt; }
h1 { font-size: 15pt; margin: 0 0 2pt 0; }
.sub { color: #475467; font-size: 8.5pt; }
.cards { display: flex; gap: 6pt; margin-bottom: 9pt; }
.card { flex: 1; border: 1px solid #d0d5dd; border-radius: 4pt; padding: 5pt 7pt; }
.card .n { font-size: 17pt; font-weight: bold; line-height: 1.1; }
.card .l { color: #475467; font-size: 7.5pt; }
.card.high { border-color: #fda29b; background: #fef3f2; }
.card.high .n { color: #b42318; }
.panels { display: flex; gap: 12pt; margin-bottom: 9pt; }
.panel { flex: 1; }
h2 { font-size: 9.5pt; margin: 0 0 4pt 0; text-transform: uppercase; letter-spacing: 0.4pt; color: #344054; }
.bar { margin: 0 0 3pt 0; }
.bar .label { display: flex; justify-content: space-between; font-size: 7.5pt; }
.bar .v { font-weight: bold; padding-left: 4pt; }
.bar .track { background: #f2f4f7; height: 4.5pt; margin-top: 1pt; }
.bar .fill { height: 4.5pt; }
.stack-label { font-size: 7.5pt; margin-top: 2pt; }
.stack { display: flex; height: 9pt; background: #f2f4f7; margin: 1.5pt 0; }
.legend { font-size: 7pt; color: #475467; margin-bottom: 4pt; }
table.risks { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.risks th { text-align: left; font-size: 7.5pt; color: #475467; border-bottom: 1px solid #98a2b3;
  padding: 2pt 4pt; }
table.risks td { vertical-align: top; border-bottom: 1px solid #eaecf0; padding: 3pt 4pt; font-size: 7.5pt;
  overflow-wrap: anywhere; }
table.risks tr { page-break-inside: avoid; }
.pill { display: inline-block; border-radius: 6pt; padding: 0.5pt 5pt; color: #fff; font-size: 7pt;
  font-weight: bold; text-transform: uppercase; }
.who { font-weight: bold; font-size: 8pt; }
.kind { color: #667085; font-size: 7pt; }
ul.actions { margin: 0; padding-left: 9pt; }
ul.actions li { margin: 0 0 1.5pt 0; }
.due { color: #667085; white-space: nowrap; }
.note { color: #475467; font-size: 7.5pt; margin: 4pt 0 0 0; }
"""


def render_html(summary: ManagementSummary) -> str:
    a = summary.assessment
    head = escape(summary.title)
    sub = " \u00b7 ".join(
        part
        for part in (
            escape(summary.organisation) if summary.organisation else "",
            f"Reporting year {summary.year}" if summary.year else "",
            f"Assessed on {a.as_of.isoformat()}",
            f"Audit status: {escape(', '.join(a.status_lists))}"
            if a.status_lists
            else "No audit-status list",
        )
        if part
    )
    suppliers, smelters = a.supplier_counts(), a.smelter_counts()
    rate = whole_percent(a.response_rate) if a.response_rate is not None else "n/a"
    total = len(a.smelters)
    conformant = summary.smelters_conformant
    cards = [
        (str(a.survey.surveyed), "suppliers surveyed", ""),
        (rate, f"responded ({a.survey.responded} of {a.survey.surveyed})", ""),
        (str(suppliers["high"]), "high-risk suppliers", "high" if suppliers["high"] else ""),
        (str(total), "smelters identified", ""),
        (
            whole_percent(conformant / total) if total else "n/a",
            f"RMAP conformant ({conformant} of {total})",
            "",
        ),
        (str(smelters["high"]), "high-risk smelters", "high" if smelters["high"] else ""),
    ]
    card_html = "".join(
        f'<div class="card {cls}"><div class="n">{escape(n)}</div><div class="l">{escape(label)}</div></div>'
        for n, label, cls in cards
    )
    status_rows = [(s, n, STATUS_COLOURS.get(s, "#8a8a8a")) for s, n in a.smelters_by_status().items()]
    flag_rows = [
        (FLAG_KINDS[code].title, n, "#475467")
        for code, n in list(a.flags_by_code().items())[:FLAG_KINDS_SHOWN]
    ]
    ratings = (
        '<div class="panel"><h2>Risk ratings</h2>'
        + _stack("Suppliers", suppliers)
        + _stack("Smelters", smelters)
        + "</div>"
    )
    panels = (
        ratings
        + _panel("Smelters by audit status", status_rows)
        + _panel("Most frequent red flags", flag_rows or [("No red flags", 0, "#475467")])
    )
    body = [
        f"<header><h1>{head}</h1><div class='sub'>{sub}</div></header>",
        f'<div class="cards">{card_html}</div>',
        f'<div class="panels">{panels}</div>',
        _top_table(summary),
        f'<div class="footer">{escape(_footer(summary))}</div>',
    ]
    page = (
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        f"<title>{head}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
    return xml_safe(page)  # the markup is plain text, so this cleans every name in the page in one pass


def _stack(label: str, counts: dict[str, int]) -> str:
    """One bar split into high, medium and low, each share with its count under it."""
    total = sum(counts.values())
    segments = "".join(
        f'<div style="width: {100 * counts[r] / total:.2f}%; background: {RATING_COLOURS[r]}"></div>'
        for r in ("high", "medium", "low")
        if total and counts[r]
    )
    legend = " \u00b7 ".join(
        f'<span style="color: {RATING_COLOURS[r]}; font-weight: bold">{counts[r]}</span> {r}'
        for r in ("high", "medium", "low")
    )
    return (
        f'<div class="stack-label"><b>{escape(label)}</b> ({total})</div>'
        f'<div class="stack">{segments}</div><div class="legend">{legend}</div>'
    )


def _panel(title: str, rows: list[tuple[str, int, str]]) -> str:
    biggest = max((n for _, n, _ in rows), default=0) or 1
    bars = "".join(
        f'<div class="bar"><div class="label"><span>{escape(name)}</span><span class="v">{n}</span></div>'
        f'<div class="track"><div class="fill" style="width: {100 * n / biggest:.1f}%; background: {colour}">'
        "</div></div></div>"
        for name, n, colour in rows
    )
    return f'<div class="panel"><h2>{escape(title)}</h2>{bars}</div>'


def _top_table(summary: ManagementSummary) -> str:
    if not summary.top:
        return "<h2>Top risks</h2><p class='note'>No supplier or smelter is rated medium or high risk.</p>"
    heading = "Suggested actions" if summary.actions_suggested else "Open actions"
    rows = []
    for rating in summary.top:
        kind = "Supplier" if rating.subject_kind == "supplier" else f"Smelter \u00b7 {rating.metal}"
        if rating.subject_kind == "smelter" and rating.country:
            kind += f" \u00b7 {rating.country}"
        others = len(rating.flags) - 1
        why = escape(rating.explanation) + (
            f' <span class="kind">(+{others} more flag{"s" if others > 1 else ""})</span>'
            if others > 0
            else ""
        )
        actions = summary.actions.get(rating.key, ())
        action_html = (
            '<ul class="actions">'
            + "".join(
                f"<li>{escape(act.what)} <span class='due'>\u2014 {escape(act.owner)}"
                f"{', due ' + act.due.isoformat() if act.due else ''}</span></li>"
                for act in actions
            )
            + "</ul>"
            if actions
            else '<span class="kind">None open</span>'
        )
        rows.append(
            f'<tr style="background: {RATING_TINTS[rating.rating]}">'
            f'<td><span class="pill" style="background: {RATING_COLOURS[rating.rating]}">{rating.rating}</span>'
            f'<div class="kind">score {rating.score:g}</div></td>'
            f'<td><div class="who">{escape(rating.subject)}</div><div class="kind">{escape(kind)}</div></td>'
            f"<td>{why}</td><td>{action_html}</td></tr>"
        )
    more = (
        f"<p class='note'>{summary.more_risks} more suppliers and smelters rated medium or high are listed "
        "in the risk register.</p>"
        if summary.more_risks
        else ""
    )
    return (
        "<h2>Top risks</h2><table class='risks'><thead><tr><th style='width: 9%'>Rating</th>"
        "<th style='width: 20%'>Who</th><th style='width: 39%'>Why</th>"
        f"<th style='width: 32%'>{heading}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"
    )


def _footer(summary: ManagementSummary) -> str:
    t = summary.assessment.thresholds
    surveyed, responded = FIGURES["surveyed"].definition, FIGURES["responded"].definition
    return (
        f"Surveyed: {surveyed[0].lower()}{surveyed[1:-1]}. Responded: {responded[0].lower()}{responded[1:-1]}. "
        f"Ratings: sum of red-flag points (each repeat of a kind {t.repeat_weight_pct}% of the one before), "
        f"high from {t.high_score}, medium from {t.medium_score}; "
        f"no response flagged {t.no_response_grace_days} days after the due date; "
        f"red-flag statuses: {', '.join(t.red_flag_statuses)}; "
        f"Active {'counts' if t.active_counts_as_mitigated else 'does not count'} as mitigated; "
        f"supplier coverage (Q6) below {t.min_supplier_response_pct}% flagged. Prepared with oretrace."
    )


# --- PDF ------------------------------------------------------------------------------------------


def render_pdf(summary: ManagementSummary) -> bytes:
    """One Letter page. Rows are dropped from the top-risk list until the page fits, and counted as more."""
    from oretrace.reports.render_pdf import pdf_unavailable

    reason = pdf_unavailable()
    if reason:
        raise BadInput(reason)
    import weasyprint

    current = summary
    while True:
        document = weasyprint.HTML(string=render_html(current), url_fetcher=_refuse).render()
        if len(document.pages) == 1 or len(current.top) <= 1:
            return document.write_pdf()
        dropped = current.top[-1]
        current = ManagementSummary(
            title=current.title,
            organisation=current.organisation,
            year=current.year,
            assessment=current.assessment,
            top=current.top[:-1],
            actions={k: v for k, v in current.actions.items() if k != dropped.key},
            actions_suggested=current.actions_suggested,
            more_risks=current.more_risks + 1,
        )


def _refuse(url: str, *args, **kwargs):
    raise BadInput(f"The summary tried to load {url}; it is self-contained and loads nothing.")


# --- XLSX -----------------------------------------------------------------------------------------


def render_xlsx(summary: ManagementSummary) -> bytes:
    """The same figures as the page, plus every rating, flag and action, for filtering in a spreadsheet."""
    a = summary.assessment
    headline = Table(
        "Summary",
        ("Figure", "Value"),
        [
            ("Organisation", summary.organisation or ""),
            ("Reporting year", summary.year or ""),
            ("Assessed on", a.as_of),
            *summary.headline(),
            *((f"Smelters {status}", n) for status, n in a.smelters_by_status().items()),
            *((f"Flag: {FLAG_KINDS[code].title}", n) for code, n in a.flags_by_code().items()),
        ],
    )
    top = Table(
        "Top risks",
        ("Rating", "Score", "Subject", "Kind", "Metal", "Why", "Actions"),
        [
            (
                r.rating,
                r.score,
                r.subject,
                r.subject_kind,
                r.metal or "",
                r.explanation,
                "\n".join(
                    f"{act.what} ({act.owner}{', due ' + act.due.isoformat() if act.due else ''})"
                    for act in summary.actions.get(r.key, ())
                ),
            )
            for r in summary.top
        ],
    )
    ratings = Table(
        "Ratings",
        ("Kind", "Subject", "Key", "Metal", "Country", "Audit status", "Rating", "Score", "Flags"),
        [
            (
                r.subject_kind,
                r.subject,
                r.key,
                r.metal or "",
                r.country or "",
                r.status or "",
                r.rating,
                r.score,
                "; ".join(f.code for f in r.flags),
            )
            for r in a.ratings
        ],
    )
    flags = Table(
        "Red flags",
        (
            "Kind",
            "Subject",
            "Key",
            "Metal",
            "Flag",
            "Severity",
            "Weight",
            "Count",
            "Points",
            "Mitigated",
            "Explanation",
        ),
        [
            (
                f.subject_kind,
                f.subject,
                f.key,
                f.metal or "",
                f.code,
                f.severity,
                f.weight,
                f.count,
                f.points,
                f.mitigated,
                f.explanation,
            )
            for f in a.flags
        ],
    )
    return to_xlsx([headline, top, ratings, flags])
