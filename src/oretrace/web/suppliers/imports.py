"""Import suppliers, contacts and part links from an ERP or BOM export (CSV or XLSX).

One row may carry a supplier, one of its contacts and one part it supplies; a supplier appears on
as many rows as it has parts. The supplier number is the stable key: a re-import updates, never
duplicates. Rows with a problem are reported with their row number and skipped; they change nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

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

# Each field we can import, its label, and header words seen in ERP exports that mean it.
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "supplier_key": (
        "Supplier number",
        (
            "supplier number",
            "supplier no",
            "supplier id",
            "vendor number",
            "vendor no",
            "vendor id",
            "vendor code",
            "supplier code",
            "vendor",
        ),
    ),
    "supplier_name": ("Supplier name", ("supplier name", "vendor name", "name", "supplier", "company")),
    "tier": ("Tier (direct / indirect)", ("tier", "supplier tier", "type", "relationship")),
    "country": ("Country", ("country", "supplier country", "country code")),
    "internal_owner": (
        "Internal owner (user name or e-mail)",
        ("internal owner", "owner", "buyer", "purchaser"),
    ),
    "notes": ("Notes", ("notes", "remarks", "comment", "comments")),
    "contact_name": ("Contact name", ("contact name", "contact")),
    "contact_email": ("Contact e-mail", ("contact email", "email", "e mail", "contact e mail", "mail")),
    "contact_phone": ("Contact phone", ("contact phone", "phone", "telephone", "tel")),
    "contact_language": ("Contact language (en / zh-hans)", ("language", "contact language")),
    "contact_primary": ("Primary contact? (yes/no)", ("primary", "primary contact", "is primary")),
    "contact_escalation": ("Escalation contact? (yes/no)", ("escalation", "escalation contact")),
    "part_number": (
        "Part number",
        ("part number", "part no", "item number", "item", "material", "part", "mpn"),
    ),
    "part_description": ("Part description", ("part description", "description", "item description")),
    "supplier_part_number": (
        "Supplier's part number",
        ("supplier part number", "manufacturer part number", "vendor part number"),
    ),
    "product_number": ("Product number", ("product number", "product", "assembly", "parent item")),
    "product_name": ("Product name", ("product name",)),
    "product_line": ("Product line", ("product line", "product family", "family")),
}
REQUIRED = ("supplier_key",)
PREVIEW_ROWS = 20
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


def _recognise(headers: Sequence[str]) -> bool:
    keys = {header_key(h) for h in headers if h}
    return any(word in keys for word in FIELDS["supplier_key"][1] + ("supplier name", "vendor name"))


def read_rows(data: bytes, filename: str) -> Table:
    """The table in the uploaded file (raises oretrace.errors.BadInput with a plain message)."""
    return read_table(
        data, name=filename, recognise=_recognise, expected="a supplier number or supplier name column"
    )


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """Field -> column index, from the headers' words; the person can change it on the preview."""
    keys = [header_key(h) for h in headers]
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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # part numbers typed as numbers come back as 10045.0
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    # Like typed text (oretrace.web.forms), the export loses the characters XML cannot hold.
    return re.sub(r"\s+", " ", xml_safe(str(value))).strip()


@dataclass
class Row:
    number: int  # as the spreadsheet shows it
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    tier: str | None = None
    language: str | None = None
    primary: bool | None = None
    escalation: bool | None = None
    owner: Any = None

    @property
    def ok(self) -> bool:
        return not self.errors


def check_rows(table: Table, mapping: dict[str, int | None]) -> list[Row]:
    """Every data row with its values under our field names and what is wrong with it."""
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
        values = {f: _text(raw[i]) if i is not None and i < len(raw) else "" for f, i in mapping.items()}
        if not any(values.values()):
            continue  # a blank line between blocks is not an error
        row = Row(number=table.header_row + 1 + offset, values=values)
        _check(row, users, known_keys)
        if row.ok:
            known_keys.add(values["supplier_key"])
        rows.append(row)
    return rows


def _check(row: Row, users: dict, known_keys: set[str]) -> None:
    v = row.values
    if not v["supplier_key"]:
        row.errors.append("The supplier number is empty.")
    elif len(v["supplier_key"]) > 100:
        row.errors.append("The supplier number is longer than 100 characters.")
    elif not v["supplier_name"] and v["supplier_key"] not in known_keys:
        row.errors.append(f"Supplier {v['supplier_key']} is new and has no name.")
    if v["tier"]:
        row.tier = _TIERS.get(v["tier"].casefold())
        if row.tier is None:
            row.errors.append(f'The tier "{v["tier"]}" is neither direct nor indirect.')
    if v["contact_email"]:
        try:
            validate_email(v["contact_email"])
        except ValidationError:
            row.errors.append(f'"{v["contact_email"]}" is not an e-mail address.')
    elif v["contact_name"] or v["contact_phone"]:
        row.errors.append("The contact has no e-mail address; requests are sent by e-mail.")
    if v["contact_language"]:
        row.language = _LANGUAGES.get(v["contact_language"].casefold())
        if row.language is None:
            row.errors.append(f'The language "{v["contact_language"]}" is not one of: en, zh-hans.')
    for flag in ("contact_primary", "contact_escalation"):
        text = v[flag].casefold()
        if text in _YES:
            setattr(row, flag.removeprefix("contact_"), True)
        elif text in _NO:
            setattr(row, flag.removeprefix("contact_"), False if text else None)
        else:
            row.errors.append(f'{FIELDS[flag][0].split("?")[0]}: "{v[flag]}" is not yes or no.')
    if v["internal_owner"]:
        row.owner = users.get(v["internal_owner"].casefold())
        if row.owner is None:
            row.errors.append(f'The internal owner "{v["internal_owner"]}" is not a user of oretrace.')
    for name, limit in (("supplier_name", 300), ("part_number", 100), ("product_number", 100)):
        if len(v[name]) > limit:
            row.errors.append(f"{FIELDS[name][0]} is longer than {limit} characters.")


@dataclass
class Summary:
    suppliers_created: int = 0
    suppliers_updated: int = 0
    contacts_created: int = 0
    contacts_updated: int = 0
    parts_linked: int = 0
    rows_skipped: int = 0

    def __str__(self) -> str:
        return (
            f"{self.suppliers_created} supplier(s) created, {self.suppliers_updated} updated; "
            f"{self.contacts_created} contact(s) created, {self.contacts_updated} updated; "
            f"{self.parts_linked} part link(s) added; {self.rows_skipped} row(s) with problems skipped"
        )


def apply_rows(rows: list[Row], by, filename: str) -> Summary:
    """Write the good rows in one transaction; rows with errors are skipped and change nothing."""
    summary = Summary(rows_skipped=sum(1 for r in rows if not r.ok))
    created_keys: set[str] = set()
    updated_keys: set[str] = set()
    with transaction.atomic():
        for row in rows:
            if row.ok:
                _apply(row, summary, created_keys, updated_keys)
        summary.suppliers_created = len(created_keys)
        summary.suppliers_updated = len(updated_keys - created_keys)
        AuditEntry.record(by, "suppliers.imported", None, f"{filename}: {summary}")
    return summary


def _apply(row: Row, summary: Summary, created_keys: set[str], updated_keys: set[str]) -> None:
    v = row.values
    supplier = Supplier.objects.filter(key=v["supplier_key"]).first()
    if supplier is None:
        supplier = Supplier(key=v["supplier_key"], name=v["supplier_name"])
        created_keys.add(supplier.key)
    changes = {
        "name": v["supplier_name"] or supplier.name,
        "tier": row.tier or supplier.tier,
        "country": v["country"][:100] or supplier.country,
        "notes": v["notes"] or supplier.notes,
        "internal_owner": row.owner or supplier.internal_owner,
    }
    changed = supplier.pk is None or any(getattr(supplier, k) != val for k, val in changes.items())
    for key, value in changes.items():
        setattr(supplier, key, value)
    if changed:
        supplier.save()
        if supplier.key not in created_keys:
            updated_keys.add(supplier.key)
    if v["contact_email"]:
        contact = supplier.contacts.filter(email__iexact=v["contact_email"]).first()
        if contact is None:
            contact = Contact(supplier=supplier, email=v["contact_email"])
            summary.contacts_created += 1
        else:
            summary.contacts_updated += 1
        contact.name = v["contact_name"] or contact.name
        contact.phone = v["contact_phone"][:60] or contact.phone
        contact.language = row.language or contact.language
        if row.primary is not None:
            contact.is_primary = row.primary
        elif contact.pk is None and not supplier.contacts.filter(is_primary=True).exists():
            contact.is_primary = True  # a supplier's first contact receives its requests
        if row.escalation is not None:
            contact.is_escalation = row.escalation
        contact.save()
    if v["part_number"]:
        part, _ = Part.objects.get_or_create(number=v["part_number"])
        if v["part_description"] and part.description != v["part_description"][:300]:
            part.description = v["part_description"][:300]
            part.save(update_fields=["description"])
        link, made = SupplierPart.objects.get_or_create(supplier=supplier, part=part)
        if v["supplier_part_number"] and link.supplier_part_number != v["supplier_part_number"][:100]:
            link.supplier_part_number = v["supplier_part_number"][:100]
            link.save(update_fields=["supplier_part_number"])
        summary.parts_linked += int(made)
        if v["product_number"]:
            line = (
                ProductLine.objects.get_or_create(name=v["product_line"][:200])[0]
                if v["product_line"]
                else None
            )
            product, _ = Product.objects.get_or_create(number=v["product_number"])
            if (v["product_name"] and product.name != v["product_name"]) or (
                line and product.product_line != line
            ):
                product.name = v["product_name"][:300] or product.name
                product.product_line = line or product.product_line
                product.save()
            part.products.add(product)
