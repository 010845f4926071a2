"""End to end in a real browser: the supplier opens the link from the outbox, uploads a real CMRT, sees
its findings, drops a corrected file on the page, and an analyst accepts it.

Drives Debian's chromium through Playwright (Playwright's own browser download does not work here).
"""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from fictional_template import build_cmrt
from supplier_requests import make_campaign, make_supplier

from oretrace.rmi.patching import CellWrite, patch_workbook
from oretrace.web.accounts.models import Profile
from oretrace.web.campaigns.models import Request, State
from oretrace.web.outbox.models import OutboundEmail
from samples import CENTRAL_GLASS, shared_file

CHROMIUM = Path(os.environ.get("ORETRACE_CHROMIUM", "/usr/bin/chromium"))

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    if not CHROMIUM.exists() and not shutil.which(str(CHROMIUM)):
        pytest.skip(
            f"chromium not found at {CHROMIUM} (apt-get install -y chromium, or set ORETRACE_CHROMIUM)"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def demo(settings, live_server, monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the ORM calls around it are synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.DEMO = True
    settings.SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return live_server


def test_a_supplier_answers_through_the_link_and_an_analyst_accepts(
    demo, browser, django_user_model, tmp_path
):
    original = shared_file(CENTRAL_GLASS).read_bytes()
    # The same supplier file with its one error (a comma in the contact's e-mail address) corrected.
    corrected = patch_workbook(
        original, [CellWrite(sheet="Declaration", address="D16", value="contact.person1@example.com")]
    )
    analyst = django_user_model.objects.create_user("ana", password="correct horse battery")
    Profile.objects.create(user=analyst, role="analyst")
    campaign = make_campaign()
    campaign.store_blank_template(build_cmrt({}), "RMI_CMRT_6.5.xlsx")  # the file the invitation promises
    campaign.save()
    request = Request.objects.create(campaign=campaign, supplier=make_supplier("cg", "Central Glass Co."))
    request.send(analyst)
    call_command("deliver_outbox", "--once")
    assert OutboundEmail.objects.get(request=request).status == "sent"

    staff = browser.new_context()
    desk = staff.new_page()
    desk.goto(f"{demo.url}/login/?next=/outbox/")
    desk.fill("input[name=username]", "ana")
    desk.fill("input[name=password]", "correct horse battery")
    desk.click("button.primary")
    desk.click("text=Acme Instruments: Conflict Minerals Reporting Template for 2024")
    link = desk.locator("pre.msg a[href*='/p/']").first.get_attribute("href")
    assert link.startswith(f"{demo.url}/p/")

    supplier = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = supplier.new_page()
    page.goto(link)
    assert page.locator("h1").inner_text() == "Acme Instruments asks for your CMRT for 2024"
    page.set_input_files("#file-input", files=[_upload(CENTRAL_GLASS.name, original)])
    page.click("text=Upload and check")
    page.wait_for_url("**/files/1/")
    assert page.locator(".pill.err").inner_text() == "1 problem to correct"
    finding = page.locator("ol.findings li").first
    assert finding.locator(".where").inner_text() == "Declaration!D16"
    assert "An e-mail address in your file cannot be used." in finding.inner_text()  # said to the supplier
    assert "What to do:" in finding.inner_text()

    # The corrected file is dropped on the page (drag and drop), then uploaded.
    page.evaluate(
        """([name, data]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name));
            document.getElementById("drop").dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""",
        ["CG_CMRT_6.4_corrected.xlsx", base64.b64encode(corrected).decode()],
    )
    assert (
        page.evaluate("document.getElementById('file-input').files[0].name") == "CG_CMRT_6.4_corrected.xlsx"
    )
    page.click("text=Upload the corrected file")
    page.wait_for_url("**/files/2/")
    assert page.locator(".pill.ok").inner_text() == "No problems found"

    desk.goto(f"{demo.url}/requests/{request.pk}/")
    desk.click("text=Accept…")
    # The confirmation names the file decided on; the corrected one has no open error, so no reason.
    desk.wait_for_selector("text=Accept version 2")
    assert "CG_CMRT_6.4_corrected.xlsx" in desk.content()
    desk.click("button:has-text('Accept version 2')")
    desk.wait_for_selector("text=file is accepted; the supplier is told")
    supplier.close()
    staff.close()

    request.refresh_from_db()
    assert request.state == State.ACCEPTED
    assert [(s.version, s.filename, s.findings_count) for s in request.submissions.order_by("version")] == [
        (1, CENTRAL_GLASS.name, 1),
        (2, "CG_CMRT_6.4_corrected.xlsx", 0),
    ]
    assert request.submissions.get(version=2).file_bytes() == corrected
    assert list(request.events.values_list("to_state", "by_label")) == [
        ("sent", "ana"),
        ("opened", "supplier via link"),
        ("submitted", "supplier via link"),
        ("submitted", "supplier via link"),
        ("accepted", "ana"),
    ]
    assert OutboundEmail.objects.filter(request=request, template="accepted").count() == 1


def _upload(name: str, data: bytes) -> dict:
    return {
        "name": name,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": data,
    }
