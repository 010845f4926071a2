"""Small data for the outbox, reminder and portal tests: one organisation, suppliers, a campaign, requests."""

from __future__ import annotations

import datetime as dt
import functools
import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from oretrace.web.campaigns.models import Campaign, Request, State
from oretrace.web.suppliers.models import Contact, Organisation, Part, ReportingYear, Supplier, SupplierPart


def make_campaign(**overrides) -> Campaign:
    Organisation.objects.get_or_create(
        name="Acme Instruments", defaults={"contact_email": "rci@acme.example"}
    )
    year, _ = ReportingYear.objects.get_or_create(year=2024)
    fields = {
        "name": "RCOI 2024",
        "reporting_year": year,
        "template_kind": "CMRT",
        "minimum_version": "6.4",
        "due_date": dt.date(2025, 3, 31),
        "reminder_days": [14, 28],
        "escalation_days": 42,
    }
    fields.update(overrides)
    campaign = Campaign.objects.create(**fields)
    # A campaign sends only with the blank template its invitation promises (Campaign.cannot_send).
    campaign.store_blank_template(blank_template(), "RMI_CMRT_6.5.xlsx")
    campaign.save(update_fields=["blank_template_sha256", "blank_template_name"])
    return campaign


@functools.cache
def blank_template() -> bytes:
    from fictional_template import build_cmrt

    return build_cmrt({})


def make_supplier(key: str, name: str, *, language: str = "en", escalation: bool = True) -> Supplier:
    supplier = Supplier.objects.create(key=key, name=name, country="China")
    Contact.objects.create(
        supplier=supplier, name="Li Wei", email=f"li.wei@{key}.example", language=language, is_primary=True
    )
    if escalation:
        Contact.objects.create(
            supplier=supplier, name="Zhang Min", email=f"director@{key}.example", is_escalation=True
        )
    part = Part.objects.create(number=f"P-{key}-001", description="Shielded connector, 12 pin")
    SupplierPart.objects.create(supplier=supplier, part=part, supplier_part_number=f"{key.upper()}-12")
    return supplier


def sent_request(campaign: Campaign, supplier: Supplier, *, sent_at: dt.datetime | None = None) -> Request:
    """A request in state "sent" at ``sent_at`` (without queueing an invitation)."""
    request = Request.objects.create(campaign=campaign, supplier=supplier)
    request.transition(State.SENT, "test")
    request.sent_at = sent_at or timezone.now()
    request.save(update_fields=["sent_at"])
    return request


class MailServer:
    up = True


class FlakyBackend(LocmemBackend):
    """A mail backend whose server can be taken down (it refuses the connection) and brought back."""

    def send_messages(self, messages):
        if not MailServer.up:
            raise smtplib.SMTPConnectError(421, "mail.acme.example: service not available")
        return super().send_messages(messages)


def link_in(email) -> str:
    """The raw token of the personal link in an e-mail's text."""
    address = next(word for word in email.text.split() if "/p/" in word)
    return address.rstrip("/").rsplit("/", 1)[1]
