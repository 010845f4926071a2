"""Forms of the staff pages."""

from __future__ import annotations

from dataclasses import replace

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password

from oretrace.errors import BadInput
from oretrace.refdata import Family, ListKind
from oretrace.rmi.minerals import chosen_minerals, minerals_asked
from oretrace.rollup.countries import country_name
from oretrace.smelters import AuditStatus
from oretrace.smelters.unlisted import MINERALS, local_id, split_aliases, unlisted_facility
from oretrace.web.accounts.models import Role
from oretrace.web.campaigns.models import Campaign
from oretrace.web.campaigns.storage import upload_size_problem
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
    minerals_text = forms.CharField(
        label="Minerals in scope",
        required=False,
        help_text="Separated by commas, e.g. Cobalt, Lithium, Nickel. Leave blank for every mineral the "
        "template asks about: CMRT tin, tantalum, tungsten, gold; CRT cobalt; EMRT 1.x cobalt, mica; "
        "EMRT 2.x cobalt, copper, graphite, lithium, mica, nickel; AMRT its version's list.",
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
        "minerals_text",
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
            self.fields["minerals_text"].initial = ", ".join(self.instance.minerals)
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

    def clean(self):
        cleaned = super().clean()
        kind, version = cleaned.get("template_kind"), cleaned.get("minimum_version")
        if not (kind and version):
            return cleaned
        try:
            minerals_asked(kind, version)
        except BadInput as error:
            self.add_error("minimum_version", error.message)
            return cleaned
        chosen = [
            part for part in cleaned.get("minerals_text", "").replace(";", ",").split(",") if part.strip()
        ]
        try:
            minerals = chosen_minerals(kind, version, chosen)
        except BadInput as error:
            self.add_error("minerals_text", error.message)
            return cleaned
        # Stored only when chosen: a campaign asking about every mineral follows its template.
        cleaned["minerals"] = list(minerals) if chosen else []
        return cleaned


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


_RMI_KINDS = (ListKind.RMI_ELIGIBLE, ListKind.RMI_CONFORMANT, ListKind.RMI_ACTIVE, ListKind.RMI_SUSPENDED)
_OTHER_KINDS = tuple(k for k in ListKind if k.family in (Family.CERTIFICATION, Family.SANCTIONS))


class StatusListForm(forms.Form):
    file = forms.FileField(
        help_text="An RMI facility list (CSV or XLSX) with smelter IDs: an export with a status column, "
        "or the Conformant or Active page, or a notice of suspensions, saved as a file."
    )
    kind = forms.ChoiceField(
        label="Which list",
        choices=[(k.value, k.label) for k in _RMI_KINDS],
        initial=ListKind.RMI_ELIGIBLE.value,
        required=False,
        help_text="The Conformant and Active pages and a notice of suspensions have no status column: every "
        "facility on them holds the page's status.",
    )
    status = forms.ChoiceField(
        label="Status of facilities the file gives none",
        # RMI's current words; the 2014 "Compliant" and "Progressing" are read from old files, not declared.
        choices=[("", "(read from the file)")]
        + [
            (s.value, s.value)
            for s in AuditStatus
            if s not in (AuditStatus.COMPLIANT, AuditStatus.PROGRESSING)
        ],
        required=False,
        help_text="For an export without a status column, or rows left blank.",
    )
    as_of = forms.DateField(
        label="Published or downloaded on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A status is true only as of this date.",
    )

    def clean_kind(self) -> ListKind:
        return ListKind(self.cleaned_data.get("kind") or ListKind.RMI_ELIGIBLE.value)

    def clean_status(self) -> AuditStatus | None:
        value = self.cleaned_data.get("status")
        return AuditStatus(value) if value else None


class ReferenceListForm(forms.Form):
    file = forms.FileField(
        help_text="The list as its publisher offers it: CSV or XLSX for LBMA and RJC; OFAC's sdn.xml or "
        "sdn.csv; the EU's XML; the UK's CSV or XML."
    )
    kind = forms.ChoiceField(label="Which list", choices=[(k.value, k.label) for k in _OTHER_KINDS])
    as_of = forms.DateField(
        label="Published or downloaded on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to take the day the file states (OFAC, EU, UK), else today.",
    )

    def clean_kind(self) -> ListKind:
        return ListKind(self.cleaned_data["kind"])


class ReferenceTemplateForm(forms.Form):
    template = forms.FileField(
        help_text="A blank RMI template (CMRT, EMRT, AMRT); its Smelter Look-up is loaded."
    )


class V2TableForm(forms.Form):
    table = forms.FileField(
        help_text="CFSI's v2-to-CID translation table (CSV or XLSX): 2014-era files name smelters by "
        "old v2 IDs such as 1JPN072, which this table turns into CIDs."
    )


class UnlistedFacilityForm(CleanText, forms.Form):
    """A facility RMI does not list. The core checks it (smelters.unlisted.unlisted_facility), so the
    web, the CSV of the command line and the tests refuse the same input with the same words."""

    name = forms.CharField(max_length=300)
    mineral = forms.ChoiceField(choices=[(m, m) for m in MINERALS])
    country = forms.CharField(max_length=100)
    smelter_id = forms.CharField(
        label="ID",
        max_length=40,
        required=False,
        help_text="Its ID in another programme (an LBMA, RJC or national-registry ID). Leave blank for an "
        "oretrace-local ID (OT-LOCAL-000001).",
    )
    programme = forms.CharField(
        label="Programme of the ID",
        max_length=100,
        required=False,
        help_text="LBMA, RJC, a national registry.",
    )
    source = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text="Where the facility is documented, in words."
    )
    source_url = forms.URLField(label="Source URL", max_length=500, required=False, assume_scheme="https")
    source_document = forms.FileField(label="Source document", required=False)
    aliases = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Other names it goes by, one a line (or separated by ;).",
    )

    def __init__(self, *args, fixed_id: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_id = fixed_id  # editing: the ID stays, files and aliases refer to it
        if fixed_id is not None:
            self.fields["smelter_id"].disabled = True
            self.fields["smelter_id"].help_text = "The ID does not change: files and names refer to it."

    def clean_source_document(self):
        upload = self.cleaned_data.get("source_document")
        if upload and (problem := upload_size_problem(upload.size)):
            raise forms.ValidationError(problem)
        return upload

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["facility"] = unlisted_facility(
                name=data.get("name"),
                mineral=data.get("mineral"),
                country=data.get("country"),
                # Blank: a stand-in ID for the checks; campaigns.unlisted gives the real next local ID when saving.
                smelter_id=self.fixed_id or data.get("smelter_id") or local_id(0),
                programme=data.get("programme"),
                source=data.get("source"),
                source_url=data.get("source_url"),
                aliases=split_aliases(data.get("aliases")),
            )
        except BadInput as error:
            raise forms.ValidationError(error.message) from None
        if not self.fixed_id and not data.get("smelter_id"):
            data["facility"] = replace(data["facility"], smelter_id="")
        return data

    def document(self) -> tuple[str, bytes] | None:
        upload = self.cleaned_data.get("source_document")
        return (upload.name, upload.read()) if upload else None
