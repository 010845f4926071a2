"""In a real browser: a supplier uploads another company's CMRT and is told so in plain words, the analyst
sees the banner on the request page, and the supplier's own file clears both.

Drives Debian's chromium through Playwright, as test_web_e2e_browser does.
"""

from __future__ import annotations

import pytest
from supplier_requests import make_campaign, make_supplier
from test_web_e2e_browser import _upload, browser, demo  # noqa: F401  (fixtures)

from oretrace.rmi.patching import CellWrite, patch_workbook
from oretrace.web.accounts.models import Profile
from oretrace.web.campaigns.models import Request
from samples import SK, shared_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZHENHUA = "Shenzhen Zhenhua Electronics Co., Ltd."


def test_another_companys_file_is_flagged_to_both_and_the_own_file_clears_it(
    demo,  # noqa: F811
    browser,  # noqa: F811
    django_user_model,
):
    sk_file = shared_file(SK).read_bytes()
    own_file = patch_workbook(sk_file, [CellWrite(sheet="Declaration", address="D8", value=ZHENHUA)])
    analyst = django_user_model.objects.create_user("ana", password="correct horse battery")
    Profile.objects.create(user=analyst, role="analyst")
    request = Request.objects.create(campaign=make_campaign(), supplier=make_supplier("zhenhua", ZHENHUA))
    request.send(analyst)
    token = request.issue_link()

    supplier = browser.new_context(locale="en-GB", viewport={"width": 1000, "height": 900})
    page = supplier.new_page()
    page.goto(f"{demo.url}/p/{token}/")
    page.set_input_files("#file-input", files=[_upload(SK.name, sk_file)])
    page.click("text=Upload and check")
    page.wait_for_url("**/files/1/")
    banner = page.locator("#other-company").inner_text()
    assert "The file you uploaded names SK specialty Co., Ltd as the company." in banner
    assert f"We asked {ZHENHUA} for its own declaration." in banner

    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    desk.goto(f"{demo.url}/login/?next=/requests/{request.pk}/")
    desk.fill("input[name=username]", "ana")
    desk.fill("input[name=password]", "correct horse battery")
    desk.click("button.primary")
    desk.wait_for_url(f"**/requests/{request.pk}/")
    assert f"This file is from SK specialty Co., Ltd, not {ZHENHUA}" in desk.locator("#identity").inner_text()

    page.set_input_files("#file-input", files=[_upload("zhenhua-cmrt.xlsx", own_file)])
    page.click("text=Upload the corrected file")
    page.wait_for_url("**/files/2/")
    assert page.locator("#other-company").count() == 0
    desk.reload()
    assert desk.locator("#identity").count() == 0
    supplier.close()
    staff.close()
