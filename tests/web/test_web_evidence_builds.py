"""The evidence package built in the background: asked for on its page by any staff member, claimed by
one worker only, built into a stored file with its progress shown, downloaded from disk; a dead worker's
build queued again, a failed or stopped build leaving no file, the earlier package still offered."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import time
import zipfile

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from fictional_template import build_cmrt
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.evidence import verify_evidence_package
from oretrace.reports.render_pdf import pdf_unavailable
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference
from oretrace.web.reports.management.commands.build_evidence import Command
from oretrace.web.reports.models import STALE_BUILD_AFTER, EvidenceBuild, ReportSettings, packages_dir
from oretrace.web.suppliers.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    alice, bob, vera = staff()
    blank = build_cmrt({})
    reference.load_reference_from_template(blank, "blank.xlsx")
    campaign, requests = campaign_with_suppliers(2)
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
    submitted(requests[0])
    return {"admin": alice, "analyst": bob, "viewer": vera, "campaign": campaign, "requests": requests}


def page_of(client, campaign) -> str:
    response = client.get(reverse("report_evidence", args=[campaign.pk]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def ask(client, campaign):
    return client.post(reverse("report_evidence_build", args=[campaign.pk]), follow=True)


def work(*args: str) -> str:
    out = io.StringIO()
    call_command("build_evidence", "--once", *args, stdout=out, stderr=out)
    return out.getvalue()


def stored_packages() -> list[str]:
    """Every file in the packages folder, temporary ones included."""
    folder = packages_dir()
    return (
        sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        if folder.exists()
        else []
    )


def test_the_page_offers_to_build_and_any_staff_member_may_ask(client, world):
    campaign = world["campaign"]
    client.force_login(world["viewer"])
    html = page_of(client, campaign)
    assert "Build the evidence package" in html
    assert "No package has been built for this campaign yet." in html
    assert "counted as of the day it is built" in html
    assert 'http-equiv="refresh"' not in html

    response = ask(client, campaign)
    assert "The evidence package is queued; this page follows its progress." in response.content.decode()
    build = EvidenceBuild.objects.get()
    assert (build.status, build.requested_by, build.requested_by_label) == ("queued", world["viewer"], "vera")
    html = page_of(client, campaign)
    assert "<h2>Queued</h2>" in html and "Asked for by vera at" in html
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "Build the evidence package</button>" not in html
    entry = AuditEntry.objects.get(action="report.evidence_requested")
    assert (entry.actor_label, entry.detail) == ("vera", f"evidence package {build.pk}")


def test_a_second_request_while_one_is_queued_or_building_queues_nothing(client, world):
    campaign = world["campaign"]
    client.force_login(world["analyst"])
    ask(client, campaign)
    second = ask(client, campaign)
    assert "A package for this campaign is already queued or being built" in second.content.decode()
    assert EvidenceBuild.objects.count() == 1
    assert EvidenceBuild.next_queued().claim()
    ask(client, campaign)
    assert list(EvidenceBuild.objects.values_list("status", flat=True)) == ["building"]
    # The constraint holds even for a request that did not see the running one.
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceBuild.objects.create(campaign=campaign, requested_by_label="x")


def test_the_page_shows_the_progress_then_offers_the_finished_file(client, world):
    campaign = world["campaign"]
    client.force_login(world["admin"])
    ask(client, campaign)
    build = EvidenceBuild.next_queued()
    assert build.claim()
    EvidenceBuild.objects.filter(pk=build.pk).update(members_done=12, members_total=48)
    html = page_of(client, campaign)
    assert "<h2>Building</h2>" in html
    assert "12 of 48 files written (25%)." in html
    assert '<progress max="48" value="12"' in html
    assert '<meta http-equiv="refresh" content="3">' in html

    EvidenceBuild.objects.filter(pk=build.pk).update(status="queued", attempts=0)  # back, for the worker
    output = work()
    build.refresh_from_db()
    assert build.status == "done", build.error
    assert f"Evidence package {build.pk}: {build.size:,} bytes in " in output
    # README, 3 survey files and the audit log, the supplier file and its index, 2 of findings, 2
    # reference files, 2 of the roll-up, 2 of the register, 5 report files (4 without PDF), the
    # grievance register (kept, if empty), 3 manifests.
    members = zipfile.ZipFile(build.file_path()).namelist()
    assert (
        build.members_done == build.members_total == len(members) == (24 if pdf_unavailable() is None else 23)
    )
    assert re.fullmatch(
        rf"evidence-2025-campaign-{campaign.pk}-{timezone.localtime():%Y%m%d}-\d{{6}}\.zip", build.filename
    )
    assert (build.supplier_files, build.as_of) == (1, timezone.localdate())
    assert stored_packages() == [f"{build.sha256[:2]}/{build.sha256}"]

    html = page_of(client, campaign)
    assert 'http-equiv="refresh"' not in html
    link = reverse("report_evidence_file", args=[campaign.pk, build.pk])
    assert f'<a href="{link}">{build.filename}</a>' in html
    assert "1 supplier file, the latest received" in html
    assert "The campaign's data as it is now." in html

    response = client.get(link)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Length"] == str(build.size)
    assert response["Content-Disposition"] == f'attachment; filename="{build.filename}"'
    data = b"".join(response.streaming_content)
    assert data == build.file_path().read_bytes()
    assert verify_evidence_package(data) == []
    downloaded = AuditEntry.objects.get(action="report.evidence_downloaded")
    assert downloaded.detail == f"{build.filename}: {build.size} bytes, SHA-256 {build.sha256}"


def test_the_earlier_package_stays_downloadable_while_a_new_one_is_built(client, world):
    campaign = world["campaign"]
    client.force_login(world["viewer"])
    ask(client, campaign)
    work()
    first = EvidenceBuild.objects.get()
    submitted(world["requests"][1], data=cmrt_bytes("Other Co."))
    html = page_of(client, campaign)
    assert "The data or the day has changed since." in html
    ask(client, campaign)
    html = page_of(client, campaign)
    assert "<h2>Queued</h2>" in html
    assert reverse("report_evidence_file", args=[campaign.pk, first.pk]) in html
    old = client.get(reverse("report_evidence_file", args=[campaign.pk, first.pk]))
    assert b"".join(old.streaming_content) == first.file_path().read_bytes()
    work()
    second = EvidenceBuild.objects.exclude(pk=first.pk).get()
    assert (second.status, second.supplier_files) == ("done", 2)
    html = page_of(client, campaign)
    links = [reverse("report_evidence_file", args=[campaign.pk, b.pk]) for b in (second, first)]
    assert html.index(links[0]) < html.index(links[1])  # the newest first


def test_two_workers_never_build_the_same_package(world):
    build, queued = EvidenceBuild.request(world["campaign"], world["analyst"])
    assert queued
    # Both workers saw it queued; only the first one's conditional UPDATE changes the row.
    seen_by_one, seen_by_two = EvidenceBuild.next_queued(), EvidenceBuild.next_queued()
    assert seen_by_one.claim() is True
    assert seen_by_two.claim() is False
    assert Command().handle_one() is False  # nothing else queued
    build.refresh_from_db()
    assert (build.status, build.attempts) == ("building", 1)


def test_a_build_left_by_a_dead_worker_goes_back_to_the_queue_and_is_built(world):
    build, _ = EvidenceBuild.request(world["campaign"], world["analyst"])
    dead = EvidenceBuild.next_queued()
    assert dead.claim()
    # It wrote part of a package, then its process was killed.
    folder = packages_dir()
    folder.mkdir(parents=True)
    partial = folder / f".build-{dead.pk}-1-0badc0de.partial"
    partial.write_bytes(b"PK\x03\x04 half a package")
    long_ago = timezone.now() - STALE_BUILD_AFTER - dt.timedelta(minutes=1)
    EvidenceBuild.objects.filter(pk=build.pk).update(heartbeat_at=long_ago)
    os.utime(partial, (time.time() - 3600, time.time() - 3600))
    # Not yet stale: a build that showed progress a minute ago is left alone.
    EvidenceBuild.objects.filter(pk=build.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=1))
    assert EvidenceBuild.requeue_stale() == 0
    EvidenceBuild.objects.filter(pk=build.pk).update(heartbeat_at=long_ago)

    output = work()
    assert "1 build a stopped worker left behind handled again." in output
    build.refresh_from_db()
    assert (build.status, build.attempts) == ("done", 2)
    assert build.error == ""
    assert stored_packages() == [f"{build.sha256[:2]}/{build.sha256}"]  # the partial file is gone
    # Should the first worker come back to life, its claim no longer holds: it records nothing.
    dead.build()
    again = EvidenceBuild.objects.get(pk=build.pk)
    assert (again.status, again.attempts, again.sha256) == ("done", 2, build.sha256)
    assert stored_packages() == [f"{build.sha256[:2]}/{build.sha256}"]


def test_a_build_whose_worker_died_three_times_is_not_tried_again(client, world):
    build, _ = EvidenceBuild.request(world["campaign"], world["analyst"])
    long_ago = timezone.now() - STALE_BUILD_AFTER - dt.timedelta(minutes=1)
    EvidenceBuild.objects.filter(pk=build.pk).update(status="building", attempts=3, heartbeat_at=long_ago)
    assert EvidenceBuild.requeue_stale() == 1
    build.refresh_from_db()
    assert build.status == "failed"
    assert build.error.startswith(
        "The worker stopped while building this package (attempt 3); it was tried 3 times"
    )
    client.force_login(world["viewer"])
    html = page_of(client, world["campaign"])
    assert "did not finish. The worker stopped while building this package (attempt 3)" in html
    assert "Build the evidence package</button>" in html


def test_a_failed_build_says_why_and_leaves_no_file(client, world):
    campaign = world["campaign"]
    world["requests"][0].latest_submission.file_path().unlink()  # the stored file went missing
    client.force_login(world["viewer"])
    ask(client, campaign)
    output = work()
    build = EvidenceBuild.objects.get()
    assert build.status == "failed"
    assert build.error == (
        "The evidence package cannot be built: V000 v1 CMRT_2025.xlsx: cannot be read for the evidence "
        "package (No such file)"
    )
    assert f"Evidence package {build.pk} failed: {build.error}" in output
    assert stored_packages() == []
    html = page_of(client, campaign)
    assert "did not finish. The evidence package cannot be built: V000 v1 CMRT_2025.xlsx" in html
    assert "Build the evidence package</button>" in html
    assert client.get(reverse("report_evidence_file", args=[campaign.pk, build.pk])).status_code == 404


def test_a_stopped_worker_puts_its_build_back_in_the_queue_without_a_file(world):
    build, _ = EvidenceBuild.request(world["campaign"], world["analyst"])
    claimed = EvidenceBuild.next_queued()
    assert claimed.claim()
    claimed.build(stop=lambda: True)  # SIGTERM arrived
    build.refresh_from_db()
    assert (build.status, build.error) == ("queued", "The worker was stopped; it is built again.")
    assert stored_packages() == []


def test_a_package_no_longer_stored_is_not_found(client, world):
    campaign = world["campaign"]
    client.force_login(world["viewer"])
    ask(client, campaign)
    work()
    build = EvidenceBuild.objects.get()
    build.file_path().unlink()
    response = client.get(reverse("report_evidence_file", args=[campaign.pk, build.pk]))
    assert response.status_code == 404


def test_the_reports_overview_links_to_the_latest_package(client, world):
    campaign = world["campaign"]
    client.force_login(world["viewer"])
    overview = client.get(reverse("reports", args=[campaign.pk])).content.decode()
    assert "Build the evidence package</a>" in overview
    ask(client, campaign)
    work()
    build = EvidenceBuild.objects.get()
    overview = " ".join(client.get(reverse("reports", args=[campaign.pk])).content.decode().split())
    assert re.search(
        rf"Latest package: built {timezone.localtime(build.finished_at):%Y-%m-%d %H:%M}, figures as of "
        rf"{build.as_of:%Y-%m-%d}, [\d.]+ KB: <a href=\"{reverse('report_evidence_file', args=[campaign.pk, build.pk])}\">",
        overview,
    )
