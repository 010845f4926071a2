"""Our side as a supplier: the customers who ask us for a CMRT (EMRT, CRT, AMRT), each request with its due date, scope and
status, every answer we prepared for it (the file kept under its SHA-256) and when it went to whom, and
the blank templates of the versions customers ask for."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from oretrace.errors import BadInput
from oretrace.rmi import read_template
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import storage
from oretrace.web.campaigns.models import Campaign
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.reports.models import GeneratedDeclaration, declarations_dir


class Customer(models.Model):
    name = models.CharField(max_length=300, unique=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BlankTemplate(models.Model):
    """RMI's blank template of one kind and version, imported once: a customer who asks for CMRT 6.31 (or
    EMRT 2.0) gets our answer written into that version, not into the one our own campaign collects."""

    kind = models.CharField(max_length=10)
    version = models.CharField(max_length=10)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="one_blank_template_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.version}"

    def file_bytes(self) -> bytes:
        return storage.read_bytes(settings.TEMPLATES_DIR, self.sha256)

    @classmethod
    def import_file(cls, data: bytes, filename: str, by) -> BlankTemplate:
        """Keep the file as the blank of the kind and version it is (read from its content); a second
        import of a version replaces the first. The reader's BadInput says what is wrong with the file."""
        template = read_template(data, name=filename)
        # Not the answers or the smelter rows: RMI's own blanks carry leftover examples there (CMRT 6.31
        # answers Tantalum Q2-Q8, 6.4 lists a tin smelter), which the writer overwrites. A company name
        # is never in a blank.
        if template.company.name.value:
            raise BadInput(
                f"{filename} is filled in (by {template.company.name.value}); import RMI's blank "
                f"{template.kind} {template.version}."
            )
        digest = storage.store_bytes(settings.TEMPLATES_DIR, data)
        with transaction.atomic():
            blank, _ = cls.objects.update_or_create(
                kind=str(template.kind),
                version=template.version,
                defaults={
                    "filename": filename,
                    "sha256": digest,
                    "imported_by": by,
                    "imported_at": timezone.now(),
                },
            )
            AuditEntry.record(by, "customers.template_imported", blank, f"{filename}, sha256 {digest[:12]}")
        return blank


class CustomerRequest(models.Model):
    """One customer's request for our CMRT (EMRT, CRT, AMRT): a name for it that cannot be taken for Django's
    request, nor for campaigns.Request, which is our request to a supplier."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        IN_PREPARATION = "in_preparation", "In preparation"
        SENT = "sent", "Sent"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        NEEDS_UPDATE = "needs_update", "Needs update"

    class Scope(models.TextChoices):
        COMPANY = "company", "Company level"
        PRODUCTS = "products", "Their part numbers (product level)"

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        PORTAL = "portal", "Their portal"

    class Kind(models.TextChoices):
        CMRT = "CMRT", "CMRT"
        EMRT = "EMRT", "EMRT"
        CRT = "CRT", "CRT"
        AMRT = "AMRT", "AMRT"

    # Which status each status may be reached from: a change from any other is refused, so two people
    # acting at once never send an answer twice or acknowledge one that was never sent.
    MOVES = {
        Status.IN_PREPARATION: {Status.RECEIVED, Status.IN_PREPARATION, Status.NEEDS_UPDATE},
        # From "received" or "needs update" only for a file sent outside oretrace (answers.record_sent_file).
        Status.SENT: {Status.RECEIVED, Status.IN_PREPARATION, Status.NEEDS_UPDATE},
        Status.ACKNOWLEDGED: {Status.SENT},
        Status.NEEDS_UPDATE: {Status.SENT, Status.ACKNOWLEDGED},
    }
    # Still to be answered: what the due-date reminders are about.
    OPEN = (Status.RECEIVED, Status.IN_PREPARATION, Status.NEEDS_UPDATE)

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="requests")
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    template_kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CMRT)
    template_version = models.CharField(max_length=10, help_text="As the customer asks for it, e.g. 6.5.")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.COMPANY)
    due_date = models.DateField()
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    portal_url = models.URLField(blank=True, verbose_name="portal URL")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer_requests",
        help_text="Who answers it, and is reminded of its due date; blank: whoever registers it.",
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=(
            "The campaign whose results answer it, of the kind asked for; blank: the latest campaign of "
            "that kind, whichever it is then."
        ),
    )
    received_on = models.DateField(default=timezone.localdate)
    notes = models.TextField(blank=True)
    status_note = models.TextField(blank=True)  # why it needs an update, in words
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="customer_request_status")]

    def __str__(self) -> str:
        return f"{self.customer} {self.template_kind} {self.template_version} due {self.due_date:%Y-%m-%d}"

    @property
    def is_product_level(self) -> bool:
        return self.scope == self.Scope.PRODUCTS

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN and self.due_date < timezone.localdate()

    def answering_campaign(self) -> Campaign | None:
        if self.campaign_id:
            return self.campaign
        return latest_campaign(self.template_kind)

    def latest_answer(self) -> CustomerAnswer | None:
        return self.answers.order_by("-prepared_at", "-pk").first()

    def last_sent_answer(self) -> CustomerAnswer | None:
        return self.answers.filter(sent_at__isnull=False).order_by("-sent_at", "-pk").first()

    def move(self, to: str, by, detail: str = "", **also) -> bool:
        """Change the status when it may be reached from the present one (a conditional UPDATE), and
        log it; False when the request's status no longer allows it."""
        moved = CustomerRequest.objects.filter(pk=self.pk, status__in=self.MOVES[to]).update(
            status=to, **also
        )
        if moved != 1:
            return False
        before = self.get_status_display()
        self.status = to
        for name, value in also.items():
            setattr(self, name, value)
        AuditEntry.record(
            by,
            "customers.status_changed",
            self,
            f"{before} → {self.get_status_display()}{'; ' + detail if detail else ''}",
        )
        return True


def latest_campaign(kind: str) -> Campaign | None:
    """The latest campaign collecting ``kind``: an EMRT is answered from what our suppliers told us in
    their EMRTs, never from a CMRT campaign."""
    return (
        Campaign.objects.filter(template_kind=kind)
        .select_related("reporting_year")
        .order_by("-reporting_year__year", "-created_at", "-pk")
        .first()
    )


class CustomerPart(models.Model):
    """One of the customer's part numbers a product-level request covers, as its list gave it."""

    request = models.ForeignKey(CustomerRequest, on_delete=models.CASCADE, related_name="parts")
    row = models.PositiveIntegerField()  # the row of the customer's list
    number = models.CharField(max_length=100)
    our_number = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["row", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="customer_part_once")]

    def __str__(self) -> str:
        return self.number


class CustomerAnswer(models.Model):
    """One answer for a request: the file, kept under its SHA-256 in the declarations folder (a CMRT we
    generated, through GeneratedDeclaration; or a file we made outside oretrace, an EMRT say), what a
    generated one tells the customer (oretrace.customers.answer_summary), and once sent, when, how and
    to whom."""

    class Via(models.TextChoices):
        EMAIL = "email", "E-mail from oretrace"
        PORTAL = "portal", "Uploaded to their portal"
        OUTSIDE = "outside", "Sent outside oretrace"

    request = models.ForeignKey(CustomerRequest, on_delete=models.CASCADE, related_name="answers")
    # None for a file made outside oretrace: there is no derivation to compare it with.
    generated = models.OneToOneField(
        GeneratedDeclaration, null=True, blank=True, on_delete=models.PROTECT, related_name="customer_answer"
    )
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    campaign = models.ForeignKey(Campaign, null=True, on_delete=models.SET_NULL, related_name="+")
    template_version = models.CharField(max_length=10)
    summary = models.JSONField(default=dict)
    fingerprint = models.CharField(max_length=64, blank=True)  # blank: made outside oretrace
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    prepared_by_label = models.CharField(max_length=200)
    prepared_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_via = models.CharField(max_length=10, choices=Via.choices, blank=True)
    sent_to = models.JSONField(default=list, blank=True)
    sent_by_label = models.CharField(max_length=200, blank=True)
    email = models.ForeignKey(
        OutboundEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The answer we would send now that the analyst judged this sent one still stands for
    # (answers.current_key: the campaign and the fingerprint): the scheduled check flags it again only
    # when what we would send changes further.
    still_holds_for = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-prepared_at", "-pk"]

    def __str__(self) -> str:
        return self.filename

    def file_path(self) -> Path:
        return storage.path_for(declarations_dir(), self.sha256)

    def file_bytes(self) -> bytes:
        return storage.read_bytes(declarations_dir(), self.sha256)
