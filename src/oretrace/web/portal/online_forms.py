"""The online CMRT's forms, one per step, each built from the template's cell map (rmi.layouts) and
each turning what the supplier typed into the answers (a CompanyDeclaration) and back.

The choices are the template's own drop-down lists, so every answer the form accepts is one the
writer can put in the file; the labels say them in the supplier's language.
"""

from __future__ import annotations

import dataclasses

from django import forms
from django.utils.translation import gettext_lazy as _

from oretrace.rmi.layouts import Layout
from oretrace.rmi.writer import CompanyDeclaration, DeclaredProduct, DeclaredSmelter
from oretrace.web.forms import CleanText

COMPANY_LABELS = {
    "name": _("Company name"),
    "unique_id": _("Company unique ID (optional)"),
    "unique_id_authority": _("Authority of the unique ID (optional)"),
    "address": _("Address (optional)"),
    "contact_name": _("Contact name"),
    "contact_email": _("Contact e-mail"),
    "contact_phone": _("Contact phone"),
    "authorizer_name": _("Authorizer name"),
    "authorizer_title": _("Authorizer job title (optional)"),
    "authorizer_email": _("Authorizer e-mail"),
    "authorizer_phone": _("Authorizer phone (optional)"),
    "effective_date": _("Effective date"),
}
SCOPE_CHOICES = [
    ("A", _("A. Company: all products of the company")),
    ("B", _("B. Product (or list of products): list them on the products step")),
    ("C", _("C. User defined: describe the scope below")),
]
# CMRT 6.x Declaration!B24-B71 and B73-B89, said briefly.
QUESTION_TEXT = {
    "Q1": _("1) Is the mineral intentionally added or used in the product(s) or in the production process?"),
    "Q2": _("2) Does any of it remain in the product(s)?"),
    "Q3": _(
        "3) Do any of the smelters in your supply chain source it from the covered countries (the DRC and adjoining countries)?"
    ),
    "Q4": _(
        "4) Do any of the smelters in your supply chain source it from conflict-affected and high-risk areas (CAHRAs)?"
    ),
    "Q5": _("5) Does 100 percent of it come from recycled or scrap sources?"),
    "Q6": _("6) What percentage of relevant suppliers have provided a response to your supply chain survey?"),
    "Q7": _("7) Have you identified all of the smelters supplying it to your supply chain?"),
    "Q8": _(
        "8) Has all applicable smelter information received by your company been reported in this declaration?"
    ),
    "A": _("A. Have you established a responsible minerals sourcing policy?"),
    "B": _("B. Is that policy publicly available on your website?"),
    "C": _(
        "C. Do you require your direct suppliers to source from smelters validated by an independent third-party audit program?"
    ),
    "D": _("D. Have you implemented due diligence measures for responsible sourcing?"),
    "E": _("E. Does your company conduct a survey of your relevant suppliers?"),
    "F": _(
        "F. Do you review due diligence information received from your suppliers against your company's expectations?"
    ),
    "G": _("G. Does your review process include corrective action management?"),
    "H": _("H. Is your company required to file an annual conflict minerals disclosure?"),
}
ANSWER_TEXT = {
    "Yes": _("Yes"),
    "No": _("No"),
    "Unknown": _("Unknown"),
    "100%": "100%",
    "Greater than 90%": _("Greater than 90%"),
    "Greater than 75%": _("Greater than 75%"),
    "Greater than 50%": _("Greater than 50%"),
    "50% or less": _("50% or less"),
    "None": _("None (no supplier responded)"),
    "Yes, in conformance with IPC1755 (e.g., CMRT)": _("Yes, in conformance with IPC1755 (e.g., CMRT)"),
    "Yes, using other format (describe)": _("Yes, using other format (describe in the comment)"),
    "Yes, with the SEC": _("Yes, with the SEC"),
    "Yes, with the EU": _("Yes, with the EU"),
    "Yes, with the SEC and the EU": _("Yes, with the SEC and the EU"),
}
MINERAL_TEXT = {
    "Tantalum": _("Tantalum"),
    "Tin": _("Tin"),
    "Gold": _("Gold"),
    "Tungsten": _("Tungsten"),
}
COMMENT_LENGTH = 1000


def _choices(allowed: tuple[str, ...]) -> list[tuple[str, str]]:
    return [("", _("(not answered)")), *((value, ANSWER_TEXT.get(value, value)) for value in allowed)]


def _text(label, max_length=300, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length, **kwargs)


class CompanyForm(CleanText, forms.Form):
    def __init__(self, *args, layout: Layout, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in COMPANY_LABELS.items():
            if name not in layout.company_cells:
                continue
            if name == "effective_date":
                self.fields[name] = forms.DateField(
                    label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
                )
            else:
                kind = forms.EmailInput if name.endswith("_email") else forms.TextInput
                self.fields[name] = _text(label, widget=kind(attrs={"autocomplete": "off"}))

    @staticmethod
    def initial_from(declaration: CompanyDeclaration) -> dict:
        return {name: declaration.company.get(name) for name in COMPANY_LABELS}

    def apply(self, declaration: CompanyDeclaration) -> CompanyDeclaration:
        company = {**declaration.company}
        for name in self.fields:
            value = self.cleaned_data[name]
            company[name] = value if value not in ("",) else None
        return dataclasses.replace(declaration, company=company)


class ScopeForm(CleanText, forms.Form):
    declaration_scope = forms.ChoiceField(
        label=_("Declaration scope"), choices=SCOPE_CHOICES, required=False, widget=forms.RadioSelect
    )
    scope_description = _text(
        _("Description of the scope (for scope C)"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, layout: Layout, **kwargs):
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_from(declaration: CompanyDeclaration) -> dict:
        return {key: declaration.company.get(key) for key in ("declaration_scope", "scope_description")}

    def apply(self, declaration: CompanyDeclaration) -> CompanyDeclaration:
        company = {**declaration.company}
        for key in ("declaration_scope", "scope_description"):
            company[key] = self.cleaned_data[key] or None
        return dataclasses.replace(declaration, company=company)


class MineralsForm(CleanText, forms.Form):
    """Q1-Q8, one answer and one comment per mineral: fields "Q1__Tin" and "Q1__Tin__comment"."""

    def __init__(self, *args, layout: Layout, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout = layout
        for spec in layout.questions:
            for mineral in layout.minerals:
                self.fields[f"{spec.id}__{mineral}"] = forms.ChoiceField(
                    label=MINERAL_TEXT.get(mineral, mineral), choices=_choices(spec.allowed), required=False
                )
                self.fields[f"{spec.id}__{mineral}__comment"] = _text(
                    _("Comment on %(mineral)s") % {"mineral": MINERAL_TEXT.get(mineral, mineral)},
                    COMMENT_LENGTH,
                )

    def groups(self):
        """(question id, its text, [(answer field, comment field) per mineral]) for the template."""
        return [
            (
                spec.id,
                QUESTION_TEXT.get(spec.id, spec.id),
                [(self[f"{spec.id}__{m}"], self[f"{spec.id}__{m}__comment"]) for m in self.layout.minerals],
            )
            for spec in self.layout.questions
        ]

    @staticmethod
    def initial_from(declaration: CompanyDeclaration) -> dict:
        initial = {}
        for mineral, answers in declaration.answers.items():
            initial.update({f"{q}__{mineral}": a for q, a in answers.items()})
        for mineral, comments in declaration.answer_comments.items():
            initial.update({f"{q}__{mineral}__comment": c for q, c in comments.items()})
        return initial

    def apply(self, declaration: CompanyDeclaration) -> CompanyDeclaration:
        answers: dict[str, dict[str, str]] = {}
        comments: dict[str, dict[str, str]] = {}
        for spec in self.layout.questions:
            for mineral in self.layout.minerals:
                if answer := self.cleaned_data[f"{spec.id}__{mineral}"]:
                    answers.setdefault(mineral, {})[spec.id] = answer
                if comment := self.cleaned_data[f"{spec.id}__{mineral}__comment"]:
                    comments.setdefault(mineral, {})[spec.id] = comment
        return dataclasses.replace(declaration, answers=answers, answer_comments=comments)


class CompanyQuestionsForm(CleanText, forms.Form):
    """Company questions A-H, each with a comment; B's comment is the policy's address."""

    def __init__(self, *args, layout: Layout, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout = layout
        for spec in layout.company_questions:
            self.fields[spec.id] = forms.ChoiceField(
                label=QUESTION_TEXT.get(spec.id, spec.id), choices=_choices(spec.allowed), required=False
            )
            if spec.url_in_comment:
                self.fields["policy_url"] = _text(
                    _("Address (URL) of the policy on your website"), widget=forms.URLInput
                )
            else:
                self.fields[f"{spec.id}__comment"] = _text(_("Comment"), COMMENT_LENGTH)

    def groups(self):
        return [
            (self[spec.id], self["policy_url"] if spec.url_in_comment else self[f"{spec.id}__comment"])
            for spec in self.layout.company_questions
        ]

    @staticmethod
    def initial_from(declaration: CompanyDeclaration) -> dict:
        initial = dict(declaration.company_questions)
        initial.update({f"{k}__comment": v for k, v in declaration.company_question_comments.items()})
        initial["policy_url"] = declaration.policy_url
        return initial

    def apply(self, declaration: CompanyDeclaration) -> CompanyDeclaration:
        data = self.cleaned_data
        return dataclasses.replace(
            declaration,
            company_questions={s.id: data[s.id] for s in self.layout.company_questions if data[s.id]},
            company_question_comments={
                s.id: data[f"{s.id}__comment"]
                for s in self.layout.company_questions
                if not s.url_in_comment and data[f"{s.id}__comment"]
            },
            policy_url=data.get("policy_url") or None,
        )


class UnlistedSmelterForm(CleanText, forms.Form):
    """A smelter that is not in RMI's list: the template's "Smelter not listed" row needs its name and
    country."""

    metal = forms.ChoiceField(label=_("Metal"))
    name = forms.CharField(label=_("Smelter name"), max_length=300)
    country = forms.CharField(label=_("Country"), max_length=100)

    def __init__(self, *args, layout: Layout, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metal"].choices = [(m, MINERAL_TEXT.get(m, m)) for m in layout.minerals]

    def smelter(self) -> DeclaredSmelter:
        data = self.cleaned_data
        return DeclaredSmelter(data["metal"], None, data["name"], data["country"].upper())


class ProductForm(CleanText, forms.Form):
    number = forms.CharField(label=_("Product number"), max_length=200)
    name = _text(_("Product name (optional)"))

    def product(self) -> DeclaredProduct:
        return DeclaredProduct(self.cleaned_data["number"], self.cleaned_data["name"] or None)


STEP_FORMS = {
    "company": CompanyForm,
    "scope": ScopeForm,
    "minerals": MineralsForm,
    "questions": CompanyQuestionsForm,
}
