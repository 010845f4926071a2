"""The inquiry's suppliers as the figures count them: who was asked, what each did, what is still open.

A ``Survey`` is built by whoever holds the facts (the web app from its requests, ``oretrace report``
from a list of the suppliers asked and a folder of files) and counted by ``survey_figures`` alone,
so that the dashboard, the report and the evidence package cannot count a supplier differently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class RequestState(StrEnum):
    """Where a request to one supplier stands. The web app's request states are these values."""

    DRAFT = "draft"  # in scope, not sent yet
    SENT = "sent"
    OPENED = "opened"  # the supplier opened its link
    SUBMITTED = "submitted"  # a file arrived and waits for review
    FOLLOW_UP = "follow_up"  # we asked the supplier about its file
    ACCEPTED = "accepted"
    DECLINED = "declined"  # the supplier stated it has nothing to report
    NO_RESPONSE = "no_response"  # closed without an answer


FindingKey = tuple[str, str | None, str | None, str | None]  # code, mineral, sheet, cell


def finding_key(finding) -> FindingKey:
    """What makes two findings the same question: the rule, the mineral and the cell. Works for a
    review Finding and for the plain dicts a follow-up keeps."""
    get = finding.get if isinstance(finding, dict) else lambda name: getattr(finding, name, None)
    return (get("code") or "", get("mineral"), get("sheet"), get("cell"))


@dataclass(frozen=True)
class OpenFinding:
    """A finding of a supplier's latest file: its severity and whether we asked the supplier about it."""

    severity: str
    asked: bool


@dataclass(frozen=True)
class SurveyedSupplier:
    """One supplier in the inquiry's scope.

    ``findings``: those of its latest file. ``reminders`` and ``follow_ups`` are None where nobody kept
    count (a folder of files has no mail log); a figure built on them is then left out, never guessed.
    """

    name: str
    state: RequestState
    number: str | None = None  # our supplier number
    ref: int | str | None = None  # the caller's own key for it (the web app's request id)
    sent_on: dt.date | None = None
    responded_on: dt.date | None = None
    files: int = 0  # files received, every version
    latest_file: str | None = None
    findings: tuple[OpenFinding, ...] = ()
    reminders: int | None = 0
    escalated_on: dt.date | None = None
    follow_ups: int | None = 0  # follow-up requests we sent
    decline_statement: str | None = None  # the supplier's own words, when it declined
    # The supplier's latest action that asks something of us ("upload", "reply", "decline") and when,
    # and when we last acted on the request (accepted, followed up, reviewed): None where not tracked.
    supplier_action: str | None = None
    supplier_acted_at: dt.datetime | None = None
    staff_acted_at: dt.datetime | None = None
    # Why the analyst accepted the file with review errors still open ("accepted with exceptions").
    exceptions_reason: str | None = None

    @property
    def surveyed(self) -> bool:
        return self.state != RequestState.DRAFT

    @property
    def declined(self) -> bool:
        """Its last word is that it has nothing to report: a decline, or a decline we accepted (no file)."""
        return self.state == RequestState.DECLINED or (bool(self.decline_statement) and self.files == 0)

    @property
    def returned(self) -> bool:
        """A file of it is with us and it has not declined since: its latest file is in the roll-up."""
        return self.surveyed and self.files > 0 and not self.declined

    @property
    def responded(self) -> bool:
        return self.surveyed and (self.returned or self.declined)

    @property
    def accepted(self) -> bool:
        return self.returned and self.state == RequestState.ACCEPTED

    @property
    def under_review(self) -> bool:
        return self.returned and not self.accepted

    @property
    def waiting_for_us(self) -> bool:
        """The supplier's last word is one we have not acted on: a file not yet accepted or followed up,
        a reply (to our follow-up, or written after we accepted), or a decline not yet reviewed. Any
        move of ours (accept, follow-up, reopen, close, "handled") is an action on it."""
        return (
            self.surveyed
            and self.supplier_acted_at is not None
            and (self.staff_acted_at is None or self.staff_acted_at < self.supplier_acted_at)
        )

    def overdue(self, due: dt.date | None, today: dt.date) -> bool:
        """Asked, not responded, and past the due date."""
        return self.surveyed and not self.responded and due is not None and today > due

    def count(self, severity: str, *, asked: bool | None = None) -> int:
        return sum(1 for f in self.findings if f.severity == severity and (asked is None or f.asked == asked))

    @property
    def accepted_with_exceptions(self) -> bool:
        """Accepted while its file had errors, with the analyst's reason for taking it as it is; or
        accepted and showing errors since (reference data loaded later can raise one)."""
        return self.accepted and (bool(self.exceptions_reason) or self.count("error") > 0)


class ResultsRule(StrEnum):
    """Which returned templates the roll-up, our own CMRT and the report are built from.

    A folder of files knows no acceptance: there every file received is in the results, whatever the
    rule says (``Survey.results``).
    """

    ACCEPTED = "accepted"
    ACCEPTED_WITH_EXCEPTIONS = "accepted_with_exceptions"
    RECEIVED = "received"

    @property
    def label(self) -> str:
        return _RESULTS_LABELS[self]

    def includes(self, supplier: SurveyedSupplier) -> bool:
        if not supplier.returned:
            return False
        if self is ResultsRule.RECEIVED:
            return True
        if self is ResultsRule.ACCEPTED:
            return supplier.accepted and not supplier.accepted_with_exceptions
        return supplier.accepted


_RESULTS_LABELS = {
    ResultsRule.ACCEPTED: "accepted only (not those accepted with exceptions)",
    ResultsRule.ACCEPTED_WITH_EXCEPTIONS: "accepted, and accepted with exceptions",
    ResultsRule.RECEIVED: "every file received, accepted or not",
}


@dataclass(frozen=True)
class Survey:
    """The suppliers asked, and what is known about the asking.

    ``tracked``: the states are known (a campaign of the web app). A folder of files tells only who
    returned one: acceptance, reminders and follow-ups are then unknown, and so left out.
    ``stated_surveyed``: how many suppliers the settings say were asked, when no list names them.
    """

    suppliers: tuple[SurveyedSupplier, ...] = ()
    due: dt.date | None = None
    tracked: bool = True
    stated_surveyed: int | None = None
    results_rule: ResultsRule = ResultsRule.ACCEPTED_WITH_EXCEPTIONS

    @classmethod
    def of(cls, suppliers: Iterable[SurveyedSupplier], **options) -> Survey:
        return cls(tuple(sorted(suppliers, key=lambda s: (s.name.casefold(), s.number or ""))), **options)

    def named(self, name: str) -> SurveyedSupplier | None:
        return next((s for s in self.suppliers if s.name == name), None)

    @property
    def returned(self) -> tuple[SurveyedSupplier, ...]:
        """The suppliers whose latest file the roll-up holds."""
        return tuple(s for s in self.suppliers if s.returned)

    @property
    def results(self) -> tuple[SurveyedSupplier, ...]:
        """The suppliers whose latest file the roll-up, our CMRT and the report are built from: those
        the results rule includes; every one that returned a file where acceptance is not tracked."""
        return tuple(s for s in self.suppliers if self.in_results(s))

    def in_results(self, supplier: SurveyedSupplier) -> bool:
        return supplier.returned and (not self.tracked or self.results_rule.includes(supplier))


@dataclass(frozen=True)
class FigureDefinition:
    key: str
    label: str  # how a page heads the figure
    definition: str  # how it is counted, printed where it is shown
    tracked_only: bool = False  # known only where request states are kept (the web app)


_DEFINITIONS = (
    FigureDefinition("in_scope", "In scope", "Suppliers in the inquiry's scope, whether asked yet or not."),
    FigureDefinition(
        "surveyed",
        "Surveyed",
        "Suppliers in scope that were sent the request (drafts not yet sent left out).",
    ),
    FigureDefinition(
        "responded",
        "Responded",
        "Surveyed suppliers that returned a template or declined with a statement that they have "
        "nothing to report.",
    ),
    FigureDefinition(
        "returned",
        "Returned a template",
        "Surveyed suppliers whose readable template we hold and that have not declined since.",
    ),
    FigureDefinition(
        "in_results",
        "In the results",
        "Suppliers that returned a template and whose latest template the roll-up, our CMRT and the "
        "report are built from: those the results rule chooses (by default: accepted, and accepted with "
        "exceptions; every template received where acceptance is not tracked).",
    ),
    FigureDefinition(
        "declined",
        "Declined",
        "Surveyed suppliers that stated they have nothing to report (e.g. no 3TG in what they sell us), "
        "instead of returning a template.",
    ),
    FigureDefinition(
        "accepted",
        "Accepted",
        "Suppliers whose latest template an analyst accepted.",
        tracked_only=True,
    ),
    FigureDefinition(
        "accepted_with_exceptions",
        "Accepted with exceptions",
        "Accepted suppliers whose template an analyst accepted with review errors open, recording why "
        "(or whose accepted template shows review errors since).",
        tracked_only=True,
    ),
    FigureDefinition(
        "under_review",
        "Under review",
        "Suppliers that returned a template not accepted yet (waiting for review or for a follow-up).",
        tracked_only=True,
    ),
    FigureDefinition(
        "not_responded",
        "Not responded",
        "Surveyed suppliers that have neither returned a template nor declined.",
    ),
    FigureDefinition(
        "overdue",
        "Overdue",
        "Suppliers that have not responded and whose due date has passed.",
        tracked_only=True,
    ),
    FigureDefinition(
        "reminders_sent",
        "Reminders sent",
        "Reminder e-mails sent to suppliers that had not responded.",
        tracked_only=True,
    ),
    FigureDefinition(
        "escalated",
        "Escalated",
        "Suppliers whose silence was escalated to their escalation contact and our owner.",
        tracked_only=True,
    ),
    FigureDefinition(
        "follow_ups_sent",
        "Follow-ups sent",
        "Follow-up requests sent to suppliers about a returned template.",
        tracked_only=True,
    ),
    FigureDefinition(
        "corrections_received",
        "Corrections received",
        "Files received after a supplier's first one (corrected or updated templates).",
        tracked_only=True,
    ),
)
FIGURES = {d.key: d for d in _DEFINITIONS}

# Figures of the day-to-day work, not of the report: they change by the hour, so the report, Form SD
# and the evidence package (which state the year's survey) leave them out; the pages show them.
QUEUE_FIGURES = {
    d.key: d
    for d in (
        FigureDefinition(
            "waiting_for_us",
            "Waiting for us",
            "Requests whose supplier did something we have not acted on yet: a new file not yet accepted "
            "or followed up, a reply to our follow-up questions, or a decline not yet reviewed. A figure of "
            "the work in hand, not of the report: it changes by the hour.",
            tracked_only=True,
        ),
    )
}


@dataclass(frozen=True)
class ReviewDefinition:
    key: str
    label: str
    definition: str


REVIEW_FIGURES = {
    d.key: d
    for d in (
        ReviewDefinition(
            "errors", "Errors", "Review errors on the latest template of each supplier that returned one."
        ),
        ReviewDefinition(
            "warnings",
            "Warnings",
            "Review warnings on the latest template of each supplier that returned one.",
        ),
        ReviewDefinition(
            "errors_asked",
            "Errors asked about",
            "Of those errors, the ones a follow-up asked the supplier about.",
        ),
        ReviewDefinition(
            "warnings_asked",
            "Warnings asked about",
            "Of those warnings, the ones a follow-up asked the supplier about.",
        ),
        ReviewDefinition(
            "errors_accepted",
            "Errors on accepted templates",
            "Errors on templates an analyst accepted as they are (accepted with exceptions).",
        ),
        ReviewDefinition(
            "errors_under_review",
            "Errors on templates under review",
            "Errors on templates not accepted yet.",
        ),
    )
}


@dataclass(frozen=True)
class Figures:
    """Every survey figure, each counted once by ``survey_figures``. None: not known in this run."""

    in_scope: int
    surveyed: int
    responded: int
    returned: int
    declined: int
    not_responded: int
    in_results: int | None = None
    accepted: int | None = None
    accepted_with_exceptions: int | None = None
    under_review: int | None = None
    overdue: int | None = None
    reminders_sent: int | None = None
    escalated: int | None = None
    follow_ups_sent: int | None = None
    corrections_received: int | None = None
    waiting_for_us: int | None = None  # QUEUE_FIGURES
    # review
    errors: int = 0
    warnings: int = 0
    errors_asked: int | None = None
    warnings_asked: int | None = None
    errors_accepted: int | None = None
    errors_under_review: int | None = None
    surveyed_is_stated: bool = False  # surveyed is the number the settings state, not a count of names
    results_rule: str | None = None  # the ResultsRule in_results counts by; None where not tracked

    @property
    def response_rate(self) -> float:
        return self.responded / self.surveyed if self.surveyed else 0.0

    @property
    def returned_not_in_results(self) -> int:
        """Returned templates the results rule leaves out (not accepted yet): the roll-up, our CMRT, the
        report and the risk assessment are not built from them. 0 where acceptance is not tracked."""
        return self.returned - self.in_results if self.in_results is not None else 0

    def value(self, key: str) -> int | None:
        return getattr(self, key)

    def rows(self) -> list[tuple[FigureDefinition, int | None]]:
        """(definition, value) of every survey figure, in the order pages show them."""
        return [(d, self.value(d.key)) for d in FIGURES.values()]

    def review_rows(self) -> list[tuple[ReviewDefinition, int | None]]:
        return [(d, self.value(d.key)) for d in REVIEW_FIGURES.values()]

    def as_dict(self) -> dict[str, int | float | bool | None]:
        keys = [*FIGURES, *REVIEW_FIGURES]
        return {key: self.value(key) for key in keys} | {
            "response_rate": self.response_rate,
            "surveyed_is_stated": self.surveyed_is_stated,
            "results_rule": self.results_rule,
        }
