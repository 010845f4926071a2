"""What the organisation says about itself in its own CMRT: the company block, questions A-H, the policy URL.

These are settings, not data: nothing in the suppliers' files tells us who signs our declaration or whether
we have a sourcing policy. The field names are the keys of the ``[company]`` and ``[company_questions]``
tables of the ``oretrace report`` settings file, so an error message names the key the user has to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from oretrace.errors import BadInput
from oretrace.rmi.layouts import CMRT6
from oretrace.rmi.writer import DeclaredProduct

COMPANY_QUESTION_IDS = tuple(spec.id for spec in CMRT6.company_questions)
ALLOWED_COMPANY_ANSWERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {spec.id: spec.allowed for spec in CMRT6.company_questions}
)
# Declaration scopes the organisation can choose for a company-level declaration: B (a list of products)
# is set by the product-level derivation, which also fills the Product List.
COMPANY_SCOPES = ("A", "C")


@dataclass(frozen=True)
class CompanyBlock:
    """Declaration!D8-D22 of CMRT 6.x. The CMRT 6.x Checker requires name, contact name, e-mail and
    phone, authorizer and authorizer e-mail, and the effective date; the e-mails must contain "@"."""

    name: str
    contact_name: str
    contact_email: str
    contact_phone: str
    authorizer_name: str
    authorizer_email: str
    effective_date: dt.date | None = None  # None: the day the declaration is derived
    scope: str = "A"
    scope_description: str | None = None  # required when scope is "C"
    unique_id: str | None = None
    unique_id_authority: str | None = None
    address: str | None = None
    authorizer_title: str | None = None
    authorizer_phone: str | None = None

    def __post_init__(self) -> None:
        problems = []
        for key in ("name", "contact_name", "contact_email", "contact_phone", "authorizer_name"):
            if not str(getattr(self, key) or "").strip():
                problems.append(f"company.{key} is empty (the template's Checker requires it)")
        for key in ("contact_email", "authorizer_email"):
            value = str(getattr(self, key) or "")
            if "@" not in value:
                problems.append(f"company.{key} {value!r} is not an e-mail address")
        if self.effective_date is not None and not isinstance(self.effective_date, dt.date):
            problems.append(f"company.effective_date {self.effective_date!r} is not a date")
        if self.scope not in COMPANY_SCOPES:
            problems.append(
                f"company.scope {self.scope!r} must be A (company) or C (user defined); "
                "product-level declarations (B) are made with a list of part numbers"
            )
        elif self.scope == "C" and not (self.scope_description or "").strip():
            problems.append("company.scope_description is required when company.scope is C")
        if problems:
            raise BadInput("; ".join(problems))

    def fields(self, *, scope: str | None = None, today: dt.date | None = None) -> dict[str, Any]:
        """The writer's company dict (keys of rmi.model.COMPANY_FIELDS)."""
        return {
            "name": self.name,
            "declaration_scope": scope or self.scope,
            "scope_description": self.scope_description if (scope or self.scope) == "C" else None,
            "unique_id": self.unique_id,
            "unique_id_authority": self.unique_id_authority,
            "address": self.address,
            "contact_name": self.contact_name,
            "contact_email": self.contact_email,
            "contact_phone": self.contact_phone,
            "authorizer_name": self.authorizer_name,
            "authorizer_title": self.authorizer_title,
            "authorizer_email": self.authorizer_email,
            "authorizer_phone": self.authorizer_phone,
            "effective_date": self.effective_date or today or dt.date.today(),
        }


@dataclass(frozen=True)
class DeclarationSettings:
    """The organisation's part of its CMRT: the company block, questions A-H and where its policy is."""

    company: CompanyBlock
    company_questions: Mapping[str, str]  # "A".."H" -> one of the template's answers
    policy_url: str | None = None  # written in G77, the comment of question B
    company_question_comments: Mapping[str, str] = field(default_factory=dict)
    # Smelter names no reference facility matched: list them as "Smelter not listed" rows (name and
    # country as the suppliers gave them), or leave them out and say so in Q8's reasoning.
    include_unidentified: bool = False
    language: str = "English"
    # Company questions of our EMRT or CRT, by kind: {"CRT": {"B": "Yes"}}. Checked against the blank
    # template's questions when the declaration is derived; what is not given here comes from the
    # suppliers' files or our CMRT's answers (declaration.derive).
    kind_company_questions: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = []
        missing = [q for q in COMPANY_QUESTION_IDS if not self.company_questions.get(q)]
        if missing:
            problems.append(
                f"company_questions {', '.join(missing)} not answered (the CMRT Checker requires A-H)"
            )
        for question, answer in self.company_questions.items():
            allowed = ALLOWED_COMPANY_ANSWERS.get(question)
            if allowed is None:
                problems.append(f"company_questions.{question}: there is no question {question} (only A-H)")
            elif answer and answer not in allowed:
                choices = ", ".join(f'"{a}"' for a in allowed)
                problems.append(f'company_questions.{question} "{answer}" is not one of {choices}')
        if self.company_questions.get("B") == "Yes" and not (self.policy_url or "").strip():
            problems.append("policy_url is required when company_questions.B (policy public) is Yes")
        odd_kinds = sorted(set(self.kind_company_questions) - {"EMRT", "CRT"})
        if odd_kinds:
            problems.append(
                f"company questions for {', '.join(odd_kinds)}: only the EMRT and the CRT have their own "
                "(the CMRT's are company_questions; the AMRT has none)"
            )
        unknown = sorted(set(self.company_question_comments) - set(COMPANY_QUESTION_IDS))
        if unknown:
            problems.append(f"company_question_comments for unknown question(s) {', '.join(unknown)}")
        if problems:
            raise BadInput("; ".join(problems))


@dataclass(frozen=True)
class ProductScope:
    """A customer's list of part numbers and, for each, the suppliers it comes from.

    Suppliers are named as the roll-up names them: the company name a file declares, or the file's
    name when its company block is blank. The web app fills ``suppliers`` from its supplier-part links.
    """

    products: tuple[DeclaredProduct, ...]
    suppliers: Mapping[str, tuple[str, ...]]  # part number -> supplier names

    def __post_init__(self) -> None:
        if not self.products:
            raise BadInput("A product-level declaration needs at least one part number")
        numbers = [p.number for p in self.products]
        duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
        if duplicates:
            raise BadInput(f"Part number(s) listed twice: {', '.join(duplicates)}")

    @property
    def supplier_names(self) -> tuple[str, ...]:
        names: dict[str, None] = {}
        for product in self.products:
            for name in self.suppliers.get(product.number, ()):
                names[name] = None
        return tuple(names)

    @property
    def unlinked_parts(self) -> tuple[str, ...]:
        return tuple(p.number for p in self.products if not self.suppliers.get(p.number))
