"""Before filing: everything that would make a sentence of the report weak, each with where to fix it.

The report never hides what is open; it says it (``cmr.responses``). This list tells the compliance
officer, before signing, what the report will have to say and what is missing from the settings, so
each can be fixed first or filed knowingly. Each item is data: a stable code, a plain message, the
count, and ``where`` (a place the web app links to and the command line names).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oretrace.reports.figures import Facts
from oretrace.reports.inputs import ReportInputs
from oretrace.survey import ResultsRule

# A status list this old no longer describes the facilities well; RMI updates its lists monthly.
STATUS_LIST_MAX_AGE = dt.timedelta(days=183)

BLOCKS = "blocks"  # the documents cannot be filed as they stand (Form SD refuses, or a figure is missing)
WEAKENS = "weakens"  # the report will state something open or unknown


@dataclass(frozen=True)
class ReadinessItem:
    code: str
    severity: str  # BLOCKS or WEAKENS
    message: str
    count: int | None
    # Where to fix it: "requests:<filter>" (a filter of the campaign's requests: accepted_with_exceptions,
    # under_review, not_asked, not_in_results, not_responded, overdue, draft), "unidentified", "reference", "cahra",
    # "organisation", "report-settings", "files".
    where: str


def readiness(inputs: ReportInputs, *, today: dt.date | None = None) -> tuple[ReadinessItem, ...]:
    today = today or dt.date.today()
    facts = Facts(inputs)
    return (*_survey(inputs), *_files(facts), *_reference(inputs, facts, today), *_settings(inputs))


def _survey(inputs: ReportInputs) -> list[ReadinessItem]:
    f = inputs.survey
    items = []
    if not f.surveyed:
        items.append(
            ReadinessItem("nobody-surveyed", BLOCKS, "No supplier was sent the request.", 0, "requests:draft")
        )
    if f.surveyed_is_stated:
        items.append(
            ReadinessItem(
                "surveyed-stated-not-counted",
                WEAKENS,
                f"The {f.surveyed} suppliers surveyed is a number typed into the settings: no list names "
                "them, so who did not respond cannot be shown. Give the list of suppliers asked.",
                f.surveyed,
                "report-settings",
            )
        )
    if f.errors_accepted:
        items.append(
            ReadinessItem(
                "errors-on-accepted-files",
                WEAKENS,
                f"{f.errors_accepted} review {_s(f.errors_accepted, 'error')} remain on "
                f"{f.accepted_with_exceptions} accepted {_s(f.accepted_with_exceptions, 'template')}; the "
                "report will say they were accepted with exceptions.",
                f.errors_accepted,
                "requests:accepted_with_exceptions",
            )
        )
    elif f.accepted_with_exceptions:
        items.append(
            ReadinessItem(
                "accepted-with-exceptions",
                WEAKENS,
                f"{f.accepted_with_exceptions} {_s(f.accepted_with_exceptions, 'template')} "
                f"{'was' if f.accepted_with_exceptions == 1 else 'were'} accepted with exceptions; the "
                "report will say so.",
                f.accepted_with_exceptions,
                "requests:accepted_with_exceptions",
            )
        )
    if f.in_results is not None and f.results_rule and f.in_results < f.returned:
        left_out = f.returned - f.in_results
        items.append(
            ReadinessItem(
                "templates-left-out-of-results",
                WEAKENS,
                f"Our CMRT and the report are built from {f.in_results} of the {f.returned} templates "
                f"received ({ResultsRule(f.results_rule).label}): {left_out} "
                f"{'is' if left_out == 1 else 'are'} left out. Accept them, or change the rule.",
                left_out,
                "requests:not_in_results",
            )
        )
    if f.errors_under_review:
        items.append(
            ReadinessItem(
                "errors-under-review",
                WEAKENS,
                f"{f.errors_under_review} review {_s(f.errors_under_review, 'error')} remain open on "
                f"{f.under_review} {_s(f.under_review, 'template')} not accepted yet.",
                f.errors_under_review,
                "requests:under_review",
            )
        )
    if f.errors_asked is not None and f.errors > f.errors_asked:
        missing = f.errors - f.errors_asked
        items.append(
            ReadinessItem(
                "errors-never-raised",
                WEAKENS,
                f"{missing} review {_s(missing, 'error')} {'was' if missing == 1 else 'were'} never raised "
                "with the supplier in a follow-up; the report cannot say every finding was taken up.",
                missing,
                "requests:not_asked",
            )
        )
    if f.overdue:
        items.append(
            ReadinessItem(
                "overdue",
                WEAKENS,
                f"{f.overdue} {_s(f.overdue, 'supplier')} {'is' if f.overdue == 1 else 'are'} past the due "
                "date without responding.",
                f.overdue,
                "requests:overdue",
            )
        )
    elif f.not_responded:
        items.append(
            ReadinessItem(
                "not-responded",
                WEAKENS,
                f"{f.not_responded} {_s(f.not_responded, 'supplier')} surveyed {'has' if f.not_responded == 1 else 'have'} "
                "not responded.",
                f.not_responded,
                "requests:not_responded",
            )
        )
    drafts = f.in_scope - f.surveyed
    if drafts > 0 and not f.surveyed_is_stated:
        items.append(
            ReadinessItem(
                "drafts-not-sent",
                WEAKENS,
                f"{drafts} {_s(drafts, 'supplier')} in scope {'was' if drafts == 1 else 'were'} never sent "
                f"the request and {'is' if drafts == 1 else 'are'} not counted as surveyed.",
                drafts,
                "requests:draft",
            )
        )
    return items


def _files(facts: Facts) -> list[ReadinessItem]:
    unreadable = facts.supplier_files(readable=False).value
    items = []
    if unreadable:
        items.append(
            ReadinessItem(
                "unreadable-files",
                WEAKENS,
                f"{unreadable} supplier {_s(unreadable, 'file')} could not be read and {'is' if unreadable == 1 else 'are'} "
                "left out of the results.",
                unreadable,
                "files",
            )
        )
    names = facts.unidentified_names().value
    if names:
        items.append(
            ReadinessItem(
                "unidentified-names",
                WEAKENS,
                f"{names} smelter {_s(names, 'name')} match no known facility; the report lists "
                f"{'it' if names == 1 else 'them'} as not identified.",
                names,
                "unidentified",
            )
        )
    return items


def _reference(inputs: ReportInputs, facts: Facts, today: dt.date) -> list[ReadinessItem]:
    items = []
    if facts.smelters:
        as_of = facts.status_as_of()
        if as_of is None:
            items.append(
                ReadinessItem(
                    "no-status-list",
                    WEAKENS,
                    "No RMI audit-status list was applied: every facility's status is unknown.",
                    None,
                    "reference",
                )
            )
        elif today - dt.date.fromisoformat(str(as_of.value)) > STATUS_LIST_MAX_AGE:
            items.append(
                ReadinessItem(
                    "status-list-old",
                    WEAKENS,
                    f"The newest audit-status list applied is of {as_of.value}, more than six months ago.",
                    None,
                    "reference",
                )
            )
    if inputs.cahra_list is None:
        items.append(
            ReadinessItem(
                "no-cahra-list",
                WEAKENS,
                "No list of conflict-affected and high-risk areas was applied; only the Covered Countries "
                "are checked.",
                None,
                "cahra",
            )
        )
    return items


_ORGANISATION_FIELDS = (
    ("website", BLOCKS, "the website (Form SD requires the disclosure to be published there)"),
    ("policy_url", WEAKENS, "where the conflict minerals policy is published (the website is used instead)"),
    ("address", WEAKENS, "the address of the principal executive offices (Form SD cover)"),
    ("state_of_incorporation", WEAKENS, "the state of incorporation (Form SD cover)"),
    ("commission_file_number", WEAKENS, "the Commission file number (Form SD cover)"),
    ("irs_employer_id", WEAKENS, "the IRS employer identification number (Form SD cover)"),
    ("contact", WEAKENS, "the person to contact about the report (Form SD cover)"),
    ("signatory_name", WEAKENS, "the name of the person who signs Form SD"),
    ("signatory_title", WEAKENS, "the title of the person who signs Form SD"),
)


def _settings(inputs: ReportInputs) -> list[ReadinessItem]:
    org = inputs.organisation
    return [
        ReadinessItem(
            f"missing-{key.replace('_', '-')}",
            severity,
            f"The settings have no {what}.",
            None,
            "organisation",
        )
        for key, severity, what in _ORGANISATION_FIELDS
        if not (getattr(org, key) or "").strip()
    ]


def _s(n: int | None, noun: str) -> str:
    return noun if n == 1 else noun + "s"
