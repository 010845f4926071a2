"""Erasing a contact's personal data on request: a pseudonym everywhere it was stored, the audit trail
kept pointing at the same (pseudonymous) contact, refused while a legal hold keeps the records."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from staff_data import campaign_with_suppliers, make_user, submitted

from oretrace.web.accounts.models import Role
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import FollowUp, Submission
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.retention.erasure import ErasureRefused, erase_contact
from oretrace.web.retention.models import LegalHold
from oretrace.web.suppliers.models import Contact

pytestmark = pytest.mark.django_db

LI_WEI = "li.wei@tianma.example"
PHONE = "+86 755 1234 5678"  # as the supplier's file gives it (staff_data.cmrt_bytes)


@pytest.fixture
def li_wei():
    """Li Wei, Supplier 0's contact, named in its file, its e-mails, a follow-up and the audit log."""
    alice = make_user("alice", Role.ADMIN)
    _, requests = campaign_with_suppliers(1)
    contact = Contact.objects.get(email=LI_WEI)
    Contact.objects.filter(pk=contact.pk).update(phone=PHONE)
    contact.refresh_from_db()
    AuditEntry.record(alice, "contact.added", contact, "Supplier 0")
    AuditEntry.record(alice, "request.new_link_sent", requests[0], f"invitation with a new link to {LI_WEI}")
    submitted(requests[0])
    OutboundEmail.objects.create(
        template="invitation",
        to=[LI_WEI, "rep0@s0.example"],
        subject="Your CMRT, Li Wei",
        text=f"Dear Li Wei,\nCall us back on {PHONE}.",
        request=requests[0],
        status=OutboundEmail.Status.SENT,
    )
    OutboundEmail.objects.create(template="reminder", to=[LI_WEI], subject="Reminder", text="Dear Li Wei")
    FollowUp.objects.create(
        request=requests[0], from_supplier=True, author_label="Li Wei", message="Li Wei here: done."
    )
    return {"alice": alice, "contact": contact, "request": requests[0]}


def stored_text() -> str:
    """Everything oretrace stores about the supplier that could hold the contact's data, as one text."""
    parts = [
        list(Contact.objects.values()),
        list(OutboundEmail.objects.values("to", "subject", "text", "html")),
        list(Submission.objects.values("data", "record", "smelter_record", "uploaded_by_label")),
        list(FollowUp.objects.values("author_label", "message")),
        list(AuditEntry.objects.exclude(action="contact.erased").values("object_label", "detail")),
    ]
    return json.dumps(parts, default=str, ensure_ascii=False)


def test_the_contact_s_name_e_mail_and_phone_are_replaced_by_its_pseudonym_everywhere(li_wei):
    contact = li_wei["contact"]
    assert LI_WEI in stored_text() and "Li Wei" in stored_text() and PHONE in stored_text()
    erasure = erase_contact(contact.pk, li_wei["alice"])
    text = stored_text()
    assert LI_WEI not in text and "Li Wei" not in text and PHONE not in text
    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.phone) == (
        f"Erased contact {contact.pk}",
        f"erased-contact-{contact.pk}@erased.invalid",
        "",
    )
    company = Submission.objects.get().data["company"]
    assert company["contact_name"] == f"Erased contact {contact.pk}"
    assert company["contact_email"] == f"erased-contact-{contact.pk}@erased.invalid"
    assert company["contact_phone"] == f"Erased contact {contact.pk}"
    assert company["name"] == "Tianma Components Co., Ltd."  # the company is no person: it stays
    assert (erasure.emails, erasure.submissions, erasure.follow_ups) == (2, 1, 1)
    # The other contact of the supplier is untouched.
    assert Contact.objects.filter(email="rep0@s0.example", name="Rep 0").exists()


def test_the_audit_trail_keeps_pointing_at_the_same_contact_under_its_pseudonym(li_wei):
    contact = li_wei["contact"]
    erase_contact(contact.pk, li_wei["alice"])
    added = AuditEntry.objects.get(action="contact.added")
    assert (added.object_type, added.object_id) == ("contact", str(contact.pk))
    assert added.object_label == f"Erased contact {contact.pk} <erased-contact-{contact.pk}@erased.invalid>"
    assert added.actor_label == "alice"
    link = AuditEntry.objects.get(action="request.new_link_sent")
    assert link.detail == f"invitation with a new link to erased-contact-{contact.pk}@erased.invalid"
    erased = AuditEntry.objects.get(action="contact.erased")
    assert erased.object_id == str(contact.pk) and erased.actor_label == "alice"
    assert erased.detail.startswith("personal data erased on request. Replaced by Erased contact")


def test_a_mail_not_sent_yet_no_longer_goes_to_the_erased_address(li_wei):
    erase_contact(li_wei["contact"].pk, li_wei["alice"])
    sent = OutboundEmail.objects.get(template="invitation")
    assert sent.to == [f"erased-contact-{li_wei['contact'].pk}@erased.invalid", "rep0@s0.example"]
    reminder = OutboundEmail.objects.get(template="reminder")
    assert (reminder.to, reminder.status, reminder.last_error) == (
        [],
        "failed",
        "Its recipient's data was erased.",
    )


def test_a_legal_hold_on_the_supplier_refuses_the_erasure_and_changes_nothing(li_wei):
    LegalHold.place(li_wei["contact"].supplier, "Dispute over the 2025 declaration.", li_wei["alice"])
    before = stored_text()
    with pytest.raises(
        ErasureRefused, match=r"A legal hold keeps this contact's records \(Supplier 0: Dispute"
    ):
        erase_contact(li_wei["contact"].pk, li_wei["alice"])
    assert stored_text() == before


def test_a_legal_hold_on_a_campaign_the_supplier_answered_refuses_the_erasure(li_wei):
    LegalHold.place(li_wei["request"].campaign, "Authority inquiry.", li_wei["alice"])
    with pytest.raises(ErasureRefused, match="RCOI 2025: Authority inquiry"):
        erase_contact(li_wei["contact"].pk, li_wei["alice"])


def test_a_contact_erased_already_is_refused_by_name(li_wei):
    erase_contact(li_wei["contact"].pk, li_wei["alice"])
    with pytest.raises(ErasureRefused, match="was erased already"):
        erase_contact(li_wei["contact"].pk, li_wei["alice"])


def test_the_command_lists_the_contacts_then_erases_them_with_apply(li_wei):
    out = io.StringIO()
    call_command("erase_personal_data", "--email", LI_WEI.upper(), stdout=out)
    assert f"would erase contact {li_wei['contact'].pk} of Supplier 0: Li Wei <{LI_WEI}>" in out.getvalue()
    assert Contact.objects.filter(email=LI_WEI).exists()
    out = io.StringIO()
    call_command("erase_personal_data", "--email", LI_WEI, "--apply", stdout=out)
    assert (
        f"erased contact {li_wei['contact'].pk} of Supplier 0. Replaced by Erased contact" in out.getvalue()
    )
    assert not Contact.objects.filter(email=LI_WEI).exists()
    assert AuditEntry.objects.get(action="contact.erased").actor_label == "erase_personal_data command"


def test_the_command_names_an_address_no_contact_has(li_wei):
    with pytest.raises(CommandError, match=r"No contact has the e-mail address nobody@x\.example"):
        call_command("erase_personal_data", "--email", "nobody@x.example", stdout=io.StringIO())


def test_an_audit_label_stays_within_its_column_when_the_pseudonym_is_longer(li_wei):
    short = Contact.objects.create(supplier=li_wei["contact"].supplier, email="a@b.co", name="Al")
    entry = AuditEntry.record(li_wei["alice"], "contact.added", short, "a@b.co")
    long_label = AuditEntry.objects.create(
        actor_label="alice",
        action="note",
        object_type="contact",
        object_id=str(short.pk),
        object_label="x" * 290 + " a@b.co",
    )
    erase_contact(short.pk, li_wei["alice"])
    long_label = AuditEntry.objects.get(pk=long_label.pk)
    assert len(long_label.object_label) == 300
    assert long_label.object_label == "x" * 290 + " erased-co"
    assert long_label.actor_label == "alice"  # "Al" is replaced only where it stands as a word
    assert AuditEntry.objects.get(pk=entry.pk).detail == f"erased-contact-{short.pk}@erased.invalid"


def test_a_short_latin_name_is_replaced_only_as_a_word_and_a_chinese_name_wherever_it_stands(li_wei):
    supplier = li_wei["contact"].supplier
    al = Contact.objects.create(supplier=supplier, email="al@s0.example", name="Al")
    wei = Contact.objects.create(supplier=supplier, email="wei@s0.example", name="李伟")
    mail = OutboundEmail.objects.create(
        template="reminder",
        to=["al@s0.example"],
        subject="Reminder",
        text="Dear Al, Alice will call. 李伟您好",
        request=li_wei["request"],
        status=OutboundEmail.Status.SENT,
    )
    erase_contact(al.pk, li_wei["alice"])
    erase_contact(wei.pk, li_wei["alice"])
    mail.refresh_from_db()
    assert mail.text == f"Dear Erased contact {al.pk}, Alice will call. Erased contact {wei.pk}您好"
