"""The online form for an EMRT 2.1 and an AMRT 1.3 campaign, step by step as a supplier posts it: the
minerals picked on the scope step, the template's own questions, a listed and a not-listed smelter, a
mine, then submitted as the supplier's file, which reads back as the answers given."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.urls import reverse
from supplier_requests import make_campaign, make_supplier, sent_request

from online_answers import COMPANY, complete_amrt_answers, complete_emrt_answers
from oretrace.online import declaration_from_response
from oretrace.rmi import read_template
from oretrace.rmi.writer import blank_layout
from oretrace.web.campaigns.models import State
from oretrace.web.portal.models import OnlineDraft
from samples import TEMPLATES, shared_file

pytestmark = pytest.mark.django_db


def _request(kind: str, template: str, version: str, **campaign_fields):
    campaign = make_campaign(template_kind=kind, minimum_version=version, **campaign_fields)
    campaign.store_blank_template(shared_file(TEMPLATES / template).read_bytes(), template)
    campaign.save(update_fields=["blank_template_sha256", "blank_template_name"])
    return sent_request(campaign, make_supplier("harbin", COMPANY["name"]))


def url(name: str, token: str, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"token": token, **kwargs})


def _post(client, token, step: str, data: dict) -> None:
    version = OnlineDraft.objects.get().version
    response = client.post(url("online_step", token, step=step), {"version": version, **data})
    assert response.status_code == 302, _problems(response.content.decode())


def _problems(page: str) -> list[str]:
    """What a page refusing a post says is wrong: its error lists and alerts."""
    return re.findall(
        r'<ul class="errorlist[^>]*>.*?</ul>|<div class="alert error"[^>]*>.*?</div>', page, re.S
    )


def _company() -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else (v or "") for k, v in COMPANY.items()}


def _per_mineral(answers) -> dict:
    data = {}
    for mineral, by_question in answers.answers.items():
        data.update({f"{q}__{mineral}": a for q, a in by_question.items()})
    return data


def _submitted(client, token, request):
    page = client.get(url("online_step", token, step="review")).content.decode()
    response = client.post(url("online_submit", token), {"version": OnlineDraft.objects.get().version})
    assert response.status_code == 302, _problems(response.content.decode())
    request.refresh_from_db()
    assert request.state == State.SUBMITTED
    submission = request.submissions.get()
    assert (submission.uploaded_by_label, submission.checker_missing) == ("supplier via online form", 0)
    return page, submission


def test_an_emrt_is_answered_online_step_by_step_and_reads_back_as_answered(client):
    request = _request("EMRT", "RMI_EMRT_2.1.xlsx", "2.0")
    token = request.issue_link()
    assert "Answer online instead of Excel" in client.get(url("request", token)).content.decode()
    assert client.post(url("online", token), {"source": "empty"}).status_code == 302
    expected = complete_emrt_answers()

    _post(client, token, "company", _company())
    scope = client.get(url("online_step", token, step="scope")).content.decode()
    assert "2. Scope and minerals" in scope and 'value="Graphite"' in scope
    _post(client, token, "scope", {"declaration_scope": "A", "minerals": ["Cobalt", "Mica"]})
    minerals = client.get(url("online_step", token, step="minerals")).content.decode()
    assert "1) Is any of the specified mineral/metal intentionally added" in minerals  # the template's words
    assert 'name="Q1__Nickel"' not in minerals  # only the minerals picked are asked about
    _post(client, token, "minerals", _per_mineral(expected))
    _post(
        client,
        token,
        "questions",
        {
            **{k.replace(":", "__"): v for k, v in expected.company_questions.items()},
            "C__Mica__comment": "Few mica processors are audited yet.",
            "policy_url": expected.policy_url,
        },
    )
    _post(client, token, "smelters", {"action": "add_listed", "smelter_id": "CID003875"})
    _post(
        client,
        token,
        "smelters",
        {"action": "add_unlisted", "metal": "Mica", "name": "Jharkhand Mica Works", "country": "India"},
    )
    mines = client.get(url("online_step", token, step="mines")).content.decode()
    assert "6. Mines" in mines and '<option value="CONGO, DEMOCRATIC REPUBLIC OF THE">' in mines
    _post(
        client,
        token,
        "mines",
        {
            "action": "add",
            "metal": "Cobalt",
            "mine_name": "Kamoto",
            "country": "congo, democratic republic of the",
        },
    )

    page, submission = _submitted(client, token, request)
    assert "Checker" in page
    again = declaration_from_response(
        read_template(submission.file_bytes()),
        blank_layout(shared_file(TEMPLATES / "RMI_EMRT_2.1.xlsx").read_bytes()),
    )
    assert again == dataclasses.replace(expected, smelters=again.smelters)
    assert [(s.metal, s.smelter_id or s.name) for s in again.smelters] == [
        ("Cobalt", "CID003875"),
        ("Mica", "Jharkhand Mica Works"),
    ]


def test_an_amrt_takes_a_mineral_its_list_does_not_offer_and_asks_no_company_questions(client):
    request = _request("AMRT", "RMI_AMRT_1.3.xlsx", "1.3")
    token = request.issue_link()
    assert client.post(url("online", token), {"source": "empty"}).status_code == 302
    expected = complete_amrt_answers()

    _post(client, token, "company", _company())
    before = client.get(url("online_step", token, step="minerals")).content.decode()
    assert "Choose the minerals this declaration covers first" in before
    assert client.get(url("online_step", token, step="questions")).status_code == 404
    _post(
        client, token, "scope", {"declaration_scope": "A", "minerals": ["Silver"], "other_minerals": "Indium"}
    )
    _post(client, token, "minerals", _per_mineral(expected))
    _post(client, token, "smelters", {"action": "add_listed", "smelter_id": "CID004700"})
    _post(
        client,
        token,
        "smelters",
        {"action": "add_unlisted", "metal": "Indium", "name": "Harbin Indium Works", "country": "China"},
    )
    _post(
        client,
        token,
        "mines",
        {
            "action": "add",
            "metal": "Silver",
            "mine_name": "Cerro Rico",
            "country": "BOLIVIA (PLURINATIONAL STATE OF)",
        },
    )

    _page, submission = _submitted(client, token, request)
    again = declaration_from_response(
        read_template(submission.file_bytes()),
        blank_layout(shared_file(TEMPLATES / "RMI_AMRT_1.3.xlsx").read_bytes()),
    )
    assert again == dataclasses.replace(expected, smelters=again.smelters)


def test_a_country_the_templates_list_does_not_hold_is_refused_by_name(client):
    request = _request("EMRT", "RMI_EMRT_2.1.xlsx", "2.0")
    token = request.issue_link()
    client.post(url("online", token), {"source": "empty"})
    _post(client, token, "scope", {"declaration_scope": "A", "minerals": ["Cobalt"]})
    response = client.post(
        url("online_step", token, step="mines"),
        {
            "version": OnlineDraft.objects.get().version,
            "action": "add",
            "metal": "Cobalt",
            "mine_name": "Kamoto",
            "country": "Katanga",
        },
    )
    assert response.status_code == 400
    assert "Choose a country from the list offered" in response.content.decode()
    assert OnlineDraft.objects.get().answers["mines"] == []


def test_more_minerals_than_the_template_holds_are_refused_in_the_suppliers_language(client, settings):
    request = _request("AMRT", "RMI_AMRT_1.3.xlsx", "1.3")
    token = request.issue_link()
    client.post(url("online", token), {"source": "empty"})
    eleven = {
        "minerals": ["Silver", "Zinc", "Lime", "Iridium", "Rhodium", "Platinum"],
        "other_minerals": "Indium, Gallium, Germanium, Tellurium, Bismuth",
    }
    response = client.post(
        url("online_step", token, step="scope"), {"version": OnlineDraft.objects.get().version, **eleven}
    )
    assert response.status_code == 400
    assert "The template holds 10 minerals; 11 were chosen. Choose at most 10." in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.post(
        url("online_step", token, step="scope"), {"version": OnlineDraft.objects.get().version, **eleven}
    )
    assert "该模板最多可容纳 10 种矿产；您选择了 11 种。" in response.content.decode()
    assert "请先在“申报范围”步骤中选择本申报涵盖的矿产。" in response.content.decode()  # none picked yet
    assert OnlineDraft.objects.get().answers["minerals"] == []


def test_an_empty_form_starts_with_the_minerals_the_campaign_asks_about(client):
    token = _request("EMRT", "RMI_EMRT_2.1.xlsx", "2.0", minerals=["Mica", "Cobalt"]).issue_link()
    client.post(url("online", token), {"source": "empty"})
    assert OnlineDraft.objects.get().answers["minerals"] == ["Cobalt", "Mica"]  # in the template's order
    scope = client.get(url("online_step", token, step="scope")).content.decode()
    assert re.search(r'value="Cobalt"[^>]*checked', scope) and not re.search(
        r'value="Nickel"[^>]*checked', scope
    )


def test_a_comment_longer_than_the_form_takes_is_refused_with_the_reason_shown(client):
    request = _request("EMRT", "RMI_EMRT_1.3.xlsx", "1.3")
    token = request.issue_link()
    client.post(url("online", token), {"source": "empty"})
    response = client.post(
        url("online_step", token, step="minerals"),
        {
            "version": OnlineDraft.objects.get().version,
            "Q1__Cobalt": "Yes",
            "Q1__Cobalt__comment": "x" * 5000,
        },
    )
    assert response.status_code == 400
    assert "at most 1000 characters" in response.content.decode()
    assert OnlineDraft.objects.get().answers["answers"] == {}


def test_unpicking_a_mineral_drops_its_answers_smelters_and_mines_and_the_file_is_still_written(client):
    request = _request("EMRT", "RMI_EMRT_2.1.xlsx", "2.0")
    token = request.issue_link()
    client.post(url("online", token), {"source": "empty"})
    _post(client, token, "scope", {"declaration_scope": "A", "minerals": ["Cobalt", "Copper"]})
    _post(client, token, "minerals", {"Q1__Cobalt": "Yes", "Q1__Copper": "Yes"})
    _post(client, token, "questions", {"C__Copper": "Yes", "C__Copper__comment": "Copper only."})
    _post(client, token, "smelters", {"action": "add_listed", "smelter_id": "CID003875"})
    copper_works = {"metal": "Copper", "name": "Atacama Copper Works", "country": "Chile"}
    _post(client, token, "smelters", {"action": "add_unlisted", **copper_works})
    _post(
        client,
        token,
        "mines",
        {"action": "add", "metal": "Copper", "mine_name": "Escondida", "country": "Chile"},
    )

    _post(client, token, "scope", {"declaration_scope": "A", "minerals": ["Cobalt"]})

    draft = OnlineDraft.objects.get().answers
    assert (draft["answers"], draft["company_questions"], draft["company_question_comments"]) == (
        {"Cobalt": {"Q1": "Yes"}},
        {},
        {},
    )
    assert [s["metal"] for s in draft["smelters"]] == ["Cobalt"] and draft["mines"] == []
    for step in ("minerals", "questions", "smelters", "mines", "review"):
        assert client.get(url("online_step", token, step=step)).status_code == 200
    response = client.post(url("online_submit", token), {"version": draft_version(), "explanation": "Draft."})
    assert response.status_code == 302, _problems(response.content.decode())
    again = read_template(request.submissions.get().file_bytes())
    assert [row.metal for row in again.smelters] == ["Cobalt"] and not again.mines


def test_an_emrt_with_all_minerals_unpicked_keeps_the_answers_of_the_six_it_then_declares(client):
    request = _request("EMRT", "RMI_EMRT_2.1.xlsx", "2.0")
    token = request.issue_link()
    client.post(url("online", token), {"source": "empty"})
    _post(client, token, "minerals", {"Q1__Nickel": "Yes"})
    _post(client, token, "scope", {"declaration_scope": "A"})
    assert OnlineDraft.objects.get().answers["answers"] == {"Nickel": {"Q1": "Yes"}}


def test_a_smelter_of_a_mineral_not_declared_is_neither_found_nor_added(client):
    request = _request("EMRT", "RMI_EMRT_2.1.xlsx", "2.0")
    token = request.issue_link()
    client.post(url("online", token), {"source": "empty"})
    _post(client, token, "scope", {"declaration_scope": "A", "minerals": ["Cobalt"]})
    found = client.get(url("online_smelter_search", token), {"q": "CID004575"}).json()["results"]
    page = client.get(url("online_step", token, step="smelters"), {"q": "CID004575"}).content.decode()
    assert found == [] and 'name="smelter_id" value="CID004575"' not in page  # Coral Bay's nickel refinery
    response = client.post(
        url("online_step", token, step="smelters"),
        {"version": draft_version(), "action": "add_listed", "smelter_id": "CID004575"},
    )
    assert response.status_code == 400
    assert "This declaration does not cover Nickel" in response.content.decode()
    assert OnlineDraft.objects.get().answers["smelters"] == []


def draft_version() -> int:
    return OnlineDraft.objects.get().version


@pytest.mark.parametrize("template", ["RMI_AMRT_1.2.xlsx", "RMI_AMRT_1.3.xlsx"])
def test_a_mineral_typed_in_another_case_is_kept_in_the_templates_spelling_and_reads_back(client, template):
    request = _request("AMRT", template, template[9:-5])
    token = request.issue_link()
    client.post(url("online", token), {"source": "empty"})
    _post(client, token, "scope", {"declaration_scope": "A", "other_minerals": "silver, Indium"})
    assert OnlineDraft.objects.get().answers["minerals"] == ["Indium", "Silver"]
    _post(client, token, "minerals", {"Q1__Silver": "Yes", "Q1__Indium": "No"})
    response = client.post(url("online_submit", token), {"version": draft_version(), "explanation": "Draft."})
    assert response.status_code == 302, _problems(response.content.decode())
    again = read_template(request.submissions.get().file_bytes())
    assert again.minerals == ("Indium", "Silver") and again.answers["Silver"]["Q1"].value == "Yes"


def test_an_amrt_1_2_asks_for_its_smelters_typed_not_searched_nor_added_as_not_listed(client, settings):
    request = _request("AMRT", "RMI_AMRT_1.2.xlsx", "1.2")
    token = request.issue_link()
    client.post(url("online", token), {"source": "empty"})
    _post(client, token, "scope", {"declaration_scope": "A", "minerals": ["Silver"]})
    page = client.get(url("online_step", token, step="smelters")).content.decode()
    assert 'name="q"' not in page and "Add as not listed" not in page
    assert "no copy of RMI's list to search" in page and "Add the smelter" in page
    _post(
        client,
        token,
        "smelters",
        {
            "action": "add_unlisted",
            "metal": "Silver",
            "name": "Harbin Silver",
            "country": "China",
            "smelter_id": "CID002000",
        },
    )
    assert OnlineDraft.objects.get().answers["smelters"][0]["smelter_id"] == "CID002000"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert (
        "本模板未附带可供查找的 RMI 清单"
        in client.get(url("online_step", token, step="smelters")).content.decode()
    )
