"""Erasing a supplier contact's personal data on request (GDPR Art 17) without breaking the audit trail.

The contact's name, e-mail address and phone number are replaced by a pseudonym wherever oretrace
stored them: the contact, the e-mails of the outbox, the contact fields of the supplier's files as read
(their Declaration's contact and authorizer), follow-ups, declines and the audit log. The contact's row
stays under its id, so every audit entry about it still points to the same (now pseudonymous) contact.

The uploaded files themselves are kept as they were sent until the purge deletes them: they are the
supplier's signed statement, which EU 2017/821 Art 4(b) has the company keep, and GDPR Art 17(3)(b)
lets a record a legal obligation requires outlive an erasure request. A legal hold (a dispute, an
authority's inquiry) refuses the erasure, under GDPR Art 17(3)(e).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import FollowUp, Request, RequestEvent, Submission
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.retention.models import LegalHold
from oretrace.web.suppliers.models import Contact, Supplier

ERASED_DOMAIN = "erased.invalid"  # RFC 2606: a domain that can never receive mail
# A name shorter than this is not replaced inside other text, where it would hit unrelated words.
SHORTEST_NAME = 2


class ErasureRefused(Exception):
    """The contact's data cannot be erased now (a legal hold keeps it, or it is erased already)."""


@dataclass(frozen=True)
class Pseudonym:
    name: str
    email: str

    @classmethod
    def for_contact(cls, contact: Contact) -> Pseudonym:
        return cls(name=f"Erased contact {contact.pk}", email=f"erased-contact-{contact.pk}@{ERASED_DOMAIN}")


@dataclass(frozen=True)
class Erasure:
    """What one erasure changed, counted for the page, the command and the audit log."""

    pseudonym: Pseudonym
    emails: int
    submissions: int
    follow_ups: int
    requests: int
    audit_entries: int

    @property
    def summary(self) -> str:
        return (
            f"Replaced by {self.pseudonym.name} <{self.pseudonym.email}> in {self.emails} e-mail(s), "
            f"{self.submissions} file record(s), {self.follow_ups} follow-up(s), {self.requests} request(s) "
            f"and {self.audit_entries} audit entr{'y' if self.audit_entries == 1 else 'ies'}."
        )


class Scrubber:
    """Replaces one person's name, e-mail address and phone number in text and in JSON, each only where
    it stands alone: "Al" is replaced in "Dear Al," but not in "Alice"."""

    def __init__(self, contact: Contact, pseudonym: Pseudonym):
        needles = [(contact.email, pseudonym.email), (contact.phone, pseudonym.name)]
        if len(contact.name.strip()) >= SHORTEST_NAME:
            needles.append((contact.name.strip(), pseudonym.name))
        # Longest first: an e-mail address that contains the name is replaced whole.
        needles = sorted(((old, new) for old, new in needles if old.strip()), key=lambda pair: -len(pair[0]))
        self.replacements = dict(needles)
        self.pattern = (
            re.compile("|".join(_standing_alone(old) for old, _ in needles), re.IGNORECASE)
            if needles
            else None
        )
        self.by_key = {old.casefold(): new for old, new in needles}

    def text(self, value: str) -> str:
        if not self.pattern or not value:
            return value
        return self.pattern.sub(lambda match: self.by_key[match.group(0).casefold()], value)

    def json(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.json(item) for key, item in value.items()}
        return value


def _standing_alone(needle: str) -> str:
    """A pattern for ``needle`` not inside a longer Latin word or number. Chinese is written without
    spaces, so a needle that begins or ends with a Chinese character matches there whatever follows."""
    before = r"(?<![A-Za-z0-9])" if needle[0].isascii() and needle[0].isalnum() else ""
    after = r"(?![A-Za-z0-9])" if needle[-1].isascii() and needle[-1].isalnum() else ""
    return before + re.escape(needle) + after


def active_holds(contact: Contact):
    """The holds that keep this contact's data: on its supplier, or on a campaign its supplier is in."""
    campaigns = Request.objects.filter(supplier_id=contact.supplier_id).values("campaign_id")
    return LegalHold.objects.active().filter(
        Q(supplier_id=contact.supplier_id) | Q(campaign_id__in=campaigns)
    )


def is_erased(contact: Contact) -> bool:
    return contact.email.endswith(f"@{ERASED_DOMAIN}")


def erase_contact(contact_pk: int, by) -> Erasure:
    """Replace the contact's personal data by its pseudonym everywhere; refused with a reason when a
    legal hold keeps it or it is erased already."""
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact_pk)
        # The supplier's row, as a hold is placed under it (LegalHold.place): no hold slips in meanwhile.
        Supplier.objects.select_for_update().get(pk=contact.supplier_id)
        if is_erased(contact):
            raise ErasureRefused(f"{contact} was erased already.")
        holds = list(active_holds(contact))
        if holds:
            reasons = "; ".join(f"{hold.subject}: {hold.reason}" for hold in holds)
            raise ErasureRefused(f"A legal hold keeps this contact's records ({reasons}). Release it first.")
        pseudonym = Pseudonym.for_contact(contact)
        scrub = Scrubber(contact, pseudonym)
        erasure = Erasure(
            pseudonym=pseudonym,
            emails=_scrub_emails(contact, scrub),
            submissions=_scrub_submissions(contact, scrub),
            follow_ups=_scrub_follow_ups(contact, scrub),
            requests=_scrub_requests(contact, scrub),
            audit_entries=_scrub_audit(contact, scrub),
        )
        Contact.objects.filter(pk=contact.pk).update(name=pseudonym.name, email=pseudonym.email, phone="")
        contact.refresh_from_db()
        AuditEntry.record(
            by, "contact.erased", contact, f"personal data erased on request. {erasure.summary}"
        )
    return erasure


def _supplier_requests(contact: Contact):
    return Request.objects.filter(supplier_id=contact.supplier_id)


def _scrub_emails(contact: Contact, scrub: Scrubber) -> int:
    found = OutboundEmail.objects.select_for_update(of=("self",)).filter(
        Q(request__supplier_id=contact.supplier_id)
        | Q(to__icontains=contact.email)
        | Q(text__icontains=contact.email)
        | Q(html__icontains=contact.email)
    )
    changed = 0
    for email in found:
        fields = {
            "to": [scrub.text(address) for address in email.to],
            "subject": scrub.text(email.subject),
            "text": scrub.text(email.text),
            "html": scrub.text(email.html),
        }
        if email.status == OutboundEmail.Status.QUEUED:
            # Not sent yet: it is no longer sent to the erased address, and not at all when no one is left.
            fields["to"] = [address for address in email.to if address.casefold() != contact.email.casefold()]
            if not fields["to"]:
                fields.update(
                    status=OutboundEmail.Status.FAILED, last_error="Its recipient's data was erased."
                )
        if any(getattr(email, name) != value for name, value in fields.items()):
            OutboundEmail.objects.filter(pk=email.pk).update(**fields)
            changed += 1
    return changed


def _scrub_submissions(contact: Contact, scrub: Scrubber) -> int:
    found = Submission.objects.select_for_update(of=("self",)).filter(
        Q(request__supplier_id=contact.supplier_id) | Q(data__icontains=contact.email)
    )
    changed = 0
    for submission in found.only("pk", "data", "record", "smelter_record", "uploaded_by_label"):
        fields = {
            "data": scrub.json(submission.data),
            "record": scrub.json(submission.record),
            "smelter_record": scrub.json(submission.smelter_record),
            "uploaded_by_label": scrub.text(submission.uploaded_by_label),
        }
        if any(getattr(submission, name) != value for name, value in fields.items()):
            Submission.objects.filter(pk=submission.pk).update(**fields)
            changed += 1
    return changed


def _scrub_follow_ups(contact: Contact, scrub: Scrubber) -> int:
    changed = 0
    for follow_up in FollowUp.objects.select_for_update(of=("self",)).filter(
        request__supplier_id=contact.supplier_id
    ):
        fields = {
            "message": scrub.text(follow_up.message),
            "author_label": scrub.text(follow_up.author_label),
            "questions": scrub.json(follow_up.questions),
        }
        if any(getattr(follow_up, name) != value for name, value in fields.items()):
            FollowUp.objects.filter(pk=follow_up.pk).update(**fields)
            changed += 1
    return changed


def _scrub_requests(contact: Contact, scrub: Scrubber) -> int:
    """Declines (the name and title a supplier signed with) and the notes of the state history."""
    changed = set()
    declines = ("decline_name", "decline_title", "decline_statement")
    for request in _supplier_requests(contact).select_for_update().only("pk", *declines):
        fields = {name: scrub.text(getattr(request, name)) for name in declines}
        if any(getattr(request, name) != value for name, value in fields.items()):
            Request.objects.filter(pk=request.pk).update(**fields)
            changed.add(request.pk)
    events = RequestEvent.objects.select_for_update(of=("self",)).filter(
        request__supplier_id=contact.supplier_id
    )
    for event in events.only("pk", "request_id", "note", "by_label"):
        fields = {"note": scrub.text(event.note), "by_label": scrub.text(event.by_label)}
        if any(getattr(event, name) != value for name, value in fields.items()):
            RequestEvent.objects.filter(pk=event.pk).update(**fields)
            changed.add(event.request_id)
    return len(changed)


def _scrub_audit(contact: Contact, scrub: Scrubber) -> int:
    """The e-mail address and phone number wherever the log has them (one UPDATE per column); the name,
    too, in the entries about the contact, its supplier or the supplier's requests, where it can only
    mean this person (each entry rewritten where the name stands as a word)."""
    about = AuditEntry.objects.filter(
        Q(object_type="contact", object_id=str(contact.pk))
        | Q(object_type="supplier", object_id=str(contact.supplier_id))
        | Q(
            object_type="request",
            object_id__in=[str(pk) for pk in _supplier_requests(contact).values_list("pk", flat=True)],
        )
    )
    changed: set[int] = set()
    for old, new in scrub.replacements.items():
        if old != contact.name.strip():
            for variant in dict.fromkeys([old, old.lower()]):
                changed |= AuditEntry.objects.all().pseudonymise(variant, new)
    return len(changed | about.pseudonymise_each(scrub.text))
