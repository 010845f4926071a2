"""Legal holds and the retention periods a company set: what the purge reads before it deletes."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from oretrace.retention import RetentionPolicy
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Campaign
from oretrace.web.suppliers.models import Supplier


class RetentionPeriod(models.Model):
    """A period the company set for a record kind or a regime (oretrace.retention), in place of the
    default; a key without a row keeps the default."""

    key = models.CharField(max_length=40, unique=True)  # a RecordKind or Regime value
    years = models.PositiveSmallIntegerField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key}: {self.years} years"

    @classmethod
    def policy(cls) -> RetentionPolicy:
        """The core's policy: the defaults with the periods set here."""
        return RetentionPolicy.from_settings(dict(cls.objects.values_list("key", "years")))

    @classmethod
    def set_years(cls, key: str, years: int, by) -> bool:
        """Set one period (refused by the core, by name, when it is no period); whether it changed."""
        before = cls.policy()
        after = before.with_years(key, years)
        if after == before:
            return False
        with transaction.atomic():
            cls.objects.update_or_create(key=key, defaults={"years": years, "changed_by": by})
            AuditEntry.record(by, "retention.period_set", None, f"{key}: {years} years")
        return True


class HoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(released_at__isnull=True)

    def covering(self, campaign_id: int, supplier_id: int):
        """The active holds that keep one supplier's answer to one campaign."""
        return self.active().filter(Q(campaign_id=campaign_id) | Q(supplier_id=supplier_id))


class LegalHold(models.Model):
    """Records that must not be deleted whatever their age (a dispute, an authority's inquiry): every
    record of a campaign, or every record of a supplier in any campaign, until the hold is released."""

    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_by_label = models.CharField(max_length=200)
    placed_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_by_label = models.CharField(max_length=200, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    objects = HoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(campaign__isnull=False, supplier__isnull=True)
                | Q(campaign__isnull=True, supplier__isnull=False),
                name="legal_hold_on_one_campaign_or_supplier",
            )
        ]

    def __str__(self) -> str:
        return f"legal hold on {self.subject}"

    @property
    def subject(self) -> Campaign | Supplier:
        return self.campaign or self.supplier

    @property
    def is_active(self) -> bool:
        return self.released_at is None

    @classmethod
    def place(cls, subject: Campaign | Supplier, reason: str, by) -> LegalHold:
        """Hold ``subject``'s records. The campaign's or supplier's row is locked first, as the purge
        locks it before it checks for holds: a purge that began before the hold finishes first, one
        that begins after sees it."""
        with transaction.atomic():
            type(subject).objects.select_for_update().get(pk=subject.pk)
            hold = cls.objects.create(
                campaign=subject if isinstance(subject, Campaign) else None,
                supplier=subject if isinstance(subject, Supplier) else None,
                reason=reason,
                placed_by=by,
                placed_by_label=by.get_username(),
            )
            AuditEntry.record(by, "retention.hold_placed", hold, reason)
        return hold

    def release(self, by) -> bool:
        """End the hold; False when someone released it already (nothing is logged twice)."""
        with transaction.atomic():
            now = timezone.now()
            released = LegalHold.objects.filter(pk=self.pk, released_at__isnull=True).update(
                released_at=now, released_by=by, released_by_label=by.get_username()
            )
            if released != 1:
                return False
            AuditEntry.record(by, "retention.hold_released", self, self.reason)
        self.refresh_from_db()
        return True
