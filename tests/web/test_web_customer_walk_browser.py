"""A customer's request in a real browser, end to end (issue 14 B): registered for three of their part
numbers, their list imported, the answer prepared, its derivations reviewed, the file downloaded and read
back exactly, and the answer sent; once ours changes, listed with the reason, marked as needing an update
and judged by the analyst to still hold; every page of the walk also fits a phone's width (390 px).

Drives Debian's chromium through Playwright, as test_web_e2e_browser does. With ORETRACE_SCREENSHOTS set
to a folder, each step is kept there at 1280 and 390 px for a person to look at.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from customer_data import answering_world
from staff_data import PASSWORD
from test_web_e2e_browser import browser, demo  # noqa: F401  (fixtures)

from oretrace.rmi import read_template
from oretrace.web.customers.models import CustomerAnswer, CustomerRequest
from oretrace.web.suppliers.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THEIR_LIST = b"Customer part number,Supplier part number,Description\nBC-1,P-000,Capacitor\nBC-2,P-001,\nBC-3,P-002,Board\n"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _declarations_in_tmp(settings, tmp_path):
    settings.DECLARATIONS_DIR = tmp_path / "declarations"


def look(browser, desk, name: str) -> None:  # noqa: F811
    """The page as the analyst sees it, and on a phone: nothing wider than the phone's screen."""
    phone = browser.new_context(viewport=PHONE, storage_state=desk.context.storage_state())
    small = phone.new_page()
    small.goto(desk.url)
    overflow = small.evaluate("document.documentElement.scrollWidth")
    kept = os.environ.get("ORETRACE_SCREENSHOTS")
    if kept:
        Path(kept).mkdir(parents=True, exist_ok=True)
        desk.screenshot(path=f"{kept}/{name}-1280.png", full_page=True)
        small.screenshot(path=f"{kept}/{name}-390.png", full_page=True)
    phone.close()
    assert overflow <= PHONE["width"], f"{name} is {overflow} px wide on a phone"


def test_a_request_for_three_part_numbers_is_answered_downloaded_read_back_and_sent(
    demo,  # noqa: F811
    browser,  # noqa: F811
):
    world = answering_world()
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    desk = staff.new_page()
    desk.goto(f"{demo.url}/login/?next=/customers/")
    desk.fill("input[name=username]", world["analyst"].username)
    desk.fill("input[name=password]", PASSWORD)
    desk.click("button.primary")
    desk.wait_for_url("**/customers/")
    look(browser, desk, "1-register")

    # Registered: a CMRT 6.5 for their part numbers, due in June, answered by e-mail.
    desk.goto(f"{demo.url}/customers/new/")
    look(browser, desk, "2-new-request")
    desk.fill("input[name=customer_name]", "Big Co")
    desk.fill("input[name=contact_name]", "Pat Buyer")
    desk.fill("input[name=contact_email]", "pat@bigco.example")
    desk.select_option("select[name=template_kind]", "CMRT")
    desk.fill("input[name=template_version]", "6.5")
    desk.select_option("select[name=scope]", "products")
    desk.fill("input[name=due_date]", "2026-06-30")
    desk.select_option("select[name=channel]", "email")
    desk.click("form button.primary")
    desk.wait_for_selector("text=Their part numbers (0)")
    request = CustomerRequest.objects.get()
    assert (request.customer.name, request.scope, request.status) == ("Big Co", "products", "received")

    # Their list imported: three part numbers, each mapped to our part and its supplier.
    desk.set_input_files(
        "form[action$='/parts/'] input[type=file]",
        files=[{"name": "bigco.csv", "mimeType": "text/csv", "buffer": THEIR_LIST}],
    )
    desk.click("button:has-text('Import their list')")
    desk.wait_for_selector("text=3 part numbers imported from bigco.csv.")
    assert "Their part numbers (3)" in desk.content()
    look(browser, desk, "3-parts-imported")

    # Prepared: the derivations are on the page with their reasons.
    desk.click("button:has-text('Prepare the answer')")
    desk.wait_for_selector("text=The answer is prepared")
    derivations = desk.locator("section:has(h2:has-text('The answers it gets now, and why'))").inner_text()
    assert "Q1\tTantalum\tYes" in derivations
    assert "From 2 supplier files: Supplier 0, Supplier 1" in derivations
    look(browser, desk, "4-prepared")
    answer = CustomerAnswer.objects.get()

    # Downloaded: the file is the one kept, and reads back as the product-level CMRT 6.5 asked for.
    with desk.expect_download() as downloading:
        desk.click(f"a:has-text('{answer.filename}')")
    data = Path(downloading.value.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == answer.sha256
    back = read_template(data)
    assert (back.version, back.scope, back.company.name.value) == ("6.5", "B", "Acme Instruments")
    assert [(p.number, p.name, p.comments) for p in back.products] == [
        ("BC-1", "Capacitor", "Our part number P-000"),
        ("BC-2", "Tantalum capacitor", "Our part number P-001"),
        ("BC-3", "Board", "Our part number P-002"),
    ]
    assert back.answers["Tantalum"]["Q1"].value == "Yes"

    # Sent: through the outbox, with the file attached; the register lists it as sent.
    desk.click("button:has-text('Send by e-mail')")
    desk.wait_for_selector("text=is queued to pat@bigco.example in the outbox")
    request.refresh_from_db()
    answer.refresh_from_db()
    assert request.status == "sent" and answer.sent_via == "email"
    look(browser, desk, "5-sent")
    desk.goto(f"{demo.url}/customers/?status=sent")
    assert "Big Co" in desk.locator("table").inner_text()
    look(browser, desk, "6-register-sent")

    # Our answer changes (a new policy address): the customer is listed with the reason, marked, and the
    # analyst judges that the sent answer still holds.
    Organisation.objects.update(policy_url="https://acme.example/responsible-minerals")
    desk.goto(f"{demo.url}/customers/updates/")
    assert (
        "policy URL: https://acme.example/policy → https://acme.example/responsible-minerals"
        in desk.locator("table").inner_text()
    )
    look(browser, desk, "7-updates")
    desk.click("button:has-text('Mark 1 as needing an update')")
    desk.wait_for_selector("text=1 request marked as needing an update.")
    desk.goto(f"{demo.url}/customers/{request.pk}/")
    assert "Our answer changed since it was sent" in desk.content()
    look(browser, desk, "7-needs-update")
    desk.goto(f"{demo.url}/customers/updates/")
    desk.click("button:has-text('It still holds')")
    desk.wait_for_selector("text=judged to still hold")
    request.refresh_from_db()
    assert request.status == "sent"
    desk.goto(f"{demo.url}/customers/templates/")
    look(browser, desk, "8-templates")
    staff.close()
