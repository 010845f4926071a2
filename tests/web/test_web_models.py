"""The request state machine, the supplier's personal link, and the append-only audit log."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone
from staff_data import campaign_with_suppliers, staff

from oretrace.web.audit.models import AppendOnly, AuditEntry
from oretrace.web.campaigns.models import InvalidTransition, Request, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def req():
    return campaign_with_suppliers(1)[1][0]


def test_it_logs_every_transition_with_who_and_when(req):
    _, bob, _ = staff()
    req.transition(State.SENT, bob)
    req.transition(State.OPENED, "supplier via link")
    events = list(req.events.values_list("from_state", "to_state", "by_label"))
    assert events == [("draft", "sent", "bob"), ("sent", "opened", "supplier via link")]
    assert req.sent_at is not None and req.opened_at is not None
    assert AuditEntry.objects.filter(action="request.transition").count() == 2


def test_it_refuses_moves_outside_the_process(req):
    with pytest.raises(InvalidTransition):
        req.transition(State.ACCEPTED, "someone")
    req.refresh_from_db()
    assert req.state == State.DRAFT and not req.events.exists()


def test_it_stores_only_the_hash_of_a_link_and_finds_the_request_by_it(req):
    raw = req.issue_link()
    stored = req.links.get().token_hash
    assert raw not in stored and len(stored) == 64
    assert Request.for_token(raw) == req
    assert Request.for_token(raw + "x") is None
    assert Request.for_token("") is None


def test_it_opens_the_request_by_any_of_its_links_until_each_expires(req):
    old = req.issue_link()
    new = req.issue_link()
    assert Request.for_token(old) == req and Request.for_token(new) == req
    req.links.filter(token_hash=hashlib.sha256(old.encode()).hexdigest()).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert Request.for_token(old) is None and Request.for_token(new) == req
    assert Request.token_expired(old) is True and Request.token_expired(new) is False
    assert Request.token_expired("never-issued") is False


def test_it_never_changes_or_deletes_audit_entries(req):
    entry = AuditEntry.record("system", "test.done", req, "detail")
    entry.detail = "rewritten"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.update(detail="x")
    assert AuditEntry.objects.get(pk=entry.pk).detail == "detail"


def test_the_request_states_are_the_cores():
    from oretrace.survey import RequestState

    assert [s.value for s in State] == [s.value for s in RequestState]


def test_it_fills_campaign_texts_and_leaves_unknown_placeholders(req):
    req.campaign.invitation_subject = "{organisation}: {template} for {year} ({typo})"
    subject, body = req.campaign.render_text("invitation", req, "https://x/p/abc/")
    assert subject == "Acme Instruments: CMRT for 2025 ({typo})"
    assert "https://x/p/abc/" in body
