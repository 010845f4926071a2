"""Facilities RMI does not list: an analyst adds, edits and retires one; the stored files are identified
against it at once; it is marked not RMI-listed with its source; viewers only read; the audit log has it."""

from __future__ import annotations

import dataclasses
import re
from html import unescape

import pytest
from django.urls import reverse
from fictional_template import build_cmrt
from staff_data import campaign_with_suppliers, staff, submitted

from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import Facility, ReportedSmelter
from oretrace.web.campaigns.rollup import campaign_rollup

pytestmark = pytest.mark.django_db

SHANDONG = "Shandong Gold Refinery (local)"  # reported by every staff_data file, without an ID
FORM = {
    "name": SHANDONG,
    "mineral": "Gold",
    "country": "China",
    "smelter_id": "",
    "programme": "",
    "source": "Site visit by our auditor, May 2026",
    "source_url": "https://example.org/visits/shandong",
    "aliases": "Shandong Local Refinery\nSGR local",
}


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def people(client):
    alice, bob, vera = staff()
    client.force_login(bob)
    return alice, bob, vera


@pytest.fixture
def campaign(people):
    campaign, requests = campaign_with_suppliers(2)
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    submitted(requests[0])
    submitted(requests[1])
    return campaign


def _shandong_rows():
    return ReportedSmelter.objects.filter(reported_name=SHANDONG)


def test_adding_a_facility_identifies_the_stored_files_against_it(client, campaign):
    assert set(_shandong_rows().values_list("smelter_id", flat=True)) == {""}
    response = client.post(reverse("facilities"), FORM)
    assert response.status_code == 302
    added = Facility.objects.get(listed_by_rmi=False)
    assert (added.smelter_id, added.id_programme, added.aliases) == (
        "OT-LOCAL-000001",
        "oretrace",
        ["Shandong Local Refinery", "SGR local"],
    )
    assert set(_shandong_rows().values_list("smelter_id", flat=True)) == {"OT-LOCAL-000001"}
    summary = next(s for s in campaign_rollup(campaign).rollup.smelters if s.smelter_id == "OT-LOCAL-000001")
    assert summary.listed_by_rmi is False
    assert summary.provenance == (
        "not RMI-listed; ID of oretrace; source: Site visit by our auditor, May 2026; "
        "https://example.org/visits/shandong"
    )
    entry = AuditEntry.objects.get(action="facility.added")
    assert entry.actor.username == "bob"
    assert "OT-LOCAL-000001" in entry.detail and "not RMI-listed" in entry.detail
    assert AuditEntry.objects.filter(action="smelters.reidentified").exists()


def test_the_smelter_list_and_its_export_mark_it_with_its_source(client, campaign):
    client.post(reverse("facilities"), FORM)
    page = text(client.get(reverse("smelters", args=[campaign.pk]) + "?q=OT-LOCAL"))
    assert "Shandong Gold Refinery (local) not RMI-listed" in page
    assert "No (not RMI-listed; ID of oretrace; source: Site visit by our auditor, May 2026" in page
    export = client.get(reverse("smelters", args=[campaign.pk]) + "?format=csv").content.decode("utf-8-sig")
    header, *rows = export.splitlines()
    assert header.endswith(",Listed by RMI,Reference list")
    shandong = next(r for r in rows if "OT-LOCAL-000001" in r)
    assert "No (not RMI-listed; ID of oretrace; source: Site visit by our auditor" in shandong
    assert all(",Yes," in r for r in rows if "OT-LOCAL" not in r)


def test_every_problem_is_shown_and_nothing_is_added(client, campaign):
    response = client.post(
        reverse("facilities"), FORM | {"smelter_id": "CID000123", "source": " ", "country": ""}
    )
    assert response.status_code == 200
    page = text(response)
    assert "This field is required." in page  # country and source, by the form
    assert not Facility.objects.filter(listed_by_rmi=False).exists()
    response = client.post(reverse("facilities"), FORM | {"smelter_id": "CID000123"})
    assert "CID000123 is an RMI smelter ID (CID000123)" in text(response)
    response = client.post(reverse("facilities"), FORM | {"smelter_id": "LBMA-77"})
    assert "Name the programme whose ID LBMA-77 is" in text(response)
    assert not Facility.objects.filter(listed_by_rmi=False).exists()
    assert not AuditEntry.objects.filter(action="facility.added").exists()


def test_an_id_already_taken_is_refused(client, campaign):
    client.post(reverse("facilities"), FORM | {"smelter_id": "LBMA-77", "programme": "LBMA"})
    response = client.post(
        reverse("facilities"), FORM | {"name": "Other", "smelter_id": "lbma-77", "programme": "LBMA"}
    )
    assert "The ID lbma-77 is already LBMA-77 Shandong Gold Refinery (local); give another ID." in text(
        response
    )
    assert Facility.objects.filter(listed_by_rmi=False).count() == 1


def test_a_viewer_reads_the_list_but_cannot_change_it(client, campaign, people):
    client.post(reverse("facilities"), FORM)
    added = Facility.objects.get(listed_by_rmi=False)
    client.force_login(people[2])
    page = client.get(reverse("facilities"))
    assert page.status_code == 200
    assert "OT-LOCAL-000001" in text(page) and "Add a facility" not in text(page)
    assert client.post(reverse("facilities"), FORM | {"name": "Viewer's plant"}).status_code == 403
    assert client.post(reverse("facility_edit", args=[added.pk]), FORM).status_code == 403
    assert client.post(reverse("facility_retire", args=[added.pk])).status_code == 403
    assert Facility.objects.filter(listed_by_rmi=False).count() == 1
    assert Facility.objects.get(pk=added.pk).retired_at is None


def test_editing_and_retiring_are_logged_and_change_identification(client, campaign):
    client.post(reverse("facilities"), FORM | {"name": "Weifang Bright Metals", "aliases": ""})
    added = Facility.objects.get(listed_by_rmi=False)
    assert set(_shandong_rows().values_list("smelter_id", flat=True)) == {""}  # another name: no match
    client.post(reverse("facility_edit", args=[added.pk]), FORM | {"smelter_id": "IGNORED"})
    added.refresh_from_db()
    assert (added.smelter_id, added.name) == ("OT-LOCAL-000001", SHANDONG)
    assert set(_shandong_rows().values_list("smelter_id", flat=True)) == {"OT-LOCAL-000001"}
    client.post(reverse("facility_retire", args=[added.pk]))
    assert set(_shandong_rows().values_list("smelter_id", flat=True)) == {""}
    edited = AuditEntry.objects.get(action="facility.edited")
    assert "was: Gold: OT-LOCAL-000001 (oretrace) Weifang Bright Metals" in edited.detail
    assert AuditEntry.objects.filter(action="facility.retired").count() == 1
    # Retired, its ID is never given again.
    client.post(reverse("facilities"), FORM | {"name": "A new plant", "aliases": ""})
    assert Facility.objects.filter(listed_by_rmi=False).order_by("pk").last().smelter_id == "OT-LOCAL-000002"


def test_the_queue_offers_to_add_an_unidentified_name_as_a_facility(client, campaign):
    html = client.get(reverse("unidentified", args=[campaign.pk])).content.decode()
    link = (
        reverse("facilities")
        + "?name=Shandong+Gold+Refinery+%28local%29&amp;mineral=Gold&amp;country=China#add"
    )
    assert link in html
    form = client.get(
        reverse("facilities") + "?name=Shandong+Gold+Refinery+%28local%29&mineral=Gold&country=China"
    )
    page = form.content.decode()
    assert f'value="{SHANDONG}"' in unescape(page)
    assert "Prefilled from the name a supplier reported" in page


def test_the_source_document_is_kept_and_downloaded_as_uploaded(client, campaign, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = SimpleUploadedFile(
        "visit-report.pdf", b"%PDF-1.4 visit report", content_type="application/pdf"
    )
    client.post(reverse("facilities"), FORM | {"source_document": document})
    added = Facility.objects.get(listed_by_rmi=False)
    assert added.source_document == "visit-report.pdf"
    client.force_login(people[2])  # a viewer reads it too
    download = client.get(reverse("facility_document", args=[added.pk]))
    assert download.status_code == 200
    assert b"".join(download) == b"%PDF-1.4 visit report"
    assert 'filename="visit-report.pdf"' in download["Content-Disposition"]


def test_the_risk_page_marks_the_facility_with_its_source(client, campaign):
    client.post(reverse("facilities"), FORM)
    page = text(client.get(reverse("risk", args=[campaign.pk])))
    assert (
        "OT-LOCAL-000001 not RMI-listed not RMI-listed; ID of oretrace; source: Site visit by our auditor"
        in page
    )


def test_two_analysts_adding_at_once_get_two_local_ids(campaign, people, monkeypatch):
    from oretrace.smelters.unlisted import unlisted_facility
    from oretrace.web.campaigns import unlisted

    first = unlisted_facility(
        name="Plant A",
        mineral="Graphite",
        country="China",
        smelter_id="OT-LOCAL-000000",
        programme=None,
        source="visit",
    )
    unlisted.add(dataclasses.replace(first, smelter_id=""), by=people[1])
    # The second analyst computed the next ID before the first one's row was committed: the same ID.
    stale = iter(["OT-LOCAL-000001"])
    real = unlisted._next_local_id
    monkeypatch.setattr(unlisted, "_next_local_id", lambda: next(stale, None) or real())
    second = unlisted.add(dataclasses.replace(first, smelter_id="", name="Plant B"), by=people[1])
    assert second.smelter_id == "OT-LOCAL-000002"
    assert list(Facility.objects.filter(listed_by_rmi=False).values_list("smelter_id", "name")) == [
        ("OT-LOCAL-000001", "Plant A"),
        ("OT-LOCAL-000002", "Plant B"),
    ]
