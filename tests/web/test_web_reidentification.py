"""Loading reference data identifies every stored file again, in the request when the files are few and
through the reidentify worker when they are many, and the pages say what changed."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from fictional_template import build_cmrt
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.web.campaigns import reference, reidentify
from oretrace.web.campaigns.models import Facility, Reidentification, ReportedSmelter, SmelterStatus

pytestmark = pytest.mark.django_db

# The files of staff_data.cmrt_bytes name CID900013 (gold) and CID900019 (tungsten) by ID. Without them
# on the list, "Demo Gold Smelter 13" is taken for CID900037 by its name and the tungsten row is left
# unidentified.
MISSING = ("CID900013", "CID900019")
SUMMARY = (
    "4 unidentified names in 2 files re-identified: 2 now identified, 2 still unidentified. "
    "2 names now identified as another facility."
)


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def stored(client):
    """Two files stored while the reference list lacked two facilities they name by ID."""
    _alice, bob, _vera = staff()
    client.force_login(bob)
    campaign, requests = campaign_with_suppliers(3)
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    Facility.objects.filter(smelter_id__in=MISSING).delete()
    submitted(requests[0])
    submitted(requests[1])
    return campaign


def unidentified_by_id():
    return ReportedSmelter.objects.filter(
        current=True, status=SmelterStatus.UNIDENTIFIED, reported_id__in=MISSING
    )


def test_an_unidentified_name_says_the_file_gave_an_id_the_list_lacks(client, stored):
    page = text(client.get(reverse("unidentified", args=[stored.pk])))
    assert "The file gives smelter ID CID900019, which is not on the CMRT 6.5 reference list loaded." in page
    assert "Reported without a smelter ID." in page  # Shandong Gold Refinery (local) gives none


def test_loading_a_reference_list_identifies_stored_files_and_says_what_changed(client, stored):
    assert unidentified_by_id().count() == 2
    upload = SimpleUploadedFile("RMI_CMRT_6.5.xlsx", build_cmrt({}))
    page = text(client.post(reverse("reference"), {"template-template": upload}, follow=True))
    assert SUMMARY in page
    assert not unidentified_by_id().exists()
    for cid in MISSING:
        rows = ReportedSmelter.objects.filter(current=True, reported_id=cid)
        assert set(rows.values_list("smelter_id", "method")) == {(cid, "cid")}
    run = Reidentification.objects.get()
    assert (run.status, run.because) == ("done", "reference list of RMI_CMRT_6.5.xlsx")
    assert "Last re-identification" in text(client.get(reverse("reference")))


def test_a_status_list_identifies_again_and_says_nothing_changed(client, stored):
    upload = SimpleUploadedFile("rmap.csv", b"Smelter ID,Assessment Status\nCID900001,Conformant\n")
    page = text(
        client.post(reverse("reference"), {"status-file": upload, "status-as_of": "2026-01-15"}, follow=True)
    )
    assert "4 unidentified names in 2 files re-identified: 0 now identified, 4 still unidentified." in page


def test_many_files_are_identified_again_by_the_worker_with_progress(client, stored, monkeypatch):
    monkeypatch.setattr(reidentify, "INLINE_UP_TO", 1)
    upload = SimpleUploadedFile("RMI_CMRT_6.5.xlsx", build_cmrt({}))
    page = text(client.post(reverse("reference"), {"template-template": upload}, follow=True))
    assert "being identified again in the background" in page
    assert "Identifying the stored files again" in page and "queued for the worker" in page
    assert unidentified_by_id().count() == 2  # nothing done in the request
    queue = text(client.get(reverse("unidentified", args=[stored.pk])))
    assert "are being identified again" in queue
    out = io.StringIO()
    call_command("reidentify", "--once", stdout=out, stderr=io.StringIO())
    assert SUMMARY in out.getvalue()
    run = Reidentification.objects.get()
    assert (run.status, run.files_done, run.files_total, run.percent) == ("done", 2, 2, 100)
    assert not unidentified_by_id().exists()
    assert SUMMARY in text(client.get(reverse("reference")))


def test_the_worker_notes_progress_on_the_row_while_it_runs(stored, monkeypatch):
    monkeypatch.setattr(reidentify, "INLINE_UP_TO", 0)
    monkeypatch.setattr(reidentify, "PROGRESS_EVERY_SECONDS", 0)
    run = reidentify.after_change("reference list of test.xlsx", "test")
    assert run.status == "queued"
    seen = []
    original = reidentify.intake.reidentify_files

    def watching(files, identifier, progress):
        def noted(done):
            progress(done)
            seen.append(Reidentification.objects.values_list("status", "files_done", "files_total").get())

        return original(files, identifier, progress=noted)

    monkeypatch.setattr(reidentify.intake, "reidentify_files", watching)
    call_command("reidentify", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    assert seen == [("running", 1, 2), ("running", 2, 2)]


def test_a_second_change_while_one_is_queued_queues_no_second_run(stored, monkeypatch):
    monkeypatch.setattr(reidentify, "INLINE_UP_TO", 0)
    first = reidentify.after_change("reference list of a.xlsx", "test")
    second = reidentify.after_change("status list b.csv", "test")
    assert first.pk == second.pk and Reidentification.objects.count() == 1


def test_a_run_a_dead_worker_left_goes_back_to_the_queue(stored, monkeypatch):
    monkeypatch.setattr(reidentify, "INLINE_UP_TO", 0)
    run = reidentify.after_change("reference list of a.xlsx", "test")
    assert reidentify.claim(run)
    Reidentification.objects.filter(pk=run.pk).update(heartbeat_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert reidentify.requeue_stale() == 1
    assert Reidentification.objects.get(pk=run.pk).status == "queued"


def test_a_v2_table_identifies_stored_files_that_give_an_old_v2_id(client, stored):
    old_id = {"B": "Gold", "C": "Smelter not listed", "D": "Vieille Affinerie", "E": "France", "F": "1FRA001"}
    later = submitted(stored.requests.get(supplier__key="V002"), data=cmrt_bytes(extra_smelters=(old_id,)))
    row = ReportedSmelter.objects.get(submission=later, reported_id="1FRA001")
    assert row.status == SmelterStatus.UNIDENTIFIED
    assert "1FRA001 is an old CFSI v2 ID, and no v2-to-CID translation table was imported." in row.reason
    table = SimpleUploadedFile(
        "v2-to-cid.csv", b",,,Version 2,Version 3\nGold,Vieille Affinerie,France,1FRA001,CID900014\n"
    )
    page = text(client.post(reverse("reference"), {"v2-table": table}, follow=True))
    assert "v2-to-cid.csv: 1 old CFSI v2 IDs are translated." in page
    assert "7 unidentified names in 3 files re-identified: 1 now identified, 6 still unidentified." in page
    row = ReportedSmelter.objects.get(submission=later, reported_id="1FRA001")
    assert (row.smelter_id, row.method) == ("CID900014", "v2-id")


def test_identifying_again_keeps_older_versions_and_declines_out_of_the_counts(client, stored):
    first, second = stored.requests.get(supplier__key="V000"), stored.requests.get(supplier__key="V001")
    newer = submitted(first)  # version 2: version 1 no longer counts
    second.refresh_from_db()
    second.decline(name="Li", title="QA", statement="No 3TG.", by="supplier via link")
    upload = SimpleUploadedFile("RMI_CMRT_6.5.xlsx", build_cmrt({}))
    client.post(reverse("reference"), {"template-template": upload})
    counted = ReportedSmelter.objects.filter(current=True)
    assert set(counted.values_list("submission_id", flat=True)) == {newer.pk}
    assert counted.get(reported_id="CID900019").smelter_id == "CID900019"
    # The files out of the counts were identified again too, for their own pages.
    assert (
        not ReportedSmelter.objects.filter(reported_id__in=MISSING).exclude(smelter_id__in=MISSING).exists()
    )
