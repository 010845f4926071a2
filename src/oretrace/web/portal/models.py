"""A supplier's answers typed into the portal, kept as a draft until submitted (issue #14 A)."""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils import timezone


class OnlineDraft(models.Model):
    """The online form's answers for one request: ``oretrace.online.declaration_to_dict`` JSON.

    ``version`` counts the saves. A save names the version it was edited from and is a conditional
    update on it, so two browser tabs cannot overwrite each other's answers silently: the second one
    is told the draft changed and shown the newer answers.
    """

    request = models.OneToOneField("campaigns.Request", on_delete=models.CASCADE, related_name="online_draft")
    version = models.PositiveIntegerField(default=1)
    answers = models.JSONField(default=dict)
    started_from = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"online draft of request {self.request_id}, version {self.version}"

    def save_answers(self, answers: dict, *, edited_version: int, started_from: str | None = None) -> bool:
        """Store ``answers`` if nobody saved since ``edited_version``; False (nothing changed) otherwise."""
        changes = {"answers": answers, "version": F("version") + 1, "updated_at": timezone.now()}
        if started_from is not None:
            changes["started_from"] = started_from
        saved = OnlineDraft.objects.filter(pk=self.pk, version=edited_version).update(**changes) == 1
        self.refresh_from_db()
        return saved

    def claim_for_submit(self, *, edited_version: int) -> bool:
        """Take the draft at ``edited_version`` for submitting: of two tabs submitting it, one does."""
        claimed = (
            OnlineDraft.objects.filter(pk=self.pk, version=edited_version).update(
                version=F("version") + 1, updated_at=timezone.now()
            )
            == 1
        )
        self.refresh_from_db()
        return claimed
