"""Acceptance with evidence: a confirmation step, a reason for accepting a file with review errors open
(accepted with exceptions), the supplier told, a newer file refusing the acceptance, bulk acceptance
with the same controls, staff rejecting a decline, and the rule choosing which responses our CMRT and
the report are built from."""

from __future__ import annotations

import pytest
from django.urls import reverse
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.survey import ResultsRule
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Campaign, Request, State
from oretrace.web.campaigns.rollup import campaign_rollup
from oretrace.web.outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db

WITH_ERROR = {"D16": ""}  # the contact's e-mail missing: a review error


@pytest.fixture
def world(client):
    _alice, bob, vera = staff()
    client.force_login(bob)
    campaign, requests = campaign_with_suppliers(3)
    # The default rule, which these tests are about (the shared fixture counts every file received).
    Campaign.objects.filter(pk=campaign.pk).update(results_rule=ResultsRule.ACCEPTED_WITH_EXCEPTIONS)
    campaign.refresh_from_db()
    for req in requests:
        req.transition(State.SENT, bob)
    return {"bob": bob, "vera": vera, "campaign": campaign, "requests": requests}


def text(response) -> str:
    return response.content.decode()


def errors_of(submission) -> int:
    return sum(1 for f in submission.findings if f["severity"] == "error")


# --- one file -------------------------------------------------------------------------------------


def test_accept_first_shows_the_file_version_and_its_open_findings_by_severity(client, world):
    req = world["requests"][0]
    submission = submitted(req, world["bob"], cmrt_bytes(**WITH_ERROR))
    page = text(client.get(reverse("request_accept", args=[req.pk])))
    errors = errors_of(submission)
    assert f"Version {submission.version}" in page and submission.filename in page
    assert f"{errors} error" in page and "Accept with exceptions" in page
    assert f'name="file" value="{submission.pk}"' in page
    req.refresh_from_db()
    assert req.state == State.SUBMITTED  # looking is not accepting
    # The request page's button leads to the confirmation, not straight to an acceptance.
    assert reverse("request_accept", args=[req.pk]) in text(client.get(reverse("request", args=[req.pk])))


def test_a_file_with_open_errors_is_not_accepted_without_a_reason(client, world):
    req = world["requests"][0]
    submission = submitted(req, world["bob"], cmrt_bytes(**WITH_ERROR))
    response = client.post(
        reverse("request_accept", args=[req.pk]), {"file": submission.pk, "reason": "  "}, follow=True
    )
    assert "accepting it is an acceptance with exceptions, which needs your reason" in text(response)
    req.refresh_from_db()
    assert req.state == State.SUBMITTED and req.exceptions_reason == ""
    assert not OutboundEmail.objects.filter(template="accepted").exists()


def test_accepting_with_exceptions_keeps_the_reason_logs_it_and_counts_it(client, world):
    req = world["requests"][0]
    submission = submitted(req, world["bob"], cmrt_bytes(**WITH_ERROR))
    errors = errors_of(submission)
    reason = "The contact e-mail is in our supplier master data."
    response = client.post(
        reverse("request_accept", args=[req.pk]), {"file": submission.pk, "reason": reason}, follow=True
    )
    assert "accepted with exceptions" in text(response)
    req.refresh_from_db()
    assert (req.state, req.exceptions_reason, req.accepted_open_errors) == (State.ACCEPTED, reason, errors)
    event = req.events.last()
    assert event.by == world["bob"] and reason in event.note and "accepted with exceptions" in event.note
    entry = AuditEntry.objects.get(action="request.accepted_with_exceptions")
    assert reason in entry.detail and entry.actor == world["bob"]
    figures = campaign_rollup(world["campaign"]).figures
    assert (figures.accepted, figures.accepted_with_exceptions, figures.errors_accepted) == (1, 1, errors)
    page = text(client.get(reverse("request", args=[req.pk])))
    assert "Accepted with exceptions" in page and reason in page


def test_a_clean_acceptance_needs_no_reason_and_is_not_an_exception(client, world):
    req = world["requests"][0]
    submission = submitted(req, world["bob"])
    assert errors_of(submission) == 0
    client.post(reverse("request_accept", args=[req.pk]), {"file": submission.pk})
    req.refresh_from_db()
    assert (req.state, req.exceptions_reason, req.accepted_open_errors) == (State.ACCEPTED, "", 0)
    assert AuditEntry.objects.filter(action="request.accepted").count() == 1
    figures = campaign_rollup(world["campaign"]).figures
    assert (figures.accepted, figures.accepted_with_exceptions) == (1, 0)


def test_a_newer_file_arriving_after_the_confirmation_page_refuses_the_acceptance(client, world):
    req = world["requests"][0]
    seen = submitted(req, world["bob"], cmrt_bytes(**WITH_ERROR))
    client.get(reverse("request_accept", args=[req.pk]))
    newer = submitted(req, "supplier via link", cmrt_bytes(**WITH_ERROR))
    response = client.post(
        reverse("request_accept", args=[req.pk]), {"file": seen.pk, "reason": "Checked."}, follow=True
    )
    assert "A newer file arrived" in text(response)
    req.refresh_from_db()
    assert req.state == State.SUBMITTED and req.latest_submission_id == newer.pk
    assert not OutboundEmail.objects.filter(template="accepted").exists()


def test_the_supplier_is_told_its_file_was_accepted_in_its_language_without_staff_words(client, world):
    req = world["requests"][0]
    contact = req.supplier.primary_contact
    contact.language = "zh-hans"
    contact.save()
    submission = submitted(req, world["bob"], cmrt_bytes(**WITH_ERROR))
    client.post(reverse("request_accept", args=[req.pk]), {"file": submission.pk, "reason": "Known contact."})
    email = OutboundEmail.objects.get(template="accepted")
    assert email.to == [contact.email] and email.request_id == req.pk
    assert "已接受" in email.subject and "CMRT_2025.xlsx" in email.text and "/p/" in email.text
    # What the analyst decided about open errors stays with the analyst.
    for staff_word in ("exception", "error", "Known contact"):
        assert staff_word not in email.text and staff_word not in email.html


# --- the results rule -----------------------------------------------------------------------------


def test_the_results_rule_chooses_which_files_our_cmrt_is_built_from(client, world):
    campaign, (first, second, third) = world["campaign"], world["requests"]
    clean = submitted(first, world["bob"])
    flawed = submitted(second, world["bob"], cmrt_bytes(**WITH_ERROR))
    submitted(third, world["bob"])  # received, not accepted
    first.accept(world["bob"], expected_file=clean.pk)
    second.accept(world["bob"], expected_file=flawed.pk, reason="Known contact.")

    def files_counted() -> int:
        return len(campaign_rollup(Campaign.objects.get(pk=campaign.pk)).rollup.suppliers)

    assert files_counted() == 2  # the default: accepted, and accepted with exceptions
    page = text(client.get(reverse("report_declaration", args=[campaign.pk])))
    assert "Built from 2 of 3 files received" in page and "accepted, and accepted with exceptions" in page
    assert "Built from 2 of 3 files received" in text(client.get(reverse("reports", args=[campaign.pk])))

    client.post(reverse("results_rule", args=[campaign.pk]), {"rule": "accepted"})
    assert files_counted() == 1
    assert "Built from 1 of 3 files received" in text(
        client.get(reverse("report_declaration", args=[campaign.pk]))
    )
    client.post(reverse("results_rule", args=[campaign.pk]), {"rule": "received"})
    assert files_counted() == 3
    logged = AuditEntry.objects.filter(action="campaign.results_rule").count()
    assert logged == 2

    response = client.post(reverse("results_rule", args=[campaign.pk]), {"rule": "everything"}, follow=True)
    assert "is not a rule" in text(response)
    client.force_login(world["vera"])
    assert client.post(reverse("results_rule", args=[campaign.pk]), {"rule": "accepted"}).status_code == 403
    assert Campaign.objects.get(pk=campaign.pk).results_rule == ResultsRule.RECEIVED


def test_the_report_readiness_says_how_many_templates_the_rule_leaves_out(client, world):
    campaign, (first, second, _third) = world["campaign"], world["requests"]
    clean = submitted(first, world["bob"])
    submitted(second, world["bob"])
    first.accept(world["bob"], expected_file=clean.pk)
    page = " ".join(text(client.get(reverse("reports", args=[campaign.pk]))).split())
    assert (
        "Our CMRT and the report are built from 1 of the 2 templates received (accepted, and accepted "
        "with exceptions): 1 is left out. Accept them, or change the rule." in page
    )
    assert reverse("campaign_requests", args=[campaign.pk]) + "?state=not_in_results" in page


# --- decline review -------------------------------------------------------------------------------


def decline(req):
    req.decline(name="Li Wei", title="Sales", statement="Our PCBs contain no 3TG.", by="supplier via link")


def test_staff_reject_a_decline_which_reopens_the_request_and_tells_the_supplier(client, world):
    req = world["requests"][0]
    decline(req)
    page = text(client.get(reverse("request", args=[req.pk])))
    assert "Do not accept this decline" in page and reverse("reject_decline", args=[req.pk]) in page
    message = "Your boards have ENIG plating, which is gold: please complete the CMRT for gold."
    response = client.post(reverse("reject_decline", args=[req.pk]), {"message": message}, follow=True)
    assert "the request is open again" in text(response)
    req.refresh_from_db()
    assert (req.state, req.decline_statement) == (State.SENT, "")
    event = req.events.last()
    assert (event.from_state, event.to_state) == (State.DECLINED, State.SENT) and message in event.note
    assert AuditEntry.objects.filter(action="request.decline_rejected").count() == 1
    email = OutboundEmail.objects.get(template="decline-rejected")
    assert email.to == [req.supplier.primary_contact.email]
    assert message in email.text and "Our PCBs contain no 3TG." in email.text and "/p/" in email.text
    assert campaign_rollup(world["campaign"]).figures.declined == 0


def test_a_decline_is_not_accepted_as_if_it_were_a_file(client, world):
    req = world["requests"][0]
    decline(req)
    response = client.post(reverse("request_accept", args=[req.pk]), {"reason": "ok"}, follow=True)
    assert "there is no file to accept" in text(response)
    req.refresh_from_db()
    assert req.state == State.DECLINED


def test_rejecting_a_decline_needs_a_message(client, world):
    req = world["requests"][0]
    decline(req)
    response = client.post(reverse("reject_decline", args=[req.pk]), {"message": " "}, follow=True)
    assert "Say why the decline is not accepted" in text(response)
    req.refresh_from_db()
    assert req.state == State.DECLINED and not OutboundEmail.objects.filter(template="decline-rejected")


def test_a_declined_request_is_not_sent_again_without_rejecting_the_decline(client, world):
    req = world["requests"][0]
    decline(req)
    page = text(client.get(reverse("request", args=[req.pk])))
    assert reverse("request_action", args=[req.pk, "resend"]) not in page
    response = client.post(reverse("request_action", args=[req.pk, "resend"]), follow=True)
    assert "reopens with “Do not accept this decline”" in text(response)
    req.refresh_from_db()
    assert req.state == State.DECLINED and not OutboundEmail.objects.exists()


# --- bulk -----------------------------------------------------------------------------------------


def bulk(world):
    """Three requests: a clean file, a file with errors, one still waiting for the supplier."""
    first, second, third = world["requests"]
    flawed = submitted(second, world["bob"], cmrt_bytes(**WITH_ERROR))
    return first, submitted(first, world["bob"]), second, flawed, third


def test_bulk_accept_previews_each_request_with_its_open_errors(client, world):
    first, clean, second, flawed, third = bulk(world)
    listing = text(client.get(reverse("campaign_requests", args=[world["campaign"].pk])))
    # One tick box per row serves both bulk actions (accept, remind); each preview says what it skips.
    assert f'name="request" value="{first.pk}"' in listing and "Accept the ticked" in listing
    url = reverse("bulk_accept", args=[world["campaign"].pk])
    page = text(client.post(url, {"request": [first.pk, second.pk, third.pk]}))
    assert "Accept 2 of 3 selected files?" in page
    assert f"{errors_of(flawed)} error" in page and "with exceptions" in page and "skipped: sent" in page
    assert f'name="file-{first.pk}" value="{clean.pk}"' in page
    assert not Request.objects.filter(state=State.ACCEPTED).exists()  # a preview accepts nothing


def test_bulk_accept_refuses_files_with_open_errors_without_a_reason(client, world):
    first, clean, second, flawed, _third = bulk(world)
    url = reverse("bulk_accept", args=[world["campaign"].pk])
    posted = {"confirm": "1", "request": [first.pk, second.pk], f"file-{first.pk}": clean.pk}
    posted[f"file-{second.pk}"] = flawed.pk
    response = client.post(url, posted, follow=True)
    assert "needs your reason (applied to each of them). Nothing was accepted." in text(response)
    assert not Request.objects.filter(state=State.ACCEPTED).exists()


def test_bulk_accept_applies_the_reason_and_skips_a_file_changed_since_the_preview(client, world):
    first, clean, second, flawed, third = bulk(world)
    url = reverse("bulk_accept", args=[world["campaign"].pk])
    preview = {"request": [first.pk, second.pk, third.pk]}
    assert client.post(url, preview).status_code == 200
    submitted(first, "supplier via link", cmrt_bytes(company="Tianma (corrected)"))  # after the preview
    posted = {**preview, "confirm": "1", "reason": "Checked by phone."}
    posted |= {f"file-{first.pk}": clean.pk, f"file-{second.pk}": flawed.pk}
    response = text(client.post(url, posted, follow=True))
    assert "1 of 3 accepted (1 with exceptions); each supplier is told." in response
    assert "2 skipped" in response and "A newer file arrived" in response
    first.refresh_from_db(), second.refresh_from_db()
    assert first.state == State.SUBMITTED
    assert (second.state, second.exceptions_reason) == (State.ACCEPTED, "Checked by phone.")
    assert OutboundEmail.objects.filter(template="accepted").count() == 1
    assert AuditEntry.objects.filter(action="campaign.bulk_accept").count() == 1


def test_bulk_accept_skips_a_file_with_errors_replaced_since_the_preview_for_the_newer_file(client, world):
    _first, _clean, second, flawed, _third = bulk(world)
    url = reverse("bulk_accept", args=[world["campaign"].pk])
    submitted(second, "supplier via link")  # a clean correction, after the preview
    posted = {"request": [second.pk], "confirm": "1", "reason": "Checked.", f"file-{second.pk}": flawed.pk}
    response = text(client.post(url, posted, follow=True))
    assert "1 skipped" in response and "A newer file arrived" in response
    second.refresh_from_db()
    assert second.state == State.SUBMITTED
