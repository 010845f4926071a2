"""The online EMRT in a real browser (issue #14 A, "or the EMRT/CRT/AMRT questions"): a supplier picks
cobalt and mica, answers the template's own questions, picks a cobalt refiner from the EMRT's list, adds
a mica processor that is not listed and a mine in the DR Congo, sees the Checker at 0 and submits; the
analyst sees the file like an upload; LibreOffice recalculates the downloaded file to Checker 0 and our
reader reads it back with the answers given. Every step is photographed at 1280 and 390 px wide (into
ORETRACE_SCREENSHOTS when set), and none is wider than the phone.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from page_checks import shoot, signed_in, submit_online_and_download, wider_than_the_screen
from supplier_requests import make_campaign, make_supplier, sent_request
from test_web_e2e_browser import browser, demo  # noqa: F401  (fixtures)

from libreoffice import recalculated_copy
from online_answers import COMPANY, EMRT_IN_SCOPE, complete_emrt_answers
from oretrace.online import declaration_from_response, steps_for
from oretrace.rmi import read_template
from oretrace.rmi.writer import blank_layout
from oretrace.web.accounts.models import Profile
from samples import TEMPLATES, shared_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMRT = "RMI_EMRT_2.1.xlsx"
COMPANY_FIELDS = (
    "name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "authorizer_name",
    "authorizer_email",
)


def test_a_supplier_answers_the_emrt_online_and_the_file_reads_back_with_checker_0(
    demo,  # noqa: F811
    browser,  # noqa: F811
    django_user_model,
    tmp_path,
):
    shots = Path(os.environ.get("ORETRACE_SCREENSHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    blank = shared_file(TEMPLATES / EMRT).read_bytes()
    campaign = make_campaign(
        name="RCOI 2025 – EMRT", template_kind="EMRT", minimum_version="2.1", minerals=["Cobalt", "Mica"]
    )
    campaign.store_blank_template(blank, EMRT)
    campaign.save(update_fields=["blank_template_sha256", "blank_template_name"])
    request = sent_request(campaign, make_supplier("harbin", COMPANY["name"]))
    token = request.issue_link()
    analyst = django_user_model.objects.create_user("ana", password="correct horse battery")
    Profile.objects.create(user=analyst, role="analyst")
    expected = complete_emrt_answers()

    page = browser.new_context(
        locale="en-US", viewport={"width": 1280, "height": 900}, accept_downloads=True
    ).new_page()
    page.goto(f"{demo.url}/p/{token}/online/")
    page.click("button:has-text('Start')")
    page.wait_for_url(re.compile(r"/online/company/"))
    for name in COMPANY_FIELDS:
        page.fill(f"#id_{name}", COMPANY[name])
    page.fill("#id_effective_date", COMPANY["effective_date"].isoformat())
    page.click("button:has-text('Save and continue')")

    # Scope and minerals: the form starts with the minerals the campaign asks about picked.
    page.wait_for_url(re.compile(r"/online/scope/"))
    page.check("input[name=declaration_scope][value=A]")
    picked = page.eval_on_selector_all("input[name=minerals]:checked", "boxes => boxes.map(b => b.value)")
    assert picked == ["Cobalt", "Mica"]
    page.click("button:has-text('Save and continue')")

    # The questions are the EMRT's own, asked for the two minerals picked only.
    page.wait_for_url(re.compile(r"/online/minerals/"))
    assert "1) Is any of the specified mineral/metal intentionally added" in page.inner_text("main")
    assert page.locator("[name=Q1__Nickel]").count() == 0
    for mineral in ("Cobalt", "Mica"):
        for question, answer in EMRT_IN_SCOPE.items():
            page.select_option(f"#id_{question}__{mineral}", answer)
    page.click("button:has-text('Save and continue')")

    page.wait_for_url(re.compile(r"/online/questions/"))
    for key, answer in expected.company_questions.items():
        page.select_option(f"#id_{key.replace(':', '__')}", answer)
    page.fill("#id_C__Mica__comment", expected.company_question_comments["C:Mica"])
    page.fill("#id_policy_url", expected.policy_url)
    page.click("button:has-text('Save and continue')")

    # A cobalt refiner from the EMRT's own list, found as the supplier types; a mica processor not listed.
    page.wait_for_url(re.compile(r"/online/smelters/"))
    page.select_option("#metal", "Cobalt")
    page.fill("#q", "CID003875")
    page.locator("#results button").first.click()
    page.wait_for_url(re.compile(r"/online/smelters/"))
    page.select_option("#id_metal", "Mica")
    page.fill("#id_name", "Jharkhand Mica Works")
    page.fill("#id_country", "India")
    page.click("button:has-text('Add as not listed')")
    page.wait_for_selector("td:has-text('Jharkhand Mica Works')")
    page.click("a:has-text('Continue')")

    page.wait_for_url(re.compile(r"/online/mines/"))
    page.select_option("#id_metal", "Cobalt")
    page.fill("#id_mine_name", "Kamoto")
    page.fill("#id_country", "CONGO, DEMOCRATIC REPUBLIC OF THE")
    page.click("button:has-text('Add mine')")
    page.wait_for_selector("td:has-text('Kamoto')")
    page.click("a:has-text('Continue')")
    page.wait_for_url(re.compile(r"/online/products/"))
    page.click("a:has-text('Continue')")
    page.wait_for_url(re.compile(r"/online/review/"))
    assert page.locator(".pill.ok").inner_text() == "The template's Checker shows 0 missing answers"
    assert "To correct" not in page.inner_text("#findings")

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    for step in steps_for(blank_layout(blank)):
        for width, tab in (("desktop", page), ("phone", phone)):
            tab.goto(f"{demo.url}/p/{token}/online/{step.slug}/")
            shoot(tab, shots, f"emrt-{step.slug}-{width}")
            assert wider_than_the_screen(tab) == [], (step.slug, width)

    downloaded = submit_online_and_download(page, tmp_path / "online-emrt.xlsx")
    desk = signed_in(browser, demo.url, f"/requests/{request.pk}/", "ana", "correct horse battery")
    assert "supplier via online form" in desk.content()
    assert f"EMRT_{COMPANY['name']}_online.xlsx" in desk.content()

    recalculated = read_template(recalculated_copy(downloaded, tmp_path))
    assert recalculated.checker_cached == 0
    again = declaration_from_response(recalculated, blank_layout(blank))
    assert again.mines == expected.mines
    assert (again.minerals, again.answers, again.company_questions) == (
        expected.minerals,
        expected.answers,
        expected.company_questions,
    )
    assert [(s.metal, s.smelter_id or s.name) for s in again.smelters] == [
        ("Cobalt", "CID003875"),
        ("Mica", "Jharkhand Mica Works"),
    ]
