"""The evidence package built from the database: every supplier file as received, findings, follow-ups,
reference data with the CAHRA list in force (its countries and the file as imported), the roll-up, the
risk register with the evidence kept for its actions, our CMRTs and the report, verified against its
manifest."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from fictional_template import build_cmrt
from staff_data import PASSWORD, built_evidence_package, campaign_with_suppliers, cmrt_bytes, staff, submitted

from builders import workbook_bytes
from oretrace.evidence import verify_evidence_package
from oretrace.refdata import ListKind, read_list
from oretrace.refdata.screening import SUPPLIER, Subject, screen
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import State
from oretrace.web.reports.models import EvidenceBuild, GeneratedDeclaration, ReportSettings
from oretrace.web.risk.models import CahraList, RiskAction, ScreeningDecision
from oretrace.web.suppliers.models import Organisation
from published_lists import OFAC_SDN_XML

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _declarations_in_tmp(settings, tmp_path):
    settings.DECLARATIONS_DIR = tmp_path / "declarations"


@pytest.fixture
def world():
    alice, bob, vera = staff()
    blank = build_cmrt({})
    reference.load_reference_from_template(blank, "blank.xlsx")
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
    requests[2].transition(State.SENT, bob)  # asked, and silent
    return {
        "admin": alice,
        "analyst": bob,
        "viewer": vera,
        "campaign": campaign,
        "requests": requests,
        "files": [first, corrected],
    }


def download(client, world, user="viewer") -> bytes:
    """Asked for by ``user``, built by the worker, downloaded by ``user``."""
    assert client.login(username=world[user].username, password=PASSWORD)
    return built_evidence_package(client, world["campaign"])


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


def test_every_role_may_ask_for_it_and_download_it_and_anonymous_people_may_not(client, world):
    for role in ("admin", "analyst", "viewer"):
        assert verify_evidence_package(download(client, world, role)) == []
        client.logout()
    campaign = world["campaign"]
    built = EvidenceBuild.objects.filter(campaign=campaign)
    assert list(built.values_list("requested_by_label", "status")) == [
        ("vera", "done"),
        ("bob", "done"),
        ("alice", "done"),
    ]
    for response in (
        client.get(reverse("report_evidence", args=[campaign.pk])),
        client.post(reverse("report_evidence_build", args=[campaign.pk])),
        client.get(reverse("report_evidence_file", args=[campaign.pk, built.first().pk])),
    ):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert built.count() == 3


def manifest_of(archive) -> dict[str, str]:
    """Each member's description in the manifest, by path."""
    return {f["path"]: f["description"] for f in json.loads(archive.read("manifest.json"))["files"]}


def test_the_cahra_list_in_force_is_in_the_package_with_its_source_and_date(client, world):
    older = b"Country\nMyanmar\nSudan\n"
    newer = b"Country\nMyanmar\nSudan\nHaiti\n"
    CahraList.import_file(
        older, "eu-cahra-2024.csv", name="EU CAHRA list", as_of=dt.date(2024, 12, 31), by=None
    )
    CahraList.import_file(
        newer, "eu-cahra-2025.csv", name="EU CAHRA list", as_of=dt.date(2025, 6, 30), by=world["admin"]
    )
    data = download(client, world)
    assert verify_evidence_package(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    cahra = [n for n in archive.namelist() if "cahra" in n]
    assert cahra == ["reference-data/cahra-list-2025-06-30.csv", "reference-data/eu-cahra-2025.csv"]
    rows = list(csv.reader(io.StringIO(archive.read(cahra[0]).decode("utf-8-sig"))))
    assert rows == [["Country"], ["Myanmar"], ["Sudan"], ["Haiti"]]
    assert manifest_of(archive)[cahra[0]] == (
        "CAHRA list in force: EU CAHRA list of 2025-06-30, 3 countries as read from eu-cahra-2025.csv "
        f"(SHA-256 {hashlib.sha256(newer).hexdigest()}), imported {timezone.now():%Y-%m-%d} by alice"
    )
    assert "reference list, audit-status lists and CAHRA list" in archive.read("README.txt").decode()


def test_the_cahra_file_as_imported_is_in_the_package_with_its_sha256_in_the_manifest(client, world):
    # A workbook, so "byte for byte" is not just the same text: the package must hold the very file.
    original = workbook_bytes([["EU CAHRA indicative list"], ["Country", "Since"], ["Myanmar", "2021"]])
    imported = CahraList.import_file(
        original, "EU CAHRA list, June 2025.xlsx", name="EU CAHRA list", as_of=dt.date(2025, 6, 30), by=None
    )
    data = download(client, world)
    assert verify_evidence_package(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    path = "reference-data/EU CAHRA list, June 2025.xlsx"
    assert archive.read(path) == original
    listed = {f["path"]: f for f in json.loads(archive.read("manifest.json"))["files"]}
    assert (listed[path]["sha256"], listed[path]["size"]) == (imported.sha256, len(original))
    assert listed[path]["description"] == (
        f"CAHRA list in force as imported, byte for byte: EU CAHRA list of 2025-06-30, "
        f"imported {timezone.now():%Y-%m-%d} by –"
    )
    assert f"{imported.sha256}  {path}\n" in archive.read("SHA256SUMS").decode()


def test_a_cahra_list_imported_before_files_were_kept_still_builds_a_package(client, world):
    old = CahraList.objects.create(
        name="EU CAHRA list",
        as_of=dt.date(2025, 6, 30),
        countries=["Myanmar", "Sudan"],
        filename="eu-cahra-2025.csv",
        sha256=hashlib.sha256(b"Country\nMyanmar\nSudan\n").hexdigest(),
    )
    assert not old.has_file
    data = download(client, world)
    assert verify_evidence_package(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert [n for n in archive.namelist() if "cahra" in n] == ["reference-data/cahra-list-2025-06-30.csv"]
    assert (
        f"as read from eu-cahra-2025.csv (SHA-256 {old.sha256})"
        in manifest_of(archive)["reference-data/cahra-list-2025-06-30.csv"]
    )


def test_without_a_cahra_list_the_package_holds_none(client, world):
    archive = zipfile.ZipFile(io.BytesIO(download(client, world)))
    assert not [n for n in archive.namelist() if "cahra" in n]


def test_the_evidence_kept_for_corrective_actions_is_in_the_package_and_the_register_points_at_it(
    client, world
):
    action = RiskAction.open_for(
        world["campaign"],
        by=world["analyst"],
        subject_kind="supplier",
        subject_key="Supplier 1",
        subject_label="Supplier 1",
        what="Ask Supplier 1 to move off CID900007",
        due_date=dt.date(2026, 6, 30),
    )
    first = action.add_evidence(world["analyst"], b"%PDF-1.4 first letter", "letter.pdf")
    second = action.add_evidence(world["admin"], b"%PDF-1.4 second letter", "letter.pdf")
    action.close(world["analyst"], "done", "The supplier moved to a conformant smelter.")
    data = download(client, world)
    assert verify_evidence_package(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    paths = [
        f"risk/evidence/action-{action.pk}-1-letter.pdf",
        f"risk/evidence/action-{action.pk}-2-letter.pdf",
    ]
    assert [n for n in archive.namelist() if n.startswith("risk/evidence/")] == paths
    assert [archive.read(p) for p in paths] == [first.file_bytes(), second.file_bytes()]
    described = manifest_of(archive)
    assert described[paths[0]].startswith(f"evidence for risk action {action.pk} (Supplier 1), kept ")
    assert described[paths[0]].endswith(" by bob") and described[paths[1]].endswith(" by alice")
    register = list(csv.DictReader(io.StringIO(archive.read("risk/register.csv").decode("utf-8-sig"))))
    row = next(r for r in register if r["action"] == str(action.pk))
    assert (row["status"], row["due"], row["closed"]) == ("Done", "2026-06-30", f"{timezone.now():%Y-%m-%d}")
    assert row["evidence files"] == "letter.pdf, letter.pdf"
    assert row["evidence in package"] == ", ".join(paths)


def test_the_screening_decisions_are_in_the_package_as_screening_csv(client, world):
    listed = read_list(OFAC_SDN_XML, kind=ListKind.OFAC_SDN, name="sdn.xml", today=dt.date(2025, 12, 5))
    (hit,) = screen([Subject(SUPPLIER, "Aero-Caribbean", key="Aero-Caribbean")], [listed])
    ScreeningDecision.record(
        world["campaign"], hit, "dismissed", "A travel agent, not the airline", world["analyst"]
    )
    archive = zipfile.ZipFile(io.BytesIO(download(client, world)))
    rows = list(csv.DictReader(io.StringIO(archive.read("risk/screening.csv").decode("utf-8-sig"))))
    assert [(r["verdict"], r["subject"], r["entry_key"], r["reason"], r["decided_by"]) for r in rows] == [
        ("dismissed", "Aero-Caribbean", "36", "A travel agent, not the airline", world["analyst"].username)
    ]
