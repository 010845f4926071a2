"""The import preview of a wide ERP export fits the page in a real browser: the rows table scrolls
inside its own box, a long cell wraps, and the page itself never scrolls sideways.

Drives Debian's chromium through Playwright, as test_web_e2e_browser does.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook
from staff_data import PASSWORD, make_user

CHROMIUM = Path(os.environ.get("ORETRACE_CHROMIUM", "/usr/bin/chromium"))

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = [
    "Vendor No.", "Vendor Name", "Street", "City", "Postal Code", "Country Key", "Tier", "Purchasing Group",
    "Buyer", "Contact Person", "E-Mail", "Telephone", "Language", "Material", "Material Description",
    "Vendor Part No", "MPN", "Plant", "Product", "Product Name", "Product Line", "Lead Time (days)",
    "Currency", "Payment Terms", "Remarks",
]  # fmt: skip


def wide_export() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for n in range(6):
        sheet.append(
            [
                f"10023{n}",
                "Shenzhen Huaqiang Electronic Components Manufacturing Co., Ltd. (Futian District Branch)",
                "Huaqiang North Road 1019, Electronics Market Building A, 12th Floor",
                "Shenzhen",
                "518031",
                ["CN", "DEU", "United States", "Narnia", "KOREA, REPUBLIC OF", "Vietnam"][n],
                "indirect",
                "P01",
                "ana",
                "Li Wei; Wang Fang",
                "li.wei@hq-components.example;wang.fang@hq-components.example;compliance-officer@hq.example"
                + (
                    ";conflictmineralscompliancedepartmentsharedmailboxforallcmrtrequests@@hq"
                    if n == 2
                    else ""
                ),
                "+86 755 8321 0000",
                "zh",
                f"CAP-1004{n}",
                "Tantalum capacitor 10uF 16V case B, AEC-Q200 qualified, tape & reel",
                f"HQ-CAP-1004{n}-TR",
                f"MPN-99{n}",
                "1000",
                f"LE-{n}",
                "Edge gateway, industrial IoT",
                "IoT gateways",
                42,
                "USD",
                "Net 60 days end of month",
                "CMRT at https://supplier-portal.hq-components.example/compliance/conflict-minerals/CMRT_6.5_final.xlsx",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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


def test_the_preview_of_a_wide_export_fits_the_page(live_server, browser, monkeypatch, tmp_path):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    make_user("ana", "analyst")
    export = tmp_path / "vendor-materials.xlsx"
    export.write_bytes(wide_export())
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    page.goto(f"{live_server.url}/login/?next=/suppliers/import/")
    page.fill("input[name=username]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.set_input_files("input[type=file]", str(export))
    page.click("button.primary")
    page.wait_for_selector("table.importrows")
    assert page.locator("button.primary").inner_text() == "Import 5 of 6 rows"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1000  # the page never scrolls sideways
    rows_box = page.locator(".scroll.rows").evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert rows_box[0] > rows_box[1]  # the wide table scrolls inside its box
    widths = page.evaluate("[...document.querySelectorAll('table.importrows .cell')].map(c => c.offsetWidth)")
    assert len(widths) == 6 * 16 and max(widths) <= 18 * 16  # 16 columns mapped; long cells wrap at 18rem
    problems_box = page.locator("table.importproblems").evaluate(
        "e => [e.parentElement.scrollWidth, e.parentElement.clientWidth]"
    )
    assert problems_box[0] <= problems_box[1]  # the problems fit without scrolling
