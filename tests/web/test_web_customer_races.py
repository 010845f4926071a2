"""Sending a customer's answer is race-free: analysts pressing "Send by e-mail" at once, or one sending
by e-mail while another records the upload to the customer's portal, send it once (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from customer_data import answering_world
from django.db import connection

from oretrace.web.audit.models import AuditEntry
from oretrace.web.customers import answers
from oretrace.web.customers.models import Customer, CustomerAnswer, CustomerRequest
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.suppliers.models import Organisation


def _prepared(bob) -> CustomerAnswer:
    request = CustomerRequest.objects.create(
        customer=Customer.objects.create(name="Big Co"),
        contact_email="pat@bigco.example",
        template_version="6.5",
        due_date=dt.date(2026, 6, 30),
        channel=CustomerRequest.Channel.PORTAL,
        portal_url="https://portal.bigco.example/",
    )
    return answers.prepare(request, bob)


def _at_once(actions) -> list[str]:
    start = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action) -> None:
        try:
            start.wait()
            action()
            outcomes.append("sent")
        except answers.Refused:
            outcomes.append("refused")
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_analysts_pressing_send_at_once_queue_one_email():
    bob = answering_world()["analyst"]
    answer = _prepared(bob)

    def press():
        answers.send_by_email(CustomerAnswer.objects.get(pk=answer.pk), bob)

    assert _at_once([press] * 4) == ["refused", "refused", "refused", "sent"]
    assert OutboundEmail.objects.filter(template="customer-answer").count() == 1
    assert AuditEntry.objects.filter(action="customers.answer_sent").count() == 1
    assert CustomerRequest.objects.get().status == CustomerRequest.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_an_email_and_a_portal_upload_recorded_at_once_leave_one_sending():
    bob = answering_world()["analyst"]
    answer = _prepared(bob)

    def by_email():
        answers.send_by_email(CustomerAnswer.objects.get(pk=answer.pk), bob)

    def by_portal():
        answers.mark_sent(CustomerAnswer.objects.get(pk=answer.pk), bob)

    assert _at_once([by_email, by_portal]) == ["refused", "sent"]
    answer.refresh_from_db()
    emails = OutboundEmail.objects.filter(template="customer-answer").count()
    # The e-mail is queued exactly when the e-mail won: never a portal record with a message going out.
    assert (answer.sent_via, emails) in {("email", 1), ("portal", 0)}
    assert AuditEntry.objects.filter(action="customers.answer_sent").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_check_and_an_analysts_still_holds_at_once_leave_one_logged_status():
    """The worker marks the request while the analyst judges the answer to hold: whichever wins, every
    move is logged once, the status is the last move's, and the analyst's judgement stays recorded."""
    bob = answering_world()["analyst"]
    answer = _prepared(bob)
    answers.mark_sent(answer, bob)
    Organisation.objects.update(policy_url="https://acme.example/policy-2026")  # our answer changes
    logged_before = AuditEntry.objects.latest("pk").pk
    seen = "a page shown earlier"  # the analyst's key is not the check's: the check still marks

    def check():
        answers.mark_stale_answers(answers.SCHEDULED_CHECK)

    def holds():
        answers.keep_as_sent(CustomerRequest.objects.get(), seen, bob)

    assert _at_once([check, holds]) == ["sent", "sent"]  # neither refused nor failed
    request = CustomerRequest.objects.get()
    moves = AuditEntry.objects.filter(action="customers.status_changed", pk__gt=logged_before).order_by("pk")
    # The check first: marked, then sent again by the analyst; the analyst first: marked after.
    assert [m.detail.split(";")[0] for m in moves] in (
        ["Sent → Needs update", "Needs update → Sent"],
        ["Sent → Needs update"],
    )
    assert moves.last().detail.split(";")[0].endswith(request.get_status_display())
    assert CustomerAnswer.objects.get().still_holds_for == seen
