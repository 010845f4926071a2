"""Forms of the customer-request pages: a request registered or changed, a file imported, the list's filters."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model

from oretrace.web.accounts.models import can_edit
from oretrace.web.campaigns import storage
from oretrace.web.campaigns.models import Campaign
from oretrace.web.customers.models import Customer, CustomerRequest
from oretrace.web.forms import CleanText

VERSION = re.compile(r"^\d+(\.\d+)?$")


class CustomerRequestForm(CleanText, forms.ModelForm):
    customer_name = forms.CharField(
        max_length=300, label="Customer", help_text="A customer not registered yet is added."
    )
    portal_url = forms.URLField(required=False, assume_scheme="https", label="Portal URL")
    # Who asks comes first, as on the customer's own request; the rest follow the model.
    field_order = ["customer_name"]

    class Meta:
        model = CustomerRequest
        fields = [
            "contact_name",
            "contact_email",
            "template_kind",
            "template_version",
            "scope",
            "due_date",
            "received_on",
            "channel",
            "portal_url",
            "owner",
            "campaign",
            "notes",
        ]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "received_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "due_date": {"invalid": "Enter the due date as YYYY-MM-DD, e.g. 2026-06-30."},
            "received_on": {"invalid": "Enter the day it was received as YYYY-MM-DD, e.g. 2026-05-04."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["customer_name"].initial = self.instance.customer.name
        editors = [u.pk for u in get_user_model().objects.filter(is_active=True) if can_edit(u)]
        self.fields["owner"].queryset = get_user_model().objects.filter(pk__in=editors).order_by("username")
        self.fields["campaign"].queryset = Campaign.objects.select_related("reporting_year")
        self.fields["campaign"].empty_label = "The latest campaign of the kind asked for"

    def clean_template_version(self):
        version = self.cleaned_data["template_version"].strip()
        if not VERSION.match(version):
            raise forms.ValidationError(
                f'"{version}" is not a template version; write it as RMI does, e.g. 6.5.'
            )
        return version

    def clean(self):
        data = super().clean()
        if data.get("channel") == CustomerRequest.Channel.PORTAL and not data.get("portal_url"):
            self.add_error(
                "portal_url", "The customer's portal needs its address, to upload the answer there."
            )
        if data.get("channel") == CustomerRequest.Channel.EMAIL and not data.get("contact_email"):
            self.add_error("contact_email", "An answer by e-mail needs the customer contact's address.")
        campaign, kind = data.get("campaign"), data.get("template_kind")
        if campaign and kind and campaign.template_kind != kind:
            # Our EMRT says what our suppliers told us in their EMRTs: a CMRT campaign cannot answer it.
            self.add_error(
                "campaign",
                f"{campaign} collects the {campaign.template_kind}; the customer asks for the {kind}. "
                f"Choose one of our {kind} campaigns, or leave it blank for the latest one.",
            )
        return data

    def save(self, commit=True):
        name = self.cleaned_data["customer_name"].strip()
        customer = Customer.objects.filter(name__iexact=name).first() or Customer.objects.create(name=name)
        self.instance.customer = customer
        return super().save(commit)


class UploadForm(forms.Form):
    file = forms.FileField()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if problem := storage.upload_size_problem(upload.size):
            raise forms.ValidationError(problem)
        return upload


class FilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *CustomerRequest.Status.choices], required=False)
    kind = forms.ChoiceField(
        choices=[("", "Any template"), *CustomerRequest.Kind.choices], required=False, label="Template"
    )
    customer = forms.ModelChoiceField(Customer.objects.all(), required=False, empty_label="Any customer")
    due = forms.ChoiceField(
        choices=[("", "Any due date"), ("overdue", "Overdue"), ("30", "Due within 30 days")], required=False
    )
