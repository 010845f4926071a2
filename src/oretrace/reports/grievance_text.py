"""The report's sentences about the grievance mechanism, chosen by the cases' figures.

OECD Guidance Step 1(e) and EU Regulation 2017/821 Art. 4(e) ask for a grievance mechanism; a report
that only says one exists tells a reader nothing about whether anyone used it. These sentences state
what was received, about what, and how it was handled, and nothing the figures do not bear out: "no
concern was reported" only when none was, "remained open" only of cases that did.
"""

from __future__ import annotations

from oretrace.grievances import GrievanceFigures
from oretrace.reports.document import Figure, Paragraph, Run, Source
from oretrace.reports.figures import count_text, counted, plural

SUBJECT = "about our mineral supply chain"


def _date(day) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _period(f: GrievanceFigures) -> str:
    if (f.start.month, f.start.day, f.end.month, f.end.day) == (1, 1, 12, 31) and f.start.year == f.end.year:
        return f"in {f.start.year}"
    return f"from {_date(f.start)} to {_date(f.end)}"


def _figure(value: int | float, key: str, words: str, params: tuple[tuple[str, str], ...] = ()) -> Figure:
    text = count_text(value) if isinstance(value, int) else f"{value:g}"
    return Figure(value, text, Source(f"grievances.{key}", f"Grievance cases: {words}", params))


def grievance_paragraphs(f: GrievanceFigures | None) -> tuple[Paragraph, ...]:
    """Nothing without figures (no case register is kept); else what was received and how it was handled."""
    if f is None:
        return ()
    paragraphs = [Paragraph(tuple(_received(f)))]
    handled = _handled(f)
    if handled:
        paragraphs.append(Paragraph(tuple(handled)))
    return tuple(paragraphs)


def _received(f: GrievanceFigures) -> list[Run]:
    period = _period(f)
    until = "" if f.period_complete else f", up to {_date(f.as_of)}"
    if not f.received:
        return [f"No concern {SUBJECT} was reported through our grievance mechanism {period}{until}."]
    received = _figure(f.received, "received", f"received {period}{until}")
    runs: list[Run] = [
        f"{period[0].upper()}{period[1:]}{until}, ",
        *counted(received, "concern", "concerns"),
        f" {SUBJECT} {plural(received, 'was', 'were')} reported through our grievance mechanism",
    ]
    parts = [
        (_figure(n, "received", f"received {period}, {label}", (("category", label),)), label)
        for label, n in f.by_category
    ]
    if len(parts) == 1:
        label = parts[0][1]
        if f.received == 1:
            runs.append(f", {_about(label)}.")
        else:
            runs.append(f", all {_about(label)}.")
        return runs
    runs.append(": ")
    for number, (figure, label) in enumerate(parts):
        if number:
            runs.append(" and " if number == len(parts) - 1 else ", ")
        runs += [figure, f" {_about(label)}"]
    runs.append(".")
    return runs


def _about(label: str) -> str:
    return label if label.startswith("not yet") else f"about {label}"


def _handled(f: GrievanceFigures) -> list[Run]:
    period = _period(f)
    runs: list[Run] = []
    if f.closed:
        closed = _figure(f.closed, "closed", f"closed {period}")
        median = f.median_days_to_close
        days = _figure(median, "median_days", f"median days to close of the cases closed {period}")
        runs += [
            "We closed ",
            *counted(closed, "case", "cases"),
            f" {period}, in a median of ",
            days,
            f" {'day' if median == 1 else 'days'} from receipt.",
        ]
    if not f.received and not f.open:
        return runs
    when = f"At the end of {period[3:]}" if period.startswith("in ") else f"On {_date(f.end)}"
    if not f.period_complete:
        when = f"As of {_date(f.as_of)}"
    verb = "remained" if f.period_complete else "remain"
    opened = _figure(f.open, "open", f"open on {f.as_of.isoformat()}")
    if runs:
        runs.append(" ")
    if f.open:
        runs += [f"{when}, ", *counted(opened, "case", "cases"), f" {verb} open."]
    else:
        runs.append(f"{when}, no case {verb} open.")
    return runs
