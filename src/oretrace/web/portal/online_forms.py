"""The online template's forms, one per step, each built from the template's cell map (rmi.layouts)
and each turning what the supplier typed into the answers (a CompanyDeclaration) and back.

The choices are the template's own drop-down lists, so every answer the form accepts is one the
writer can put in the file; the questions are the template's own text in the supplier's language
(its "L" sheet), and the answers and minerals are said in that language here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oretrace.errors import BadInput
from oretrace.rmi.layouts import Layout
from oretrace.rmi.writer import (
    CompanyDeclaration,
    DeclaredMine,
    DeclaredProduct,
    DeclaredSmelter,
    declared_minerals,
)
from oretrace.web.forms import CleanText

# WCAG 2.1 1.3.5 (Identify Input Purpose): the fields about the person answering and their company say
# what they hold, so a phone offers its saved details and the right keyboard. The authorizer is often
# someone else, so the browser is not asked to fill in their details with the user's own.
COMPANY_AUTOCOMPLETE = {
    "name": "organization",
    "address": "street-address",
    "contact_name": "name",
    "contact_email": "email",
    "contact_phone": "tel",
}
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
    # EMRT, CRT and AMRT lists.
    "Not applicable for this declaration": _("Not applicable for this declaration"),
    "Not declaring": _("Not declaring"),
    "DRC only": _("DRC only"),
    "India and/or Madagascar only": _("India and/or Madagascar only"),
    "DRC or adjoining countries only": _("DRC or adjoining countries only"),
    "Did not survey": _("Did not survey"),
    "Yes, in conformance with IPC1755 (e.g. EMRT)": _("Yes, in conformance with IPC1755 (e.g. EMRT)"),
    "Yes, Using Other Format (Describe)": _("Yes, using other format (describe in the comment)"),
    "Yes, CRT": _("Yes, with the CRT"),
    "Yes, when more processors are validated": _("Yes, when more processors are validated"),
}
MINERAL_TEXT = {
    "Tantalum": _("Tantalum"),
    "Tin": _("Tin"),
    "Gold": _("Gold"),
    "Tungsten": _("Tungsten"),
    "Cobalt": _("Cobalt"),
    "Copper": _("Copper"),
    "Graphite": _("Graphite"),
    "Lithium": _("Lithium"),
    "Mica": _("Mica"),
    "Nickel": _("Nickel"),
    "Aluminum": _("Aluminum"),
    "Iridium": _("Iridium"),
    "Lime": _("Lime"),
    "Manganese": _("Manganese"),
    "Palladium": _("Palladium"),
    "Platinum": _("Platinum"),
    "Rare Earth Elements": _("Rare earth elements"),
    "Rhodium": _("Rhodium"),
    "Ruthenium": _("Ruthenium"),
    "Silver": _("Silver"),
    "Soda Ash": _("Soda ash"),
    "Zinc": _("Zinc"),
}
COMMENT_LENGTH = 1000


@dataclass(frozen=True)
class FormTemplate:
    """What a step's form needs to know of the blank template and of the draft."""

    layout: Layout
    minerals: tuple[str, ...]  # the minerals declared, in the order of the template's answer rows
    questions: dict[str, str]  # question id -> its text in the supplier's language
    countries: tuple[str, ...] = ()  # the template's country list (its "C" sheet), full names

    @classmethod
    def of(cls, layout: Layout, answers: CompanyDeclaration, **kwargs) -> FormTemplate:
        # None while the minerals are picked and none are yet (AMRT).
        return cls(layout=layout, minerals=_declared(layout, answers.minerals), **kwargs)


def mineral_name(mineral: str) -> str:
    return str(MINERAL_TEXT.get(mineral, mineral))


def _choices(allowed: tuple[str, ...]) -> list[tuple[str, str]]:
    return [("", _("(not answered)")), *((value, ANSWER_TEXT.get(value, value)) for value in allowed)]


def _text(label, max_length=300, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length, **kwargs)


def _country_field(template: FormTemplate, *, required: bool) -> forms.CharField:
    """Typed, with the template's country list offered as suggestions (the page's datalist)."""
    attrs = {"autocomplete": "off", "list": "countries"} if template.countries else {"autocomplete": "off"}
    return forms.CharField(
        label=_("Country"), max_length=100, required=required, widget=forms.TextInput(attrs=attrs)
    )


def _template_country(value: str, countries: tuple[str, ...]) -> str:
    """The template's own name of the country typed (any case); the text upper-cased where the template
    has no country list. A name the list does not hold is refused: the Checker would not accept it."""
    typed = " ".join(value.split()).upper()
    if not countries or not typed:
        return typed
    if typed in countries:
        return typed
    raise ValidationError(_("Choose a country from the list offered (the template's own names)."))


class CompanyForm(CleanText, forms.Form):
    def __init__(self, *args, template: FormTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in COMPANY_LABELS.items():
            if name not in template.layout.company_cells:
                continue
            if name == "effective_date":
                self.fields[name] = forms.DateField(
                    label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
                )
            else:
                kind = forms.EmailInput if name.endswith("_email") else forms.TextInput
                widget = kind(attrs={"autocomplete": COMPANY_AUTOCOMPLETE.get(name, "off")})
                if name.endswith("_phone"):
                    widget.input_type = "tel"
                self.fields[name] = _text(label, widget=widget)

    @staticmethod
    def initial_from(declaration: CompanyDeclaration, template: FormTemplate) -> dict:
        return {name: declaration.company.get(name) for name in COMPANY_LABELS}

    def apply(self, declaration: CompanyDeclaration) -> CompanyDeclaration:
        company = {**declaration.company}
        for name in self.fields:
            value = self.cleaned_data[name]
            company[name] = value if value not in ("",) else None
        return dataclasses.replace(declaration, company=company)


class ScopeForm(CleanText, forms.Form):
    """The declaration's scope and, where the template has them picked (EMRT 2.x, AMRT), its minerals."""

    declaration_scope = forms.ChoiceField(
        label=_("Declaration scope"), choices=SCOPE_CHOICES, required=False, widget=forms.RadioSelect
    )
    scope_description = _text(
        _("Description of the scope (for scope C)"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, template: FormTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout = template.layout
        if not self.layout.mineral_selection_cells:
            return
        offered = self.layout.mineral_choices or self.layout.minerals
        self.fields["minerals"] = forms.MultipleChoiceField(
            label=_("Minerals this declaration covers (up to %(count)s)")
            % {"count": len(self.layout.mineral_selection_cells)},
            choices=[(m, MINERAL_TEXT.get(m, m)) for m in offered],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        if self._fixed:
            return
        self.fields["other_minerals"] = _text(
            _("Other minerals (in English, separated by commas)"),
            help_text=_(
                "A mineral the list does not offer, as the template names it: e.g. Cobalt, Tantalum."
            ),
        )

    @property
    def _fixed(self) -> bool:
        """EMRT 2.x: one pick per mineral of a fixed list, no other mineral."""
        return len(self.layout.mineral_selection_cells) == len(self.layout.minerals)

    @staticmethod
    def initial_from(declaration: CompanyDeclaration, template: FormTemplate) -> dict:
        """The scope, and the minerals picked: those the list offers ticked, any other typed."""
        initial = {key: declaration.company.get(key) for key in ("declaration_scope", "scope_description")}
        offered = set(template.layout.mineral_choices or template.layout.minerals)
        picked = declaration.minerals or (
            template.minerals if template.layout.mineral_selection_cells else ()
        )
        initial["minerals"] = [m for m in picked if m in offered]
        initial["other_minerals"] = ", ".join(m for m in picked if m not in offered)
        return initial

    def clean(self):
        data = super().clean()
        if "minerals" not in self.fields:
            return data
        picked = list(data.get("minerals") or [])
        # A mineral typed that the template names ("silver") in the template's spelling, as it reads back.
        known = {m.casefold(): m for m in (*self.layout.minerals, *self.layout.mineral_choices)}
        typed = (" ".join(m.split()) for m in (data.get("other_minerals") or "").split(","))
        others = [known.get(m.casefold(), m) for m in typed]
        chosen = tuple(dict.fromkeys([*picked, *(m for m in others if m)]))
        room = len(self.layout.mineral_selection_cells)
        if len(chosen) > room:  # the writer's rule, said in the supplier's language
            raise ValidationError(
                _("The template holds %(room)s minerals; %(count)s were chosen. Choose at most %(room)s.")
                % {"room": room, "count": len(chosen)}
            )
        if chosen:
            try:
                # In the template's order, as the file keeps them and reads them back.
                chosen = declared_minerals(self.layout, chosen)
            except BadInput as error:
                raise ValidationError(error.message) from error
        data["chosen_minerals"] = chosen
        return data

    def apply(self, declaration: CompanyDeclaration) -> CompanyDeclaration:
        company = {**declaration.company}
        for key in ("declaration_scope", "scope_description"):
            company[key] = self.cleaned_data[key] or None
        if "minerals" not in self.fields:
            return dataclasses.replace(declaration, company=company)
        minerals = self.cleaned_data["chosen_minerals"]
        kept = {m.casefold() for m in _declared(self.layout, minerals)}
        # Answers of a mineral no longer declared are dropped: the writer refuses them. Its smelters and
        # mines go too, or the file would list them under a mineral it does not declare.
        return dataclasses.replace(
            declaration,
            company=company,
            minerals=minerals,
            smelters=tuple(s for s in declaration.smelters if s.metal.casefold() in kept),
            mines=tuple(m for m in declaration.mines if m.metal.casefold() in kept),
            answers={m: a for m, a in declaration.answers.items() if m.casefold() in kept},
            answer_comments={m: c for m, c in declaration.answer_comments.items() if m.casefold() in kept},
            company_questions={
                k: v for k, v in declaration.company_questions.items() if _mineral_of(k) in kept | {None}
            },
            company_question_comments={
                k: v
                for k, v in declaration.company_question_comments.items()
                if _mineral_of(k) in kept | {None}
            },
        )


def _declared(layout: Layout, picked: tuple[str, ...]) -> tuple[str, ...]:
    """The minerals the file declares with ``picked``: an EMRT 2.x with none picked declares all six."""
    try:
        return declared_minerals(layout, picked)
    except BadInput:
        return ()


def _mineral_of(key: str) -> str | None:
    """ "C:Cobalt" -> "cobalt"; None for a question asked once."""
    return key.split(":", 1)[1].casefold() if ":" in key else None


class MineralsForm(CleanText, forms.Form):
    """The per-mineral questions (CMRT Q1-Q8, EMRT Q1-Q7, CRT Q1-Q6, AMRT Q1-Q2), one answer and one
    comment per declared mineral: fields "Q1__Tin" and "Q1__Tin__comment"."""

    def __init__(self, *args, template: FormTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        for spec, mineral in self._rows():
            self.fields[f"{spec.id}__{mineral}"] = forms.ChoiceField(
                label=mineral_name(mineral), choices=_choices(spec.allowed), required=False
            )
            self.fields[f"{spec.id}__{mineral}__comment"] = _text(
                _("Comment on %(mineral)s") % {"mineral": mineral_name(mineral)}, COMMENT_LENGTH
            )

    def _rows(self):
        """(question, mineral) for every answer row; a question asked of some minerals only (EMRT 1.x
        Q4: cobalt) has rows for those."""
        for spec in self.template.layout.questions:
            for mineral in self.template.minerals:
                if not spec.minerals or mineral in spec.minerals:
                    yield spec, mineral

    def groups(self):
        """(question id, its text, [(answer field, comment field) per mineral]) for the template."""
        groups = {}
        for spec, mineral in self._rows():
            pair = (self[f"{spec.id}__{mineral}"], self[f"{spec.id}__{mineral}__comment"])
            groups.setdefault(spec.id, []).append(pair)
        return [(qid, self.template.questions.get(qid, qid), pairs) for qid, pairs in groups.items()]

    @staticmethod
    def initial_from(declaration: CompanyDeclaration, template: FormTemplate) -> dict:
        initial = {}
        for mineral, answers in declaration.answers.items():
            initial.update({f"{q}__{mineral}": a for q, a in answers.items()})
        for mineral, comments in declaration.answer_comments.items():
            initial.update({f"{q}__{mineral}__comment": c for q, c in comments.items()})
        return initial

    def apply(self, declaration: CompanyDeclaration) -> CompanyDeclaration:
        answers: dict[str, dict[str, str]] = {}
        comments: dict[str, dict[str, str]] = {}
        for spec, mineral in self._rows():
            if answer := self.cleaned_data[f"{spec.id}__{mineral}"]:
                answers.setdefault(mineral, {})[spec.id] = answer
            if comment := self.cleaned_data[f"{spec.id}__{mineral}__comment"]:
                comments.setdefault(mineral, {})[spec.id] = comment
        return dataclasses.replace(declaration, answers=answers, answer_comments=comments)


class CompanyQuestionsForm(CleanText, forms.Form):
    """The company questions (CMRT A-H, EMRT A-G, CRT A-I), each with a comment; the policy question's
    comment is the policy's address. One asked per mineral (EMRT C) has a field per declared mineral,
    "C__Cobalt", kept as "C:Cobalt" as the reader and the writer key it."""

    def __init__(self, *args, template: FormTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        for spec, key, field in self._rows():
            text = self.template.questions.get(spec.id, spec.id)
            label = f"{text} ({mineral_name(key.split(':')[1])})" if ":" in key else text
            self.fields[field] = forms.ChoiceField(
                label=label, choices=_choices(spec.allowed), required=False
            )
            if spec.url_in_comment:
                self.fields["policy_url"] = _text(
                    _("Address (URL) of the policy on your website"), widget=forms.URLInput
                )
            else:
                shown = f"{spec.id}, {mineral_name(key.split(':')[1])}" if ":" in key else spec.id
                self.fields[f"{field}__comment"] = _text(
                    _("Comment on question %(question)s") % {"question": shown}, COMMENT_LENGTH
                )

    def _rows(self):
        """(question, its key in the answers, its field name) for every answer row."""
        for spec in self.template.layout.company_questions:
            if spec.per_mineral_rows:
                for mineral in self.template.minerals:
                    yield spec, f"{spec.id}:{mineral}", f"{spec.id}__{mineral}"
            else:
                yield spec, spec.id, spec.id

    def groups(self):
        return [
            (self[field], self["policy_url"] if spec.url_in_comment else self[f"{field}__comment"])
            for spec, _key, field in self._rows()
        ]

    @staticmethod
    def initial_from(declaration: CompanyDeclaration, template: FormTemplate) -> dict:
        initial = {key.replace(":", "__"): value for key, value in declaration.company_questions.items()}
        initial.update(
            {
                f"{key.replace(':', '__')}__comment": v
                for key, v in declaration.company_question_comments.items()
            }
        )
        initial["policy_url"] = declaration.policy_url
        return initial

    def apply(self, declaration: CompanyDeclaration) -> CompanyDeclaration:
        data = self.cleaned_data
        rows = list(self._rows())
        return dataclasses.replace(
            declaration,
            company_questions={key: data[field] for _spec, key, field in rows if data[field]},
            company_question_comments={
                key: data[f"{field}__comment"]
                for spec, key, field in rows
                if not spec.url_in_comment and data[f"{field}__comment"]
            },
            policy_url=data.get("policy_url") or None,
        )


class UnlistedSmelterForm(CleanText, forms.Form):
    """A smelter that is not in RMI's list: the template's "Smelter not listed" row needs its name and
    country. A template without a look-up (AMRT 1.2) takes the smelter's ID typed, where it has one."""

    metal = forms.ChoiceField(label=_("Metal"))
    name = forms.CharField(label=_("Smelter name"), max_length=300)

    def __init__(self, *args, template: FormTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.fields["metal"].choices = [(m, mineral_name(m)) for m in template.minerals]
        self.fields["country"] = _country_field(template, required=True)
        if template.layout.lookup is None:
            self.fields["smelter_id"] = _text(_("Smelter ID (optional), e.g. CID001234"), 20)

    def clean_country(self):
        return _template_country(self.cleaned_data["country"], self.template.countries)

    def smelter(self) -> DeclaredSmelter:
        data = self.cleaned_data
        return DeclaredSmelter(data["metal"], data.get("smelter_id") or None, data["name"], data["country"])


class MineForm(CleanText, forms.Form):
    """A Mine List row (EMRT 2.x, AMRT): a mine of a declared mineral and the smelter it supplies."""

    metal = forms.ChoiceField(label=_("Mineral"))
    mine_name = forms.CharField(label=_("Mine name"), max_length=300)
    mine_id = _text(_("Mine ID (optional)"), 100)
    smelter_name = forms.ChoiceField(label=_("Smelter it supplies (optional)"), required=False)

    def __init__(self, *args, template: FormTemplate, smelters: tuple[DeclaredSmelter, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.fields["metal"].choices = [(m, mineral_name(m)) for m in template.minerals]
        self.fields["country"] = _country_field(template, required=True)
        names = sorted({s.name for s in smelters if s.name})
        self.fields["smelter_name"].choices = [("", _("(not named)")), *((n, n) for n in names)]
        self.order_fields(["metal", "mine_name", "mine_id", "country", "smelter_name"])

    def clean_country(self):
        return _template_country(self.cleaned_data["country"], self.template.countries)

    def mine(self) -> DeclaredMine:
        data = self.cleaned_data
        return DeclaredMine(
            data["metal"],
            data["mine_name"],
            data["mine_id"] or None,
            data["country"],
            data["smelter_name"] or None,
        )


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
