"""The imported CAHRA list: only admins import it, a bad file changes nothing, every import is kept (the
file itself too, which every staff role may download) and the newest by date applies, and a smelter in a
country on it gets the CAHRA red flag on the risk page."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from fictional_template import build_cmrt
from staff_data import campaign_with_suppliers, staff, submitted

from builders import workbook_bytes
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import Facility
from oretrace.web.campaigns.rollup import campaign_rollup
from oretrace.web.risk.models import CahraList

pytestmark = pytest.mark.django_db

CAHRA_FLAG = "is located in Myanmar, on the imported EU CAHRA list (RMI country risk level 3)"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    """Supplier 0 answered and names CID900001, which is located in Myanmar; the rest are in China."""
    alice, bob, vera = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    Facility.objects.filter(smelter_id="CID900001").update(country="Myanmar")
    campaign, requests = campaign_with_suppliers(2)
    submitted(requests[0])
    return {"admin": alice, "analyst": bob, "viewer": vera, "campaign": campaign}


def upload(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def post_list(client, data: bytes, filename: str, as_of: str = "2025-06-30", name: str = "EU CAHRA list"):
    return client.post(
        reverse("risk_cahra"),
        {"file": upload(data, filename), "name": name, "as_of": as_of},
        follow=True,
    )


def test_it_imports_a_plain_text_list_one_country_per_line(client, world):
    client.force_login(world["admin"])
    text = "# EU CAHRA list, indicative\nCountry\nAfghanistan\n\nMyanmar\nCongo, Democratic Republic of the\nmyanmar\n"
    page = post_list(client, text.encode(), "eu-cahra.txt").content.decode()
    imported = CahraList.objects.get()
    assert imported.countries == ["Afghanistan", "Myanmar", "Congo, Democratic Republic of the"]
    assert (imported.name, imported.as_of, imported.filename) == (
        "EU CAHRA list",
        dt.date(2025, 6, 30),
        "eu-cahra.txt",
    )
    assert imported.imported_by == world["admin"]
    assert "EU CAHRA list of 2025-06-30 imported: 3 countries; it applies" in page
    entry = AuditEntry.objects.get(action="risk.cahra_list_imported")
    assert entry.detail == "eu-cahra.txt: 3 countries"


def test_it_reads_the_country_column_of_a_csv_or_a_workbook(client, world):
    client.force_login(world["admin"])
    post_list(client, b"Region,Country\nShan State,Myanmar\nWhole country,Afghanistan\n", "cahra.csv")
    assert CahraList.objects.get(filename="cahra.csv").countries == ["Myanmar", "Afghanistan"]
    data = workbook_bytes(
        [["EU CAHRA indicative list"], [], ["Country name", "Since"], ["Mali", "2021"], ["Haiti"]]
    )
    post_list(client, data, "cahra.xlsx", as_of="2025-07-31")
    assert CahraList.objects.get(filename="cahra.xlsx").countries == ["Mali", "Haiti"]


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (b"Region,Since\nShan State,2021\n", "cahra.csv", 'No header row with a "Country" column'),
        (b" \n\n", "cahra.txt", "The file is empty."),
        (b"# only a comment\n\n", "cahra.txt", "The file names no country."),
        (b"\x00\x01\x02binary" * 20, "cahra.txt", "neither a spreadsheet nor text"),
        (("Myanmar\n" + "x" * 300 + "\n").encode(), "cahra.txt", "Line 2 is longer than 100 characters"),
    ],
)
def test_it_refuses_a_bad_file_and_changes_nothing(client, world, data, filename, reason):
    client.force_login(world["admin"])
    post_list(client, b"Myanmar\n", "first.txt")
    page = html.unescape(post_list(client, data, filename, as_of="2026-01-01").content.decode())
    assert reason in page and "Nothing was changed." in page
    assert list(CahraList.objects.values_list("filename", flat=True)) == ["first.txt"]
    assert AuditEntry.objects.filter(action="risk.cahra_list_imported").count() == 1


def test_viewers_and_analysts_cannot_open_or_import_it(client, world):
    for role in ("viewer", "analyst"):
        client.force_login(world[role])
        assert client.get(reverse("risk_cahra")).status_code == 403
        assert post_list(client, b"Myanmar\n", "cahra.txt").status_code == 403
    assert not CahraList.objects.exists()
    client.logout()
    response = client.get(reverse("risk_cahra"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_smelter_in_a_country_on_the_list_gets_the_cahra_flag(client, world):
    client.force_login(world["admin"])
    risk = reverse("risk", args=[world["campaign"].pk])
    page = client.get(risk).content.decode()
    assert CAHRA_FLAG not in page
    assert "CAHRA: no CAHRA list imported, the Covered Countries only" in page

    post_list(client, b"MYANMAR\nAfghanistan\n", "eu-cahra.txt")  # spelled as the file spells it
    page = client.get(risk).content.decode()
    assert f"Demo Tantalum Smelter 01 (Tantalum, CID900001) {CAHRA_FLAG}" in page
    assert "Located in a CAHRA (RMI level 3)" in page
    assert "is located in China, on the imported" not in page  # the other smelters are not on it
    assert "CAHRA: EU CAHRA list of 2025-06-30 (2 countries, <a" in page
    # The roll-up every document reads marks it too.
    smelters = {s.smelter_id: s for s in campaign_rollup(world["campaign"]).rollup.smelters}
    assert smelters["CID900001"].cahra is True
    assert smelters["CID900007"].cahra is False


def test_earlier_imports_are_kept_and_the_newest_by_date_applies(client, world):
    client.force_login(world["admin"])
    risk = reverse("risk", args=[world["campaign"].pk])
    post_list(client, b"Myanmar\n", "2025.txt", as_of="2025-06-30")
    page = post_list(
        client, b"Afghanistan\n", "2024.txt", as_of="2024-01-31", name="Old list"
    ).content.decode()
    assert "EU CAHRA list of 2025-06-30 is newer and still applies." in page
    assert CAHRA_FLAG in client.get(risk).content.decode()

    post_list(client, b"Afghanistan\nMali\n", "2026.txt", as_of="2026-01-31", name="EU CAHRA list 2026")
    assert list(CahraList.objects.values_list("filename", flat=True)) == ["2026.txt", "2025.txt", "2024.txt"]
    page = client.get(risk).content.decode()
    assert CAHRA_FLAG not in page
    assert "CAHRA: EU CAHRA list 2026 of 2026-01-31 (2 countries, <a" in page
    page = client.get(reverse("risk_cahra")).content.decode()
    assert page.count('<span class="tag">applies</span>') == 1 and "Afghanistan; Mali" in page


def file_link(cahra_list: CahraList, text: str) -> str:
    return f'<a href="{reverse("risk_cahra_file", args=[cahra_list.pk])}">{text}</a>'


def test_the_file_itself_is_kept_and_every_role_downloads_it_byte_for_byte(client, world):
    data = workbook_bytes([["Country", "Since"], ["Myanmar", "2021"], ["Mali", "2021"]])
    client.force_login(world["admin"])
    post_list(client, data, "EU CAHRA list (RAND), June 2025.xlsx")
    imported = CahraList.objects.get()
    assert (imported.size, imported.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert imported.file_bytes() == data
    url = reverse("risk_cahra_file", args=[imported.pk])
    for role in ("admin", "analyst", "viewer"):
        client.force_login(world[role])
        response = client.get(url)
        assert response.status_code == 200, role
        assert response.content == data
        assert response["Content-Type"] == "application/octet-stream"
        assert (
            response["Content-Disposition"] == 'attachment; filename="EU CAHRA list (RAND), June 2025.xlsx"'
        )
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_cahra_page_and_the_risk_page_link_the_file(client, world):
    client.force_login(world["admin"])
    post_list(client, b"Myanmar\n", "eu-cahra.txt")
    imported = CahraList.objects.get()
    page = client.get(reverse("risk_cahra")).content.decode()
    assert f"from {file_link(imported, 'eu-cahra.txt')} (the file as imported)" in page
    assert f"<td>{file_link(imported, 'eu-cahra.txt')} <span" in page
    # Analysts and viewers cannot open the CAHRA page: the risk page is where they find the file.
    client.force_login(world["viewer"])
    page = client.get(reverse("risk", args=[world["campaign"].pk])).content.decode()
    assert f"CAHRA: EU CAHRA list of 2025-06-30 (1 country, {file_link(imported, 'file')})" in page


def test_a_list_imported_before_files_were_kept_still_applies_without_a_download(client, world):
    body = b"Myanmar\n"
    old = CahraList.objects.create(
        name="EU CAHRA list",
        as_of=dt.date(2025, 6, 30),
        countries=["Myanmar"],
        filename="eu-cahra.txt",
        sha256=hashlib.sha256(body).hexdigest(),
    )
    assert old.size is None and not old.has_file
    client.force_login(world["admin"])
    page = client.get(reverse("risk_cahra")).content.decode()
    assert (
        "from eu-cahra.txt</p>" in page
        and 'eu-cahra.txt <span class="muted small">(file not kept)</span>' in page
    )
    assert reverse("risk_cahra_file", args=[old.pk]) not in page
    assert client.get(reverse("risk_cahra_file", args=[old.pk])).status_code == 404
    page = client.get(reverse("risk", args=[world["campaign"].pk])).content.decode()
    assert CAHRA_FLAG in page
    assert "CAHRA: EU CAHRA list of 2025-06-30 (1 country)" in page


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_earlier_lists_as_lists_without_a_file():
    executor = MigrationExecutor(connection)
    before = [("risk", "0002_cahra_list")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("risk", "CahraList").objects.create(
        name="EU CAHRA list",
        as_of=dt.date(2025, 6, 30),
        countries=["Myanmar"],
        filename="a.txt",
        sha256="0" * 64,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # every app at its latest, as the other tests expect
    kept = CahraList.objects.get()
    assert (kept.countries, kept.size, kept.has_file) == (["Myanmar"], None, False)
