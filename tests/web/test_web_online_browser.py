"""The online CMRT in a real browser (issue #14 A, its "done when"): a supplier fills the CMRT step by
step, one step by keyboard only, picks a tin smelter from RMI's list and adds a gold refinery that is not
listed, sees the Checker at 0 and submits; the analyst sees the file like an upload; the downloaded file,
recalculated by LibreOffice, shows Checker 0 and reads back with the answers given. Every step is
photographed at desktop (1280 px) and phone (390 px) width, into ORETRACE_SCREENSHOTS when set.

Drives Debian's chromium through Playwright, as test_web_e2e_browser does.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from page_checks import shoot as _shoot
from page_checks import signed_in, submit_online_and_download, wider_than_the_screen
from supplier_requests import make_campaign, make_supplier, sent_request
from test_web_e2e_browser import browser, demo  # noqa: F401  (fixtures)

from libreoffice import recalculated_copy
from online_answers import COMPANY, COMPANY_QUESTIONS, IN_SCOPE
from oretrace.online import steps_for
from oretrace.rmi import read_template
from oretrace.rmi.writer import blank_layout
from oretrace.web.accounts.models import Profile
from samples import TEMPLATES, shared_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HARBIN = COMPANY["name"]
# The company step's fields in the order Tab reaches them, and what is typed into each.
TYPED = [
    (name, COMPANY[name])
    for name in (
        "name",
        "unique_id",
        "unique_id_authority",
        "address",
        "contact_name",
        "contact_email",
        "contact_phone",
        "authorizer_name",
        "authorizer_title",
        "authorizer_email",
        "authorizer_phone",
    )
]


def _tab_to(page, element_id: str, limit: int = 80) -> None:
    """Press Tab until ``element_id`` has the focus: proves it is reachable by keyboard."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def test_a_supplier_fills_the_cmrt_online_and_the_analyst_sees_it_like_an_upload(
    demo,  # noqa: F811
    browser,  # noqa: F811
    django_user_model,
    settings,
    tmp_path,
):
    shots = Path(os.environ.get("ORETRACE_SCREENSHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    campaign = make_campaign()
    campaign.store_blank_template(
        shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx").read_bytes(), "RMI_CMRT_6.5.xlsx"
    )
    campaign.save(update_fields=["blank_template_sha256", "blank_template_name"])
    request = sent_request(campaign, make_supplier("harbin", HARBIN))
    token = request.issue_link()
    analyst = django_user_model.objects.create_user("ana", password="correct horse battery")
    Profile.objects.create(user=analyst, role="analyst")

    supplier = browser.new_context(
        locale="en-US", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = supplier.new_page()
    page.goto(f"{demo.url}/p/{token}/")
    page.click("a:has-text('Answer online')")
    page.wait_for_url("**/online/")
    _shoot(page, shots, "start-desktop")
    page.click("button:has-text('Start')")
    page.wait_for_url(re.compile(r"/online/company/"))

    # Step 1 by keyboard only: Tab to each field, type, and press Enter on "Save and continue".
    for name, value in TYPED:
        _tab_to(page, f"id_{name}")
        page.keyboard.type(value)
    _tab_to(page, "id_effective_date")
    page.keyboard.type("11302026")
    # The live check has run on the typed answers: nothing left to correct in the company block.
    page.wait_for_selector("#findings :text('Nothing to correct in this step.')")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "scope":
            break
    assert page.evaluate("document.activeElement.textContent") == "Save and continue"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/online/scope/"))

    # Step 2: the live check names the blank scope, then the scope is chosen.
    page.wait_for_selector("text=Declaration!D9")
    page.check("input[value=A]")
    page.wait_for_selector("#findings :text('Nothing to correct in this step.')")
    page.click("button:has-text('Save and continue')")
    page.wait_for_url(re.compile(r"/online/minerals/"))

    # Step 3: gold and tin in scope, tantalum and tungsten not.
    for mineral in ("Gold", "Tin"):
        for question, answer in IN_SCOPE.items():
            page.select_option(f"#id_{question}__{mineral}", answer)
    for mineral in ("Tantalum", "Tungsten"):
        page.select_option(f"#id_Q1__{mineral}", "No")
    page.click("button:has-text('Save and continue')")
    page.wait_for_url(re.compile(r"/online/questions/"))

    # Step 4: the company questions and the policy's address.
    for question, answer in COMPANY_QUESTIONS.items():
        page.select_option(f"#id_{question}", answer)
    page.fill("#id_policy_url", "https://hsp.example/minerals-policy")
    page.click("button:has-text('Save and continue')")
    page.wait_for_url(re.compile(r"/online/smelters/"))

    # Step 5: a tin smelter found in RMI's list by name, and a gold refinery that is not listed.
    assert (
        "Tin" in page.locator("#findings").inner_text() and "Gold" in page.locator("#findings").inner_text()
    )
    # While typing, the search endpoint lists RMI's matches; the Find button does the same without script.
    page.select_option("#metal", "Tin")
    page.fill("#q", "Alpha Assembly")
    page.wait_for_selector("ul.results :text('CID000292')")
    page.click("button:has-text('Find')")
    page.wait_for_url(re.compile(r"q=Alpha"))
    _shoot(page, shots, "smelters-search-desktop")
    page.click("ul.results button:has-text('Add')")
    page.wait_for_selector("td:text('CID000292')")
    page.select_option("#id_metal", "Gold")
    page.fill("#id_name", "Harbin Gold Refinery")
    page.fill("#id_country", "China")
    page.click("button:has-text('Add as not listed')")
    page.wait_for_selector("td:text('Harbin Gold Refinery')")
    assert page.locator("#findings ol.findings:not(.warn) li").count() == 0  # nothing to correct
    page.click("a:has-text('Continue')")
    page.wait_for_url(re.compile(r"/online/products/"))
    page.click("a:has-text('Continue')")
    page.wait_for_url(re.compile(r"/online/review/"))
    assert page.locator(".pill.ok").inner_text() == "The template's Checker shows 0 missing answers"

    # Every step, photographed at both widths (the phone in a second context on the same link).
    phone_context = browser.new_context(viewport={"width": 390, "height": 844})
    phone_context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": demo.url}])
    phone = phone_context.new_page()
    for step in steps_for(blank_layout(campaign.blank_template_bytes())):
        for width, tab in (("desktop", page), ("phone", phone)):
            tab.goto(f"{demo.url}/p/{token}/online/{step.slug}/")
            _shoot(tab, shots, f"{step.slug}-{width}")
            assert wider_than_the_screen(tab) == [], (step.slug, width)

    downloaded = submit_online_and_download(page, tmp_path / "online.xlsx")
    _shoot(page, shots, "submitted-desktop")

    # The analyst sees it like an upload.
    desk = signed_in(browser, demo.url, f"/requests/{request.pk}/", "ana", "correct horse battery")
    assert "supplier via online form" in desk.content()
    assert f"CMRT_{HARBIN}_online.xlsx" in desk.content()
    _shoot(desk, shots, "analyst-desktop")

    # LibreOffice recalculates the Checker to 0; our reader reads the answers back.
    recalculated = read_template(recalculated_copy(downloaded, tmp_path))
    assert recalculated.checker_cached == 0
    assert recalculated.company.name.value == HARBIN
    assert recalculated.answers["Gold"]["Q6"].value == "100%"
    assert [(s.metal, s.smelter_id or s.name) for s in recalculated.smelters] == [
        ("Tin", "CID000292"),
        ("Gold", "Harbin Gold Refinery"),
    ]
