from __future__ import annotations

from django import forms

from oretrace.retention import LONGEST_YEARS, RecordKind, Regime
from oretrace.web.campaigns.models import Campaign
from oretrace.web.forms import CleanText
from oretrace.web.suppliers.models import Supplier


class PeriodsForm(CleanText, forms.Form):
    """One field per record kind and per regime, each the years it keeps a record."""

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in RecordKind:
            self.fields[kind.value] = forms.IntegerField(
                label=kind.title, min_value=1, max_value=LONGEST_YEARS, initial=policy.kind_years[kind]
            )
        for regime in Regime:
            self.fields[regime.value] = forms.IntegerField(
                label=regime.title, min_value=1, max_value=LONGEST_YEARS, initial=policy.regime_years[regime]
            )


class HoldForm(CleanText, forms.Form):
    campaign = forms.ModelChoiceField(
        Campaign.objects.select_related("reporting_year"),
        required=False,
        empty_label="(no campaign: a supplier)",
    )
    supplier = forms.CharField(
        required=False,
        max_length=100,
        label="or a supplier (its supplier number)",
        help_text="Every campaign's records of that supplier.",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_supplier(self):
        key = self.cleaned_data["supplier"].strip()
        if not key:
            return None
        supplier = Supplier.objects.filter(key=key).first()
        if supplier is None:
            raise forms.ValidationError(f"No supplier has the number {key}.")
        return supplier

    def clean(self):
        data = super().clean()
        if bool(data.get("campaign")) == bool(data.get("supplier")) and not self.errors:
            raise forms.ValidationError(
                "Choose either a campaign or a supplier to hold, not both and not neither."
            )
        return data

    @property
    def subject(self):
        return self.cleaned_data.get("campaign") or self.cleaned_data.get("supplier")
