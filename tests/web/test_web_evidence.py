"""The evidence package built from the database: every supplier file as received, findings, follow-ups,
reference data, the roll-up, the risk register, our CMRTs and the report, verified against its manifest."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse
from staff_data import PASSWORD, campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.evidence import verify_evidence_package
from oretrace.web.campaigns import integration
from oretrace.web.demo import build_cmrt
from oretrace.web.reports.models import GeneratedDeclaration, ReportSettings
from oretrace.web.risk.models import RiskAction
from oretrace.web.suppliers.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _declarations_in_tmp(settings, tmp_path):
    settings.DECLARATIONS_DIR = tmp_path / "declarations"


@pytest.fixture
def world():
    alice, bob, vera = staff()
    blank = build_cmrt({})
    integration.load_reference_from_template(blank, "blank.xlsx")
    campaign, requests = campaign_with_suppliers(3)
    campaign.store_blank_template(blank, "RMI_CMRT_6.5.xlsx")
    campaign.save()
    org = Organisation.objects.get()
    org.policy_url = "https://acme.example/policy"
    org.company_answers = dict.fromkeys("ABCDFG", "Yes") | {
        "E": "Yes, in conformance with IPC1755 (e.g., CMRT)",
        "H": "Yes, with the SEC",
    }
    org.save()
    settings = ReportSettings.for_year(campaign.reporting_year)
    settings.contact_name, settings.contact_email, settings.contact_phone = "Jane", "jane@acme.example", "1"
    settings.authorizer_name, settings.authorizer_email = "John", "john@acme.example"
    settings.website = "www.acme.example"
    settings.save()
    first = submitted(requests[0])
    requests[0].refresh_from_db()
    requests[0].request_follow_up(by=bob, findings=first.findings[:1], message="Please check Q7.")
    corrected = submitted(requests[0], by=bob, data=cmrt_bytes(D17="+86 755 0000 0000"))
    submitted(requests[1], data=cmrt_bytes("Other Co."))
    return {
        "admin": alice,
        "analyst": bob,
        "viewer": vera,
        "campaign": campaign,
        "requests": requests,
        "files": [first, corrected],
    }


def download(client, world, user="viewer") -> bytes:
    assert client.login(username=world[user].username, password=PASSWORD)
    response = client.get(reverse("report_evidence", args=[world["campaign"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return response.content


def test_the_evidence_package_verifies_against_its_manifest(client, world):
    client.force_login(world["analyst"])
    client.post(reverse("report_generate", args=[world["campaign"].pk]))
    assert GeneratedDeclaration.objects.count() == 1
    data = download(client, world)
    assert verify_evidence_package(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["organisation"] == "Acme Instruments" and manifest["reporting_year"] == 2025
    # Every file of every supplier, each version byte for byte.
    suppliers = [n for n in names if n.startswith("suppliers/") and n.endswith(".xlsx")]
    assert len(suppliers) == 3
    received = {hashlib.sha256(archive.read(n)).hexdigest() for n in suppliers}
    assert {s.sha256 for s in world["files"]} <= received
    assert "suppliers/index.csv" in names
    assert {"review/findings.csv", "rollup/rollup.xlsx", "rollup/rollup.json", "risk/register.csv"} <= set(
        names
    )
    thread = next(n for n in names if n.startswith("follow-ups/0"))
    assert "Please check Q7." in archive.read(thread).decode()
    assert "reference-data/RMI_CMRT_6.5.xlsx" in names and "reference-data/facilities.csv" in names
    declaration = GeneratedDeclaration.objects.get()
    assert archive.read(f"declaration/{declaration.filename}") == declaration.file_bytes()
    assert {
        "report/conflict-minerals-report.htm",
        "report/conflict-minerals-report.docx",
        "report/form-sd.htm",
    } <= set(names)


def test_a_changed_member_fails_verification(client, world):
    data = download(client, world)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info, body + b" " if info.filename == "report/form-sd.htm" else body)
    problems = verify_evidence_package(out.getvalue())
    assert [p.split(":")[0] for p in problems] == ["report/form-sd.htm", "report/form-sd.htm"]
    assert "bytes, the manifest says" in problems[0] and "does not match the manifest" in problems[1]


def test_the_register_holds_the_risk_pages_actions(client, world):
    action = RiskAction.open_for(
        world["campaign"],
        by=world["analyst"],
        subject_kind="supplier",
        subject_key="Supplier 2",
        subject_label="Supplier 2",
        what="Ask the supplier to send its CMRT",
    )
    archive = zipfile.ZipFile(io.BytesIO(download(client, world)))
    register = archive.read("risk/register.csv").decode("utf-8-sig")
    assert "Ask the supplier to send its CMRT" in register and str(action.pk) in register
    assert "proposed" not in register


def test_without_actions_the_register_proposes_the_cores_standard_actions(client, world):
    archive = zipfile.ZipFile(io.BytesIO(download(client, world)))
    register = archive.read("risk/register.csv").decode("utf-8-sig")
    # Supplier 2 never answered: the core's standard response to non-response is proposed.
    assert "Supplier 2" in register and "proposed" in register


def test_every_role_may_download_it_and_anonymous_people_may_not(client, world):
    for role in ("admin", "analyst", "viewer"):
        assert verify_evidence_package(download(client, world, role)) == []
        client.logout()
    response = client.get(reverse("report_evidence", args=[world["campaign"].pk]))
    assert response.status_code == 302
