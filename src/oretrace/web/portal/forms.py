from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from oretrace.web.forms import CleanText

NO_MINERALS = "no-minerals"
NOT_NECESSARY = "not-necessary"
OTHER = "other"


class DeclineForm(CleanText, forms.Form):
    reason = forms.ChoiceField(
        label=_("Your statement"),
        widget=forms.RadioSelect,
        choices=[
            (NO_MINERALS, _("Our products contain none of the minerals this template asks about.")),
            (
                NOT_NECESSARY,
                _("These minerals are not necessary to the functionality or production of our products."),
            ),
            (OTHER, _("Another reason (write it below).")),
        ],
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required for another reason; optional otherwise."),
    )
    name = forms.CharField(label=_("Your name"), max_length=200)
    title = forms.CharField(label=_("Your job title"), max_length=200)
    confirm = forms.BooleanField(label=_("I am authorised to make this statement for my company."))

    def clean(self):
        data = super().clean()
        if data.get("reason") == OTHER and not (data.get("explanation") or "").strip():
            self.add_error("explanation", _("Please write the reason."))
        return data

    def statement(self, minerals: str, *, one: bool = False) -> str:
        """The statement as stored on the request, in English for the analyst and the audit trail.
        ``one``: ``minerals`` names a single mineral ("cobalt is not necessary")."""
        reason = self.cleaned_data["reason"]
        explanation = self.cleaned_data["explanation"].strip()
        if reason == NO_MINERALS:
            text = f"Our products contain no {minerals}."
        elif reason == NOT_NECESSARY:
            verb = "is" if one else "are"
            text = f"{minerals[:1].upper()}{minerals[1:]} {verb} not necessary to the functionality or production of our products."
        else:
            text = explanation
            explanation = ""
        return f"{text} {explanation}".strip()


class AnswerForm(CleanText, forms.Form):
    message = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is a setting (PORTAL_ANSWER_MAX_CHARS), read when the form is made.
        limit = settings.PORTAL_ANSWER_MAX_CHARS
        message = self.fields["message"]
        message.max_length = limit
        message.widget.attrs["maxlength"] = str(limit)
        message.validators.append(
            MaxLengthValidator(
                limit,
                _(
                    "Your answer has %(show_value)d characters; answers of up to %(limit_value)d "
                    "characters are accepted. Please shorten it."
                ),
            )
        )
