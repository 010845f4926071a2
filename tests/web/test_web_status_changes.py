"""A status change seen in a later list (or when an audit cycle ends) is kept once, linked to every
request whose current file names the facility, waits in the analysts' queue, tells the staff who chose
e-mails, and assesses the suppliers naming it again; from it analysts ask the suppliers, open a
corrective action, or mark it handled, each once (conditional updates)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from staff_data import campaign_with_suppliers, staff, submitted

from oretrace.web.accounts.models import Notify, Profile
from oretrace.web.campaigns import reference, status_changes
from oretrace.web.campaigns.models import (
    FacilityStatusChange,
    FollowUp,
    InvalidTransition,
    State,
    StatusChangeRequest,
)
from oretrace.web.outbox import scheduled
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.outbox.scheduled import queue_everything_due
from oretrace.web.risk.assessment import campaign_risk
from oretrace.web.risk.models import RiskAction

pytestmark = pytest.mark.django_db

HEADER = "Smelter ID,Metal,Standard Smelter Name,Assessment Status,Last Audit Date,Audit Cycle\n"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    scheduled._checked_on = None  # the daily check runs once a day per process: this is a new day
    yield
    cache.clear()


@pytest.fixture
def world(client):
    """Supplier 0 answered and names CID900001 (tantalum) and CID900007 (tin); supplier 1 did not
    answer. alice wants an e-mail for each event; bob the analyst imports."""
    from fictional_template import build_cmrt

    alice, bob, _vera = staff()
    alice.email = "alice@acme.example"
    alice.save()
    Profile.objects.filter(user=alice).update(notify=Notify.AT_ONCE)
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    campaign, requests = campaign_with_suppliers(2)
    submitted(requests[0])
    client.force_login(bob)
    return {"campaign": campaign, "requests": requests, "analyst": bob}


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def import_list(client, text: str, filename: str, as_of: dt.date, kind: str = "rmi-eligible"):
    handle = io.BytesIO(text.encode())
    handle.name = filename
    return client.post(
        reverse("reference"),
        {"status-file": handle, "status-kind": kind, "status-as_of": as_of.isoformat()},
        follow=True,
    )


def conformant_in_spring(client):
    import_list(
        client,
        HEADER + "CID900001,Tantalum,Demo Tantalum Smelter 01,Conformant,2025-03-04,3 years\n",
        "rmap-spring.csv",
        days_ago(200),
    )


def suspended_by_notice(client):
    import_list(
        client,
        "Facility ID,Facility Name\nCID900001,Demo Tantalum Smelter 01\n",
        "rmi-notice.csv",
        days_ago(10),
        kind="rmi-suspended",
    )


def test_a_suspension_in_a_later_notice_reflags_every_supplier_naming_the_facility(client, world):
    conformant_in_spring(client)
    assert not FacilityStatusChange.objects.exists()  # the first list says what it is, not a change
    before = campaign_risk(world["campaign"]).assessment
    suspended_by_notice(client)

    change = FacilityStatusChange.objects.get()
    assert (change.smelter_id, change.kind, change.on, change.since) == (
        "CID900001",
        "suspended",
        days_ago(10),
        days_ago(200),
    )
    assert list(change.requests.all()) == [world["requests"][0]]
    assert change.seen_in == f"rmi-notice.csv (RMI notice of suspended facilities as of {days_ago(10)})"
    # The supplier naming it is assessed again: the facility is flagged suspended now.
    after = campaign_risk(world["campaign"]).assessment
    codes = lambda a: {f.code for r in a.smelters if r.key == "CID900001" for f in r.flags}  # noqa: E731
    assert "smelter-suspended" not in codes(before) and "smelter-suspended" in codes(after)
    # alice, who asked for e-mails, is told, with a link to the change.
    email = OutboundEmail.objects.get(template="status-changes")
    assert email.to == ["alice@acme.example"]
    assert email.subject == "Demo Tantalum Smelter 01: suspended"
    assert reverse("status_change", args=[change.pk]) in email.text
    # It waits in the queue until handled.
    queue = client.get(reverse("queue")).content.decode()
    assert "Facility status changes" in queue and reverse("status_change", args=[change.pk]) in queue


def test_the_same_notice_imported_again_records_nothing_more(client, world):
    conformant_in_spring(client)
    suspended_by_notice(client)
    suspended_by_notice(client)
    assert FacilityStatusChange.objects.count() == 1
    assert OutboundEmail.objects.filter(template="status-changes").count() == 1


def test_the_daily_check_records_a_lapse_once_on_the_day_the_cycle_ended(client, world):
    last_audit = days_ago(368)
    import_list(
        client,
        HEADER + f"CID900001,Tantalum,Demo Tantalum Smelter 01,Conformant,{last_audit},1 year\n",
        "rmap.csv",
        days_ago(300),
    )
    assert not FacilityStatusChange.objects.exists()
    lines = {line: n for n, line in queue_everything_due()}
    assert lines["Recorded 1 facility status change."] == 1
    status_changes.check_lapses()  # a second pass, or another worker: nothing twice
    change = FacilityStatusChange.objects.get()
    assert (change.kind, change.on) == ("lapsed", last_audit.replace(year=last_audit.year + 1))
    assert "1-year cycle" in change.detail


def test_asking_the_supplier_sends_the_change_in_its_language_and_puts_the_request_in_follow_up(
    client, world
):
    conformant_in_spring(client)
    suspended_by_notice(client)
    change = FacilityStatusChange.objects.get()
    req = world["requests"][0]
    contact = req.supplier.primary_contact
    contact.language = "zh-hans"
    contact.save()

    client.post(reverse("status_change_follow_up", args=[change.pk, req.pk]))

    req.refresh_from_db()
    assert req.state == State.FOLLOW_UP
    email = OutboundEmail.objects.get(template="facility-status")
    assert "冶炼厂状态已变更" in email.subject
    assert "RMI 已暂停其参与 RMAP 的资格。" in email.text
    assert "RMI has suspended its participation in the RMAP." in email.text  # the English below
    assert FollowUp.objects.get(request=req).message.startswith("Suspended on ")
    page = client.get(reverse("status_change", args=[change.pk]), follow=True).content.decode()
    assert "Ask the supplier</button>" not in page
    # A second click asks nothing more.
    response = client.post(reverse("status_change_follow_up", args=[change.pk, req.pk]), follow=True)
    assert "was asked about this change already" in response.content.decode()
    assert OutboundEmail.objects.filter(template="facility-status").count() == 1


def test_a_corrective_action_opens_once_on_the_supplier_naming_the_facility(client, world):
    conformant_in_spring(client)
    suspended_by_notice(client)
    change = FacilityStatusChange.objects.get()
    req = world["requests"][0]

    client.post(reverse("status_change_action", args=[change.pk, req.pk]))
    response = client.post(reverse("status_change_action", args=[change.pk, req.pk]), follow=True)

    action = RiskAction.objects.get()
    assert (action.subject_kind, action.flag_code, action.owner_role) == (
        "supplier",
        "supplier-names-red-flag-smelter",
        "Buyer responsible for the supplier",
    )
    assert action.what.endswith(f"Demo Tantalum Smelter 01 (CID900001), suspended on {days_ago(10)}")
    assert StatusChangeRequest.objects.get(change=change).action_id == action.pk
    assert f"Action #{action.pk} is open for this already." in response.content.decode()


def test_marking_a_change_handled_takes_it_out_of_the_queue_once(client, world):
    conformant_in_spring(client)
    suspended_by_notice(client)
    change = FacilityStatusChange.objects.get()
    stale = FacilityStatusChange.objects.get(pk=change.pk)

    client.post(reverse("status_change_handled", args=[change.pk]))

    assert "Facility status changes" not in client.get(reverse("queue")).content.decode()
    with pytest.raises(InvalidTransition, match="marked this change as handled already"):
        stale.mark_handled(world["analyst"])
    change.refresh_from_db()
    assert change.handled_by == world["analyst"]


def test_a_viewer_sees_the_change_without_its_buttons(client, world):
    conformant_in_spring(client)
    suspended_by_notice(client)
    change = FacilityStatusChange.objects.get()

    client.force_login(get_user_model().objects.get(username="vera"))
    page = client.get(reverse("status_change", args=[change.pk])).content.decode()
    assert (
        "it is now Suspended (RMI notice of suspended facilities as of" in page and "rmi-notice.csv" in page
    )
    assert "Ask the supplier</button>" not in page and "Mark handled" not in page
