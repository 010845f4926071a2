"""The retention pages in a real browser: an admin reads what the purge would delete, holds a supplier,
and erases a contact's data after the confirmation; each page is photographed at desktop and phone
width (into ORETRACE_SCREENSHOTS when set, for a person to look at).

Drives Debian's chromium through Playwright, as test_web_e2e_browser does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from retention_data import old_campaign
from staff_data import PASSWORD, make_user
from test_web_e2e_browser import browser, demo  # noqa: F401  (fixtures)

from oretrace.web.accounts.models import Role
from oretrace.web.retention.models import LegalHold
from oretrace.web.suppliers.models import Contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}


def test_an_admin_holds_a_supplier_and_erases_a_contact_in_the_browser(demo, browser, tmp_path):  # noqa: F811
    shots = Path(os.environ.get("ORETRACE_SCREENSHOTS", tmp_path))
    make_user("alice", Role.ADMIN)
    _campaign, requests = old_campaign(2)
    contact = Contact.objects.get(supplier=requests[1].supplier, email="rep1@s1.example")
    pages = {}
    for device, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{demo.url}/login/?next=/retention/")
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("button.primary")
        page.wait_for_url("**/retention/")
        pages[device] = page

    def photograph(name: str) -> None:
        for device, page in pages.items():
            page.goto(f"{demo.url}{name}") if name.startswith("/") else None
            page.screenshot(
                path=str(shots / f"{name.strip('/').replace('/', '-') or 'page'}-{device}.png"),
                full_page=True,
            )

    desk = pages["desktop"]
    assert "2 answers (2 files), 1 package" in desk.inner_text("main")
    photograph("/retention/")
    photograph("/retention/periods/")
    photograph("/retention/holds/new/")

    desk.goto(f"{demo.url}/retention/holds/new/")
    desk.fill("input[name=supplier]", "V000")
    desk.fill("textarea[name=reason]", "Customs inquiry about the 2018 tin.")
    desk.click("button:has-text('Place the hold')")
    desk.wait_for_url("**/retention/")
    assert "The records of Supplier 0 are held" in desk.inner_text("main")
    assert "1 answer (1 file), 0 packages" in desk.inner_text("main")
    hold = LegalHold.objects.get()
    photograph("/retention/")
    photograph(f"/retention/holds/{hold.pk}/release/")

    erase = f"/suppliers/{contact.supplier_id}/contacts/{contact.pk}/erase/"
    photograph(erase)
    desk.goto(f"{demo.url}/suppliers/{contact.supplier_id}/")
    desk.click(f"a[href='{erase}']")
    desk.click("button:has-text('Erase personal data')")
    desk.wait_for_url(f"**/suppliers/{contact.supplier_id}/")
    assert f"Erased contact {contact.pk}" in desk.inner_text("main")
    photograph(f"/suppliers/{contact.supplier_id}/")
    assert Contact.objects.get(pk=contact.pk).email == f"erased-contact-{contact.pk}@erased.invalid"
