"""The grievance mechanism (OECD Guidance Step 1(e), EU Regulation 2017/821 Art. 4(e)): concerns anyone
may report about our mineral supply chain, without an account, and the staff's handling of each.

A reporter gets a reference and a secret link; only the link's SHA-256 is stored, so the database
alone opens no case. The reporter's name and e-mail are optional and kept on the case only: the
figures and the register the reports take (``as_core_case``) carry neither. Every change is one
conditional UPDATE or runs under the case's row lock, and is written to the audit log without the
reporter's words or identity.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from oretrace.grievances import GrievanceCase
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import storage

REPORTER = "reporter via link"
# A reference a person can read out on the phone: no 0/O or 1/I to confuse.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def attachments_dir() -> Path:
    """Where reporters' attachments live: ORETRACE's var folder unless GRIEVANCE_DIR is set."""
    return Path(getattr(settings, "GRIEVANCE_DIR", None) or settings.VAR_DIR / "grievances")


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Category(models.TextChoices):
    # The core's categories (oretrace.grievances.CATEGORIES), in the staff's words.
    HUMAN_RIGHTS = "human_rights", "Serious human rights abuses"
    ARMED_GROUPS = "armed_groups", "Support to armed groups or security forces"
    BRIBERY_ORIGIN = "bribery_origin", "Bribery or misrepresented origin"
    MONEY_LAUNDERING = "money_laundering", "Money laundering, unpaid taxes or royalties"
    ENVIRONMENT = "environment", "Environmental harm"
    OTHER = "other", "Other"
    NOT_SUPPLY_CHAIN = "not_supply_chain", "Outside our mineral supply chain"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class CaseClosed(Exception):
    """The case is closed: it takes no more replies or triage."""


class Case(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=20, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    language = models.CharField(max_length=16, blank=True)
    # What the reporter wrote: the concern and where it arose, as they put it.
    concern = models.TextField()
    where_supplier = models.CharField(max_length=200, blank=True)
    where_smelter = models.CharField(max_length=200, blank=True)
    where_country = models.CharField(max_length=100, blank=True)
    # Personal data, optional: blank for an anonymous report; never leaves this table.
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_email = models.EmailField(blank=True)
    # The staff's handling.
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    suppliers = models.ManyToManyField("suppliers.Supplier", blank=True, related_name="grievance_cases")
    smelters = models.ManyToManyField("campaigns.Facility", blank=True, related_name="grievance_cases")
    outcome = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        # The audit log names a case by this: its reference, never the reporter.
        return f"Grievance {self.reference}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_anonymous(self) -> bool:
        return not (self.reporter_name or self.reporter_email)

    @staticmethod
    def new_reference() -> str:
        year = timezone.localdate().year
        return f"G-{year}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))

    @classmethod
    def receive(cls, *, concern: str, language: str = "", **fields) -> tuple[Case, str]:
        """Record a new concern; returns the case and its secret (shown once, never stored)."""
        secret = secrets.token_urlsafe(24)
        with transaction.atomic():
            while True:
                reference = cls.new_reference()
                if not cls.objects.filter(reference=reference).exists():
                    break
            case = cls.objects.create(
                reference=reference,
                secret_sha256=secret_hash(secret),
                concern=concern,
                language=language,
                **fields,
            )
            Message.objects.create(case=case, kind=Message.Kind.REPORTER, author_label=REPORTER, text=concern)
            AuditEntry.record(REPORTER, "grievance.received", case, "anonymous" if case.is_anonymous else "")
        return case, secret

    @classmethod
    def for_link(cls, reference: str, secret: str) -> Case | None:
        case = cls.objects.filter(reference=reference).first()
        if case is None or not hmac.compare_digest(case.secret_sha256, secret_hash(secret)):
            return None
        return case

    def _locked(self) -> Case:
        """The case under its row lock, as the database has it now."""
        return Case.objects.select_for_update().get(pk=self.pk)

    def triage(self, by, *, category: str, severity: str, suppliers, smelters) -> None:
        with transaction.atomic():
            case = self._locked()
            if case.is_closed:
                raise CaseClosed(f"{self.reference} is closed.")
            Case.objects.filter(pk=self.pk).update(
                category=category,
                severity=severity,
                status=self.Status.IN_PROGRESS,
            )
            case.suppliers.set(suppliers)
            case.smelters.set(smelters)
            detail = (
                f"category {category or '–'}, severity {severity or '–'}, "
                f"suppliers: {', '.join(s.key for s in suppliers) or '–'}, "
                f"smelters: {', '.join(f.smelter_id for f in smelters) or '–'}"
            )
            AuditEntry.record(by, "grievance.triaged", case, detail)
        self.refresh_from_db()

    def add_staff_entry(self, by, kind: str, text: str) -> Message:
        """A note or an action (staff only), or a reply the reporter reads; a reply is e-mailed to a
        reporter who left an address, in the same transaction."""
        with transaction.atomic():
            case = self._locked()
            if case.is_closed and kind == Message.Kind.REPLY:
                raise CaseClosed(f"{self.reference} is closed.")
            message = Message.objects.create(
                case=case, kind=kind, author=by, author_label=by.get_username(), text=text
            )
            Case.objects.filter(pk=self.pk, status=self.Status.RECEIVED).update(
                status=self.Status.IN_PROGRESS
            )
            # The text stays on the case: the audit log goes into the evidence package, and a note or
            # a reply may quote the reporter.
            AuditEntry.record(by, f"grievance.{kind}", case)
            if kind == Message.Kind.REPLY and case.reporter_email:
                from oretrace.web.grievances.notifications import email_reply

                email_reply(case, message)
        self.refresh_from_db()
        return message

    def add_reporter_message(self, text: str) -> Message:
        with transaction.atomic():
            case = self._locked()
            if case.is_closed:
                raise CaseClosed(f"{self.reference} is closed.")
            message = Message.objects.create(
                case=case, kind=Message.Kind.REPORTER, author_label=REPORTER, text=text
            )
            AuditEntry.record(REPORTER, "grievance.reporter_wrote", case)
        return message

    def close(self, by, outcome: str) -> bool:
        """Close the case with its outcome; False when someone closed it a moment before."""
        with transaction.atomic():
            # The lock comes first and the time after it: a reporter's message that held the lock
            # a moment before is then always earlier than the closing.
            self._locked()
            closed = (
                Case.objects.filter(pk=self.pk)
                .exclude(status=self.Status.CLOSED)
                .update(
                    status=self.Status.CLOSED,
                    outcome=outcome,
                    closed_at=timezone.now(),
                    closed_by=by,
                )
            )
            if closed:
                AuditEntry.record(by, "grievance.closed", self, outcome[:300])
                if self.reporter_email:
                    from oretrace.web.grievances.notifications import email_closed

                    self.refresh_from_db()
                    email_closed(self)
        self.refresh_from_db()
        return bool(closed)

    def as_core_case(self) -> GrievanceCase:
        """The case as the core counts it: no reporter's name, e-mail or words."""
        return GrievanceCase(
            reference=self.reference,
            received_on=timezone.localdate(self.received_at),
            category=self.category,
            severity=self.severity,
            closed_on=timezone.localdate(self.closed_at) if self.closed_at else None,
            outcome=self.outcome,
            country=self.where_country,
            suppliers=tuple(s.name for s in self.suppliers.all()),
            smelters=tuple(f"{f.smelter_id} {f.name}" for f in self.smelters.all()),
        )


class Message(models.Model):
    """One entry of a case's history: the reporter's words, a reply to them, or a staff note or action."""

    class Kind(models.TextChoices):
        REPORTER = "reporter", "From the reporter"
        REPLY = "reply", "Reply to the reporter"
        NOTE = "note", "Internal note"
        ACTION = "action", "Action taken"

    VISIBLE_TO_REPORTER = (Kind.REPORTER, Kind.REPLY)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    author_label = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    """A file a reporter sent, kept byte for byte under its SHA-256."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.filename}"

    @classmethod
    def keep(
        cls, case: Case, message: Message | None, data: bytes, filename: str, content_type: str
    ) -> Attachment:
        digest = storage.store_bytes(attachments_dir(), data)
        return cls.objects.create(
            case=case,
            message=message,
            filename=filename[:255],
            content_type=content_type,
            size=len(data),
            sha256=digest,
        )

    def read(self) -> bytes:
        return storage.read_bytes(attachments_dir(), self.sha256)
