"""The risk register: actions opened from the core's suggestions, edited, noted, given evidence,
escalated to the owner's manager through the outbox, closed; every change in the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from fictional_template import build_cmrt
from staff_data import audit_statuses, campaign_with_suppliers, make_user, staff, submitted

from oretrace.web.accounts.models import Role
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference, storage
from oretrace.web.campaigns.models import State
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.risk.models import ActionEvidence, ActionNote, ReportingLine, RiskAction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evidence_in_tmp(settings, tmp_path):
    settings.RISK_EVIDENCE_DIR = tmp_path / "evidence"
    cache.clear()


@pytest.fixture
def world():
    alice, bob, vera = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    audit_statuses(alice, {"CID900001": "Non-Conformant"})
    campaign, requests = campaign_with_suppliers(3)
    requests[0].supplier.internal_owner = bob
    requests[0].supplier.save()
    submitted(requests[0])
    for silent in requests[1:]:
        silent.transition(State.SENT, bob)
    return {"admin": alice, "analyst": bob, "viewer": vera, "campaign": campaign, "requests": requests}


def open_action(world, **fields) -> RiskAction:
    values = {
        "subject_kind": "smelter",
        "subject_key": "CID900001",
        "subject_label": "Demo Tantalum Smelter 01",
        "flag_code": "smelter-non-conformant",
        "what": "Ask the suppliers naming Demo Tantalum Smelter 01 to move off it",
        "owner": world["analyst"],
        "due_date": timezone.localdate() + dt.timedelta(days=30),
    }
    values.update(fields)
    return RiskAction.open_for(world["campaign"], by=world["analyst"], **values)


def new_url(world, **params):
    url = reverse("risk_action_new", args=[world["campaign"].pk])
    return url + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def test_every_register_page_sends_anonymous_people_to_log_in(client, world):
    action = open_action(world)
    evidence = action.add_evidence(world["analyst"], b"%PDF-1.4 letter", "letter.pdf")
    pk = world["campaign"].pk
    for url in (
        reverse("risk_register", args=[pk]),
        reverse("risk_action_new", args=[pk]),
        reverse("risk_open_high", args=[pk]),
        reverse("risk_action", args=[action.pk]),
        reverse("risk_action_note", args=[action.pk]),
        reverse("risk_action_evidence", args=[action.pk]),
        reverse("risk_evidence", args=[action.pk, evidence.pk]),
        reverse("risk_action_escalate", args=[action.pk]),
        reverse("risk_action_close", args=[action.pk]),
    ):
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code == 405:
                continue
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_viewers_read_the_register_but_change_nothing(client, world):
    action = open_action(world)
    evidence = action.add_evidence(world["analyst"], b"%PDF-1.4 letter", "letter.pdf")
    client.force_login(world["viewer"])
    pk = world["campaign"].pk
    assert client.get(reverse("risk_register", args=[pk])).status_code == 200
    page = client.get(reverse("risk_action", args=[action.pk]))
    assert page.status_code == 200 and "Escalate" not in page.content.decode()
    assert client.get(reverse("risk_evidence", args=[action.pk, evidence.pk])).content == b"%PDF-1.4 letter"
    before = (AuditEntry.objects.count(), RiskAction.objects.count(), ActionNote.objects.count())
    posts = [
        (reverse("risk_action_new", args=[pk]), {"kind": "smelter", "key": "CID900001", "what": "x"}),
        (reverse("risk_open_high", args=[pk]), {}),
        (reverse("risk_action", args=[action.pk]), {"what": "x", "status": "done"}),
        (reverse("risk_action_note", args=[action.pk]), {"text": "x"}),
        (reverse("risk_action_escalate", args=[action.pk]), {"note": "x"}),
        (reverse("risk_action_close", args=[action.pk]), {"status": "done"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert client.get(new_url(world, kind="smelter", key="CID900001")).status_code == 403
    assert (AuditEntry.objects.count(), RiskAction.objects.count(), ActionNote.objects.count()) == before
    action.refresh_from_db()
    assert (action.status, action.escalation_level) == ("open", 0)


def test_an_action_opens_prefilled_from_a_suggested_response(client, world):
    client.force_login(world["analyst"])
    key = "CMRT_2025.xlsx"
    form = client.get(new_url(world, kind="supplier", key=key, flag="supplier-names-red-flag-smelter", n=0))
    initial = form.context["form"].initial
    # The core's first response to this flag: the buyer asks the supplier to move off the smelters.
    assert initial["what"] == "Ask Supplier 0 to move off the non-conformant smelters it names"
    assert initial["owner_role"] == "Buyer responsible for the supplier"
    assert initial["owner"] == world["analyst"]  # the supplier's internal owner is the buyer
    assert initial["due_date"] == timezone.localdate() + dt.timedelta(days=180)
    response = client.post(
        new_url(world, kind="supplier", key=key, flag="supplier-names-red-flag-smelter", n=0),
        {
            "kind": "supplier",
            "key": key,
            "flag": "supplier-names-red-flag-smelter",
            "n": "0",
            "what": initial["what"],
            "owner": world["analyst"].pk,
            "owner_role": initial["owner_role"],
            "due_date": initial["due_date"].isoformat(),
        },
    )
    action = RiskAction.objects.get()
    assert response["Location"] == reverse("risk_action", args=[action.pk])
    assert (action.subject_kind, action.subject_key, action.subject_label, action.flag_code) == (
        "supplier",
        key,
        "Supplier 0",
        "supplier-names-red-flag-smelter",
    )
    assert (action.status, action.created_by, action.reporting_year.year) == ("open", world["analyst"], 2025)
    assert AuditEntry.objects.get(action="risk.action_opened").object_id == str(action.pk)


def test_bulk_opening_covers_each_flag_of_the_high_risk_subjects_once(client, world):
    client.force_login(world["analyst"])
    url = reverse("risk_open_high", args=[world["campaign"].pk])
    client.post(url)
    opened = set(RiskAction.objects.values_list("subject_key", "flag_code"))
    # High: Suppliers 1 and 2 (no CMRT, past the due date and the grace days). One non-conformant
    # smelter outside a CAHRA makes Supplier 0 and the smelter itself medium: left for the analyst.
    assert opened == {
        ("Supplier 1", "supplier-no-response"),
        ("Supplier 2", "supplier-no-response"),
    }
    assert not RiskAction.objects.filter(what__startswith="Escalate").exists()
    assert RiskAction.objects.get(subject_key="Supplier 2").what == "Remind Supplier 2 to return its CMRT"
    client.post(url)
    assert RiskAction.objects.count() == 2


def test_the_register_filters_and_highlights_overdue_actions(client, world):
    late = open_action(world, due_date=timezone.localdate() - dt.timedelta(days=3))
    open_action(
        world, subject_key="Supplier 2", subject_label="Supplier 2", subject_kind="supplier", owner=None
    )
    done = open_action(world, subject_key="CID900007", subject_label="Demo Tin Smelter 07")
    done.close(world["analyst"], "done")
    client.force_login(world["viewer"])
    url = reverse("risk_register", args=[world["campaign"].pk])

    def keys(query=""):
        return sorted(a.subject_key for a in client.get(url + query).context["page"])

    assert keys() == ["CID900001", "Supplier 2"]
    assert keys("?status=done") == ["CID900007"]
    assert keys("?status=all") == ["CID900001", "CID900007", "Supplier 2"]
    assert keys("?overdue=1") == ["CID900001"]
    assert keys("?owner=none") == ["Supplier 2"]
    assert keys(f"?owner={world['analyst'].pk}") == ["CID900001"]
    assert keys("?q=supplier+2") == ["Supplier 2"]
    assert keys("?kind=supplier") == ["Supplier 2"]
    page = client.get(url).content.decode()
    assert f'<tr class="bad">\n  <td><a href="{reverse("risk_action", args=[late.pk])}">' in page
    rows = list(csv.reader(io.StringIO(client.get(url + "?format=csv").content.decode("utf-8-sig"))))
    assert [row[10] for row in rows[1:]] == ["yes", ""]


def test_editing_an_action_logs_each_change(client, world):
    action = open_action(world)
    client.force_login(world["analyst"])
    client.post(
        reverse("risk_action", args=[action.pk]),
        {
            "what": action.what,
            "owner": world["admin"].pk,
            "owner_role": "",
            "due_date": "2026-05-01",
            "status": "in_progress",
            "seen_version": action.edit_version(),
        },
    )
    action.refresh_from_db()
    assert (action.owner, action.due_date, action.status) == (
        world["admin"],
        dt.date(2026, 5, 1),
        "in_progress",
    )
    detail = AuditEntry.objects.get(action="risk.action_changed").detail
    assert "owner: bob → alice" in detail and "status: open → in_progress" in detail


def test_an_edit_made_on_top_of_someone_elses_is_refused_and_saves_nothing(client, world):
    action = open_action(world)
    seen = action.edit_version()
    action.set_annex_x_category(world["admin"], "child-labour", was="")
    action.change(world["admin"], due_date=dt.date(2026, 6, 1))  # after the analyst opened the page
    client.force_login(world["analyst"])
    response = client.post(
        reverse("risk_action", args=[action.pk]),
        {"what": "Something else", "owner": "", "owner_role": "", "due_date": "", "status": "done"}
        | {"seen_version": seen},
        follow=True,
    )
    assert "Someone changed this action while you were editing it; nothing was saved." in (
        response.content.decode()
    )
    action.refresh_from_db()
    assert (action.what, action.due_date, action.status, action.annex_x_category) == (
        "Ask the suppliers naming Demo Tantalum Smelter 01 to move off it",
        dt.date(2026, 6, 1),
        "open",
        "child-labour",
    )
    assert AuditEntry.objects.filter(action="risk.action_changed").count() == 2


def test_an_edit_keeps_the_annex_x_category_set_after_the_page_was_read(world):
    action = open_action(world)
    stale_copy = RiskAction.objects.get(pk=action.pk)
    action.set_annex_x_category(world["admin"], "child-labour", was="")
    stale_copy.change(world["analyst"], seen_version=stale_copy.edit_version(), status="in_progress")
    action.refresh_from_db()
    assert (action.status, action.annex_x_category) == ("in_progress", "child-labour")


def test_notes_and_closing_are_kept(client, world):
    action = open_action(world)
    client.force_login(world["analyst"])
    client.post(
        reverse("risk_action_note", args=[action.pk]), {"text": "Supplier promised a new smelter list."}
    )
    client.post(
        reverse("risk_action_close", args=[action.pk]), {"status": "done", "note": "Moved to CID900002."}
    )
    action.refresh_from_db()
    assert action.status == "done" and action.closed_at is not None
    assert list(action.notes.values_list("text", flat=True)) == [
        "Supplier promised a new smelter list.",
        "Moved to CID900002.",
    ]
    assert client.post(reverse("risk_action_close", args=[action.pk]), {"status": "open"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_evidence_is_stored_byte_for_byte_and_never_overwritten(client, world, settings):
    action = open_action(world)
    client.force_login(world["analyst"])
    data = bytes(range(256)) * 40 + b"\r\n\x00end"
    upload = io.BytesIO(data)
    upload.name = "corrective-action-plan.pdf"
    client.post(reverse("risk_action_evidence", args=[action.pk]), {"file": upload})
    evidence = ActionEvidence.objects.get()
    assert evidence.sha256 == storage.sha256_of(data) and evidence.size == len(data)
    assert storage.path_for(settings.RISK_EVIDENCE_DIR, evidence.sha256).read_bytes() == data
    download = client.get(reverse("risk_evidence", args=[action.pk, evidence.pk]))
    assert download.content == data
    assert download["Content-Disposition"] == 'attachment; filename="corrective-action-plan.pdf"'
    again = io.BytesIO(data)
    again.name = "same-plan-again.pdf"
    client.post(reverse("risk_action_evidence", args=[action.pk]), {"file": again})
    assert ActionEvidence.objects.count() == 2
    assert len(list(settings.RISK_EVIDENCE_DIR.rglob("*"))) == 2  # one fan-out folder, one file
    assert AuditEntry.objects.filter(action="risk.evidence_added").count() == 2


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.pdf", b"", "Not stored: The submitted file is empty."),
        ("payload.exe", b"MZ\x90\x00", "Not stored: payload.exe is not a kind of file kept as evidence"),
    ],
)
def test_a_bad_evidence_upload_stores_nothing(client, world, settings, name, data, message):
    action = open_action(world)
    client.force_login(world["analyst"])
    upload = io.BytesIO(data)
    upload.name = name
    response = client.post(reverse("risk_action_evidence", args=[action.pk]), {"file": upload}, follow=True)
    assert message in response.content.decode()
    assert not ActionEvidence.objects.exists()
    assert not settings.RISK_EVIDENCE_DIR.exists() or not list(settings.RISK_EVIDENCE_DIR.rglob("*"))
    assert not AuditEntry.objects.filter(action="risk.evidence_added").exists()


def test_a_too_large_evidence_file_stores_nothing(client, world, settings):
    settings.MAX_UPLOAD_BYTES = 100
    action = open_action(world)
    client.force_login(world["analyst"])
    upload = io.BytesIO(b"x" * 101)
    upload.name = "big.pdf"
    response = client.post(reverse("risk_action_evidence", args=[action.pk]), {"file": upload}, follow=True)
    assert "files up to" in response.content.decode()
    assert not ActionEvidence.objects.exists()


def test_escalation_bumps_the_level_and_queues_an_email_to_the_owners_manager(client, world):
    manager = make_user("maria", Role.ANALYST)
    director = make_user("dora", Role.ADMIN)
    ReportingLine.objects.create(user=world["analyst"], manager=manager)
    ReportingLine.objects.create(user=manager, manager=director)
    action = open_action(world, due_date=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(world["analyst"])
    client.post(reverse("risk_action_escalate", args=[action.pk]), {"note": "No answer after two reminders."})
    action.refresh_from_db()
    assert action.escalation_level == 1 and action.escalated_at is not None
    email = OutboundEmail.objects.get(template="risk-escalation")
    assert email.to == ["maria@acme.example"]
    assert email.subject.startswith("Escalation (level 1): Demo Tantalum Smelter 01")
    assert "No answer after two reminders." in email.text and "(overdue)" in email.text
    assert f"/risk/actions/{action.pk}/" in email.text
    # A second escalation goes one level further up the reporting line.
    client.post(reverse("risk_action_escalate", args=[action.pk]))
    action.refresh_from_db()
    assert action.escalation_level == 2
    assert OutboundEmail.objects.filter(template="risk-escalation").order_by("id").last().to == [
        "dora@acme.example"
    ]
    assert AuditEntry.objects.filter(action="risk.action_escalated").count() == 2


def test_without_a_manager_on_record_escalation_goes_to_the_admins(client, world):
    action = open_action(world)
    client.force_login(world["analyst"])
    client.post(reverse("risk_action_escalate", args=[action.pk]))
    assert OutboundEmail.objects.get(template="risk-escalation").to == ["alice@acme.example"]


def test_only_admins_set_reporting_lines(client, world):
    url = reverse("risk_reporting_lines")
    client.force_login(world["analyst"])
    assert client.post(url, {f"manager_{world['analyst'].pk}": world["admin"].pk}).status_code == 403
    assert not ReportingLine.objects.exists()
    client.force_login(world["admin"])
    client.post(url, {f"manager_{world['analyst'].pk}": world["admin"].pk})
    assert ReportingLine.manager_of(world["analyst"]) == world["admin"]
    assert AuditEntry.objects.filter(action="risk.reporting_lines_saved").exists()
