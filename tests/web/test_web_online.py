"""The online CMRT behind a supplier's link: steps saved into a versioned draft, checked by the
upload's rules, submitted through the upload's intake as the supplier's file."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse
from supplier_requests import make_campaign, make_supplier, sent_request

from online_answers import complete_answers
from oretrace.online import declaration_to_dict, write_response
from oretrace.rmi import read_template
from oretrace.rollup.analyse import AnalysisSettings
from oretrace.web.campaigns.intake import store_file
from oretrace.web.campaigns.models import State
from oretrace.web.portal.models import OnlineDraft
from oretrace.web.suppliers.models import ReportingYear
from samples import TEMPLATES, shared_file

pytestmark = pytest.mark.django_db
HARBIN = "Harbin Small Parts Co., Ltd."


@pytest.fixture
def harbin():
    campaign = make_campaign()
    campaign.store_blank_template(
        shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx").read_bytes(), "RMI_CMRT_6.5.xlsx"
    )
    campaign.save(update_fields=["blank_template_sha256", "blank_template_name"])
    return sent_request(campaign, make_supplier("harbin", HARBIN))


@pytest.fixture
def token(harbin):
    return harbin.issue_link()


def url(name: str, token: str, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"token": token, **kwargs})


def _started(client, token) -> OnlineDraft:
    response = client.post(url("online", token), {"source": "empty"})
    assert response.status_code == 302
    return OnlineDraft.objects.get()


def test_the_request_page_offers_the_online_form(client, token):
    page = client.get(url("request", token)).content.decode()
    assert "Answer online instead of Excel" in page
    assert url("online", token) in page


def test_a_saved_step_keeps_the_answers_and_shows_the_findings_on_its_cells(client, token):
    draft = _started(client, token)
    response = client.post(
        url("online_step", token, step="company"),
        {"version": draft.version, "name": HARBIN, "contact_email": "li.wei at hsp", "go": "company"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.version, draft.answers["company"]["name"]) == (2, HARBIN)
    page = client.get(url("online_step", token, step="company")).content.decode()
    assert "Declaration!D16" in page  # the e-mail without "@"
    assert "Declaration!D26" not in page  # Q1 belongs to the minerals step


def test_two_tabs_cannot_overwrite_each_other_silently(client, token):
    draft = _started(client, token)
    first = client.post(
        url("online_step", token, step="company"), {"version": draft.version, "name": "First tab"}
    )
    second = client.post(
        url("online_step", token, step="company"), {"version": draft.version, "name": "Second tab"}
    )
    assert (first.status_code, second.status_code) == (302, 409)
    assert "changed in another window" in second.content.decode()
    draft.refresh_from_db()
    assert draft.answers["company"]["name"] == "First tab"


def test_the_live_check_returns_the_steps_findings_without_saving(client, token):
    draft = _started(client, token)
    response = client.post(url("online_check", token, step="scope"), {"declaration_scope": ""})
    data = response.json()
    assert [(f["code"], f["where"]) for f in data["findings"]] == [
        ("required-field-missing", "Declaration!D9")
    ]
    assert data["checker_missing"] > 0
    draft.refresh_from_db()
    assert draft.version == 1


def test_the_smelter_search_finds_rmis_list_by_name_or_cid(client, token):
    _started(client, token)
    found = client.get(url("online_smelter_search", token), {"q": "CID000292"}).json()["results"]
    assert found == [
        {
            "smelter_id": "CID000292",
            "name": "Alpha Assembly Solutions Inc",
            "metal": "Tin",
            "country": "UNITED STATES OF AMERICA",
        }
    ]


def test_a_picked_and_a_not_listed_smelter_are_added_to_the_draft(client, token):
    draft = _started(client, token)
    step = url("online_step", token, step="smelters")
    client.post(step, {"version": 1, "action": "add_listed", "smelter_id": "CID000292"})
    client.post(
        step,
        {
            "version": 2,
            "action": "add_unlisted",
            "metal": "Gold",
            "name": "Harbin Gold Refinery",
            "country": "China",
        },
    )
    draft.refresh_from_db()
    assert [(s["metal"], s["smelter_id"], s["name"], s["country"]) for s in draft.answers["smelters"]] == [
        ("Tin", "CID000292", "Alpha Assembly Solutions Inc", "UNITED STATES OF AMERICA"),
        ("Gold", None, "Harbin Gold Refinery", "CHINA"),
    ]


def test_submitting_with_the_checker_above_0_needs_an_explanation(client, token, harbin):
    draft = _started(client, token)
    response = client.post(url("online_submit", token), {"version": draft.version})
    assert response.status_code == 400
    assert "explain below why" in response.content.decode()
    assert not harbin.submissions.exists()


def test_a_complete_draft_is_submitted_as_the_suppliers_file_the_analyst_sees_like_an_upload(
    client, token, harbin
):
    draft = _started(client, token)
    OnlineDraft.objects.filter(pk=draft.pk).update(answers=declaration_to_dict(complete_answers()))
    response = client.post(url("online_submit", token), {"version": draft.version})
    assert response.status_code == 302
    submission = harbin.submissions.get()
    harbin.refresh_from_db()
    assert harbin.state == State.SUBMITTED
    assert (submission.uploaded_by_label, submission.template_version, submission.checker_missing) == (
        "supplier via online form",
        "6.5",
        0,
    )
    download = client.get(url("download_file", token, version=1))
    written = read_template(b"".join(download.streaming_content) if download.streaming else download.content)
    assert written.company.name.value == HARBIN
    assert [s.smelter_id or s.name for s in written.smelters] == ["CID000292", "Harbin Gold Refinery"]


def test_a_second_submit_of_the_same_draft_version_is_refused(client, token, harbin):
    draft = _started(client, token)
    OnlineDraft.objects.filter(pk=draft.pk).update(answers=declaration_to_dict(complete_answers()))
    assert client.post(url("online_submit", token), {"version": 1}).status_code == 302
    again = client.post(url("online_submit", token), {"version": 1})
    assert again.status_code == 400
    assert harbin.submissions.count() == 1


def test_an_uploaded_file_starts_the_online_answers(client, token, harbin):

    blank = shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx").read_bytes()
    answers = dataclasses.replace(
        complete_answers(), company={**complete_answers().company, "contact_name": "Wang Fang"}
    )
    store_file(harbin, write_response(blank, answers, AnalysisSettings()), "harbin.xlsx", "supplier via link")
    assert client.post(url("online", token), {"source": "latest"}).status_code == 302
    assert OnlineDraft.objects.get().answers["company"]["contact_name"] == "Wang Fang"


def test_a_cmrt_6_4_file_starts_a_6_5_form_with_a_smelter_dropped_from_rmis_list_shown_as_not_listed(
    client, token, harbin
):
    from samples import HONEYWELL

    store_file(harbin, shared_file(HONEYWELL).read_bytes(), "honeywell.xlsx", "supplier via link")
    assert client.post(url("online", token), {"source": "latest"}).status_code == 302
    smelters = OnlineDraft.objects.get().answers["smelters"]
    hunan = {
        "metal": "Tungsten",
        "smelter_id": None,
        "name": "Hunan Chenzhou Mining Co., Ltd.",
        "country": "CHINA",
    }
    assert hunan in smelters  # CID000766 is not in the CMRT 6.5's list; the file will say "not listed"
    page = client.get(url("online_step", token, step="smelters")).content.decode()
    assert "CID000766" not in page


def test_the_online_form_speaks_chinese_when_chosen(client, token, settings):
    _started(client, token)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(url("online_step", token, step="minerals")).content.decode()
    assert "3. 各矿产的问题" in html
    # The question in the template's own Chinese, from its hidden "L" sheet.
    assert "1) 是否在产品或生产流程中有意添加或使用任何 3TG？(*)" in html
    assert '<option value="Yes">是</option>' in html
    client.post(
        url("online_step", token, step="smelters"),
        {"version": 1, "action": "add_listed", "smelter_id": "CID000292"},
    )
    assert (
        '<td data-label="金属">锡</td>'
        in client.get(url("online_step", token, step="smelters")).content.decode()
    )


def test_a_supplier_who_explains_submits_with_the_checker_above_0_and_the_analyst_reads_why(
    client, token, harbin
):
    draft = _started(client, token)
    answers = dataclasses.replace(
        complete_answers(), company={**complete_answers().company, "contact_phone": None}
    )
    OnlineDraft.objects.filter(pk=draft.pk).update(answers=declaration_to_dict(answers))
    response = client.post(
        url("online_submit", token),
        {"version": draft.version, "explanation": "Our contact has no phone line."},
    )
    assert response.status_code == 302
    submission = harbin.submissions.get()
    assert submission.checker_missing == 1
    reply = harbin.follow_ups.get()
    assert (reply.message, reply.author_label, reply.from_supplier) == (
        "Our contact has no phone line.",
        "supplier via online form",
        True,
    )


def test_last_years_response_starts_this_years_online_answers(client):
    blank = shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx").read_bytes()
    supplier = make_supplier("harbin", HARBIN)
    earlier = sent_request(make_campaign(closed=True), supplier)
    store_file(
        earlier, write_response(blank, complete_answers(), AnalysisSettings()), "harbin_2024.xlsx", "x"
    )
    year, _ = ReportingYear.objects.get_or_create(year=2025)
    campaign = make_campaign(name="RCOI 2025", reporting_year=year, due_date=dt.date(2026, 3, 31))
    campaign.store_blank_template(blank, "RMI_CMRT_6.5.xlsx")
    campaign.save(update_fields=["blank_template_sha256", "blank_template_name"])
    token = sent_request(campaign, supplier).issue_link()

    assert "Your answers of last year (harbin_2024.xlsx)" in client.get(url("online", token)).content.decode()
    assert client.post(url("online", token), {"source": "last_year"}).status_code == 302
    draft = OnlineDraft.objects.get()
    assert draft.started_from == "harbin_2024.xlsx"
    assert [s["smelter_id"] or s["name"] for s in draft.answers["smelters"]] == [
        "CID000292",
        "Harbin Gold Refinery",
    ]
    assert draft.answers["answers"]["Gold"]["Q6"] == "100%"


def test_a_wrong_token_opens_no_online_form_and_no_search(client, harbin):
    bad = "not-a-real-token-" + "x" * 20
    for address in (
        url("online", bad),
        url("online_step", bad, step="company"),
        url("online_smelter_search", bad),
    ):
        page = client.get(address, {"q": "alpha"})
        assert page.status_code == 404
        assert "This link does not work" in page.content.decode()
        assert "Alpha" not in page.content.decode()


def test_a_token_cannot_download_another_requests_file(client, harbin, token):
    other = sent_request(harbin.campaign, make_supplier("wistron", "Wistron Components"))
    blank = shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx").read_bytes()
    store_file(other, write_response(blank, complete_answers(), AnalysisSettings()), "wistron.xlsx", "x")
    page = client.get(url("download_file", token, version=1))
    assert page.status_code == 404
    assert "Wistron" not in page.content.decode()


def test_a_campaign_without_its_blank_template_offers_no_online_form(client):
    request = sent_request(
        make_campaign(template_kind="EMRT", minimum_version="2.1"), make_supplier("harbin", HARBIN)
    )
    token = request.issue_link()
    assert "Answer online" not in client.get(url("request", token)).content.decode()
    assert client.get(url("online", token)).status_code == 404


def test_a_closed_campaign_takes_no_online_answers_and_stores_nothing(client, token, harbin):
    draft = _started(client, token)
    OnlineDraft.objects.filter(pk=draft.pk).update(answers=declaration_to_dict(complete_answers()))
    harbin.campaign.closed = True
    harbin.campaign.save(update_fields=["closed"])
    saved = client.post(url("online_step", token, step="company"), {"version": 1, "name": "Changed"})
    submitted = client.post(url("online_submit", token), {"version": 1})
    assert (saved.status_code, submitted.status_code) == (400, 400)
    assert "This request is closed" in saved.content.decode()
    draft.refresh_from_db()
    assert draft.answers["company"]["name"] == HARBIN
    assert not harbin.submissions.exists()


@pytest.mark.parametrize("version", [None, "abc", "9" * 30, "-1"])
def test_a_step_or_submit_without_a_usable_version_is_refused_as_incomplete_not_as_a_conflict(
    client, token, version
):
    _started(client, token)
    data = {"name": HARBIN} if version is None else {"name": HARBIN, "version": version}
    for response in (
        client.post(url("online_step", token, step="company"), data),
        client.post(url("online_submit", token), data),
    ):
        assert response.status_code == 400
        assert "This page was sent incomplete" in response.content.decode()
    assert OnlineDraft.objects.get().answers["company"].get("name") is None


def test_a_start_page_opened_before_another_window_started_the_draft_replaces_nothing(client, token):
    _started(client, token)
    response = client.post(url("online", token), {"source": "empty"})  # its form had no version
    assert response.status_code == 400
    assert "Your answers were changed in another window; nothing was replaced" in response.content.decode()
