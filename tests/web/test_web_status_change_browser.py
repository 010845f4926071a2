"""A facility status change in a real browser: the analyst finds it in the queue, opens it, asks the
supplier naming the facility and opens a corrective action; on a phone the change's table scrolls
inside its card instead of widening the page.

Drives Debian's chromium through Playwright, as test_web_e2e_browser does.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from fictional_template import build_cmrt
from staff_data import PASSWORD, campaign_with_suppliers, staff, submitted
from test_web_e2e_browser import browser, demo  # noqa: F401  (fixtures)

from oretrace.refdata import ListKind
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import FacilityStatusChange, State
from oretrace.web.risk.models import RiskAction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def test_an_analyst_finds_a_suspension_in_the_queue_and_acts_on_it(demo, browser):  # noqa: F811
    _alice, bob, _ = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    _, requests = campaign_with_suppliers(1)
    submitted(requests[0])
    conformant = (
        "Smelter ID,Standard Smelter Name,Assessment Status\nCID900001,Demo Tantalum Smelter 01,Conformant\n"
    )
    reference.apply_status_list(conformant.encode(), "spring.csv", _days_ago(200), bob)
    notice = b"Facility ID,Facility Name\nCID900001,Demo Tantalum Smelter 01\n"
    reference.apply_status_list(notice, "notice.csv", _days_ago(10), bob, kind=ListKind.RMI_SUSPENDED)
    change = FacilityStatusChange.objects.get()

    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{demo.url}/login/?next=/queue/")
        page.fill("input[name=username]", "bob")
        page.fill("input[name=password]", PASSWORD)
        page.click("button.primary")
        page.wait_for_url("**/queue/")
        page.click("#status-changes a:has-text('Demo Tantalum Smelter 01')")
        page.wait_for_url(f"**/status-changes/{change.pk}/")
        assert page.locator("h1 .change").inner_text() == "Suspended"
        # Nothing is wider than the phone's screen: the table scrolls in its card.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width == 1280:
            page.click("button:has-text('Ask the supplier')")
            page.wait_for_selector("text=is asked about Demo Tantalum Smelter 01")
            page.click("button:has-text('Open a corrective action')")
            page.wait_for_selector(f"text=Action #{RiskAction.objects.get().pk} opened for")
        context.close()
    requests[0].refresh_from_db()
    assert requests[0].state == State.FOLLOW_UP
