"""The sanctions screening page of a campaign: hits on its facilities and suppliers from the lists in force,
confirmed (a red flag on the risk page) or dismissed (gone) with a reason, audited; viewers only read."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from fictional_template import build_cmrt
from staff_data import campaign_with_suppliers, staff, submitted

from oretrace.refdata import ListKind
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.refdata import import_reference_list
from oretrace.web.risk.models import ScreeningDecision

pytestmark = pytest.mark.django_db

# An OFAC SDN list naming a facility of the demo reference list by an alias spelled its own way.
SDN_NAMING_A_FACILITY = b"""<?xml version="1.0" standalone="yes"?>
<sdnList>
  <publshInformation><Publish_Date>11/28/2025</Publish_Date></publshInformation>
  <sdnEntry>
    <uid>99001</uid>
    <lastName>SHADOW METALS TRADING LLC</lastName>
    <sdnType>Entity</sdnType>
    <programList><program>RUSSIA-EO14024</program></programList>
    <akaList><aka><uid>1</uid><lastName>DEMO TANTALUM SMELTER 01</lastName></aka></akaList>
  </sdnEntry>
</sdnList>
"""
ON = "2025-12-01"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    alice, bob, vera = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    campaign, requests = campaign_with_suppliers(2)
    submitted(requests[0])  # names the demo facilities, CID900001 "Demo Tantalum Smelter 01" among them
    import_reference_list(SDN_NAMING_A_FACILITY, "sdn.xml", kind=ListKind.OFAC_SDN, by=alice)
    return {"admin": alice, "analyst": bob, "viewer": vera, "campaign": campaign}


def screening_url(world):
    return reverse("risk_screening", args=[world["campaign"].pk]) + f"?on={ON}"


def decide(client, world, verdict, reason):
    return client.post(
        reverse("risk_screening_decide", args=[world["campaign"].pk]),
        {
            "on": ON,
            "subject_kind": "facility",
            "subject_key": "CID900001",
            "list_kind": "ofac-sdn",
            "entry_key": "99001",
            "verdict": verdict,
            "reason": reason,
        },
        follow=True,
    )


def test_the_page_lists_a_hit_for_a_facility_named_on_the_ofac_list_in_force(client, world):
    client.force_login(world["viewer"])
    page = client.get(screening_url(world)).content.decode()
    assert "OFAC Specially Designated Nationals (SDN) list as of 2025-11-28" in page
    assert "SHADOW METALS TRADING LLC" in page and "99001" in page
    assert "its alias &quot;DEMO TANTALUM SMELTER 01&quot;" in page
    assert "Confirm" not in page  # a viewer reads only


def test_before_the_list_was_published_nothing_is_screened(client, world):
    client.force_login(world["analyst"])
    url = reverse("risk_screening", args=[world["campaign"].pk]) + "?on=2025-01-01"
    page = client.get(url).content.decode()
    assert "No sanctions list is in force on this day" in page
    assert "99001" not in page


def test_a_confirmed_hit_with_its_reason_is_a_red_flag_on_the_risk_page(client, world):
    client.force_login(world["analyst"])
    page = decide(client, world, "confirmed", "Same registered address as the OFAC entry").content.decode()
    assert "the hit on entry 99001 is confirmed" in page
    row = ScreeningDecision.objects.get()
    assert (row.verdict, row.subject_key, row.reason, row.decided_by) == (
        "confirmed",
        "CID900001",
        "Same registered address as the OFAC entry",
        world["analyst"],
    )
    assert AuditEntry.objects.filter(action="risk.screening_confirmed").count() == 1
    risk = client.get(reverse("risk", args=[world["campaign"].pk])).content.decode()
    assert "Named on a sanctions list" in risk
    assert "is entry 99001 &quot;SHADOW METALS TRADING LLC&quot;" in risk


def test_a_dismissed_hit_is_gone_from_the_page_and_a_second_decision_is_refused(client, world):
    client.force_login(world["analyst"])
    decide(client, world, "dismissed", "A different company of the same name")
    page = client.get(screening_url(world)).content.decode()
    assert "No hits to decide." in page
    assert "A different company of the same name" in page  # in the decisions kept
    again = decide(client, world, "confirmed", "Changed my mind").content.decode()
    assert "no longer on the screening" in again
    assert ScreeningDecision.objects.count() == 1
    assert AuditEntry.objects.filter(action="risk.screening_dismissed").count() == 1


def test_a_decision_needs_a_reason(client, world):
    client.force_login(world["analyst"])
    page = decide(client, world, "confirmed", "   ").content.decode()
    assert "Give the reason the hit is confirmed" in page
    assert not ScreeningDecision.objects.exists()


def test_a_bad_date_is_said_not_a_traceback(client, world):
    client.force_login(world["analyst"])
    response = client.get(reverse("risk_screening", args=[world["campaign"].pk]) + "?on=yesterday")
    assert response.status_code == 200
    assert "is not a date; write it as YYYY-MM-DD" in response.content.decode()


def test_a_viewer_cannot_decide(client, world):
    client.force_login(world["viewer"])
    assert decide(client, world, "dismissed", "Not them").status_code == 403
    assert not ScreeningDecision.objects.exists()
