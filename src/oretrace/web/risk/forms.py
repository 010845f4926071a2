"""Forms of the risk pages. The thresholds form leaves every judgement to the core (RiskThresholds)."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model

from oretrace.batteries.categories import CATEGORIES
from oretrace.batteries.categories import choices as category_choices
from oretrace.errors import BadInput
from oretrace.risk import FLAG_KINDS, RiskThresholds
from oretrace.risk.thresholds import FLAGGABLE_STATUSES
from oretrace.web.accounts.models import role_of
from oretrace.web.forms import CleanText
from oretrace.web.risk.models import ActionStatus

# The whole-number settings, with the words the form shows for them.
NUMBERS = {
    "min_supplier_response_pct": "Supplier response coverage (Q6) below which a supplier is flagged, %",
    "errors_for_high_risk": "Unresolved errors from which a supplier has the many-errors flag",
    "warnings_for_flag": "Unanswered warnings before a supplier is flagged",
    "status_list_max_age_days": "Audit status list older than this is outdated, days",
    "expiry_grace_days": "Days after a conformance cycle ends before it counts as expired",
    "mitigated_weight_pct": "Weight kept by a location flag on a conformant smelter, %",
    "repeat_weight_pct": "Each repeat of a red flag on one subject adds this share of the one before, %",
    "no_response_grace_days": "Days after the due date before a supplier's silence is a red flag",
    "medium_score": "Score from which a subject is medium risk",
    "high_score": "Score from which a subject is high risk",
}
_WHOLE = re.compile(r"^-?\d+$")


def _number(text: str):
    """A typed value as the core should judge it: a whole number when it is one, else the text itself."""
    text = (text or "").strip()
    return int(text) if _WHOLE.match(text) else text


class ThresholdsForm(forms.Form):
    """One field per setting; the values go to RiskThresholds.from_dict, whose BadInput is shown as is."""

    def __init__(self, *args, initial_thresholds: RiskThresholds, **kwargs):
        super().__init__(*args, **kwargs)
        values = initial_thresholds.as_dict()
        for name, label in NUMBERS.items():
            self.fields[name] = forms.CharField(label=label, initial=values[name], required=True)
        self.fields["active_counts_as_mitigated"] = forms.BooleanField(
            label="RMAP Active counts as mitigated (not flagged as a status)",
            required=False,
            initial=values["active_counts_as_mitigated"],
        )
        self.fields["red_flag_statuses"] = forms.MultipleChoiceField(
            label="Audit statuses that are red flags",
            choices=[(s, s) for s in FLAGGABLE_STATUSES],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            initial=values["red_flag_statuses"],
        )
        for code, kind in FLAG_KINDS.items():
            self.fields[f"w_{code}"] = forms.CharField(
                label=kind.title, initial=values["weights"][code], required=True, help_text=kind.source
            )

    def weight_fields(self):
        return [self[f"w_{code}"] for code in FLAG_KINDS]

    def number_fields(self):
        return [self[name] for name in NUMBERS]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        values = {name: _number(data.get(name)) for name in NUMBERS}
        values["active_counts_as_mitigated"] = bool(data.get("active_counts_as_mitigated"))
        values["red_flag_statuses"] = list(data.get("red_flag_statuses") or [])
        values["weights"] = {code: _number(data.get(f"w_{code}")) for code in FLAG_KINDS}
        try:
            self.thresholds = RiskThresholds.from_dict(values)
        except BadInput as error:
            self.add_error(None, error.message)
            for problem in _problems(error.message):
                field = _field_for(problem)
                if field:
                    self.add_error(field, problem)
        return data


def _problems(message: str) -> list[str]:
    body = message.removeprefix("Risk thresholds: ").rstrip(".")
    return [p.strip() for p in body.split("; ") if p.strip()]


def _field_for(problem: str) -> str | None:
    """The form field a problem of the core's message is about (it names the setting first)."""
    if match := re.match(r"weights\['([\w-]+)'\]", problem):
        return f"w_{match.group(1)}" if match.group(1) in FLAG_KINDS else None
    name = problem.split(" ", 1)[0]
    if name in NUMBERS or name in ("active_counts_as_mitigated", "red_flag_statuses"):
        return name
    return None


def staff_users():
    """People who can own an action: active staff with a role."""
    return [u for u in get_user_model().objects.filter(is_active=True).order_by("username") if role_of(u)]


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{obj.get_username()} ({name})" if name else obj.get_username()


class ActionForm(CleanText, forms.Form):
    what = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    owner = OwnerChoiceField(queryset=get_user_model().objects.none(), required=False)
    owner_role = forms.CharField(max_length=100, required=False, label="Owner's role")
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [u.pk for u in staff_users()]
        self.fields["owner"].queryset = get_user_model().objects.filter(pk__in=ids).order_by("username")


class ActionEditForm(ActionForm):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    # The action's edit_version() when the page was shown: a stale edit is refused, not saved over.
    seen_version = forms.CharField(max_length=64, widget=forms.HiddenInput)


class AnnexCategoryForm(forms.Form):
    """The Annex X risk category of an action, with the one the person saw (a conditional update)."""

    category = forms.ChoiceField(
        choices=[("", "None"), *category_choices()], required=False, label="Annex X risk category"
    )
    was = forms.ChoiceField(
        choices=[("", ""), *((c, c) for c in CATEGORIES)], required=False, widget=forms.HiddenInput
    )


class NoteForm(CleanText, forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, label="Note")


class EvidenceForm(forms.Form):
    file = forms.FileField(label="Evidence file")


class CahraListForm(CleanText, forms.Form):
    file = forms.FileField(
        help_text='Plain text with one country per line, or a CSV or Excel workbook with a "Country" column.'
    )
    name = forms.CharField(max_length=200, initial="EU CAHRA list", help_text="As the pages will name it.")
    as_of = forms.DateField(
        label="Published on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The newest list by this date applies to every assessment.",
    )
