"""The API tokens page, the webhooks pages and the API documentation in a browser, at desktop and phone
widths: a token is made and shown once, a webhook added with its secret, and the documentation lists
the API's operations from the schema, with no script from outside this server.

Set ORETRACE_SCREENSHOTS=folder to keep a screenshot of each page at each width.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from staff_data import PASSWORD, campaign_with_suppliers, staff
from test_web_e2e_browser import browser, demo  # noqa: F401  (fixtures)

from oretrace.web.accounts.tokens import ApiToken
from oretrace.web.campaigns.models import State
from oretrace.web.outbox.webhooks import Webhook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"desktop": 1280, "phone": 390}


def shot(page, name: str, width: str) -> None:
    if folder := os.environ.get("ORETRACE_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_an_admin_makes_a_token_adds_a_webhook_and_reads_the_documentation(browser, demo, width):  # noqa: F811
    alice, _, _ = staff()
    _campaign, requests = campaign_with_suppliers(1)
    page = browser.new_page(viewport={"width": WIDTHS[width], "height": 900})
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(demo.url) else None)
    page.goto(f"{demo.url}/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")

    page.goto(f"{demo.url}/api-tokens/")
    page.fill("input[name=name]", "SAP nightly export")
    page.click("text=Make the token")
    token = page.inner_text("[data-token]")
    assert ApiToken.objects.get(user=alice).shown == token[:10]
    shot(page, "api-tokens", width)

    page.goto(f"{demo.url}/webhooks/new/")
    page.fill("input[name=url]", "https://erp.acme.example/hooks")
    page.fill("input[name=description]", "SAP supplier sync")
    page.check("input[value='request.accepted']")
    page.check("input[value='request.response_received']")
    shot(page, "webhook-new", width)
    page.click("text=Add the webhook")
    assert page.inner_text("[data-secret]") == Webhook.objects.get().secret
    shot(page, "webhook-added", width)
    requests[0].transition(State.SENT, "test")
    requests[0].transition(State.DECLINED, "supplier via link")
    page.goto(f"{demo.url}/webhooks/")
    assert "request.response_received" in page.inner_text("table >> nth=1")
    shot(page, "webhooks", width)
    page.click("text=Remove")
    shot(page, "webhook-remove", width)

    page.goto(f"{demo.url}/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/suppliers/upsert/" in [p.strip().replace("\u200b", "") for p in paths]
    shot(page, "api-docs", width)
    assert external == []
