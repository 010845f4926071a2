"""Import suppliers, contacts and part links from an ERP or BOM export (CSV or XLSX).

One row may carry a supplier, its contacts (one or several in a cell) and one part it supplies; a
supplier appears on as many rows as it has parts. The supplier number is the stable key: a
re-import updates, never duplicates.

What a problem keeps out, row by row (the preview and the result say the same):
- a problem with the supplier (its number, name, tier, country, owner) skips the whole row: the
  row's contacts and part hang on the supplier, so nothing of the row is written;
- a problem with a contact leaves that contact out (an address that is not one), or all the row's
  contacts when it concerns them all (their language, names that do not pair with the addresses);
  the supplier, its other contacts and its part are imported;
- a problem with the part leaves the part link out; the supplier and its contacts are imported.
The import is one transaction: it is written whole, or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from oretrace.review.wording import plural
from oretrace.rollup.countries import country_name
from oretrace.smelters.tables import Table, header_key, read_table
from oretrace.web.audit.models import AuditEntry
from oretrace.web.suppliers.models import (
    Contact,
    Part,
    Product,
    ProductLine,
    Supplier,
    SupplierPart,
    Tier,
)
from oretrace.xmltext import xml_safe

# Each field we can import, its label, and the headers seen in ERP and BOM exports that mean it
# (SAP, Oracle, Dynamics, BOM tools; English, German and Chinese), written as ``header_words`` reads
# them: "Vendor No." and "Vendor #" are "vendor number", "E-Mail" is "email", "Mfr" "manufacturer".
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "supplier_key": (
        "Supplier number",
        (
            "supplier number",
            "supplier id",
            "supplier code",
            "supplier key",
            "vendor number",
            "vendor id",
            "vendor code",
            "vendor key",
            "vendor",
            "vendor account",
            "vendor account number",
            "creditor",
            "creditor number",
            "lieferant",
            "lieferantennummer",
            "lieferanten number",
            "lieferant number",
            "kreditor",
            "kreditorennummer",
            "kreditor number",
            "供应商编码",
            "供应商代码",
            "供应商编号",
            "供应商号",
        ),
    ),
    "supplier_name": (
        "Supplier name",
        (
            "supplier name",
            "vendor name",
            "name",
            "name 1",
            "supplier",
            "company",
            "company name",
            "lieferantenname",
            "lieferanten name",
            "lieferant name",
            "firma",
            "firmenname",
            "供应商名称",
            "供应商",
            "公司名称",
        ),
    ),
    "tier": (
        "Tier (direct / indirect)",
        ("tier", "supplier tier", "type", "supplier type", "vendor type", "relationship"),
    ),
    "country": (
        "Country",
        (
            "country",
            "supplier country",
            "vendor country",
            "country code",
            "country key",
            "country region",
            "land",
            "länderschlüssel",
            "länder schlüssel",
            "国家",
            "国家 地区",
            "国家地区",
        ),
    ),
    "internal_owner": (
        "Internal owner (user name or e-mail)",
        ("internal owner", "owner", "buyer", "buyer name", "purchaser", "einkäufer", "采购员"),
    ),
    "notes": ("Notes", ("notes", "note", "remarks", "comment", "comments", "bemerkung", "备注")),
    "contact_name": (
        "Contact name",
        (
            "contact name",
            "contact",
            "contact person",
            "contact persons",
            "contacts",
            "ansprechpartner",
            "kontakt",
            "kontaktperson",
            "联系人",
        ),
    ),
    "contact_email": (
        "Contact e-mail",
        (
            "contact email",
            "contact email address",
            "email",
            "emails",
            "email address",
            "email addresses",
            "supplier email",
            "vendor email",
            "mail",
            "email adresse",
            "邮箱",
            "电子邮件",
            "电子邮箱",
            "邮件",
        ),
    ),
    "contact_phone": (
        "Contact phone",
        (
            "contact phone",
            "phone",
            "phone number",
            "telephone",
            "telephone number",
            "tel",
            "mobile",
            "telefon",
            "telefonnummer",
            "电话",
            "联系电话",
            "手机",
        ),
    ),
    "contact_language": (
        "Contact language (en / zh-hans)",
        ("language", "contact language", "language key", "sprache", "语言"),
    ),
    "contact_primary": ("Primary contact? (yes/no)", ("primary", "primary contact", "is primary")),
    "contact_escalation": ("Escalation contact? (yes/no)", ("escalation", "escalation contact")),
    "part_number": (
        "Part number",
        (
            "part number",
            "part",
            "item number",
            "item",
            "material",
            "material number",
            "internal part number",
            "our part number",
            "component",
            "component number",
            "article number",
            "artikelnummer",
            "materialnummer",
            "teilenummer",
            "sachnummer",
            "物料编码",
            "物料号",
            "料号",
            "零件号",
        ),
    ),
    "part_description": (
        "Part description",
        (
            "part description",
            "description",
            "item description",
            "material description",
            "component description",
            "short text",
            "bezeichnung",
            "materialkurztext",
            "物料描述",
            "描述",
        ),
    ),
    "supplier_part_number": (
        "Supplier's part number",
        (
            "supplier part number",
            "vendor part number",
            "manufacturer part number",
            "manufacturer part",
            "mpn",
            "supplier material number",
            "vendor material number",
            "supplier item number",
            "vendor item number",
            "herstellerteilenummer",
            "lieferantenmaterialnummer",
            "供应商料号",
            "制造商料号",
        ),
    ),
    "product_number": (
        "Product number",
        (
            "product number",
            "product",
            "assembly",
            "assembly number",
            "parent item",
            "parent part",
            "parent part number",
            "erzeugnis",
            "产品编码",
            "产品",
        ),
    ),
    "product_name": ("Product name", ("product name", "product description", "产品名称")),
    "product_line": ("Product line", ("product line", "product family", "family", "produktlinie", "产品线")),
}
REQUIRED = ("supplier_key",)
PREVIEW_ROWS = 20
# Where a field's problem leaves the row: the fields of the supplier itself skip the row.
SUPPLIER_FIELDS = ("supplier_key", "supplier_name", "tier", "country", "internal_owner", "notes")
CONTACT_FIELDS = (
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_language",
    "contact_primary",
    "contact_escalation",
)
ROW, CONTACT, PART_LINK = "row", "contact", "part link"

_TIERS = {
    "direct": Tier.DIRECT,
    "d": Tier.DIRECT,
    "1": Tier.DIRECT,
    "tier 1": Tier.DIRECT,
    "tier1": Tier.DIRECT,
    "contract manufacturer": Tier.DIRECT,
    "cm": Tier.DIRECT,
    "indirect": Tier.INDIRECT,
    "i": Tier.INDIRECT,
    "2": Tier.INDIRECT,
    "tier 2": Tier.INDIRECT,
    "tier2": Tier.INDIRECT,
    "sub tier": Tier.INDIRECT,
}
_YES = {"yes", "y", "true", "1", "x", "是"}
_NO = {"no", "n", "false", "0", "", "否"}
_LANGUAGES = {
    "en": "en",
    "english": "en",
    "zh": "zh-hans",
    "zh-hans": "zh-hans",
    "zh-cn": "zh-hans",
    "chinese": "zh-hans",
    "中文": "zh-hans",
    "简体中文": "zh-hans",
}
# Header words written several ways in exports: each is read as the word on the right.
_HEADER_WORDS = {
    "no": "number",
    "nr": "number",
    "num": "number",
    "nbr": "number",
    "mfr": "manufacturer",
    "mfg": "manufacturer",
    "manuf": "manufacturer",
    "addr": "address",
}


def header_words(header: Any) -> str:
    """A header as FIELDS lists it: "Vendor Part No." -> "vendor part number", "E-Mail" -> "email"."""
    text = header_key(str(header).replace("#", " number ") if header is not None else "")
    text = re.sub(r"\be mail\b", "email", text)
    text = re.sub(r"\bp n\b", "part number", text)  # "Vendor P/N"
    return " ".join(_HEADER_WORDS.get(word, word) for word in text.split())


_KEY_WORDS = set(FIELDS["supplier_key"][1]) | set(FIELDS["supplier_name"][1]) - {"name", "company"}


def _recognise(headers: Sequence[str]) -> bool:
    return any(header_words(h) in _KEY_WORDS for h in headers if h)


def read_rows(data: bytes, filename: str) -> Table:
    """The table in the uploaded file (raises oretrace.errors.BadInput with a plain message)."""
    return read_table(
        data, name=filename, recognise=_recognise, expected="a supplier number or supplier name column"
    )


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """Field -> column index, from the headers' words; the person can change it on the preview."""
    keys = [header_words(h) for h in headers]
    mapping: dict[str, int | None] = {}
    used: set[int] = set()
    for fieldname, (_label, words) in FIELDS.items():
        mapping[fieldname] = None
        for word in words:
            index = next((i for i, k in enumerate(keys) if k == word and i not in used), None)
            if index is not None:
                mapping[fieldname] = index
                used.add(index)
                break
    return mapping


def _text(value: Any, lines: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # part numbers typed as numbers come back as 10045.0
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    # Like typed text (oretrace.web.forms), the export loses the characters XML cannot hold.
    text = xml_safe(str(value))
    if lines:  # several contacts in a cell, one per line: the line break separates them as ";" does
        text = "; ".join(line for line in text.splitlines() if line.strip())
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field of a row, and what it keeps out of the import."""

    field: str  # a FIELDS name
    message: str
    leaves_out: str  # ROW, CONTACT or PART_LINK

    @property
    def label(self) -> str:
        return FIELDS[self.field][0]

    @property
    def consequence(self) -> str:
        return {ROW: "row skipped", CONTACT: "contact left out", PART_LINK: "part link left out"}[
            self.leaves_out
        ]


@dataclass
class ContactIn:
    """One contact as the row gives it, to be created or updated by its e-mail address."""

    email: str
    name: str = ""
    phone: str = ""


@dataclass
class Row:
    number: int  # as the spreadsheet shows it
    values: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    tier: str | None = None
    country: str = ""
    owner: Any = None
    contacts: list[ContactIn] = field(default_factory=list)  # the ones to write
    left_out_contacts: list[str] = field(default_factory=list)  # their addresses (or names)
    language: str | None = None
    primary: bool | None = None
    escalation: bool | None = None

    @property
    def skipped(self) -> bool:
        return any(p.leaves_out == ROW for p in self.problems)

    @property
    def part_left_out(self) -> bool:
        return not self.skipped and any(p.leaves_out == PART_LINK for p in self.problems)

    @property
    def imported_in_part(self) -> bool:
        return not self.skipped and bool(self.problems)

    def problem(self, fieldname: str, message: str) -> None:
        leaves_out = (
            ROW if fieldname in SUPPLIER_FIELDS else CONTACT if fieldname in CONTACT_FIELDS else PART_LINK
        )
        self.problems.append(Problem(fieldname, message, leaves_out))


def check_rows(table: Table, mapping: dict[str, int | None]) -> list[Row]:
    """Every data row with its values under our field names and everything wrong with it."""
    missing = [FIELDS[f][0] for f in REQUIRED if mapping.get(f) is None]
    if missing:
        raise ValueError(f"Choose the column for: {', '.join(missing)}.")
    users = {}
    for user in get_user_model().objects.filter(is_active=True):
        users[user.username.casefold()] = user
        if user.email:
            users[user.email.casefold()] = user
    known_keys = set(Supplier.objects.values_list("key", flat=True))
    rows = []
    for offset, raw in enumerate(table.rows):
        values = {
            f: _text(raw[i], lines=f in CONTACT_FIELDS) if i is not None and i < len(raw) else ""
            for f, i in mapping.items()
        }
        if not any(values.values()):
            continue  # a blank line between blocks is not an error
        row = Row(number=table.header_row + 1 + offset, values=values)
        _check_supplier(row, users, known_keys)
        _check_contacts(row)
        _check_part(row)
        if not row.skipped:
            known_keys.add(values["supplier_key"])
        rows.append(row)
    return rows


def unknown_country(value: str) -> str:
    """The message for a country ``country_name`` does not recognise (the import's and the form's)."""
    return (
        f'"{value}" is not a country oretrace knows: write its ISO 3166 code (DE or DEU) '
        'or its English name ("Germany").'
    )


def _check_supplier(row: Row, users: dict, known_keys: set[str]) -> None:
    v = row.values
    if not v["supplier_key"]:
        row.problem("supplier_key", "The supplier number is empty.")
    elif len(v["supplier_key"]) > 100:
        row.problem("supplier_key", "The supplier number is longer than 100 characters.")
    elif not v["supplier_name"] and v["supplier_key"] not in known_keys:
        row.problem("supplier_name", f"Supplier {v['supplier_key']} is new and has no name.")
    if len(v["supplier_name"]) > 300:
        row.problem("supplier_name", "The supplier name is longer than 300 characters.")
    if v["tier"]:
        row.tier = _TIERS.get(v["tier"].casefold())
        if row.tier is None:
            row.problem("tier", f'The tier "{v["tier"]}" is neither direct nor indirect.')
    if v["country"]:
        row.country = country_name(v["country"]) or ""
        if not row.country:
            row.problem("country", unknown_country(v["country"]))
    if v["internal_owner"]:
        row.owner = users.get(v["internal_owner"].casefold())
        if row.owner is None:
            row.problem(
                "internal_owner", f'The internal owner "{v["internal_owner"]}" is not a user of oretrace.'
            )


# One piece of an e-mail cell: "Name <address>" (the name maybe in quotes) or a bare address.
_NAMED = re.compile(r'^\s*"?(?P<name>[^"<>]*?)"?\s*<(?P<email>[^<>]*)>\s*$')


def _split_outside(text: str, separator: str) -> list[str]:
    """The text's pieces between separators that are not inside quotes or angle brackets."""
    pieces, current, quoted, angled = [], "", False, False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == "<":
            angled = True
        elif ch == ">":
            angled = False
        if ch == separator and not quoted and not angled:
            pieces.append(current)
            current = ""
        else:
            current += ch
    pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]


def split_addresses(cell: str) -> list[tuple[str, str]]:
    """(name, address) for each contact in an e-mail cell, in order, each as written (not checked).

    Addresses are separated by ";", "," or line breaks; "Name <address>" gives the name too, and a
    comma inside a name ("Tan, Anna <anna@x.example>") does not separate.
    """
    found: list[tuple[str, str]] = []
    for group in _split_outside(cell, ";"):
        pieces = _split_outside(group, ",")
        while pieces:
            piece = pieces.pop(0)
            if "@" not in piece and pieces and "@" not in pieces[0].split("<")[0] and _NAMED.match(pieces[0]):
                piece = f"{piece}, {pieces.pop(0)}"  # "Tan" of "Tan, Anna <anna@x.example>"
            if named := _NAMED.match(piece):
                found.append((named["name"].strip(), named["email"].strip()))
            elif " " in piece and all("@" in word for word in piece.split()):
                found.extend(("", word) for word in piece.split())  # "a@x.example b@x.example"
            else:
                found.append(("", piece))
    return found


def _split_list(cell: str) -> list[str]:
    """Names or phone numbers, one per contact: separated by ";" or line breaks (never by ",",
    which is in "Tan, Anna" and "+49 30 1234, ext. 5")."""
    return [part.strip() for part in cell.split(";") if part.strip()]


def _check_contacts(row: Row) -> None:
    v = row.values
    addresses = split_addresses(v["contact_email"])
    if not addresses:
        if v["contact_name"] or v["contact_phone"]:
            row.problem("contact_email", "The contact has no e-mail address; requests are sent by e-mail.")
            row.left_out_contacts = _split_list(v["contact_name"]) or [v["contact_phone"]]
        return
    whole_row_problem = False
    if v["contact_language"]:
        row.language = _LANGUAGES.get(v["contact_language"].casefold())
        if row.language is None:
            row.problem(
                "contact_language", f'The language "{v["contact_language"]}" is not one of: en, zh-hans.'
            )
            whole_row_problem = True
    for flag in ("contact_primary", "contact_escalation"):
        text = v[flag].casefold()
        if text in _YES:
            setattr(row, flag.removeprefix("contact_"), True)
        elif text in _NO:
            setattr(row, flag.removeprefix("contact_"), False if text else None)
        else:
            row.problem(flag, f'{FIELDS[flag][0].split("?")[0]}: "{v[flag]}" is not yes or no.')
            whole_row_problem = True
    # A name or phone number per address, in the same order; a single one goes with the first address.
    paired: dict[str, list[str]] = {}
    for column, what in (("contact_name", "names"), ("contact_phone", "phone numbers")):
        given = _split_list(v[column])
        if len(given) > 1 and len(given) != len(addresses):
            row.problem(
                column,
                f"{len(given)} {what} for {plural(len(addresses), 'e-mail address', 'e-mail addresses')}: "
                f'write one per address, in the same order, separated by ";".',
            )
            whole_row_problem = True
        paired[column] = given + [""] * (len(addresses) - len(given))
    seen: set[str] = set()
    for index, (inline_name, email) in enumerate(addresses):
        name = inline_name or paired["contact_name"][index]
        phone = paired["contact_phone"][index]
        if email.casefold() in seen:
            continue  # the same address twice in a cell is one contact
        seen.add(email.casefold())
        try:
            if len(email) > 254:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            row.problem("contact_email", f'"{email}" is not an e-mail address.')
            row.left_out_contacts.append(email)
            continue
        if len(name) > 200:
            row.problem("contact_name", f"The contact name for {email} is longer than 200 characters.")
            row.left_out_contacts.append(email)
            continue
        if len(phone) > 60:
            row.problem("contact_phone", f"The phone number for {email} is longer than 60 characters.")
            row.left_out_contacts.append(email)
            continue
        row.contacts.append(ContactIn(email=email, name=name, phone=phone))
    if whole_row_problem:
        row.left_out_contacts.extend(c.email for c in row.contacts)
        row.contacts = []


def _check_part(row: Row) -> None:
    v = row.values
    for name, limit in (("part_number", 100), ("supplier_part_number", 100), ("product_number", 100)):
        if len(v[name]) > limit:
            row.problem(name, f"The {FIELDS[name][0].lower()} is longer than {limit} characters.")
    if v["supplier_part_number"] and not v["part_number"]:
        row.problem(
            "supplier_part_number",
            f'The supplier\'s part number "{v["supplier_part_number"]}" has no part number of ours to go with.',
        )
    if v["product_number"] and not v["part_number"]:
        row.problem("product_number", f'The product "{v["product_number"]}" has no part number to go into.')


@dataclass(frozen=True)
class Plan:
    """What an import of the checked rows will do, row by row: the preview's button and the result
    both say it."""

    rows: int
    imported: int  # written, whole or in part
    in_part: int  # of those, written without a contact or part link that has a problem
    skipped: int
    digest: str  # changes when any row's outcome does, so the import can tell the preview is stale

    @classmethod
    def of(cls, rows: list[Row]) -> Plan:
        outcome = "|".join(f"{r.number}:{r.skipped}:{len(r.contacts)}:{r.part_left_out}" for r in rows)
        return cls(
            rows=len(rows),
            imported=sum(1 for r in rows if not r.skipped),
            in_part=sum(1 for r in rows if r.imported_in_part),
            skipped=sum(1 for r in rows if r.skipped),
            digest=hashlib.sha256(outcome.encode()).hexdigest()[:16],
        )

    def __str__(self) -> str:
        text = f"{plural(self.rows, 'row')}: {self.imported} imported"
        if self.in_part:
            text += f" ({self.in_part} of them without a contact or part link that has a problem)"
        return f"{text}, {self.skipped} skipped"


@dataclass
class Summary:
    plan: Plan
    suppliers_created: int = 0
    suppliers_updated: int = 0
    contacts_created: int = 0
    contacts_updated: int = 0
    contacts_left_out: int = 0
    parts_linked: int = 0
    part_links_left_out: int = 0

    def __str__(self) -> str:
        return (
            f"{self.plan}. Suppliers: {self.suppliers_created} created, {self.suppliers_updated} updated. "
            f"Contacts: {self.contacts_created} created, {self.contacts_updated} updated, "
            f"{self.contacts_left_out} left out. "
            f"Part links: {self.parts_linked} added, {self.part_links_left_out} left out"
        )


def apply_rows(rows: list[Row], by, filename: str) -> Summary:
    """Write what the rows give, in one transaction; the plan says what each problem keeps out."""
    summary = Summary(plan=Plan.of(rows))
    created: dict[str, set] = {"suppliers": set(), "contacts": set()}
    updated: dict[str, set] = {"suppliers": set(), "contacts": set()}
    # What is left out is counted once however many rows name it, and not if another row wrote it.
    left_out: dict[str, set] = {"contacts": set(), "part links": set()}
    written: dict[str, set] = {"contacts": set(), "part links": set()}
    with transaction.atomic():
        for row in rows:
            if row.skipped:
                continue
            key = row.values["supplier_key"]
            left_out["contacts"].update((key, c.casefold()) for c in row.left_out_contacts)
            written["contacts"].update((key, c.email.casefold()) for c in row.contacts)
            v = row.values
            if row.part_left_out:
                left_out["part links"].add(
                    (key, v["part_number"] or v["supplier_part_number"] or v["product_number"])
                )
            elif v["part_number"]:
                written["part links"].add((key, v["part_number"]))
            _apply(row, summary, created, updated)
        summary.contacts_left_out = len(left_out["contacts"] - written["contacts"])
        summary.part_links_left_out = len(left_out["part links"] - written["part links"])
        summary.suppliers_created = len(created["suppliers"])
        summary.suppliers_updated = len(updated["suppliers"] - created["suppliers"])
        summary.contacts_created = len(created["contacts"])
        summary.contacts_updated = len(updated["contacts"] - created["contacts"])
        AuditEntry.record(by, "suppliers.imported", None, f"{filename}: {summary}")
    return summary


def _apply(row: Row, summary: Summary, created: dict[str, set], updated: dict[str, set]) -> None:
    v = row.values
    supplier = Supplier.objects.filter(key=v["supplier_key"]).first()
    if supplier is None:
        supplier = Supplier(key=v["supplier_key"], name=v["supplier_name"])
        created["suppliers"].add(supplier.key)
    changes = {
        "name": v["supplier_name"] or supplier.name,
        "tier": row.tier or supplier.tier,
        "country": row.country or supplier.country,
        "notes": v["notes"] or supplier.notes,
        "internal_owner": row.owner or supplier.internal_owner,
    }
    changed = supplier.pk is None or any(getattr(supplier, k) != val for k, val in changes.items())
    for key, value in changes.items():
        setattr(supplier, key, value)
    if changed:
        supplier.save()
        updated["suppliers"].add(supplier.key)
    for given in row.contacts:
        contact = supplier.contacts.filter(email__iexact=given.email).first()
        if contact is None:
            contact = Contact(supplier=supplier, email=given.email)
        before = (contact.name, contact.phone, contact.language, contact.is_primary, contact.is_escalation)
        contact.name = given.name or contact.name
        contact.phone = given.phone or contact.phone
        contact.language = row.language or contact.language
        if row.primary is not None:
            contact.is_primary = row.primary
        elif contact.pk is None and not supplier.contacts.filter(is_primary=True).exists():
            contact.is_primary = True  # a supplier's first contact receives its requests
        if row.escalation is not None:
            contact.is_escalation = row.escalation
        after = (contact.name, contact.phone, contact.language, contact.is_primary, contact.is_escalation)
        if contact.pk is None:
            contact.save()
            created["contacts"].add(contact.pk)
        elif after != before:
            contact.save()
            updated["contacts"].add(contact.pk)
    if v["part_number"] and not row.part_left_out:
        part, _ = Part.objects.get_or_create(number=v["part_number"])
        if v["part_description"] and part.description != v["part_description"][:300]:
            part.description = v["part_description"][:300]
            part.save(update_fields=["description"])
        link, made = SupplierPart.objects.get_or_create(supplier=supplier, part=part)
        if v["supplier_part_number"] and link.supplier_part_number != v["supplier_part_number"]:
            link.supplier_part_number = v["supplier_part_number"]
            link.save(update_fields=["supplier_part_number"])
        summary.parts_linked += int(made)
        if v["product_number"]:
            line = (
                ProductLine.objects.get_or_create(name=v["product_line"][:200])[0]
                if v["product_line"]
                else None
            )
            product, _ = Product.objects.get_or_create(number=v["product_number"])
            if (v["product_name"] and product.name != v["product_name"][:300]) or (
                line and product.product_line != line
            ):
                product.name = v["product_name"][:300] or product.name
                product.product_line = line or product.product_line
                product.save()
            part.products.add(product)
