"""The annual inquiry: campaigns, one request per supplier, the files suppliers send, and follow-ups.

A request moves through a small state machine; every move is logged with who and when. A submission
keeps the uploaded file byte for byte (content-addressed by SHA-256) with what the core read and found
in it; a corrected file is a new version, never an overwrite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from oretrace.errors import BadInput
from oretrace.refdata import ListKind
from oretrace.refdata.standing import ChangeKind
from oretrace.rmi.minerals import chosen_minerals
from oretrace.rollup.analyse import FileAnalysis
from oretrace.smelters import Exclusion, StatusGroup
from oretrace.smelters import Facility as CoreFacility
from oretrace.smelters.reference import listing_cell
from oretrace.survey import RequestState, ResultsRule, SurveyedSupplier
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import storage
from oretrace.web.suppliers.models import ReportingYear, Supplier

DEFAULT_TEXTS = {
    "invitation_subject": "{organisation}: {template_name} for {year}",
    "invitation_body": (
        "Dear {contact},\n\n"
        "As part of our annual Reasonable Country of Origin Inquiry, {organisation} asks {supplier} to "
        "complete the RMI {template} (version {minimum_version} or later) for the parts you supply to us, "
        "for the reporting year {year}.\n\n"
        "Please upload the completed file by {due_date} through your personal link:\n{link}\n\n"
        "The link opens your request only; you can download the blank template there, upload your "
        "file, see at once whether anything is missing, and send corrections.\n\n"
        "Thank you,\n{organisation}"
    ),
    "reminder_subject": "Reminder: your {template} for {organisation} {due_on}",
    "reminder_body": (
        "Dear {contact},\n\n"
        "We have not yet received the {template} from {supplier} for {year}. It {due_on}.\n\n"
        "Upload it through your personal link:\n{link}\n\n"
        "If your products contain none of these minerals ({minerals}), you can say so on the same page.\n\n"
        "Thank you,\n{organisation}"
    ),
    "escalation_subject": "Escalation: {supplier} has not answered our {template} request",
    "escalation_body": (
        "Hello,\n\n"
        "{supplier} has not answered the {template} request {organisation} sent on {sent_date} "
        "(due {due_date}), despite reminders. Please help us obtain it.\n\n"
        "The request can be answered through this personal link:\n{link}\n\n"
        "{organisation}"
    ),
}
PLACEHOLDERS = (
    "organisation",
    "supplier",
    "contact",
    "template",
    "template_name",
    "minerals",
    "minimum_version",
    "year",
    "due_date",
    "due_on",
    "sent_date",
    "link",
)


class TemplateKind(models.TextChoices):
    CMRT = "CMRT", "CMRT (3TG: tin, tantalum, tungsten, gold)"
    EMRT = "EMRT", "EMRT (extended minerals: cobalt, mica; from 2.0 also copper, graphite, lithium, nickel)"
    CRT = "CRT", "CRT (cobalt; superseded by the EMRT)"
    AMRT = "AMRT", "AMRT (additional minerals)"


class Campaign(models.Model):
    name = models.CharField(max_length=200)
    reporting_year = models.ForeignKey(ReportingYear, on_delete=models.PROTECT, related_name="campaigns")
    template_kind = models.CharField(max_length=4, choices=TemplateKind.choices, default=TemplateKind.CMRT)
    minimum_version = models.CharField(max_length=10, default="6.4")
    # The minerals suppliers are asked about, as the template spells them (oretrace.rmi.minerals); empty
    # for every mineral the template of minimum_version asks about (a CMRT's 3TG, a CRT's cobalt).
    minerals = models.JSONField(default=list, blank=True)
    due_date = models.DateField()
    # Days after sending when reminders go to those who have not answered, e.g. [14, 28].
    reminder_days = models.JSONField(default=list, blank=True)
    # Days after sending when the escalation contact and our internal owner are told.
    escalation_days = models.PositiveSmallIntegerField(null=True, blank=True, default=42)
    invitation_subject = models.CharField(max_length=300, default=DEFAULT_TEXTS["invitation_subject"])
    invitation_body = models.TextField(default=DEFAULT_TEXTS["invitation_body"])
    reminder_subject = models.CharField(max_length=300, default=DEFAULT_TEXTS["reminder_subject"])
    reminder_body = models.TextField(default=DEFAULT_TEXTS["reminder_body"])
    escalation_subject = models.CharField(max_length=300, default=DEFAULT_TEXTS["escalation_subject"])
    escalation_body = models.TextField(default=DEFAULT_TEXTS["escalation_body"])
    # The blank template the organisation imported, kept content-addressed like submissions.
    blank_template_sha256 = models.CharField(max_length=64, blank=True)
    blank_template_name = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    closed = models.BooleanField(default=False)
    # Which returned templates our CMRT and the report are built from (oretrace.survey.ResultsRule).
    results_rule = models.CharField(
        max_length=30,
        choices=[(rule.value, rule.label) for rule in ResultsRule],
        default=ResultsRule.ACCEPTED_WITH_EXCEPTIONS.value,
    )

    class Meta:
        ordering = ["-reporting_year__year", "-created_at"]

    def __str__(self) -> str:
        return self.name

    def minerals_in_scope(self) -> tuple[str, ...]:
        """The minerals this campaign asks about: those chosen, else every one its template asks about.
        A campaign whose version oretrace does not read keeps the minerals it stored (none: every one)."""
        try:
            return chosen_minerals(self.template_kind, self.minimum_version, self.minerals)
        except BadInput:
            return tuple(self.minerals)

    def store_blank_template(self, data: bytes, filename: str) -> None:
        self.blank_template_sha256 = storage.store_bytes(settings.TEMPLATES_DIR, data)
        self.blank_template_name = filename

    def blank_template_bytes(self) -> bytes | None:
        if not self.blank_template_sha256:
            return None
        return storage.read_bytes(settings.TEMPLATES_DIR, self.blank_template_sha256)

    def render_text(
        self,
        which: str,
        request: Request,
        link: str = "",
        *,
        today: dt.date | None = None,
        standard: bool = False,
    ) -> tuple[str, str]:
        """The subject and body of an e-mail ('invitation', 'reminder', 'escalation') for one request.

        ``today`` is the day the e-mail goes out (a reminder before the due date says "is due on", after
        it "was due on"). ``standard`` gives oretrace's own text in the active language (the outbox's
        catalogue translates DEFAULT_TEXTS) instead of the campaign's, for a contact who reads Chinese.
        """
        values = request.placeholder_values(link, today=today)
        if standard:
            texts = [gettext(DEFAULT_TEXTS[f"{which}_{part}"]) for part in ("subject", "body")]
        else:
            texts = [getattr(self, f"{which}_{part}") for part in ("subject", "body")]
        return _fill(texts[0], values), _fill(texts[1], values)

    def add_suppliers(self, suppliers, by, basis: str = "") -> int:
        """Put suppliers in scope: one draft request each (existing requests are kept). ``basis`` says
        how they were chosen ("tier: direct", "parts: P-001"), for the log."""
        existing = set(self.requests.values_list("supplier_id", flat=True))
        new = [Request(campaign=self, supplier=s) for s in suppliers if s.pk not in existing]
        with transaction.atomic():
            # ignore_conflicts: a supplier another analyst added a moment ago stays as it is.
            Request.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
            if new:
                names = ", ".join(str(r.supplier) for r in new[:20]) + (" …" if len(new) > 20 else "")
                AuditEntry.record(
                    by,
                    "campaign.scope_added",
                    self,
                    ngettext("%(n)d supplier added to scope", "%(n)d suppliers added to scope", len(new))
                    % {"n": len(new)}
                    + (f" by {basis}" if basis else "")
                    + f": {names}",
                )
        return len(new)

    def remove_drafts(self, request_ids, by) -> tuple[list[str], list[str]]:
        """Take draft requests out of scope: they were never sent, so nothing about them reaches a
        supplier or a figure (the survey counts no draft), and they are deleted. A request that was
        sent is never removed here: the supplier has its link and the figures count it.

        Race-free: the rows are locked and deleted on the condition that they are still drafts, so a
        request sent meanwhile is kept. Returns the suppliers removed and those refused (not drafts).
        """
        ids = {int(i) for i in request_ids}
        with transaction.atomic():
            chosen = list(
                self.requests.select_for_update(of=("self",))
                .filter(pk__in=ids)
                .select_related("supplier")
                .order_by("pk")
            )
            drafts = [r for r in chosen if r.state == State.DRAFT]
            refused = [str(r.supplier) for r in chosen if r.state != State.DRAFT]
            if drafts:
                Request.objects.filter(pk__in=[r.pk for r in drafts], state=State.DRAFT).delete()
                names = [str(r.supplier) for r in drafts]
                AuditEntry.record(
                    by,
                    "campaign.scope_removed",
                    self,
                    ngettext(
                        "%(n)d draft request removed from scope",
                        "%(n)d draft requests removed from scope",
                        len(names),
                    )
                    % {"n": len(names)}
                    + f": {', '.join(names)}",
                )
        return [str(r.supplier) for r in drafts], refused

    def cannot_send(self) -> str:
        """Why this campaign's invitations cannot go out, or "" when they can.

        The invitation tells the supplier it can download the blank template through its link; without
        the file that promise is broken (the portal's download would find nothing)."""
        kind = f"{self.template_kind} {self.minimum_version}"
        if not self.blank_template_sha256:
            return (
                f"No blank template is uploaded for this campaign, and the invitation promises suppliers "
                f"they can download it through their link. Upload the blank RMI {kind} (or later) "
                f"template (the .xlsx file from responsiblemineralsinitiative.org) under Edit › Blank "
                f"template, then send."
            )
        if not storage.path_for(settings.TEMPLATES_DIR, self.blank_template_sha256).exists():
            return (
                f"The blank template {self.blank_template_name or ''} is missing from the templates "
                f"folder, so suppliers could not download it. Upload the blank RMI {kind} (or later) "
                f"template again under Edit › Blank template, then send."
            )
        return ""

    def send_requests(self, request_ids, by) -> SendResult:
        """Send the invitation of each chosen draft request (Request.send), one transaction each, so
        that one failure leaves the others sent. Refuses all of them when the campaign cannot send."""
        if problem := self.cannot_send():
            raise InvalidTransition(problem)
        result = SendResult()
        chosen = (
            self.requests.filter(pk__in={int(i) for i in request_ids})
            .select_related("supplier", "campaign__reporting_year")
            .prefetch_related("supplier__contacts")
            .order_by("pk")
        )
        for req in chosen:
            if req.state != State.DRAFT:
                result.not_drafts.append(str(req.supplier))
            elif not req.supplier.recipients():
                result.no_contact.append(str(req.supplier))
            else:
                try:
                    req.send(by)
                except InvalidTransition:  # sent by someone else a moment ago
                    result.not_drafts.append(str(req.supplier))
                else:
                    result.sent.append(str(req.supplier))
        if result.sent:
            AuditEntry.record(
                by,
                "campaign.sent",
                self,
                ngettext("%(n)d invitation sent", "%(n)d invitations sent", len(result.sent))
                % {"n": len(result.sent)},
            )
        return result


@dataclass
class SendResult:
    """What a send did: the suppliers sent to, those without a contact e-mail, those no longer drafts."""

    sent: list[str] = field(default_factory=list)
    no_contact: list[str] = field(default_factory=list)
    not_drafts: list[str] = field(default_factory=list)


class _SafeDict(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _fill(text: str, values: dict) -> str:
    # str.format_map with unknown placeholders left as typed, so a typo never breaks a mailing.
    try:
        return text.format_map(_SafeDict(values))
    except (ValueError, IndexError):
        return text


class InvalidTransition(ValueError):
    """This request cannot move to that state from where it is."""


# Request.transition's expected_file when the caller does not care which file is the latest.
ANY_FILE = object()
NEWER_FILE = "A newer file arrived from the supplier while you were looking at this request; review it before deciding."


class State(models.TextChoices):
    """The core's request states (oretrace.survey.RequestState), which the figures count."""

    DRAFT = RequestState.DRAFT.value, "Draft"
    SENT = RequestState.SENT.value, "Sent"
    OPENED = RequestState.OPENED.value, "Opened"
    SUBMITTED = RequestState.SUBMITTED.value, "Submitted"
    FOLLOW_UP = RequestState.FOLLOW_UP.value, "Follow-up requested"
    ACCEPTED = RequestState.ACCEPTED.value, "Accepted"
    DECLINED = RequestState.DECLINED.value, "Declined"
    NO_RESPONSE = RequestState.NO_RESPONSE.value, "No response"


# The moves the process allows; anything else is refused, so the history always makes sense.
TRANSITIONS: dict[str, set[str]] = {
    State.DRAFT: {State.SENT},
    State.SENT: {State.OPENED, State.SUBMITTED, State.DECLINED, State.NO_RESPONSE},
    State.OPENED: {State.SUBMITTED, State.DECLINED, State.NO_RESPONSE},
    State.SUBMITTED: {State.SUBMITTED, State.FOLLOW_UP, State.ACCEPTED, State.DECLINED},
    State.FOLLOW_UP: {State.SUBMITTED, State.ACCEPTED, State.DECLINED, State.NO_RESPONSE},
    State.ACCEPTED: {State.FOLLOW_UP, State.SUBMITTED},
    State.DECLINED: {State.SENT, State.SUBMITTED, State.ACCEPTED},
    State.NO_RESPONSE: {State.SENT, State.OPENED, State.SUBMITTED, State.DECLINED},
}
# Still waiting for the supplier: reminders go out to these. Who counts as having responded, or as
# overdue, is the core's to say (oretrace.survey); the pages filter on its answer.
AWAITING = (State.SENT, State.OPENED)


class SupplierAction(models.TextChoices):
    """What the supplier did that asks something of us (the "waiting for us" queue)."""

    UPLOAD = "upload", "New file"
    REPLY = "reply", "Reply to our follow-up"
    DECLINE = "decline", "Declined"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Request(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requests")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="requests")
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    state_changed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)  # first submission or decline
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    decline_name = models.CharField(max_length=200, blank=True)
    decline_title = models.CharField(max_length=200, blank=True)
    decline_statement = models.TextField(blank=True)
    latest_submission = models.ForeignKey(
        "Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who moved last, for the "waiting for us" queue (SurveyedSupplier.waiting_for_us): the supplier's
    # latest upload, reply or decline, and our latest action on the request. Each is written in the
    # conditional update of the move that causes it (Request.transition), under the row lock with the
    # reply (record_reply), or by an update conditional on the action seen (mark_handled): never by
    # saving a stale copy.
    supplier_action = models.CharField(max_length=10, choices=SupplierAction.choices, blank=True)
    supplier_acted_at = models.DateTimeField(null=True, blank=True)
    staff_acted_at = models.DateTimeField(null=True, blank=True)
    # Set when the file is accepted: the analyst's reason for accepting it with review errors open
    # ("accepted with exceptions"; empty for a clean acceptance) and how many errors were open then.
    exceptions_reason = models.TextField(blank=True)
    accepted_open_errors = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "supplier"], name="request_unique")]
        indexes = [
            models.Index(fields=["campaign", "state"]),
            models.Index(fields=["campaign", "responded_at"]),
            models.Index(fields=["supplier", "campaign"]),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} – {self.campaign}"

    # --- state machine -------------------------------------------------------------------------
    def can_move_to(self, to: str) -> bool:
        return to in TRANSITIONS.get(self.state, set())

    def transition(
        self, to: str, by, note: str = "", *, expected_file: int | object | None = ANY_FILE, also=None
    ) -> RequestEvent:
        """Move to ``to`` and log who did it and when; raises InvalidTransition for a move not allowed.

        ``by`` is a staff User, or a label for someone without an account ("supplier via link").
        ``expected_file``: the latest file's id the person acting has seen (an analyst accepting version
        3); a newer file that arrived meanwhile refuses the move. ``also``: other fields to set with it.

        Race-free: the row is locked (PostgreSQL) and the update is conditional on the state and the
        latest file read, so a move made from a stale copy changes nothing (SQLite, whose writers take
        turns, gets the same guarantee from the condition); only the fields of the move are written.
        """
        with transaction.atomic():
            fresh = (
                Request.objects.select_for_update()
                .only("state", "sent_at", "opened_at", "responded_at", "latest_submission_id")
                .get(pk=self.pk)
            )
            if to not in TRANSITIONS.get(fresh.state, set()):
                raise InvalidTransition(
                    f"A request that is {fresh.get_state_display().lower()} cannot become "
                    f"{State(to).label.lower()}."
                )
            if expected_file is not ANY_FILE and fresh.latest_submission_id != expected_file:
                raise InvalidTransition(NEWER_FILE)
            now = timezone.now()
            changes = {"state": to, "state_changed_at": now, **(also or {})}
            if to == State.SENT and fresh.sent_at is None:
                changes["sent_at"] = now
            if to == State.OPENED and fresh.opened_at is None:
                changes["opened_at"] = now
            if to in (State.SUBMITTED, State.DECLINED) and fresh.responded_at is None:
                changes["responded_at"] = now
            changes.update(_who_acted(to, by, now))
            moved = Request.objects.filter(
                pk=self.pk, state=fresh.state, latest_submission_id=fresh.latest_submission_id
            ).update(**changes)
            if moved != 1:
                raise InvalidTransition(
                    "The request changed while you were working on it; reload it and try again."
                )
            for field, value in changes.items():
                setattr(self, field, value)
            self.latest_submission_id = fresh.latest_submission_id
            user = by if getattr(by, "is_authenticated", False) else None
            event = RequestEvent.objects.create(
                request=self,
                from_state=fresh.state,
                to_state=to,
                by=user,
                by_label=user.get_username() if user else str(by or "system"),
                note=note,
            )
            AuditEntry.record(
                by, "request.transition", self, f"{fresh.state} → {to}" + (f": {note}" if note else "")
            )
            # In the same transaction: an integration is told of every move that happened, and of no other.
            from oretrace.web.outbox.webhooks import queue_transition

            queue_transition(self, fresh.state, to, event.at, event.by_label)
            if user is None and to in (State.SUBMITTED, State.DECLINED):
                _notify_staff(self, changes["supplier_action"], event)
        return event

    def send(self, by) -> None:
        """Send the invitation: a fresh personal link, the e-mail queued in the outbox, state "sent"."""
        from oretrace.web.outbox.mail import send_campaign_email

        if problem := self.campaign.cannot_send():
            raise InvalidTransition(problem)
        if not self.supplier.recipients():
            raise InvalidTransition(f"{self.supplier} has no contact with an e-mail address.")
        with transaction.atomic():
            self.transition(State.SENT, by)
            send_campaign_email(self, "invitation", key=f"invitation:{self.pk}:{self.events.count()}")

    def send_again(self, by, note: str = "") -> None:
        """Send the invitation again to a supplier that did not answer: the same checks as the first
        sending (the blank template it promises, a contact to send to), then state "sent" again.

        A declined request is refused: sending again would keep the decline's statement, so the survey
        would still count it; "Do not accept this decline" reopens it and tells the supplier why."""
        from oretrace.web.outbox.mail import send_campaign_email

        if self.state == State.DECLINED:
            raise InvalidTransition(
                "A declined request reopens with “Do not accept this decline”, which tells the supplier why."
            )
        if problem := self.campaign.cannot_send():
            raise InvalidTransition(problem)
        if not self.supplier.recipients():
            raise InvalidTransition(f"{self.supplier} has no contact with an e-mail address.")
        with transaction.atomic():
            self.transition(State.SENT, by, note or "sent again")
            send_campaign_email(self, "invitation", key=f"invitation:{self.pk}:{self.events.count()}")

    def preview_email(self, which: str = "invitation"):
        """The campaign e-mail ("invitation", "reminder") this request would get now, as an unsaved
        OutboundEmail: subject, text, recipients and language exactly as sending would make them.

        It is made by the sending code itself (send_campaign_email) inside a transaction that is rolled
        back, so a preview can never differ from what goes out, and nothing of it is kept: no e-mail,
        no link. The link's token in the text, which opens nothing, is replaced by a plain marker."""
        from oretrace.web.outbox.mail import send_campaign_email

        class _Discard(Exception):
            pass

        made = None
        try:
            with transaction.atomic():
                made = send_campaign_email(self, which)
                raise _Discard
        except _Discard:
            pass
        marker = f"{settings.SITE_URL}/p/(personal-link)/"
        pattern = re.escape(f"{settings.SITE_URL}/p/") + r"[\w-]+/"
        made.text = re.sub(pattern, marker, made.text)
        made.html = re.sub(pattern, marker, made.html)
        made.pk = None
        return made

    def request_follow_up(
        self, *, by, findings: list[dict], message: str, expected_file: int | object | None = ANY_FILE
    ) -> FollowUp:
        """Ask the supplier about chosen findings in one e-mail; the thread keeps the questions."""
        from oretrace.web.outbox.mail import send_email
        from oretrace.web.suppliers.models import Organisation

        recipients = self.supplier.recipients()
        if not recipients:
            raise InvalidTransition(f"{self.supplier} has no contact with an e-mail address.")
        if not findings and not message.strip():
            raise InvalidTransition("Choose at least one finding or write a message.")
        with transaction.atomic():
            self.transition(
                State.FOLLOW_UP,
                by,
                note=ngettext("%(n)d question", "%(n)d questions", len(findings)) % {"n": len(findings)},
                expected_file=expected_file,
            )
            follow_up = FollowUp.objects.create(
                request=self,
                submission=self.latest_submission,
                author=by if getattr(by, "is_authenticated", False) else None,
                author_label=by.get_username() if getattr(by, "is_authenticated", False) else str(by),
                message=message,
                questions=findings,
            )
            contact = self.supplier.primary_contact
            send_email(
                "follow-up",
                recipients,
                {
                    "request": self,
                    "message": message,
                    "questions": findings,
                    "link": self.link_url(self.issue_link()),
                    "organisation": Organisation.current(),
                },
                request=self,
                language=contact.language if contact else None,
            )
        return follow_up

    def record_reply(self, *, message: str, author_label: str) -> FollowUp:
        """The supplier's answer to our follow-up: kept in the thread, and the request is back in the
        "waiting for us" queue. Written under the row lock with the reply, and only the two fields of
        the supplier's action, so a decision an analyst made meanwhile is kept and, being older, no
        longer hides the reply."""
        with transaction.atomic():
            fresh = Request.objects.select_for_update().only("pk", "latest_submission_id").get(pk=self.pk)
            follow_up = FollowUp.objects.create(
                request=self,
                submission_id=fresh.latest_submission_id,
                from_supplier=True,
                author_label=author_label,
                message=message,
            )
            now = follow_up.created_at
            Request.objects.filter(pk=self.pk).update(
                supplier_action=SupplierAction.REPLY, supplier_acted_at=now
            )
            self.supplier_action, self.supplier_acted_at = SupplierAction.REPLY, now
            _notify_staff(self, SupplierAction.REPLY, follow_up)
        return follow_up

    def mark_handled(self, by, *, seen: dt.datetime | None) -> None:
        """Staff have dealt with what the supplier did (read the reply, reviewed the decline) without
        a move of state: the request leaves the queue. ``seen``: the supplier's action the person saw;
        a newer one that arrived meanwhile keeps the request in the queue."""
        now = timezone.now()
        with transaction.atomic():
            done = Request.objects.filter(pk=self.pk, supplier_acted_at=seen).update(staff_acted_at=now)
            if done != 1:
                raise InvalidTransition(
                    "The supplier did something new while you were looking at this request; review it first."
                )
            self.staff_acted_at = now
            AuditEntry.record(
                by,
                "request.handled",
                self,
                f"{self.get_supplier_action_display() or 'request'} marked as handled",
            )

    @property
    def awaits_supplier(self) -> bool:
        """Sent and not answered: what a reminder is for."""
        return self.state in AWAITING

    @property
    def waiting_for_us(self) -> bool:
        """In the "waiting for us" queue, as the core defines it (SurveyedSupplier.waiting_for_us)."""
        return self.surveyed_entry().waiting_for_us

    def surveyed_entry(self) -> SurveyedSupplier:
        """This request alone as the core's SurveyedSupplier, for the rules that need no other request."""
        return SurveyedSupplier(
            name=str(self.supplier_id),
            state=RequestState(self.state),
            files=1 if self.latest_submission_id else 0,
            decline_statement=self.decline_statement or None,
            supplier_action=self.supplier_action or None,
            supplier_acted_at=self.supplier_acted_at,
            staff_acted_at=self.staff_acted_at,
        )

    def open_errors(self, submission: Submission | None) -> int:
        """The review errors of ``submission`` (the file the analyst is deciding on): the core's findings
        kept in its record, counted without reading the file's smelter rows."""
        return sum(1 for f in submission.findings if f.get("severity") == "error") if submission else 0

    def accept(self, by, *, expected_file: int | None, reason: str = "", notify: bool = True) -> RequestEvent:
        """Accept the file the analyst looked at (``expected_file``; a newer one refuses). With review
        errors open it is accepted with exceptions and needs a reason, kept with the request and logged;
        the supplier is told it was accepted (``notify``), in its contact's language."""
        reason = reason.strip()
        shown = Submission.objects.filter(pk=expected_file, request=self).first() if expected_file else None
        if expected_file and shown is None:
            raise InvalidTransition("The file you accepted is not a file of this request.")
        if (
            Request.objects.filter(pk=self.pk).values_list("latest_submission_id", flat=True).get()
            != expected_file
        ):
            # Said before asking for a reason the newer file may not need; transition checks it again.
            raise InvalidTransition(NEWER_FILE)
        errors = self.open_errors(shown)
        if errors and not reason:
            raise InvalidTransition(
                f"Version {shown.version} has {errors} open review error{'s' if errors != 1 else ''}: "
                "accepting it is an acceptance with exceptions, which needs your reason."
            )
        if errors:
            note = f"accepted with exceptions ({errors} open error{'s' if errors != 1 else ''}): {reason}"
        else:
            note = reason or "accepted"
        with transaction.atomic():
            event = self.transition(
                State.ACCEPTED,
                by,
                note,
                expected_file=expected_file,
                also={"exceptions_reason": reason if errors else "", "accepted_open_errors": errors},
            )
            AuditEntry.record(
                by,
                "request.accepted_with_exceptions" if errors else "request.accepted",
                self,
                f"version {shown.version if shown else '–'}: {note}",
            )
            if notify and self.supplier.recipients():
                self._tell_supplier("accepted", {"submission": shown})
        return event

    def reject_decline(self, by, message: str) -> RequestEvent:
        """Staff do not accept the supplier's decline (a PCB maker with gold plating "has no 3TG"): the
        request opens again for the supplier, which is sent the message and its link."""
        message = message.strip()
        if not message:
            raise InvalidTransition("Say why the decline is not accepted; the supplier receives this text.")
        if not self.supplier.recipients():
            raise InvalidTransition(f"{self.supplier} has no contact with an e-mail address.")
        statement = self.decline_statement
        with transaction.atomic():
            # The decline's words leave the request (they stay in its history), or the survey would
            # still count the supplier as declined.
            event = self.transition(
                State.SENT,
                by,
                f"decline not accepted: {message}",
                also={"decline_name": "", "decline_title": "", "decline_statement": ""},
            )
            if self.latest_submission_id:
                # A file sent before the decline is the supplier's latest word again.
                ReportedSmelter.objects.filter(request=self, submission_id=self.latest_submission_id).update(
                    current=True
                )
            AuditEntry.record(by, "request.decline_rejected", self, f"statement “{statement}”: {message}")
            self._tell_supplier("decline-rejected", {"message": message, "statement": statement})
        return event

    def _tell_supplier(self, template: str, context: dict):
        """Queue ``emails/<template>-*`` to the supplier's contacts, in its primary contact's language,
        with a fresh personal link."""
        from oretrace.web.outbox.mail import send_email
        from oretrace.web.suppliers.models import Organisation

        contact = self.supplier.primary_contact
        return send_email(
            template,
            self.supplier.recipients(),
            {
                "request": self,
                "link": self.link_url(self.issue_link()),
                "organisation": Organisation.current(),
                **context,
            },
            request=self,
            language=contact.language if contact else None,
        )

    def mark_opened(self) -> None:
        """The supplier opened the link: logged once, only while the request is waiting for them. When
        the supplier's own upload moved it on meanwhile, there is nothing to log."""
        if self.state in (State.SENT, State.NO_RESPONSE):
            try:
                self.transition(State.OPENED, "supplier via link")
            except InvalidTransition:
                self.refresh_from_db()

    def decline(self, *, name: str, title: str, statement: str, by) -> RequestEvent:
        """The supplier states it has nothing to report (e.g. "our products contain no 3TG"). Its last
        word is then the decline: a file it sent before leaves the roll-up."""
        with transaction.atomic():
            event = self.transition(
                State.DECLINED,
                by,
                note=f"{name}, {title}: {statement}",
                also={"decline_name": name, "decline_title": title, "decline_statement": statement},
            )
            ReportedSmelter.objects.filter(request=self, current=True).update(current=False)
        return event

    @property
    def is_overdue(self) -> bool:
        """Overdue as the core counts it (SurveyedSupplier.overdue)."""
        return self.surveyed_entry().overdue(self.campaign.due_date, timezone.localdate())

    # --- the personal links ------------------------------------------------------------------------
    def issue_link(self, valid_days: int | None = None) -> str:
        """A fresh raw token for the supplier's link; only its hash is kept (a RequestLink). The links of
        earlier e-mails keep working until they expire: a supplier may open the invitation after a
        reminder went out."""
        raw = secrets.token_urlsafe(32)
        days = valid_days if valid_days is not None else settings.LINK_VALID_DAYS
        RequestLink.objects.create(
            request=self, token_hash=_hash_token(raw), expires_at=timezone.now() + dt.timedelta(days=days)
        )
        return raw

    def revoke_links(self, by=None) -> int:
        """Stop every link of this request from opening it (a link forwarded to the wrong person);
        the next e-mail brings a new one. Logged with ``by``; returns how many links were revoked."""
        with transaction.atomic():
            revoked = self.links.filter(revoked=False).update(revoked=True)
            if revoked:
                AuditEntry.record(
                    by,
                    "request.links_revoked",
                    self,
                    ngettext("%(n)d link revoked", "%(n)d links revoked", revoked) % {"n": revoked},
                )
        return revoked

    def send_new_link(self, by):
        """Queue the campaign's invitation again with a fresh link, the state unchanged: after the links
        were revoked, or for a supplier who lost the e-mail. Returns the queued OutboundEmail."""
        from oretrace.web.outbox.mail import send_campaign_email

        if self.state == State.DRAFT:
            raise InvalidTransition("This request was never sent: send the request itself.")
        if not self.supplier.recipients():
            raise InvalidTransition(f"{self.supplier} has no contact with an e-mail address.")
        with transaction.atomic():
            email = send_campaign_email(self, "invitation")
            AuditEntry.record(
                by, "request.new_link_sent", self, f"invitation with a new link to {', '.join(email.to)}"
            )
        return email

    def valid_links(self):
        """The links that open the request now: neither revoked nor expired."""
        return self.links.filter(revoked=False, expires_at__gt=timezone.now())

    @classmethod
    def for_token(cls, raw: str) -> Request | None:
        """The request a link token opens: any unexpired, unrevoked link of it; else None."""
        link = RequestLink.by_token(raw)
        if link is None or link.revoked or link.is_expired:
            return None
        return link.request

    @classmethod
    def token_expired(cls, raw: str) -> bool:
        """True for a token that was once valid but has expired (the portal says so, not 'unknown');
        a revoked link is not valid at all."""
        link = RequestLink.by_token(raw)
        return link is not None and not link.revoked and link.is_expired

    def link_url(self, raw: str) -> str:
        return f"{settings.SITE_URL}/p/{raw}/"

    def placeholder_values(self, link: str = "", *, today: dt.date | None = None) -> dict:
        """The values of the e-mail placeholders, worded in the active language."""
        from oretrace.web.campaigns.minerals import minerals_shown, template_name
        from oretrace.web.suppliers.models import Organisation

        contact = self.supplier.primary_contact
        campaign = self.campaign
        today = today or timezone.localdate()
        due = campaign.due_date.isoformat()
        due_on = (
            gettext("is due on %(date)s") if today <= campaign.due_date else gettext("was due on %(date)s")
        ) % {"date": due}
        return {
            "organisation": Organisation.current().name,
            "supplier": self.supplier.name,
            "contact": (contact.name if contact and contact.name else gettext("Sir or Madam")),
            "template": campaign.template_kind,
            "template_name": template_name(campaign),
            "minerals": minerals_shown(campaign),
            "minimum_version": campaign.minimum_version,
            "year": campaign.reporting_year.year,
            "due_date": due,
            "due_on": due_on,
            "sent_date": self.sent_at.date().isoformat() if self.sent_at else "",
            "link": link,
        }

    def parts(self):
        from oretrace.web.suppliers.models import Part

        return Part.objects.filter(supplier_parts__supplier=self.supplier).order_by("number")


def _who_acted(to: str, by, now: dt.datetime) -> dict:
    """The "who moved last" fields a move sets. A file (whoever uploaded it) waits for our review, and so
    does a supplier's decline; a decline an analyst records for the supplier is reviewed by recording it.
    Any other move an analyst makes (accept, follow-up, reopen, close) is our action."""
    staff = getattr(by, "is_authenticated", False)
    if to == State.SUBMITTED:
        return {"supplier_action": SupplierAction.UPLOAD, "supplier_acted_at": now}
    if to == State.DECLINED:
        return {"supplier_action": SupplierAction.DECLINE, "supplier_acted_at": now} | (
            {"staff_acted_at": now} if staff else {}
        )
    return {"staff_acted_at": now} if staff else {}


def _notify_staff(request: Request, action: str, about) -> None:
    """Tell the staff who asked to hear at once (outbox.notifications), in the caller's transaction."""
    if "outbox" in settings.OPTIONAL_APPS:
        from oretrace.web.outbox.notifications import notify_at_once

        notify_at_once(request, action, about)


class RequestLink(models.Model):
    """One personal link sent to the supplier (in the invitation, a reminder, a follow-up): only the
    SHA-256 of its token is stored; the raw token is in the e-mail. Each opens the request until it
    expires or is revoked."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Link of request {self.request_id}, expires {self.expires_at:%Y-%m-%d}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @classmethod
    def by_token(cls, raw: str) -> RequestLink | None:
        if not raw or len(raw) > 200:
            return None
        return (
            cls.objects.select_related(
                "request", "request__campaign", "request__campaign__reporting_year", "request__supplier"
            )
            .filter(token_hash=_hash_token(raw))
            .first()
        )


class RequestEvent(models.Model):
    """One move of a request's state: the history shown on the request page."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=12, choices=State.choices)
    to_state = models.CharField(max_length=12, choices=State.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    by_label = models.CharField(max_length=200)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state} by {self.by_label}"


class Submission(models.Model):
    """One uploaded file, one version: bytes on disk under its SHA-256, what the core read and found."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="submissions")
    version = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_by_label = models.CharField(max_length=200)
    template_kind = models.CharField(max_length=4)
    template_version = models.CharField(max_length=10)
    company_name = models.CharField(max_length=300, blank=True)
    declaration_scope = models.CharField(max_length=1, blank=True)
    data = models.JSONField()  # oretrace.rmi.serialise.response_to_dict: the file as read, for its page
    # The core's record of the file (oretrace.rollup.analyse.FileAnalysis.as_dict), in two parts: its
    # answers and the review's findings, which the survey's figures read for every supplier, and its
    # smelter rows with the facility each one is, which only the roll-up reads. Every campaign figure
    # is counted from these; None for a file stored before records were kept, analysed when first read.
    record = models.JSONField(null=True, blank=True)
    smelter_record = models.JSONField(null=True, blank=True)  # {"smelters": [...], "identifications": [...]}
    # The supplier's file of the year before, sent again as this year's answer ("nothing changed since
    # last year" on the portal): the same bytes, reviewed for this year, and marked as such on the pages.
    carried_over_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    analysed_at = models.DateTimeField(null=True, blank=True)
    findings_count = models.PositiveIntegerField(default=0)
    checker_missing = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["request", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["request", "version"], name="submission_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.filename} (version {self.version})"

    def file_bytes(self) -> bytes:
        return storage.read_bytes(settings.SUBMISSIONS_DIR, self.sha256)

    def file_path(self) -> Path:
        return storage.path_for(settings.SUBMISSIONS_DIR, self.sha256)

    def analysis(self) -> FileAnalysis:
        """The stored record as the core's FileAnalysis (campaigns.intake.ensure_record fills a missing one)."""
        if self.record is None:
            raise ValueError(f"{self} has no record yet")
        return FileAnalysis.from_dict({**self.record, **(self.smelter_record or {})})

    def keep_record(self, analysis: FileAnalysis) -> None:
        """Store the core's record of this file, in its two parts, with the counts list pages show."""
        record = analysis.as_dict()
        self.smelter_record = {key: record.pop(key) for key in ("smelters", "identifications")}
        self.record = record
        self.analysed_at = timezone.now()
        self.findings_count = len(analysis.report.findings) if analysis.report else 0
        self.checker_missing = analysis.report.checker_missing if analysis.report else None
        self.save(
            update_fields=["record", "smelter_record", "analysed_at", "findings_count", "checker_missing"]
        )

    @property
    def findings(self) -> list[dict]:
        """The review's findings, each {code, severity, mineral, sheet, cell, message, question}."""
        review = (self.record or {}).get("review") or {}
        return list(review.get("findings", ()))

    def findings_by_severity(self) -> dict[str, int]:
        """Findings per severity as the core counts them (ReviewReport.counts), from the record alone: a
        list of files counts them without reading each file's smelter rows."""
        if not (self.record and self.record.get("review")):
            return {}
        return FileAnalysis.from_dict(self.record).report.counts


class SmelterStatus(models.TextChoices):
    """The core's audit-status groups (oretrace.smelters.StatusGroup), and rows no facility matched."""

    CONFORMANT = StatusGroup.CONFORMANT.value, StatusGroup.CONFORMANT.label
    ACTIVE = StatusGroup.ACTIVE.value, StatusGroup.ACTIVE.label
    NON_CONFORMANT = StatusGroup.NON_CONFORMANT.value, StatusGroup.NON_CONFORMANT.label
    NOT_AUDITED = StatusGroup.NOT_AUDITED.value, StatusGroup.NOT_AUDITED.label
    UNIDENTIFIED = "unidentified", "Unidentified"
    # A name an analyst recorded as not a smelter or not 3TG (SmelterExclusion): neither a smelter nor
    # an unidentified name, as the core's roll-up counts it (Rollup.excluded).
    EXCLUDED = "excluded", "Not a smelter / not 3TG"

    @classmethod
    def audit_groups(cls) -> list[SmelterStatus]:
        """The statuses of identified facilities, for the tables and charts that count them."""
        return [s for s in cls if s not in (cls.UNIDENTIFIED, cls.EXCLUDED)]


class Facility(models.Model):
    """A smelter or refinery RMI lists, with the latest audit status we know of, or one RMI does not
    list that an analyst added by hand (``listed_by_rmi`` false: smelters.unlisted).

    RMI's are loaded from the reference list inside the blank template a campaign imported (every RMI
    template carries one) and from the audit-status lists an admin imports. One added by hand carries
    another programme's ID or an oretrace-local one, and where the analyst found it; retiring it keeps
    the row (its ID is never given again) and takes it out of identification.
    """

    smelter_id = models.CharField(max_length=40, unique=True)  # CID000000
    metal = models.CharField(max_length=30, db_index=True)
    name = models.CharField(max_length=300)
    country = models.CharField(max_length=100, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    release = models.CharField(max_length=60, blank=True)  # "CMRT 6.5": the reference list it came from
    status = models.CharField(max_length=16, choices=SmelterStatus.choices, default=SmelterStatus.NOT_AUDITED)
    status_text = models.CharField(max_length=60, blank=True)  # the status list's own word
    status_as_of = models.DateField(null=True, blank=True)
    status_source = models.CharField(max_length=200, blank=True)
    listed_by_rmi = models.BooleanField(default=True)
    id_programme = models.CharField(max_length=100, blank=True)  # whose ID smelter_id is: "LBMA"
    source = models.TextField(blank=True)  # where the analyst found a facility RMI does not list
    source_url = models.URLField(max_length=500, blank=True)
    source_document = models.CharField(max_length=255, blank=True)  # its file name, kept under its SHA-256
    source_document_sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["metal", "name"]

    def __str__(self) -> str:
        return f"{self.smelter_id} {self.name}"

    def as_core(self) -> CoreFacility:
        """The core's Facility, as identification sees it."""
        return CoreFacility(
            smelter_id=self.smelter_id,
            metal=self.metal,
            name=self.name,
            country=self.country or None,
            aliases=tuple(self.aliases),
            source=(self.source or None) if not self.listed_by_rmi else (self.release or None),
            listed_by_rmi=self.listed_by_rmi,
            id_programme=self.id_programme or None,
            source_url=self.source_url or None,
        )

    @property
    def listing(self) -> str:
        """The "Listed by RMI" cell, as the core words it for the roll-up's tables."""
        core = self.as_core()
        return listing_cell(core.listed_by_rmi, None if core.listed_by_rmi else core.provenance())


class AuditStatusList(models.Model):
    """One imported audit-status list (an RMAP facility export) as published on one date.

    Every list is kept with its records, so the risk assessment can ask which status held on which
    day and whether a conformance has lapsed (last audit, audit cycle, next audit). Facility keeps
    the latest status alone, for the listings.
    """

    name = models.CharField(max_length=200)
    as_of = models.DateField()  # the day the list was published or downloaded: it does not say itself
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    columns = models.JSONField(default=dict, blank=True)  # field -> the header it was read from
    notes = models.JSONField(default=list, blank=True)  # what the reader noticed, shown at import

    class Meta:
        # Of two lists with the same date, the one imported later wins (StatusHistory keeps this order).
        ordering = ["as_of", "imported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} as of {self.as_of:%Y-%m-%d}"


class AuditStatusRecord(models.Model):
    """What one imported list said about one facility (the core's StatusRecord)."""

    status_list = models.ForeignKey(AuditStatusList, on_delete=models.CASCADE, related_name="records")
    smelter_id = models.CharField(max_length=40)
    status = models.CharField(max_length=20, blank=True)  # oretrace.smelters.AuditStatus value, "" if none
    raw_status = models.CharField(max_length=100, blank=True)  # the list's own word
    last_audit = models.DateField(null=True, blank=True)
    cycle = models.CharField(max_length=60, blank=True)
    next_audit = models.DateField(null=True, blank=True)
    next_audit_text = models.CharField(max_length=100, blank=True)  # "Re-assessment in progress"
    row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["smelter_id", "status_list"], name="status_record_cid")]

    def __str__(self) -> str:
        return f"{self.smelter_id}: {self.raw_status or self.status or '–'}"


class ReportedSmelter(models.Model):
    """One smelter row of one submitted file as its record identified it: an index of the records'
    smelter rows, for pages that filter and count a million of them (campaigns.intake writes it).

    ``current`` marks the rows of the files the campaign's roll-up holds (each supplier's latest file,
    unless it declined since), so these pages count what the roll-up counts.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="smelters")
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    current = models.BooleanField(default=True)
    row = models.PositiveIntegerField()
    metal = models.CharField(max_length=30)
    reported_name = models.CharField(max_length=300, blank=True)
    reported_country = models.CharField(max_length=100, blank=True)
    reported_id = models.CharField(max_length=40, blank=True)
    # The smelter this row is, once identified (by its ID, the reference list, or an analyst's alias).
    smelter_id = models.CharField(max_length=40, blank=True)
    smelter_name = models.CharField(max_length=300, blank=True)
    smelter_country = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=16, choices=SmelterStatus.choices, default=SmelterStatus.UNIDENTIFIED
    )
    # How the core identified it (oretrace.smelters.Method), and why, or why not.
    method = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    # For an unidentified row: the core's key of its name (rollup.compute.unidentified_key), so that a
    # page counts the names the roll-up counts, and the facilities it may be.
    name_group = models.CharField(max_length=500, blank=True)
    candidates = models.JSONField(default=list, blank=True)  # [{smelter_id, name, country, score}]

    class Meta:
        # Covering indexes for the dashboard and the consolidated list (1,000,000 rows in the benchmark):
        # both are answered from the index alone, without reading the table.
        indexes = [
            models.Index(
                fields=["campaign", "current", "metal", "smelter_id", "status", "request"],
                name="smelter_consolidated",
            ),
            models.Index(
                fields=["campaign", "current", "status", "metal", "name_group"],
                name="smelter_unidentified_name",
            ),
            models.Index(fields=["request", "current"], name="smelter_request_current"),
        ]

    def __str__(self) -> str:
        return f"{self.metal}: {self.smelter_name or self.reported_name}"


class SmelterAlias(models.Model):
    """A name suppliers use for a smelter, confirmed by an analyst; used for every later file
    (campaigns.intake.confirm_alias records one and identifies the stored files again)."""

    metal = models.CharField(max_length=30)
    name_key = models.CharField(max_length=300)  # oretrace.smelters.names.name_key of the name
    name = models.CharField(max_length=300)
    smelter_id = models.CharField(max_length=40)
    smelter_name = models.CharField(max_length=300, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["metal", "name_key"], name="alias_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} → {self.smelter_id}"


class SmelterExclusion(models.Model):
    """A name suppliers report that an analyst recorded as no 3TG smelter (a trader, a cobalt refiner):
    the core's identification gives every row with the name Method.EXCLUDED (AnalysisSettings.excluded),
    so it leaves the unidentified names here and in ``oretrace report`` alike. Like a confirmed name, the
    core reads it by name whatever the metal: a trader is no smelter of any metal."""

    class Outcome(models.TextChoices):
        NOT_A_SMELTER = Exclusion.NOT_A_SMELTER.value, "Not a smelter"
        NOT_3TG = Exclusion.NOT_3TG.value, "Not a 3TG smelter"

    metal = models.CharField(max_length=30)
    name_key = models.CharField(max_length=300)  # oretrace.smelters.names.name_key of the name
    name = models.CharField(max_length=300)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["metal", "name_key"], name="exclusion_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}: {self.get_outcome_display().lower()}"


# A re-identification whose worker showed no sign of life for this long is taken up again (it is safe to
# run twice: each file is identified again from its stored record, one file at a time).
STALE_REIDENTIFICATION_AFTER = dt.timedelta(minutes=15)
MAX_REIDENTIFICATION_ATTEMPTS = 3


class Reidentification(models.Model):
    """Identifying the smelter rows of every stored file again, after the reference data changed (a
    reference list, a v2 table, a status list, a confirmed or excluded name), with what it changed.

    Few files are done at once, in the request that changed the data; more are done by the reidentify
    worker, which claims a queued run with a conditional UPDATE (queued -> running, ``attempts`` + 1) as
    the evidence worker claims a build, and notes its progress on the row for the reference page. One
    run at most is queued: it reads the reference data when it starts, so it covers every change made
    before then.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    because = models.CharField(max_length=300)  # what changed: "reference list of RMI_CMRT_6.5.xlsx"
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_by_label = models.CharField(max_length=200)
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    files_done = models.PositiveIntegerField(default=0)
    files_total = models.PositiveIntegerField(default=0)
    # What it changed (campaigns.reidentify.Outcome): rows that were unidentified before, and of them
    # those identified now; rows given another facility; rows no longer identified; files rewritten.
    files_changed = models.PositiveIntegerField(default=0)
    files_unidentified = models.PositiveIntegerField(default=0)  # files that had an unidentified name
    rows_changed = models.PositiveIntegerField(default=0)
    were_unidentified = models.PositiveIntegerField(default=0)
    now_identified = models.PositiveIntegerField(default=0)
    now_excluded = models.PositiveIntegerField(default=0)
    other_facility = models.PositiveIntegerField(default=0)
    lost = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="queued"), name="one_reidentification_queued"
            )
        ]

    def __str__(self) -> str:
        return f"re-identification {self.pk} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.files_done / self.files_total) if self.files_total else 0

    def summary(self) -> str:
        """What the run changed, in the analyst's words."""
        from oretrace.web.campaigns.intake import Outcome

        return Outcome.of(self).summary()


class ReferenceFile(models.Model):
    """A reference file imported as it was, kept under its SHA-256: a CFSI v2-to-CID table, or a list
    the core's oretrace.refdata reads (RMI facility lists, template reference lists, LBMA, RJC and
    the sanctions lists), with its kind, publisher and the day it is as of."""

    class Kind(models.TextChoices):
        V2_TABLE = "v2_table", "CFSI v2-to-CID translation table"
        RMI_CONFORMANT = ListKind.RMI_CONFORMANT.value, ListKind.RMI_CONFORMANT.label
        RMI_ACTIVE = ListKind.RMI_ACTIVE.value, ListKind.RMI_ACTIVE.label
        RMI_ELIGIBLE = ListKind.RMI_ELIGIBLE.value, ListKind.RMI_ELIGIBLE.label
        RMI_SUSPENDED = ListKind.RMI_SUSPENDED.value, ListKind.RMI_SUSPENDED.label
        TEMPLATE_REFERENCE = ListKind.TEMPLATE_REFERENCE.value, ListKind.TEMPLATE_REFERENCE.label
        LBMA_GOLD = ListKind.LBMA_GOLD.value, ListKind.LBMA_GOLD.label
        LBMA_SILVER = ListKind.LBMA_SILVER.value, ListKind.LBMA_SILVER.label
        RJC_MEMBERS = ListKind.RJC_MEMBERS.value, ListKind.RJC_MEMBERS.label
        OFAC_SDN = ListKind.OFAC_SDN.value, ListKind.OFAC_SDN.label
        EU_SANCTIONS = ListKind.EU_SANCTIONS.value, ListKind.EU_SANCTIONS.label
        UK_SANCTIONS = ListKind.UK_SANCTIONS.value, ListKind.UK_SANCTIONS.label

    kind = models.CharField(max_length=20, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # The day the list is as of (in force from then on); None for a v2 table, which has no date.
    as_of = models.DateField(null=True, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, blank=True)  # the status declared for an RMI page, if any
    entries = models.PositiveIntegerField(default=0)
    notes = models.JSONField(default=list, blank=True)  # what the reader noticed, shown at import
    # For an RMI facility list: the statuses kept from it, for the status history.
    status_list = models.ForeignKey(
        AuditStatusList, null=True, blank=True, on_delete=models.SET_NULL, related_name="files"
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        indexes = [models.Index(fields=["sha256", "kind"], name="reference_file_sha256")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"

    def file_bytes(self) -> bytes:
        return storage.read_bytes(settings.REFERENCE_DIR, self.sha256)


class FollowUp(models.Model):
    """One message of a request's clarification thread, from an analyst or from the supplier."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="follow_ups")
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.SET_NULL)
    from_supplier = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    author_label = models.CharField(max_length=200)
    message = models.TextField(blank=True)
    # The findings asked about: [{code, severity, mineral, sheet, cell, message, question}, ...]
    questions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_label} on {self.created_at:%Y-%m-%d}"


class FacilityStatusChange(models.Model):
    """A change of a facility's standing that a newer list, or the daily lapse check, showed (the core's
    refdata.standing): suspended, lapsed, sanctioned, newly conformant. It waits in the analysts' queue,
    with the requests whose current files name the facility, until someone marks it handled; from it
    they ask those suppliers about the facility or open a corrective action.

    One row per facility, kind and day (the import and the daily check may both see a change: it is
    recorded once). ``detail`` is the core's sentence, built from the lists, never typed by anyone.
    """

    smelter_id = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=24, choices=[(k.value, k.label) for k in ChangeKind])
    on = models.DateField()  # the day the change shows: the list's day, or the day the cycle ended
    since = models.DateField(null=True, blank=True)  # the day of the list that showed the standing before
    detail = models.TextField()
    seen_in = models.CharField(max_length=300, blank=True)  # "RMI_notice.csv (RMI notice … as of …)"
    recorded_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requests = models.ManyToManyField(Request, through="StatusChangeRequest", related_name="status_changes")

    class Meta:
        ordering = ["-on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["smelter_id", "kind", "on"], name="status_change_once")
        ]
        indexes = [models.Index(fields=["handled_at", "on"], name="status_change_open")]

    def __str__(self) -> str:
        return f"{self.smelter_id} {self.get_kind_display()} on {self.on:%Y-%m-%d}"

    @property
    def change_kind(self) -> ChangeKind:
        return ChangeKind(self.kind)

    def mark_handled(self, by) -> None:
        """Out of the queue; refused when someone else handled it first (a conditional update)."""
        now = timezone.now()
        with transaction.atomic():
            done = FacilityStatusChange.objects.filter(pk=self.pk, handled_at=None).update(
                handled_at=now, handled_by=by if getattr(by, "is_authenticated", False) else None
            )
            if done != 1:
                raise InvalidTransition("Someone marked this change as handled already.")
            self.handled_at = now
            AuditEntry.record(by, "facility.status_change_handled", self, str(self))


class StatusChangeRequest(models.Model):
    """A request whose current file names a facility whose standing changed, and what we did about it:
    the follow-up sent to the supplier, the corrective action opened (a risk.RiskAction's id: the risk
    app is optional, so no foreign key to it)."""

    change = models.ForeignKey(FacilityStatusChange, on_delete=models.CASCADE, related_name="links")
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="+")
    followed_up_at = models.DateTimeField(null=True, blank=True)
    action_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["change", "request"], name="status_change_request_once")
        ]

    def __str__(self) -> str:
        return f"{self.change} – request {self.request_id}"
