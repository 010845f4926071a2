"""The unidentified-name queue: a candidate is chosen for the analyst only when the core calls it
confident, "none of these" records nothing without an error, every exact-ID match is confirmed in one
click, a name can be recorded as not a smelter / not 3TG (and the roll-up leaves it out), and the
suppliers who reported a name can be asked about it."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from fictional_template import build_cmrt
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.smelters import CONFIDENT_CANDIDATE
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import (
    Facility,
    FollowUp,
    ReportedSmelter,
    SmelterAlias,
    SmelterExclusion,
    SmelterStatus,
    State,
)
from oretrace.web.campaigns.rollup import campaign_rollup
from oretrace.web.staff.views import smelter_counts

pytestmark = pytest.mark.django_db

SHANDONG = "Shandong Gold Refinery (local)"  # reported by every staff_data file, without an ID


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def campaign(client):
    """Two files stored while the reference list lacked CID900019, which both name by ID."""
    _alice, bob, _vera = staff()
    client.force_login(bob)
    campaign, requests = campaign_with_suppliers(3)
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    Facility.objects.filter(smelter_id="CID900019").delete()
    submitted(requests[0])
    submitted(requests[1])
    return campaign


def queue(campaign):
    return reverse("unidentified", args=[campaign.pk])


def unidentified_names(campaign) -> set[str]:
    return {u.name for u in campaign_rollup(campaign).rollup.unidentified}


def test_a_weak_candidate_is_offered_but_not_chosen(client, campaign):
    html = client.get(queue(campaign)).content.decode()
    assert "CID900014 Demo Gold Refinery 14 (Japan) · 51%" in html  # Shandong's best candidate
    assert '<option value="">– choose a candidate –</option>' in html
    assert " selected>" not in html


def test_only_the_candidate_the_core_is_confident_of_is_chosen(client, campaign):
    # The shape the core stores (intake._index_smelters): its preselected() marks the candidate it is
    # confident of, at CONFIDENT_CANDIDATE or more with no rival close by.
    strong = {"smelter_id": "CID900014", "name": "Demo Gold Refinery 14", "country": "Japan"}
    rows = ReportedSmelter.objects.filter(reported_name=SHANDONG)
    rows.update(candidates=[{**strong, "score": round(CONFIDENT_CANDIDATE) + 5, "preselected": True}])
    assert '<option value="CID900014" selected>' in client.get(queue(campaign)).content.decode()
    rows.update(candidates=[{**strong, "score": 100, "preselected": False}])
    assert '<option value="CID900014" selected>' not in client.get(queue(campaign)).content.decode()


def test_a_name_torn_between_two_facilities_has_none_chosen(client, campaign):
    tie = {"B": "Gold", "C": "Smelter not listed", "D": "Demo Gold Smelter", "E": "China"}
    submitted(campaign.requests.get(supplier__key="V002"), data=cmrt_bytes(extra_smelters=(tie,)))
    row = ReportedSmelter.objects.get(current=True, reported_name="Demo Gold Smelter")
    assert row.status == SmelterStatus.UNIDENTIFIED and "as close to" in row.reason
    assert row.candidates and not any(c["preselected"] for c in row.candidates)
    html = client.get(queue(campaign)).content.decode()
    assert "<b>Demo Gold Smelter</b>" in html and " selected>" not in html


def test_a_candidate_of_another_metal_is_never_chosen(client, campaign):
    tin = {
        "smelter_id": "CID900007",
        "name": "Demo Tin",
        "country": "China",
        "score": 100,
        "preselected": True,
    }
    ReportedSmelter.objects.filter(reported_name=SHANDONG).update(candidates=[tin])
    assert '<option value="CID900007" selected>' not in client.get(queue(campaign)).content.decode()


def test_none_of_these_records_nothing_and_says_so_without_an_error(client, campaign):
    response = client.post(
        queue(campaign),
        {"metal": "Gold", "name": SHANDONG, "smelter_id": "none", "action": "confirm"},
        follow=True,
    )
    page = text(response)
    assert f'Nothing recorded for "{SHANDONG}": no candidate was chosen.' in page
    assert "is not a Gold smelter ID" not in page
    assert not SmelterAlias.objects.exists() and SHANDONG in unidentified_names(campaign)


def test_every_exact_id_match_is_confirmed_in_one_click_after_a_preview(client, campaign):
    # The facility comes back on the list without the stored files being identified again (as before
    # this was done on every load): both files' "Demo Tungsten Smelter 19" rows give its exact ID.
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    page = text(client.get(queue(campaign)))
    assert "1 name in 2 files gives a smelter ID that is exactly a facility" in page
    assert "Confirm this name by smelter ID" in page
    url = reverse("unidentified_exact_ids", args=[campaign.pk])
    stale = text(client.post(url, {"expected": "3"}, follow=True))
    assert "now match by ID" in stale and not SmelterAlias.objects.exists()
    done = text(client.post(url, {"expected": "1"}, follow=True))
    assert "1 name confirmed by the smelter ID their file gives; 2 rows identified." in done
    alias = SmelterAlias.objects.get()
    assert (alias.name, alias.smelter_id) == ("Demo Tungsten Smelter 19", "CID900019")
    rows = ReportedSmelter.objects.filter(current=True, reported_id="CID900019")
    assert set(rows.values_list("smelter_id", flat=True)) == {"CID900019"}
    assert "gives a smelter ID that is exactly" not in text(client.get(queue(campaign)))


def test_a_name_recorded_as_not_a_smelter_leaves_the_queue_and_the_rollup(client, campaign):
    assert SHANDONG in unidentified_names(campaign)
    response = client.post(
        queue(campaign), {"metal": "Gold", "name": SHANDONG, "action": "not-a-smelter"}, follow=True
    )
    assert f'"{SHANDONG}" is recorded as not a smelter: 2 rows left the unidentified names' in text(response)
    exclusion = SmelterExclusion.objects.get()
    assert (exclusion.outcome, exclusion.recorded_by.username) == ("not-a-smelter", "bob")
    assert set(ReportedSmelter.objects.filter(reported_name=SHANDONG).values_list("status", flat=True)) == {
        SmelterStatus.EXCLUDED
    }
    rollup = campaign_rollup(campaign).rollup
    assert SHANDONG not in {u.name for u in rollup.unidentified}
    assert [u.name for u in rollup.excluded] == [SHANDONG]
    # The dashboard's index counts what the roll-up counts: one unidentified name (tungsten) is left.
    assert (
        sum(c.get(SmelterStatus.UNIDENTIFIED, 0) for c in smelter_counts(campaign).values())
        == len(rollup.unidentified)
        == 1
    )
    html = client.get(queue(campaign)).content.decode()
    assert f"<td><b>{SHANDONG}</b>" not in html  # out of the queue, listed among the recorded names
    assert f"Gold: <b>{SHANDONG}</b> — not a smelter" in html
    # A file arriving later with the name gets the same outcome from the core.
    later = submitted(campaign.requests.get(supplier__key="V002"))
    assert (
        ReportedSmelter.objects.get(submission=later, reported_name=SHANDONG).status == SmelterStatus.EXCLUDED
    )


def test_not_3tg_is_recorded_as_such(client, campaign):
    client.post(queue(campaign), {"metal": "Gold", "name": SHANDONG, "action": "not-3tg"})
    assert SmelterExclusion.objects.get().get_outcome_display() == "Not a 3TG smelter"
    assert SHANDONG not in unidentified_names(campaign)


def test_asking_the_supplier_adds_a_follow_up_question_about_the_row(client, campaign):
    response = client.post(queue(campaign), {"metal": "Gold", "name": SHANDONG, "action": "ask"}, follow=True)
    assert "Asked 2 suppliers about" in text(response)
    follow_ups = FollowUp.objects.order_by("request__supplier__key")
    assert [f.request.supplier.key for f in follow_ups] == ["V000", "V001"]
    question = follow_ups[0].questions[0]
    assert (question["code"], question["mineral"], question["sheet"]) == (
        "smelter-unidentified",
        "Gold",
        "Smelter List",
    )
    assert f'the Gold smelter "{SHANDONG}" (row 9 of your Smelter List)' in question["question"]
    assert follow_ups[0].request.state == State.FOLLOW_UP
    # Asked again while the request waits for the answer: refused with the reason, nothing sent twice.
    again = text(
        client.post(queue(campaign), {"metal": "Gold", "name": SHANDONG, "action": "ask"}, follow=True)
    )
    assert "Not asked. Supplier 0:" in again and FollowUp.objects.count() == 2


def test_a_viewer_cannot_act_on_a_name(client, campaign):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="vera"))
    assert (
        client.post(
            queue(campaign), {"metal": "Gold", "name": SHANDONG, "action": "not-a-smelter"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("unidentified_exact_ids", args=[campaign.pk]), {"expected": "1"}).status_code
        == 403
    )
    assert not SmelterExclusion.objects.exists()
