"""The append-only audit log: who changed what, and when. Rows are written once and never changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Left, Replace


class AppendOnly(Exception):
    """The audit log can only grow."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit entries cannot be changed")

    def delete(self):
        raise AppendOnly("audit entries cannot be deleted")

    # The words of an entry a pseudonym may replace; its actor (a staff member or a worker), time,
    # action and object reference never change.
    PSEUDONYMISED = ("object_label", "detail")

    def pseudonymise(self, old: str, new: str) -> set[int]:
        """Replace ``old`` (a person's e-mail address or phone number) by ``new`` in the words of these
        entries: the one change the log allows, when a person asks to be forgotten (GDPR Art 17). One
        UPDATE per column, however many entries; the ids of the entries changed."""
        changed = set()
        for name in self.PSEUDONYMISED:
            matching = self.filter(**{f"{name}__contains": old})
            changed.update(matching.values_list("pk", flat=True))
            models.QuerySet.update(
                matching, **{name: self._within(name, Replace(name, Value(old), Value(new)))}
            )
        return changed

    def pseudonymise_each(self, scrub) -> set[int]:
        """Rewrite the words of each of these entries with ``scrub`` (text -> text), for replacements a
        database cannot make, such as a name only where it stands as a word; the ids of those changed."""
        changed = set()
        for entry in self.only("pk", *self.PSEUDONYMISED):
            fields = {name: scrub(getattr(entry, name)) for name in self.PSEUDONYMISED}
            fields = {name: value for name, value in fields.items() if value != getattr(entry, name)}
            if fields:
                limited = {
                    name: value[: self.model._meta.get_field(name).max_length]
                    for name, value in fields.items()
                }
                models.QuerySet.update(self.filter(pk=entry.pk), **limited)
                changed.add(entry.pk)
        return changed

    def _within(self, name: str, expression):
        # A label stays within its column when the pseudonym is longer than what it replaces.
        limit = self.model._meta.get_field(name).max_length
        return Left(expression, limit) if limit else expression


class AuditEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    # Who, in words, for actors without an account ("supplier via link", "reminder worker").
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=60)  # "supplier.created", "request.transition", ...
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    detail = models.TextField(blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit entries cannot be deleted")

    @classmethod
    def record(cls, actor, action: str, obj=None, detail: str = "") -> AuditEntry:
        """Log one change. ``actor`` is a User, or a string for someone without an account."""
        user = actor if getattr(actor, "is_authenticated", False) else None
        label = user.get_username() if user else str(actor or "system")
        return cls.objects.create(
            actor=user,
            actor_label=label[:200],
            action=action,
            object_type=obj._meta.model_name if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_label=str(obj)[:300] if obj is not None else "",
            detail=detail,
        )
