"""An EMRT campaign in a real browser (issue #12): a supplier uploads an EMRT 2.1 built from RMI's blank
through the portal and reads its review; the analyst sees the same findings on the request page, the
cobalt refiner identified from the template's look-up, the mica name no list knows in the queue, the
mine in the DR Congo flagged, and our own EMRT derived from the file.

Drives Debian's chromium through Playwright, as test_web_e2e_browser does. Each page is checked to fit a phone;
set ORETRACE_SCREENSHOTS to a folder to keep a screenshot of each at 1280 and 390 pixels wide.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from page_checks import signed_in
from supplier_requests import make_campaign, make_supplier
from test_web_declaration import company_settings
from test_web_e2e_browser import _upload, browser, demo  # noqa: F401  (fixtures)

from filled_templates import EMRT21, blank, emrt21_bytes
from oretrace.rmi import read_template
from oretrace.web.accounts.models import Profile
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import Request, State
from oretrace.web.reports.models import GeneratedDeclaration
from oretrace.web.suppliers.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIANMA = "Tianma Components Co., Ltd."
# A cobalt refiner from the EMRT 2.1 look-up, a mica processor no list knows, and a mine in the DR Congo.
SMELTERS = [("CID003875", None), ("Mica", "Jharkhand Mica Works", "INDIA")]
DRC_MINE = ("Cobalt", None, "Kamoto Copper Company", None, None, "DRC")


def _shot(page, name: str) -> None:
    """The page fits a phone 390 pixels wide (a wide table scrolls inside its card); with
    ORETRACE_SCREENSHOTS naming a folder, a screenshot at 1280 and at 390 pixels is kept there."""
    folder = os.environ.get("ORETRACE_SCREENSHOTS")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        if folder:
            page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_supplier_uploads_an_emrt_and_the_analyst_sees_its_findings_smelters_and_mines(
    demo,  # noqa: F811
    browser,  # noqa: F811
    django_user_model,
):
    emrt_blank = blank(EMRT21)
    # The supplier's EMRT 2.1, with the contact's e-mail address left out (a review error).
    supplier_file = emrt21_bytes(picked=("Cobalt", "Mica"), smelters=SMELTERS, mines=[DRC_MINE], D20=None)
    analyst = django_user_model.objects.create_user("ana", password="correct horse battery")
    Profile.objects.create(user=analyst, role="analyst")
    campaign = make_campaign(name="RCOI 2025 – EMRT", template_kind="EMRT", minimum_version="2.1")
    campaign.minerals = ["Cobalt", "Mica"]
    campaign.store_blank_template(emrt_blank, EMRT21)
    campaign.save()
    reference.load_reference_from_template(emrt_blank, EMRT21)
    company_settings(campaign.reporting_year)
    organisation = Organisation.objects.get()
    organisation.policy_url = "https://acme.example/policy"
    organisation.company_answers = dict.fromkeys("ABCDFG", "Yes") | {
        "E": "Yes, in conformance with IPC1755 (e.g., CMRT)",
        "H": "Yes, with the SEC",
    }
    organisation.save()
    request = Request.objects.create(campaign=campaign, supplier=make_supplier("tianma", TIANMA))
    request.transition(State.SENT, "test")
    token = request.issue_link()

    # The supplier uploads its EMRT through its link and reads the review at once.
    supplier = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = supplier.new_page()
    page.goto(f"{demo.url}/p/{token}/")
    assert "The Excel file (.xlsx or .xls) of the EMRT" in page.locator("main").inner_text()
    _shot(page, "emrt-portal")
    page.set_input_files("#file-input", files=[_upload("tianma-emrt-2.1.xlsx", supplier_file)])
    page.click("text=Upload and check")
    page.wait_for_url("**/files/1/")
    review = page.locator("main").inner_text()
    assert "tianma-emrt-2.1.xlsx · EMRT 2.1" in review and "2 problems to correct" in review
    assert "Please enter a valid e-mail address for “Email – Contact” in Declaration!D20." in review
    _shot(page, "emrt-portal-review")

    # The analyst sees the same findings on the request page and accepts the file with exceptions.
    desk = signed_in(browser, demo.url, f"/requests/{request.pk}/", "ana", "correct horse battery")
    findings = desk.locator("main").inner_text()
    assert "EMRT 2.1 · Tianma Components Co., Ltd. · scope A" in findings
    assert "Email – Contact is blank; the template's Checker counts it as missing." in findings
    _shot(desk, "emrt-request")
    desk.click("text=Accept…")
    desk.wait_for_url(f"**/requests/{request.pk}/accept/")
    desk.fill("textarea[name=reason]", "The contact's address and phone number were given by e-mail.")
    desk.click("button:has-text('Accept with exceptions')")
    desk.wait_for_selector("text=Accepted with exceptions")

    # Its smelters: the cobalt refiner identified from the EMRT's own look-up, the mine in the DR Congo
    # flagged, and the mica name no list knows waiting in the queue.
    desk.goto(f"{demo.url}/campaigns/{campaign.pk}/smelters/")
    smelters = desk.locator("main").inner_text()
    assert "CID003875" in smelters and "Advanced Materials Production Plant" in smelters
    mine = desk.locator("table.mines tr", has_text="Kamoto Copper Company").inner_text()
    assert "Congo, Democratic Republic of the" in mine and "Covered Country" in mine
    _shot(desk, "emrt-smelters")
    desk.goto(f"{demo.url}/campaigns/{campaign.pk}/smelters/unidentified/")
    assert "Jharkhand Mica Works" in desk.locator("main").inner_text()
    _shot(desk, "emrt-unidentified")
    desk.goto(f"{demo.url}/campaigns/{campaign.pk}/")
    _shot(desk, "emrt-dashboard")

    # Our own EMRT, derived from the accepted file: its smelter and its Mine List.
    desk.goto(f"{demo.url}/campaigns/{campaign.pk}/reports/declaration/")
    assert "Our declaration: our EMRT for 2024" in desk.locator("h1").inner_text()
    desk.click("button:has-text('Generate our EMRT')")
    desk.wait_for_selector("text=Our EMRT was generated")
    _shot(desk, "emrt-declaration")
    ours = read_template(GeneratedDeclaration.objects.get(campaign=campaign).file_bytes())
    assert ours.kind.name == "EMRT" and ours.minerals == ("Cobalt", "Mica")
    assert [s.smelter_id for s in ours.smelters if s.metal == "Cobalt"] == ["CID003875"]
    assert [(m.metal, m.mine_name, m.country) for m in ours.mines] == [
        ("Cobalt", "Kamoto Copper Company", "Congo, Democratic Republic of the")
    ]
    supplier.close()
