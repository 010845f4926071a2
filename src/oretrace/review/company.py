"""The company block of the Declaration: who answers, for what, as of when (CMRT D8-D22 and kin)."""

from __future__ import annotations

import re

from oretrace.review.registry import Context, Hit, rule
from oretrace.review.wording import company_label

# A usable address: one "@", no spaces or commas, a dot in the domain. Deliberately simple; the
# point is to catch what real files contain ("contact,person1@example.com"), not to parse RFC 5322.
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;.]{2,}$")

# What suppliers type instead of a person (S2 v3_validator "same"; S1 docs: the authorizer
# cannot be "same"). Compared after folding case and dropping punctuation.
PLACEHOLDERS = frozenset(
    {
        "same",
        "same as above",
        "same as contact",
        "see above",
        "as above",
        "idem",
        "ditto",
        "n a",
        "na",
        "none",
        "tbd",
        "tba",
        "unknown",
        "x",
        "nil",
    }
)


def _folded(value: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", value.casefold()).split())


@rule(
    "email-malformed",
    severity="error",
    title="An e-mail address that cannot be used",
    for_supplier="An e-mail address in your file cannot be used.",
    source="Real CMRT 6.4 files (a comma for a dot); the Checker only tests for “@”",
    example=Hit(
        "Declaration",
        "D16",
        "Email – Contact “contact,person1@example.com” is not a valid e-mail address.",
        "Please correct the e-mail address in Declaration!D16 (it contains a comma or a space).",
    ),
)
def email_malformed(context: Context):
    company = context.response.company
    for field_name in ("contact_email", "authorizer_email"):
        cell = getattr(company, field_name)
        # Without "@" the Checker already counts the cell as missing; this rule is about the rest.
        if not cell.ref or not cell.value or "@" not in cell.value or _EMAIL.match(cell.value):
            continue
        label = company_label(field_name)
        yield Hit(
            cell.sheet,
            cell.address,
            f"{label} “{cell.value}” is not a valid e-mail address.",
            f"Please correct the e-mail address in {cell.ref} (look for a comma, a space or a missing dot).",
        )


@rule(
    "person-is-placeholder",
    severity="error",
    title="“same”, “N/A” or “see above” where a person is required",
    for_supplier="Your file has “same”, “N/A” or “see above” where a person must be named.",
    source="S2 CFSI 3.01 validator (contact or authorizer “same”); CMRT Instructions",
    example=Hit(
        "Declaration",
        "D18",
        "Authorizer reads “same” instead of naming a person.",
        "Please name the person who authorizes this declaration in Declaration!D18.",
    ),
)
def person_is_placeholder(context: Context):
    company = context.response.company
    for field_name in ("contact_name", "authorizer_name", "contact_email", "authorizer_email"):
        cell = getattr(company, field_name)
        if not cell.ref or not cell.value or _folded(cell.value) not in PLACEHOLDERS:
            continue
        label = company_label(field_name)
        yield Hit(
            cell.sheet,
            cell.address,
            f"{label} reads “{cell.value}” instead of naming a person.",
            f"Please give the actual {label.lower()} in {cell.ref}; “{cell.value}” cannot be used.",
        )


@rule(
    "effective-date-unreadable",
    severity="error",
    title="The effective date is not a date",
    for_supplier="The effective date in your file is not a date.",
    source="CMRT Instructions (date format DD-MMM-YYYY); Declaration date validation",
    example=Hit(
        "Declaration",
        "D22",
        "The effective date “sometime in May” is not a date.",
        "Please enter the effective date in Declaration!D22 as DD-MMM-YYYY, e.g. 02-May-2024.",
    ),
)
def effective_date_unreadable(context: Context):
    cell = context.response.company.effective_date
    if cell.ref and cell.raw not in (None, "", 0) and cell.value is None:
        yield Hit(
            cell.sheet,
            cell.address,
            f"The effective date “{cell.raw}” is not a date.",
            f"Please enter the effective date in {cell.ref} as DD-MMM-YYYY, e.g. 02-May-2024.",
        )


@rule(
    "effective-date-in-future",
    severity="error",
    title="The effective date is in the future",
    for_supplier="The effective date in your file is in the future.",
    source="S2 CFSI 3.01 validator",
    example=Hit(
        "Declaration",
        "D22",
        "The effective date 2031-01-01 is in the future (reviewed on 2024-06-01).",
        "Please enter the date on which this declaration was completed in Declaration!D22.",
    ),
)
def effective_date_in_future(context: Context):
    cell = context.response.company.effective_date
    if cell.ref and cell.value and cell.value > context.today:
        yield Hit(
            cell.sheet,
            cell.address,
            f"The effective date {cell.value.isoformat()} is in the future (reviewed on {context.today.isoformat()}).",
            f"Please enter the date on which this declaration was completed in {cell.ref}.",
        )


@rule(
    "effective-date-before-reporting-year",
    severity="warning",
    title="The declaration is dated before the reporting year",
    for_supplier="Your declaration is dated before the reporting year we asked about.",
    source="Z2Data: outdated data fails customer audits",
    example=Hit(
        "Declaration",
        "D22",
        "The effective date 2022-03-01 is before the 2024 reporting year.",
        "Please send a declaration for the 2024 reporting year, or confirm that this one still applies.",
    ),
)
def effective_date_before_reporting_year(context: Context):
    cell = context.response.company.effective_date
    year = context.reporting_year
    if year and cell.ref and cell.value and cell.value.year < year:
        yield Hit(
            cell.sheet,
            cell.address,
            f"The effective date {cell.value.isoformat()} is before the {year} reporting year.",
            f"Please send a declaration for the {year} reporting year, or confirm that this one still applies.",
        )
