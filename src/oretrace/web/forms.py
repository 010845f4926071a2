"""What every form of the web app shares: typed text loses the characters XML cannot hold.

Whatever a supplier types in the portal, or a staff member on a page, ends up in XLSX exports (the
append-only audit log's among them), the report's DOCX and the evidence package, which cannot hold a
C0 control character. ``CleanText`` cleans a bound form's data with the core's one rule
(oretrace.xmltext: C0 controls removed, TAB, LF and CR kept) *before* it is validated, so that a field
of nothing but control characters counts as empty and a required one is refused. Passwords are left as
typed: they are compared, never shown or exported. ``clean_text`` is the same rule for the notes a few
views read from request.POST themselves.
"""

from __future__ import annotations

from django import forms

from oretrace.xmltext import xml_safe


def clean_text(value: str) -> str:
    return xml_safe(value)


class CleanText:
    """Mixin for a Form or ModelForm (put it first among the bases)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            as_typed = {self.add_prefix(name) for name, field in self.fields.items() if _is_password(field)}
            self.data = _cleaned(self.data, as_typed)


def _is_password(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.PasswordInput)


def _cleaned(data, as_typed: set[str]):
    if hasattr(data, "setlist"):  # a QueryDict: request.POST, each key possibly repeated
        copy = data.copy()
        for key, values in data.lists():
            if key not in as_typed:
                copy.setlist(key, [_clean(v) for v in values])
        return copy
    return {key: value if key in as_typed else _clean(value) for key, value in data.items()}


def _clean(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    return value
