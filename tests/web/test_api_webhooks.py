"""Outgoing webhooks: a request's move queues a signed event for each webhook that wants it, in the
move's own transaction; the outbox worker POSTs it, retries a receiver that is down with back-off, and
two workers never deliver one event twice. Admins add and remove webhooks; every role sees them."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from staff_data import campaign_with_suppliers, staff, submitted

from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import State
from oretrace.web.outbox import webhooks
from oretrace.web.outbox.webhooks import Webhook, WebhookDelivery


class Receiver:
    """An HTTP server on this machine that records what it is sent and answers ``status``."""

    def __init__(self, status: int = 204):
        self.status, self.received = status, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


def verified(secret: str, headers: dict, body: bytes) -> bool:
    """What a receiver does with X-Oretrace-Signature."""
    fields = dict(part.split("=", 1) for part in headers["X-Oretrace-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


@pytest.mark.django_db
def test_an_accepted_file_is_posted_signed_to_the_webhooks_that_want_it(receiver):
    _, bob, _ = staff()
    wants_acceptance = Webhook.objects.create(url=receiver.url, events=["request.accepted"])
    Webhook.objects.create(url="https://elsewhere.example/hooks", events=["request.response_received"])
    _campaign, requests = campaign_with_suppliers(1)
    submission = submitted(requests[0])
    requests[0].refresh_from_db()
    requests[0].accept(bob, expected_file=submission.pk, notify=False)

    accepted = WebhookDelivery.objects.get(event="request.accepted")
    assert accepted.url == receiver.url and accepted.status == "queued"
    # The supplier's upload went to the other webhook; nobody asked for every state change.
    assert sorted(WebhookDelivery.objects.values_list("event", "url")) == [
        ("request.accepted", receiver.url),
        ("request.response_received", "https://elsewhere.example/hooks"),
    ]
    WebhookDelivery.objects.exclude(pk=accepted.pk).delete()

    assert webhooks.deliver_one() == (True, "")
    [(headers, body)] = receiver.received
    assert verified(wants_acceptance.secret, headers, body)
    assert not verified("another secret", headers, body)
    event = json.loads(body)
    assert (headers["X-Oretrace-Event"], headers["X-Oretrace-Delivery"]) == (
        "request.accepted",
        str(accepted.delivery_id),
    )
    assert event["id"] == str(accepted.delivery_id)
    assert {
        k: event["data"]["request"][k] for k in ("id", "supplier_key", "from_state", "state", "changed_by")
    } == {
        "id": requests[0].pk,
        "supplier_key": "V000",
        "from_state": "submitted",
        "state": "accepted",
        "changed_by": "bob",
    }
    assert event["data"]["request"]["url"] == f"http://127.0.0.1:8000/api/v1/requests/{requests[0].pk}/"
    accepted.refresh_from_db()
    assert (accepted.status, accepted.attempts, accepted.response_status) == ("sent", 1, 204)


@pytest.mark.django_db
def test_a_receiver_that_is_down_is_tried_again_with_growing_pauses_then_given_up(receiver):
    receiver.status = 503
    Webhook.objects.create(url=receiver.url, events=["request.state_changed"])
    _campaign, requests = campaign_with_suppliers(1)
    requests[0].transition(State.SENT, "test")
    delivery = WebhookDelivery.objects.get()

    handled, error = webhooks.deliver_one()
    assert handled and error.endswith("the receiver answered HTTP 503 Service Unavailable")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("queued", 1, 503)
    assert dt.timedelta(seconds=55) < delivery.next_attempt_at - timezone.now() <= dt.timedelta(minutes=1)
    assert webhooks.deliver_one() == (False, "")  # not due yet

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    webhooks.deliver_one()
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert dt.timedelta(minutes=1) < delivery.next_attempt_at - timezone.now() <= dt.timedelta(minutes=2)

    # Past the retry period the next failure is the last.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now(), queued_at=timezone.now() - dt.timedelta(days=8)
    )
    webhooks.deliver_one()
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.last_error.startswith(
        "Gave up after 7 days (3 attempts). Last error: the receiver answered"
    )

    receiver.status = 200
    requests[0].transition(State.OPENED, "test")
    assert webhooks.deliver_one() == (True, "")
    assert WebhookDelivery.objects.get(payload__data__request__state="opened").status == "sent"


@pytest.mark.django_db
def test_the_outbox_worker_delivers_webhook_events(receiver, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Webhook.objects.create(url=receiver.url, events=["request.state_changed"])
    _campaign, requests = campaign_with_suppliers(1)
    requests[0].transition(State.SENT, "test")
    call_command("deliver_outbox", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get().status == "sent"


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_deliver_one_event_twice(receiver):
    Webhook.objects.create(url=receiver.url, events=["request.state_changed"])
    _campaign, requests = campaign_with_suppliers(1)
    requests[0].transition(State.SENT, "test")
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def work() -> None:
        try:
            start.wait()
            outcomes.append(repr(webhooks.deliver_one()))
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(o in ("(True, '')", "(False, '')") for o in outcomes), outcomes
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get().attempts == 1


@pytest.mark.django_db
def test_an_admin_adds_a_webhook_and_sees_its_secret_once(client):
    alice, _, vera = staff()
    client.force_login(alice)
    refused = client.post(
        reverse("webhook_new"), {"url": "http://erp.acme.example/hooks", "events": ["request.accepted"]}
    )
    assert "Use an https:// address: the events name your suppliers." in refused.content.decode()
    added = client.post(
        reverse("webhook_new"),
        {"url": "https://erp.acme.example/hooks", "description": "SAP", "events": ["request.accepted"]},
    )
    hook = Webhook.objects.get()
    assert hook.secret.startswith("whsec_") and hook.secret in added.content.decode()
    assert AuditEntry.objects.filter(action="webhook.added").count() == 1
    listed = client.get(reverse("webhooks")).content.decode()
    assert "https://erp.acme.example/hooks" in listed and hook.secret not in listed
    client.force_login(vera)
    seen = client.get(reverse("webhooks")).content.decode()
    assert "https://erp.acme.example/hooks" in seen and reverse("webhook_new") not in seen


@pytest.mark.django_db
def test_removing_a_webhook_keeps_its_deliveries_and_sends_none_of_its_queued_events(client, receiver):
    alice, _, _ = staff()
    hook = Webhook.objects.create(url=receiver.url, events=["request.state_changed"])
    _campaign, requests = campaign_with_suppliers(1)
    requests[0].transition(State.SENT, "test")
    client.force_login(alice)
    confirm = client.get(reverse("webhook_remove", args=[hook.pk])).content.decode()
    assert "1 event waiting to go out to it will not be sent." in confirm
    assert client.post(reverse("webhook_remove", args=[hook.pk])).status_code == 302
    assert not Webhook.objects.exists()
    webhooks.deliver_one()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_error) == (
        "failed",
        "The webhook was removed before this event went out.",
    )
    assert receiver.received == []


@pytest.mark.django_db
def test_a_redirect_is_not_a_delivery(receiver):
    receiver.status = 302
    Webhook.objects.create(url=receiver.url, events=["request.state_changed"])
    _campaign, requests = campaign_with_suppliers(1)
    requests[0].transition(State.SENT, "test")
    assert webhooks.deliver_one() == (
        True,
        f"Could not deliver webhook event {WebhookDelivery.objects.get().delivery_id} to {receiver.url}: "
        "the receiver answered HTTP 302 Found",
    )
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status) == ("queued", 302)
