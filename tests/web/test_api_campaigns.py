"""Campaigns, requests, files and their findings, smelters, risk ratings and report files through the
API: the same figures and rows as the web pages, computed once by the same functions."""

from __future__ import annotations

import dataclasses

import pytest
from api_data import api_world, client_with_token
from staff_data import cmrt_bytes, submitted

from oretrace.web.campaigns.rollup import campaign_survey
from oretrace.web.risk.assessment import campaign_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = api_world()
    world["client"] = client_with_token(world["tokens"]["viewer"])
    return world


def test_a_campaigns_figures_are_the_dashboards_figures(world):
    campaign = world["campaign"]
    figures = world["client"].get(f"/api/v1/campaigns/{campaign.pk}/figures/").json()
    core = campaign_survey(campaign).figures
    for name in (
        "in_scope",
        "surveyed",
        "responded",
        "returned",
        "in_results",
        "under_review",
        "waiting_for_us",
    ):
        assert figures[name] == getattr(core, name), name
    assert (figures["in_scope"], figures["responded"], figures["response_rate"]) == (2, 1, 1.0)
    assert set(figures) <= {f.name for f in dataclasses.fields(core)} | {"as_of", "response_rate"}


def test_requests_say_their_state_and_history_and_filter_by_state(world):
    client, campaign = world["client"], world["campaign"]
    listed = client.get(f"/api/v1/requests/?campaign={campaign.pk}&state=submitted").json()
    assert [(r["supplier_key"], r["state"], r["state_label"]) for r in listed["results"]] == [
        ("V000", "submitted", "Submitted")
    ]
    one = client.get(f"/api/v1/requests/{world['requests'][0].pk}/").json()
    assert [(e["from_state"], e["to_state"]) for e in one["events"]] == [
        ("draft", "sent"),
        ("sent", "submitted"),
    ]
    refused = client.get("/api/v1/requests/?state=lost")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "state"


def test_a_files_findings_are_the_reviews_findings(world):
    # A second version with the contact's e-mail address missing: the review finds it.
    submission = submitted(world["requests"][1], data=cmrt_bytes(D16=None))
    assert submission.findings, "the fixture's file should have findings"
    answer = world["client"].get(f"/api/v1/submissions/{submission.pk}/").json()
    assert answer["findings_count"] == len(submission.findings) == len(answer["findings"])
    assert [(f["code"], f["message"]) for f in answer["findings"]] == [
        (f["code"], f["message"]) for f in submission.findings
    ]
    assert answer["findings_by_severity"] == submission.findings_by_severity()


def test_a_campaigns_smelters_are_its_smelters_pages_rows(world):
    answer = world["client"].get(f"/api/v1/campaigns/{world['campaign'].pk}/smelters/").json()
    assert [(s["metal"], s["smelter_id"], s["name"], s["suppliers"]) for s in answer["results"]] == [
        ("Gold", "CID900013", "Demo Gold Smelter 13", 1),
        ("Tantalum", "CID900001", "Demo Tantalum Smelter 01", 1),
        ("Tin", "CID900007", "Demo Tin Smelter 07", 1),
        ("Tungsten", "CID900019", "Demo Tungsten Smelter 19", 1),
    ]
    only_tin = world["client"].get(f"/api/v1/campaigns/{world['campaign'].pk}/smelters/?metal=Tin").json()
    assert [s["smelter_id"] for s in only_tin["results"]] == ["CID900007"]


def test_risk_ratings_are_the_core_assessments_ratings(world):
    campaign = world["campaign"]
    answer = world["client"].get(f"/api/v1/campaigns/{campaign.pk}/risk-ratings/?page_size=500").json()
    ratings = campaign_risk(campaign).assessment.ratings
    assert answer["results"] == [r.as_dict() for r in ratings]
    smelters = world["client"].get(f"/api/v1/campaigns/{campaign.pk}/risk-ratings/?kind=smelter").json()
    assert {r["key"] for r in smelters["results"]} == {r.key for r in ratings if r.subject_kind == "smelter"}


def test_our_cmrt_and_the_evidence_package_download_byte_for_byte(world):
    client, declaration, package = world["client"], world["declaration"], world["package"]
    listed = client.get(f"/api/v1/declarations/?campaign={world['campaign'].pk}").json()
    assert [d["sha256"] for d in listed["results"]] == [declaration.sha256]
    workbook = client.get(f"/api/v1/declarations/{declaration.pk}/file/")
    assert b"".join(workbook.streaming_content if workbook.streaming else [workbook.content]) == (
        declaration.file_bytes()
    )
    assert workbook["Content-Disposition"] == f'attachment; filename="{declaration.filename}"'
    zipped = client.get(f"/api/v1/evidence-packages/{package.pk}/file/")
    assert b"".join(zipped.streaming_content) == package.file_path().read_bytes()


def test_the_conflict_minerals_report_downloads_as_the_reports_page_renders_it(world):
    campaign = world["campaign"]
    report = world["client"].get(f"/api/v1/campaigns/{campaign.pk}/report-files/cmr/html/")
    assert report.status_code == 200
    assert report["Content-Disposition"] == 'attachment; filename="conflict-minerals-report-2025.htm"'
    assert b"Acme Instruments Conflict Minerals Report" in report.content
    missing = world["client"].get(f"/api/v1/campaigns/{campaign.pk}/report-files/cmr/xls/")
    assert missing.status_code == 404
    assert missing.json()["detail"] == (
        "No such report file; the files are: cmr/html, cmr/docx, cmr/pdf, form-sd/html, form-sd/docx."
    )


def test_requests_counted_by_a_figure_are_the_ones_the_dashboard_counts(world):
    client, campaign = world["client"], world["campaign"]
    responded = client.get(f"/api/v1/requests/?campaign={campaign.pk}&counted_in=responded").json()
    not_responded = client.get(f"/api/v1/requests/?campaign={campaign.pk}&counted_in=not_responded").json()
    figures = campaign_survey(campaign).figures
    assert (
        (responded["count"], not_responded["count"]) == (figures.responded, figures.not_responded) == (1, 0)
    )
    assert [r["supplier_key"] for r in responded["results"]] == ["V000"]
    refused = client.get("/api/v1/requests/?counted_in=overdue")
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "counted_in", "message": "Say which campaign: add campaign=<id>."}
    ]
