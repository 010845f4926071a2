from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from oretrace.web.forms import CleanText
from oretrace.web.grievances.models import Category, Message, Severity


def _limit_text(field: forms.CharField) -> None:
    # The limit is a setting (GRIEVANCE_MAX_CHARS), read when the form is made.
    limit = settings.GRIEVANCE_MAX_CHARS
    field.max_length = limit
    field.widget.attrs["maxlength"] = str(limit)
    field.validators.append(
        MaxLengthValidator(
            limit,
            _(
                "Your text has %(show_value)d characters; up to %(limit_value)d characters are accepted. "
                "Please shorten it, or attach a document."
            ),
        )
    )


class ConcernForm(CleanText, forms.Form):
    concern = forms.CharField(
        label=_("What is your concern?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened or is happening, when, and who is involved, as far as you know."),
    )
    where_supplier = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    where_smelter = forms.CharField(label=_("Smelter, refiner or mine"), max_length=200, required=False)
    where_country = forms.CharField(label=_("Country or region"), max_length=100, required=False)
    reporter_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    reporter_email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        required=False,
        help_text=_("We e-mail you when we reply. Leave it empty and read our replies through your link."),
    )
    # Hidden from people by the page's style; a form-filling robot fills it in (and is refused).
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_text(self.fields["concern"])


class ReporterMessageForm(CleanText, forms.Form):
    text = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_text(self.fields["text"])


class TriageForm(CleanText, forms.Form):
    category = forms.ChoiceField(choices=[("", "Not yet categorised"), *Category.choices], required=False)
    severity = forms.ChoiceField(choices=[("", "Not yet assessed"), *Severity.choices], required=False)
    suppliers = forms.CharField(
        required=False,
        label="Suppliers (supplier numbers, one a line)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    smelters = forms.CharField(
        required=False,
        label="Smelters and refiners (CIDs, one a line)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StaffMessageForm(CleanText, forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (k, Message.Kind(k).label) for k in (Message.Kind.NOTE, Message.Kind.ACTION, Message.Kind.REPLY)
        ]
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)


class CloseForm(CleanText, forms.Form):
    outcome = forms.CharField(
        label="Outcome (goes into the case register of the evidence package; no personal data)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
