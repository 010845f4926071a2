"""purge_expired: deletes what has expired (a dry run unless --apply), logs each deletion, and never
touches what a legal hold keeps."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from retention_data import old_campaign, package
from staff_data import campaign_with_suppliers, make_user, submitted

from oretrace.web.accounts.models import Role
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import storage
from oretrace.web.campaigns.models import Campaign, FollowUp, Request, Submission
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.reports.models import EvidenceBuild, packages_dir
from oretrace.web.retention.models import LegalHold, RetentionPeriod
from oretrace.web.retention.purge import purge

pytestmark = pytest.mark.django_db
NOTHING = "Nothing has expired that no legal hold keeps: nothing to delete."


def run(*args) -> str:
    out = io.StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_lists_each_expired_answer_and_deletes_nothing():
    _campaign, _requests = old_campaign(2)
    out = run()
    assert "would delete the answer of Supplier 0 to RCOI 2025" in out
    assert (
        "records dated 2019-03-31, kept under EU Regulation 2017/821 (3TG), Art 4(b), expired on 2024-04-01"
        in out
    )
    assert "Would delete 2 supplier answer(s) with 2 file version(s) and 1 evidence package(s)." in out
    assert "Dry run: nothing was deleted." in out
    assert (
        Request.objects.count() == 2
        and Submission.objects.count() == 2
        and EvidenceBuild.objects.count() == 1
    )
    assert not AuditEntry.objects.filter(action="retention.purged").exists()


def test_apply_deletes_the_answers_their_files_follow_ups_and_e_mails_and_logs_each(
    django_capture_on_commit_callbacks,
):
    campaign, requests = old_campaign(2)
    files = [s.file_path() for s in Submission.objects.all()]
    build = EvidenceBuild.objects.get()
    assert all(path.exists() for path in files) and build.file_path().exists()
    # The files go once the rows' transactions have committed.
    with django_capture_on_commit_callbacks(execute=True):
        out = run("--apply")
    assert "Deleted 2 supplier answer(s) with 2 file version(s) and 1 evidence package(s)." in out
    assert not Request.objects.exists() and not Submission.objects.exists()
    assert not FollowUp.objects.exists() and not OutboundEmail.objects.exists()
    assert not EvidenceBuild.objects.exists()
    assert not any(path.exists() for path in files) and not build.file_path().exists()
    logged = AuditEntry.objects.filter(action="retention.purged").order_by("pk")
    assert [entry.object_type for entry in logged] == ["request", "request", "evidencebuild"]
    assert logged[0].actor_label == "retention purge"
    assert logged[0].detail.startswith(
        f"deleted the answer of Supplier 0 to RCOI 2025 (request {requests[0].pk}): "
        "1 file version(s), 1 follow-up(s), 1 e-mail(s); records dated 2019-03-31"
    )
    # The campaign itself stays: its reports and risk register are the company's own records.
    assert Campaign.objects.filter(pk=campaign.pk).exists()
    assert NOTHING in run()


def test_a_held_supplier_keeps_its_answer_and_the_campaign_s_evidence_package():
    alice = make_user("alice", Role.ADMIN)
    _campaign, requests = old_campaign(2)
    LegalHold.place(requests[1].supplier, "Customs inquiry about its 2018 tin.", alice)
    run("--apply")
    assert list(Request.objects.values_list("pk", flat=True)) == [requests[1].pk]
    assert Submission.objects.get().file_path().exists()
    assert EvidenceBuild.objects.count() == 1


def test_a_held_campaign_keeps_everything_until_the_hold_is_released():
    alice = make_user("alice", Role.ADMIN)
    campaign, _requests = old_campaign(2)
    hold = LegalHold.place(campaign, "Litigation with a customer over the 2018 declaration.", alice)
    assert NOTHING in run("--apply")
    assert Request.objects.count() == 2 and EvidenceBuild.objects.count() == 1
    assert hold.release(alice)
    assert not hold.release(alice)  # released once, logged once
    assert AuditEntry.objects.filter(action="retention.hold_released").count() == 1
    run("--apply")
    assert not Request.objects.exists() and not EvidenceBuild.objects.exists()


def test_a_file_a_later_answer_still_holds_is_kept_on_disk(django_capture_on_commit_callbacks):
    campaign, requests = old_campaign(1)
    old_file = Submission.objects.get().file_path()
    # A newer campaign of another reporting year: the same supplier sends the same bytes again.
    newer = Campaign.objects.create(
        name="RCOI 2026",
        reporting_year=campaign.reporting_year.__class__.objects.create(year=2026),
        due_date=dt.date(2027, 3, 31),
    )
    again = Request.objects.create(campaign=newer, supplier=requests[0].supplier)
    submitted(again, data=old_file.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        run("--apply")
    assert Submission.objects.get().request.campaign == newer
    assert old_file.exists()


def test_a_battery_minerals_campaign_is_kept_ten_years():
    campaign, _requests = old_campaign(1)
    Campaign.objects.filter(pk=campaign.pk).update(
        template_kind="EMRT", minimum_version="2.0", minerals=["Cobalt"]
    )
    out = run("--apply")
    assert NOTHING in out
    assert Request.objects.count() == 1
    # Ten years after 31 March 2019: the answer goes on 1 April 2029.
    policy = RetentionPeriod.policy()
    assert purge(policy, dt.date(2029, 3, 31)).answers == 0
    assert purge(policy, dt.date(2029, 4, 1)).answers == 1


def test_a_longer_period_set_by_an_admin_keeps_the_records():
    alice = make_user("alice", Role.ADMIN)
    old_campaign(1)
    RetentionPeriod.set_years("eu-2017-821", 10, alice)
    assert NOTHING in run("--apply")
    assert Request.objects.count() == 1


def test_a_recent_campaign_is_not_touched():
    campaign_with_suppliers(1)
    assert NOTHING in run("--apply")


def test_apply_refuses_a_day_in_the_future():
    with pytest.raises(CommandError, match="--apply deletes as of today only"):
        run("--apply", "--today", "2099-01-01")
    with pytest.raises(CommandError, match="--today takes a day as YYYY-MM-DD, not '31/12/2030'"):
        run("--today", "31/12/2030")


def test_a_later_day_shows_what_a_later_run_deletes():
    campaign_with_suppliers(1)  # RCOI 2025, due 31 March 2026: expires 1 April 2031
    assert NOTHING in run("--today", "2031-03-31")
    assert "Would delete 1 supplier answer(s)" in run("--today", "2031-04-01")


def test_a_package_whose_bytes_another_package_shares_keeps_its_file(django_capture_on_commit_callbacks):
    campaign, _ = old_campaign(1)
    newer = Campaign.objects.create(
        name="RCOI 2026",
        reporting_year=campaign.reporting_year.__class__.objects.create(year=2026),
        due_date=dt.date(2027, 3, 31),
    )
    kept = package(newer)  # the same bytes as the old campaign's package
    with django_capture_on_commit_callbacks(execute=True):
        run("--apply")
    assert list(EvidenceBuild.objects.all()) == [kept]
    assert storage.path_for(packages_dir(), kept.sha256).exists()
