"""Writing through the web's own forms: the API checks a supplier or a contact with the form the staff
pages use (the same country names, the same uniqueness), so there is one set of rules, not two.

An update is race-free: the row is locked (PostgreSQL; SQLite's writers take turns) and the form is
checked again against it as it is now, so a PATCH writes only what it sends over what is stored,
never over a copy read before someone else's change.
"""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from rest_framework import serializers

from oretrace.web.audit.models import AuditEntry


class FormChecked(serializers.ModelSerializer):
    """A serializer whose ``form_class`` (a ModelForm of the web) validates and saves the object."""

    form_class: type
    audit_action: str

    def checked_form(self, attrs: dict, instance: models.Model | None):
        """The web's form over ``instance`` (or the model's defaults) with ``attrs`` written on it,
        validated; raises the form's errors as the API's."""
        names = self.form_class._meta.fields
        if instance is not None:
            data = {name: getattr(instance, name) for name in names}
        else:
            # What a request leaves out takes the model's default (a form reads a missing tick box as
            # "no", so a new supplier would be inactive).
            fields = {f.name: f for f in self.form_class._meta.model._meta.fields}
            data = {name: fields[name].get_default() for name in names if fields[name].has_default()}
        data.update(attrs)
        data = {k: v.pk if isinstance(v, models.Model) else v for k, v in data.items()}
        form = self.form_class(data=data, instance=instance)
        if not form.is_valid():
            raise serializers.ValidationError({k: list(v) for k, v in form.errors.items()})
        return form

    def validate(self, attrs):
        form = self.checked_form(attrs, self.instance)
        return {**attrs, **{k: form.cleaned_data[k] for k in attrs if k in form.cleaned_data}}

    def save_form(self, attrs: dict, instance: models.Model | None, **extra) -> models.Model:
        user = self.context["request"].user
        try:
            with transaction.atomic():
                if instance is not None:
                    instance = type(instance).objects.select_for_update().get(pk=instance.pk)
                form = self.checked_form(attrs, instance)
                saved = form.save(commit=False)
                for key, value in extra.items():
                    setattr(saved, key, value)
                saved.save()
                AuditEntry.record(user, self.audit_action, saved, "API: " + ", ".join(form.changed_data))
        except IntegrityError:
            # Another request wrote the same natural key between our check and our write.
            raise serializers.ValidationError(
                "Another request saved the same record at the same moment; read it and send again."
            ) from None
        return saved

    def create(self, validated_data):
        return self.save_form(self.initial_attrs(validated_data), None)

    def update(self, instance, validated_data):
        return self.save_form(self.initial_attrs(validated_data), instance)

    def initial_attrs(self, validated_data: dict) -> dict:
        """What the request sent, as the form takes it (before the form cleaned it)."""
        return {k: v for k, v in validated_data.items() if k in self.form_class._meta.fields}
