"""Forms of the staff pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password

from oretrace.rollup.countries import country_name
from oretrace.web.accounts.models import Role
from oretrace.web.campaigns.models import Campaign
from oretrace.web.forms import CleanText
from oretrace.web.suppliers.imports import unknown_country
from oretrace.web.suppliers.models import Contact, Organisation, Supplier

COMPANY_QUESTIONS = "ABCDEFGH"


class SupplierForm(CleanText, forms.ModelForm):
    class Meta:
        model = Supplier
        fields = ["key", "name", "tier", "country", "internal_owner", "notes", "active"]
        help_texts = {
            "country": 'An ISO 3166 code or English name ("DE", "Germany"); stored as ISO names it.'
        }

    def clean_country(self) -> str:
        """The country's ISO 3166 short name, as the import stores it ("DE" -> "Germany")."""
        value = self.cleaned_data["country"]
        if value and (name := country_name(value)) is None:
            raise forms.ValidationError(unknown_country(value))
        return name if value else value


class ContactForm(CleanText, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "email", "phone", "language", "is_primary", "is_escalation"]


class CampaignForm(CleanText, forms.ModelForm):
    year = forms.IntegerField(min_value=2010, max_value=2100, label="Reporting year")
    reminder_days_text = forms.CharField(
        label="Reminders (days after sending)", required=False, help_text="e.g. 14, 28"
    )
    blank_template = forms.FileField(
        required=False, help_text="The blank RMI template suppliers should fill (kept byte for byte)."
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "template_kind",
            "minimum_version",
            "due_date",
            "escalation_days",
            "invitation_subject",
            "invitation_body",
            "reminder_subject",
            "reminder_body",
            "escalation_subject",
            "escalation_body",
            "closed",
        ]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "closed": "A closed campaign sends no more reminders and leaves the dashboard's default view."
        }

    field_order = [
        "name",
        "year",
        "template_kind",
        "minimum_version",
        "blank_template",
        "due_date",
        "reminder_days_text",
        "escalation_days",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["year"].initial = self.instance.reporting_year.year
            self.fields["reminder_days_text"].initial = ", ".join(map(str, self.instance.reminder_days))
        else:
            self.fields["reminder_days_text"].initial = "14, 28"
            # A new campaign may start from an earlier one: the same suppliers, with their contacts.
            self.fields["start_from"] = forms.ModelChoiceField(
                Campaign.objects.select_related("reporting_year").order_by("-reporting_year__year", "-pk"),
                required=False,
                label="Start from an earlier campaign",
                help_text="Puts the same suppliers in scope (their contacts come with them) as draft requests.",
            )

    def clean_reminder_days_text(self):
        text = self.cleaned_data["reminder_days_text"]
        try:
            days = sorted({int(p) for p in text.replace(";", ",").split(",") if p.strip()})
        except ValueError:
            raise forms.ValidationError(
                "Write whole numbers of days separated by commas, e.g. 14, 28."
            ) from None
        if any(d <= 0 or d > 365 for d in days):
            raise forms.ValidationError("Each reminder is between 1 and 365 days after sending.")
        return days


class OrganisationForm(CleanText, forms.ModelForm):
    policy_url = forms.URLField(
        required=False, assume_scheme="https", label="Responsible minerals policy URL"
    )

    class Meta:
        model = Organisation
        fields = ["name", "address", "policy_url", "contact_email", "eu_importer", "eu_report_published"]
        widgets = {"eu_report_published": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for letter in COMPANY_QUESTIONS:
            self.fields[f"q_{letter}"] = forms.CharField(
                label=f"Company question {letter}",
                required=False,
                initial=self.instance.company_answers.get(letter, ""),
            )

    def save(self, commit=True):
        self.instance.company_answers = {
            letter: self.cleaned_data[f"q_{letter}"]
            for letter in COMPANY_QUESTIONS
            if self.cleaned_data.get(f"q_{letter}")
        }
        return super().save(commit)


class UserForm(forms.Form):
    username = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    role = forms.ChoiceField(choices=Role.choices)
    password = forms.CharField(widget=forms.PasswordInput, strip=False)

    def clean_username(self):
        name = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("A user with this name exists.")
        return name

    def clean_password(self):
        password = self.cleaned_data["password"]
        # The settings' validators, against the user as it will be (name and e-mail, for similarity).
        user = get_user_model()(
            username=self.cleaned_data.get("username", ""), email=self.cleaned_data.get("email", "")
        )
        validate_password(password, user)
        return password


class DeclineForm(CleanText, forms.Form):
    name = forms.CharField(max_length=200)
    title = forms.CharField(max_length=200)
    statement = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class UploadForm(forms.Form):
    file = forms.FileField()


class StatusListForm(forms.Form):
    file = forms.FileField(
        help_text="An RMI facility list export (CSV or XLSX) with smelter IDs and statuses."
    )
    as_of = forms.DateField(
        label="Published or downloaded on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A status is true only as of this date.",
    )


class ReferenceTemplateForm(forms.Form):
    template = forms.FileField(
        help_text="A blank RMI template (CMRT, EMRT, AMRT); its Smelter Look-up is loaded."
    )


class V2TableForm(forms.Form):
    table = forms.FileField(
        help_text="CFSI's v2-to-CID translation table (CSV or XLSX): 2014-era files name smelters by "
        "old v2 IDs such as 1JPN072, which this table turns into CIDs."
    )
