"""The analyst's campaign in a real browser, end to end (issue 11's walk): a scope of one supplier is
sent; that supplier uploads another company's CMRT and both sides are told; its own file follows, with a
review error left in it; the analyst accepts it with exceptions, which needs a reason; our CMRT counts it.

Drives Debian's chromium through Playwright, as test_web_e2e_browser does.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from supplier_requests import make_campaign, make_supplier
from test_web_e2e_browser import _upload, browser, demo  # noqa: F401  (fixtures)

from oretrace.rmi.patching import CellWrite, patch_workbook
from oretrace.web.accounts.models import Profile
from oretrace.web.campaigns.models import Request, State
from oretrace.web.campaigns.rollup import campaign_survey
from samples import SK, shared_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZHENHUA = "Shenzhen Zhenhua Electronics Co., Ltd."


def test_one_supplier_is_asked_flagged_corrected_accepted_with_exceptions_and_counted(
    demo,  # noqa: F811
    browser,  # noqa: F811
    django_user_model,
):
    sk_file = shared_file(SK).read_bytes()
    # Zhenhua's own declaration, with one review error left in it: a comma for the dot in an address.
    own_file = patch_workbook(
        sk_file,
        [
            CellWrite(sheet="Declaration", address="D8", value=ZHENHUA),
            CellWrite(sheet="Declaration", address="D16", value="li.wei@zhenhua,example"),
        ],
    )
    analyst = django_user_model.objects.create_user("ana", password="correct horse battery")
    Profile.objects.create(user=analyst, role="analyst")
    campaign = make_campaign()
    zhenhua = make_supplier("zhenhua", ZHENHUA)
    for key, name in (("kaifa", "Kaifa Precision Ltd"), ("tianma", "Tianma Microelectronics")):
        make_supplier(key, name)  # in the supplier list, not in this campaign's scope

    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    desk.goto(f"{demo.url}/login/?next=/campaigns/{campaign.pk}/scope/")
    desk.fill("input[name=username]", "ana")
    desk.fill("input[name=password]", "correct horse battery")
    desk.click("button.primary")
    desk.wait_for_url(f"**/campaigns/{campaign.pk}/scope/")

    # Scope: one supplier, found by name and added.
    desk.fill("input[name=q]", "Zhenhua")
    desk.click("button:has-text('Find')")
    desk.click("#found button:has-text('Add')")
    desk.wait_for_selector("text=1 supplier in scope")
    assert list(campaign.requests.values_list("supplier__name", "state")) == [(ZHENHUA, State.DRAFT)]

    # Send: the preview says how many go out and shows the e-mail; the confirm sends exactly that one.
    desk.click("text=Send 1 draft request")
    assert "1 invitation will go out" in desk.content()
    desk.click("button:has-text('Send 1 invitation')")
    request = Request.objects.get(campaign=campaign)
    assert request.state == State.SENT and request.supplier == zhenhua
    call_command("deliver_outbox", "--once")
    token = request.issue_link()

    # The supplier uploads another company's file: told in plain words; the analyst sees the banner.
    supplier = browser.new_context(locale="en-GB", viewport={"width": 1000, "height": 900})
    page = supplier.new_page()
    page.goto(f"{demo.url}/p/{token}/")
    page.set_input_files("#file-input", files=[_upload(SK.name, sk_file)])
    page.click("text=Upload and check")
    page.wait_for_url("**/files/1/")
    assert (
        "The file you uploaded names SK specialty Co., Ltd as the company."
        in page.locator("#other-company").inner_text()
    )
    desk.goto(f"{demo.url}/requests/{request.pk}/")
    assert f"This file is from SK specialty Co., Ltd, not {ZHENHUA}" in desk.locator("#identity").inner_text()

    # Its own file follows: no longer flagged as another company's, one review error left.
    page.set_input_files("#file-input", files=[_upload("zhenhua-cmrt.xlsx", own_file)])
    page.click("text=Upload the corrected file")
    page.wait_for_url("**/files/2/")
    assert page.locator("#other-company").count() == 0
    desk.reload()
    assert desk.locator("#identity").count() == 0

    # Accept: a confirmation page; with the open error it is an acceptance with exceptions, which the
    # browser will not send without a reason (and the server refuses too: test_web_acceptance).
    desk.click("text=Accept…")
    desk.wait_for_url(f"**/requests/{request.pk}/accept/")
    reason = desk.locator("textarea[name=reason]")
    assert reason.get_attribute("required") is not None
    desk.click("button:has-text('Accept with exceptions')")
    assert desk.url.endswith(f"/requests/{request.pk}/accept/")  # not sent: the reason is missing
    request.refresh_from_db()
    assert request.state != State.ACCEPTED
    reason.fill("The address is corrected by e-mail; the smelter list is complete.")
    desk.click("button:has-text('Accept with exceptions')")
    desk.wait_for_selector("text=Accepted with exceptions")
    request.refresh_from_db()
    assert request.state == State.ACCEPTED and request.exceptions_reason.startswith("The address")
    assert request.accepted_open_errors >= 1

    # Our CMRT is built from the accepted file: the page says so, and the core's survey agrees.
    desk.goto(f"{demo.url}/campaigns/{campaign.pk}/reports/declaration/")
    assert "Built from 1 of 1 file received" in desk.locator("#results-rule").inner_text()
    built = campaign_survey(campaign)
    (entry,) = built.survey.suppliers
    assert entry.accepted and entry.accepted_with_exceptions
    supplier.close()
    staff.close()
