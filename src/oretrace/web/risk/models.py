"""Risk response (OECD DDG Step 3): the year's thresholds, the risk register and its corrective actions.

The assessment itself is the core's (oretrace.risk.assess): this app keeps what the core leaves to the
organisation: the thresholds in force per reporting year, the actions taken on each risk with their
owner, due date, evidence and escalation, and who the owner's manager is. Every change to an action is
written to the audit log; evidence files are kept byte for byte under their SHA-256 and never replaced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from oretrace.batteries.categories import CATEGORIES
from oretrace.errors import BadInput
from oretrace.refdata.screening import CONFIRMED, DISMISSED, Decision, Hit, decide
from oretrace.risk import RiskThresholds
from oretrace.rollup.cahra import read_country_list
from oretrace.rollup.countries import CountryList
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import storage
from oretrace.web.campaigns.models import Campaign
from oretrace.web.suppliers.models import ReportingYear

# Evidence an auditor can open: documents, spreadsheets, images, e-mails and archives of them.
EVIDENCE_SUFFIXES = (
    ".pdf", ".docx", ".doc", ".xlsx", ".xlsm", ".xls", ".csv", ".txt", ".odt", ".ods",
    ".png", ".jpg", ".jpeg", ".gif", ".eml", ".msg", ".zip",
)  # fmt: skip


def evidence_dir() -> Path:
    """Where evidence files live: ORETRACE's var folder unless RISK_EVIDENCE_DIR is set."""
    return Path(getattr(settings, "RISK_EVIDENCE_DIR", None) or settings.VAR_DIR / "evidence")


def cahra_dir() -> Path:
    """Where imported CAHRA files live: ORETRACE's var folder unless CAHRA_DIR is set."""
    return Path(getattr(settings, "CAHRA_DIR", None) or settings.VAR_DIR / "cahra")


class YearThresholds(models.Model):
    """The risk thresholds in force for one reporting year, as ``RiskThresholds.as_dict()``."""

    reporting_year = models.OneToOneField(
        ReportingYear, on_delete=models.CASCADE, related_name="risk_thresholds"
    )
    values = models.JSONField(default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "year thresholds"

    def __str__(self) -> str:
        return f"Risk thresholds {self.reporting_year}"

    @classmethod
    def for_year(cls, year: ReportingYear) -> RiskThresholds:
        """The year's thresholds; the core's defaults when none were saved."""
        found = cls.objects.filter(reporting_year=year).first()
        return RiskThresholds.from_dict(found.values) if found else RiskThresholds()

    @classmethod
    def save_for(cls, year: ReportingYear, thresholds: RiskThresholds, by) -> YearThresholds:
        values = thresholds.as_dict()
        with transaction.atomic():
            row, _ = cls.objects.select_for_update().get_or_create(reporting_year=year)
            before = row.values
            row.values = values
            row.updated_by = by
            row.save()
            changed = sorted(k for k in values if before.get(k) != values[k]) if before else ["all"]
            AuditEntry.record(by, "risk.thresholds_saved", row, "changed: " + ", ".join(changed))
        return row


class ReportingLine(models.Model):
    """Whom a staff member reports to: an escalated action goes to the owner's manager."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reporting_line"
    )
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.user} → {self.manager}"

    @staticmethod
    def manager_of(user):
        line = ReportingLine.objects.filter(user=user).select_related("manager").first() if user else None
        return line.manager if line else None


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class SubjectKind(models.TextChoices):
    SUPPLIER = "supplier", "Supplier"
    SMELTER = "smelter", "Smelter"


class CannotEscalate(ValueError):
    """Nobody with an e-mail address to escalate to."""


class StaleEdit(BadInput):
    """An edit made on a copy of an action that someone changed since; nothing of it is saved."""


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date | None = None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


class RiskAction(models.Model):
    """One corrective action on one risk: a register entry (OECD DDG Step 3, risk management plan)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="risk_actions")
    reporting_year = models.ForeignKey(ReportingYear, on_delete=models.PROTECT, related_name="risk_actions")
    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    subject_key = models.CharField(max_length=300)  # RiskRating.key: file label, supplier name, or CID
    subject_label = models.CharField(max_length=300)
    flag_code = models.CharField(max_length=60, blank=True)  # oretrace.risk.codes.FLAG_KINDS
    # The risk category of Annex X of the Batteries Regulation (or of the OECD model policy) the risk
    # falls under, for the battery due-diligence report's adverse impacts (Article 52(3)); blank for
    # none. Set only through set_annex_x_category, a conditional update.
    annex_x_category = models.CharField(
        max_length=40,
        blank=True,
        choices=[(code, category.title) for code, category in CATEGORIES.items()],
        verbose_name="Annex X risk category",
    )
    what = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risk_actions",
    )
    owner_role = models.CharField(max_length=100, blank=True)  # the role the standard response names
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["campaign", "status", "due_date"]),
            models.Index(fields=["campaign", "subject_key"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject_label}: {self.what[:80]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def flag_title(self) -> str:
        from oretrace.risk import FLAG_KINDS

        kind = FLAG_KINDS.get(self.flag_code)
        return kind.title if kind else ""

    @classmethod
    def open_for(cls, campaign: Campaign, *, by, **fields) -> RiskAction:
        """Open an action on a campaign's risk; logged with what and whom."""
        with transaction.atomic():
            action = cls.objects.create(
                campaign=campaign, reporting_year=campaign.reporting_year, created_by=by, **fields
            )
            owner = action.owner.get_username() if action.owner else action.owner_role or "no owner"
            AuditEntry.record(
                by, "risk.action_opened", action, f"{action.what} · owner {owner} · due {action.due_date}"
            )
        return action

    # Fields an edit may change, in the order the audit entry lists them.
    EDITABLE = ("what", "owner", "owner_role", "due_date", "status")

    def edit_version(self) -> str:
        """A fingerprint of the editable fields as this copy holds them: the edit form carries the one
        the person saw, so an edit made on top of someone else's is refused rather than undoing it."""
        fields = ("what", "owner_id", "owner_role", "due_date", "status")
        seen = "\x1f".join(str(getattr(self, name)) for name in fields)
        return hashlib.sha256(seen.encode()).hexdigest()[:16]

    def change(self, by, *, seen_version: str | None = None, **values) -> list[str]:
        """Apply an edit; returns the fields changed and logs them. Closing stamps ``closed_at``.

        The row is locked and the edit compared with what is stored now, not with this copy, and only
        the changed fields are written (the Annex X category or an escalation made meanwhile stays).
        With ``seen_version`` (the form's), an edit of a row someone changed since raises StaleEdit."""
        with transaction.atomic():
            current = RiskAction.objects.select_for_update().get(pk=self.pk)
            if seen_version is not None and current.edit_version() != seen_version:
                raise StaleEdit(
                    "Someone changed this action while you were editing it; nothing was saved. "
                    "Check what it says now and make your edit again."
                )
            changed, fields = [], {}
            for name in self.EDITABLE:
                if name in values and getattr(current, name) != values[name]:
                    changed.append(f"{name}: {_shown(getattr(current, name))} → {_shown(values[name])}")
                    fields[name] = values[name]
            for name in self.EDITABLE:  # this copy shows what is stored now, whatever happens next
                setattr(self, name, getattr(current, name))
            self.closed_at = current.closed_at
            if not changed:
                return []
            for name, value in fields.items():
                setattr(self, name, value)
            if self.is_open:
                self.closed_at = None
            elif current.closed_at is None:
                self.closed_at = timezone.now()
            fields["closed_at"] = self.closed_at
            RiskAction.objects.filter(pk=self.pk).update(**fields)
            AuditEntry.record(by, "risk.action_changed", self, "; ".join(changed))
        return changed

    def set_annex_x_category(self, by, category: str, *, was: str) -> bool:
        """Tag the action with an Annex X risk category ("" for none), only if it still has ``was``, the
        category the person saw: False when someone changed it meanwhile, and nothing is written."""
        if category and category not in CATEGORIES:
            raise BadInput(f"Unknown Annex X risk category {category!r}.")
        if category == was:
            return True
        with transaction.atomic():
            updated = RiskAction.objects.filter(pk=self.pk, annex_x_category=was).update(
                annex_x_category=category
            )
            if updated != 1:
                return False
            self.annex_x_category = category
            AuditEntry.record(
                by,
                "risk.action_changed",
                self,
                f"annex_x_category: {CATEGORIES[was].title if was else '–'} → "
                f"{CATEGORIES[category].title if category else '–'}",
            )
        return True

    def close(self, by, status: str, note: str = "") -> None:
        if status not in (ActionStatus.DONE, ActionStatus.CANCELLED):
            raise BadInput("An action is closed as done or cancelled.")
        with transaction.atomic():
            self.change(by, status=status)
            if note.strip():
                self.add_note(by, note)

    def add_note(self, by, text: str) -> ActionNote:
        text = text.strip()
        if not text:
            raise BadInput("Write a note first.")
        with transaction.atomic():
            note = ActionNote.objects.create(
                action=self, author=by, author_label=by.get_username() if by else "system", text=text
            )
            AuditEntry.record(by, "risk.action_note", self, text[:500])
        return note

    def add_evidence(self, by, data: bytes, filename: str) -> ActionEvidence:
        """Keep one evidence file byte for byte under its SHA-256; a bad file stores nothing."""
        filename = (filename or "evidence").replace("/", "_").replace("\\", "_")[:255]
        if not data:
            raise BadInput("The file is empty.")
        if problem := storage.upload_size_problem(len(data)):
            raise BadInput(problem)
        if not filename.lower().endswith(EVIDENCE_SUFFIXES):
            raise BadInput(
                f"{filename} is not a kind of file kept as evidence; send one of "
                f"{', '.join(s.lstrip('.') for s in EVIDENCE_SUFFIXES)}."
            )
        digest = storage.store_bytes(evidence_dir(), data)
        with transaction.atomic():
            evidence = ActionEvidence.objects.create(
                action=self, sha256=digest, filename=filename, size=len(data), uploaded_by=by
            )
            AuditEntry.record(
                by, "risk.evidence_added", self, f"{filename} ({len(data)} bytes, sha256 {digest})"
            )
        return evidence

    def escalation_recipients(self) -> tuple[list[str], str]:
        """Who hears of the next escalation: the owner's manager at level 1, their manager at level 2,
        and so on up the reporting lines (the highest manager on record when the line ends). Without any
        manager on record, the admins. Returns (addresses, whom in words)."""
        person, level = self.owner, self.escalation_level + 1
        chain = []
        seen = set()
        while person is not None and len(chain) < level and person.pk not in seen:
            seen.add(person.pk)
            person = ReportingLine.manager_of(person)
            if person is not None:
                chain.append(person)
        if chain and chain[-1].email:
            manager = chain[-1]
            above = "manager" if len(chain) == 1 else f"manager {len(chain)} levels up"
            return [manager.email], f"{manager.get_username()} ({above} of {self.owner.get_username()})"
        from django.contrib.auth import get_user_model

        from oretrace.web.accounts.models import can_administer

        admins = [
            u for u in get_user_model().objects.filter(is_active=True).exclude(email="") if can_administer(u)
        ]
        return [u.email for u in admins], "the admins (no manager with an e-mail address on record)"

    def escalate(self, by, note: str = ""):
        """Raise the escalation level and queue an e-mail to the owner's manager (see escalation_recipients)."""
        from oretrace.web.outbox.mail import send_email

        if not self.is_open:
            raise CannotEscalate("Only an open action can be escalated.")
        recipients, whom = self.escalation_recipients()
        if not recipients:
            raise CannotEscalate(
                "Nobody to escalate to: set the owner's manager on the reporting lines page, "
                "or give an admin an e-mail address."
            )
        with transaction.atomic():
            locked = RiskAction.objects.select_for_update().get(pk=self.pk)
            self.escalation_level = locked.escalation_level + 1
            self.escalated_at = timezone.now()
            self.save(update_fields=["escalation_level", "escalated_at"])
            email = send_email(
                "risk-escalation",
                recipients,
                {
                    "action": self,
                    "level": self.escalation_level,
                    "by": by,
                    "note": note.strip(),
                    "link": f"{settings.SITE_URL}/risk/actions/{self.pk}/",
                },
                key=f"risk-escalation:{self.pk}:{self.escalation_level}",
            )
            AuditEntry.record(
                by,
                "risk.action_escalated",
                self,
                f"level {self.escalation_level} to {whom}" + (f": {note}" if note.strip() else ""),
            )
        return email, whom


def _shown(value) -> str:
    if value is None or value == "":
        return "–"
    if hasattr(value, "get_username"):
        return value.get_username()
    return str(value)[:120]


class ActionEvidence(models.Model):
    """A file kept as evidence for an action, stored under its SHA-256 (campaigns.storage)."""

    action = models.ForeignKey(RiskAction, on_delete=models.CASCADE, related_name="evidence")
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename

    def file_bytes(self) -> bytes:
        return storage.read_bytes(evidence_dir(), self.sha256)

    def file_path(self) -> Path:
        return storage.path_for(evidence_dir(), self.sha256)


class ActionNote(models.Model):
    """One message of an action's notes thread."""

    action = models.ForeignKey(RiskAction, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    author_label = models.CharField(max_length=200)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author_label} on {self.created_at:%Y-%m-%d}"


class CahraList(models.Model):
    """An imported list of conflict-affected and high-risk areas (the EU CAHRA list, say), by country.

    Every import is kept; the one with the latest date applies (of two with the same date, the later
    import). A smelter in a country on it gets the CAHRA red flag and RMI country level 3 even outside
    the Covered Countries. The file itself is kept byte for byte under its SHA-256 (campaigns.storage), so
    an auditor can compare it with the list as published; lists imported before that have no ``size``.
    """

    name = models.CharField(max_length=200)
    as_of = models.DateField()  # the day the list was published
    countries = models.JSONField(default=list)  # as the file spells them; CountryList matches spellings
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(null=True, blank=True)  # None: imported before files were kept
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-as_of", "-imported_at", "-pk"]
        verbose_name = "CAHRA list"

    def __str__(self) -> str:
        return f"{self.name} of {self.as_of:%Y-%m-%d}"

    @classmethod
    def current(cls) -> CahraList | None:
        """The list that applies: the newest by date."""
        return cls.objects.first()

    @classmethod
    def import_file(cls, data: bytes, filename: str, *, name: str, as_of: dt.date, by) -> CahraList:
        """Read a country list (one per line, or a CSV or workbook with a country column) and keep it,
        with the file itself.

        Raises BadInput, with nothing stored, when the file holds no readable country list.
        """
        countries = read_country_list(data, filename)
        digest = storage.store_bytes(cahra_dir(), data)
        with transaction.atomic():
            imported = cls.objects.create(
                name=name,
                as_of=as_of,
                countries=countries,
                filename=filename[:255],
                sha256=digest,
                size=len(data),
                imported_by=by if getattr(by, "is_authenticated", False) else None,
            )
            AuditEntry.record(
                by, "risk.cahra_list_imported", imported, f"{filename}: {len(countries)} countries"
            )
        return imported

    @property
    def has_file(self) -> bool:
        return self.size is not None

    def file_bytes(self) -> bytes:
        return storage.read_bytes(cahra_dir(), self.sha256)

    def country_list(self) -> CountryList:
        return CountryList(self.countries)


class ScreeningDecision(models.Model):
    """An analyst's verdict on a sanctions screening hit (oretrace.refdata.screening) in one campaign:
    confirmed (a red flag on the facility or supplier) or dismissed (not shown again for the same list
    entry and subject), with the reason and the hit as the core explained it when decided."""

    class Verdict(models.TextChoices):
        CONFIRMED = CONFIRMED, "Confirmed"
        DISMISSED = DISMISSED, "Dismissed"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="screening_decisions")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    decided_by_label = models.CharField(max_length=150)
    decided_at = models.DateTimeField(default=timezone.now)
    subject_kind = models.CharField(max_length=10)  # "facility" or "supplier"
    subject_key = models.CharField(max_length=300)  # the facility's CID or the supplier's name
    subject = models.CharField(max_length=300)
    list_kind = models.CharField(max_length=20)
    list_as_of = models.DateField()
    entry_key = models.CharField(max_length=100)
    entry_name = models.CharField(max_length=500)
    entry_programme = models.CharField(max_length=500, blank=True)
    matched_name = models.CharField(max_length=500)
    score = models.FloatField()
    match = models.CharField(max_length=10)
    explanation = models.TextField()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            # One decision per subject and list entry in a campaign: a second analyst deciding at the
            # same moment gets "already decided", never a second row.
            models.UniqueConstraint(
                fields=["campaign", "subject_kind", "subject_key", "list_kind", "entry_key"],
                name="screening_decision_once",
            )
        ]

    @classmethod
    def record(cls, campaign: Campaign, hit: Hit, verdict: str, reason: str, by) -> ScreeningDecision:
        """Keep the decision on a hit and audit it; BadInput without a reason or when already decided."""
        decision = decide(hit, verdict, reason, by=by.get_username(), on=timezone.localdate())
        try:
            with transaction.atomic():
                row = cls.objects.create(
                    campaign=campaign,
                    verdict=decision.verdict,
                    reason=decision.reason,
                    decided_by=by,
                    decided_by_label=decision.decided_by,
                    subject_kind=decision.subject_kind,
                    subject_key=decision.subject_key,
                    subject=decision.subject,
                    list_kind=decision.list_kind,
                    list_as_of=decision.list_as_of,
                    entry_key=decision.entry_key,
                    entry_name=decision.entry_name,
                    entry_programme=decision.entry_programme or "",
                    matched_name=decision.matched_name,
                    score=decision.score,
                    match=decision.match,
                    explanation=decision.explanation,
                )
                AuditEntry.record(
                    by,
                    f"risk.screening_{decision.verdict}",
                    campaign,
                    f"{decision.subject} / {decision.list_kind} entry {decision.entry_key}: {decision.reason}"[
                        :500
                    ],
                )
        except IntegrityError:
            raise BadInput(
                f"The hit of {hit.subject.name} on entry {hit.entry_key} is already decided."
            ) from None
        return row

    def as_decision(self) -> Decision:
        """The core's Decision this row keeps, for the risk assessment and screening.csv."""
        return Decision(
            verdict=self.verdict,
            reason=self.reason,
            decided_by=self.decided_by_label,
            decided_on=timezone.localdate(self.decided_at),
            subject_kind=self.subject_kind,
            subject_key=self.subject_key,
            subject=self.subject,
            list_kind=self.list_kind,
            list_as_of=self.list_as_of,
            entry_key=self.entry_key,
            entry_name=self.entry_name,
            entry_programme=self.entry_programme or None,
            matched_name=self.matched_name,
            score=self.score,
            match=self.match,
            explanation=self.explanation,
        )
