"""Importing suppliers, contacts and part links from an ERP export: preview, mapping, per-row errors, re-import."""

from __future__ import annotations

import html
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook
from staff_data import staff

from oretrace.web.audit.models import AuditEntry
from oretrace.web.suppliers.models import Contact, Part, Product, Supplier, SupplierPart

pytestmark = pytest.mark.django_db

ERP_CSV = (
    "Vendor No,Vendor Name,Tier,Country,Contact Name,Email,Language,Part Number,Description,Product,Product Line\n"
    "V100,Tianma Components Co.,indirect,China,Li Wei,li.wei@tianma.example,zh,CAP-1,Tantalum capacitor,LE-1,IoT\n"
    "V100,Tianma Components Co.,indirect,China,Li Wei,li.wei@tianma.example,zh,CAP-2,Ceramic capacitor,LE-1,IoT\n"
    "V200,Penang Assembly Sdn Bhd,direct,Malaysia,Anna Tan,anna@penang.example,en,PCB-9,Main board,LE-2,REM\n"
)


@pytest.fixture
def bob(client):
    _, bob, _ = staff()
    client.force_login(bob)
    return bob


def upload(client, data: bytes, name: str):
    return client.post(reverse("supplier_import"), {"file": _file(data, name)})


def preview_url(response) -> str:
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def test_it_previews_then_imports_suppliers_contacts_parts_and_products(client, bob):
    url = preview_url(upload(client, ERP_CSV.encode(), "erp.csv"))
    preview = client.get(url)
    assert preview.status_code == 200
    assert b"3 rows" in preview.content and b"Tianma Components Co." in preview.content
    assert Supplier.objects.count() == 0  # a preview stores nothing
    done = client.post(url)
    assert done.status_code == 200
    tianma = Supplier.objects.get(key="V100")
    assert (tianma.name, tianma.tier, tianma.country) == ("Tianma Components Co.", "indirect", "China")
    contact = tianma.contacts.get()
    assert (contact.email, contact.language, contact.is_primary) == ("li.wei@tianma.example", "zh-hans", True)
    assert sorted(tianma.supplier_parts.values_list("part__number", flat=True)) == ["CAP-1", "CAP-2"]
    assert Supplier.objects.get(key="V200").tier == "direct"
    assert Product.objects.get(number="LE-2").product_line.name == "REM"
    assert AuditEntry.objects.filter(action="suppliers.imported").count() == 1


def test_it_updates_on_reimport_and_never_duplicates(client, bob):
    client.post(preview_url(upload(client, ERP_CSV.encode(), "erp.csv")))
    changed = ERP_CSV.replace("Tianma Components Co.,indirect", "Tianma Components Co. Ltd,direct")
    client.post(preview_url(upload(client, changed.encode(), "erp-again.csv")))
    assert Supplier.objects.count() == 2
    assert Contact.objects.count() == 2
    assert SupplierPart.objects.count() == 3
    tianma = Supplier.objects.get(key="V100")
    assert (tianma.name, tianma.tier) == ("Tianma Components Co. Ltd", "direct")


def test_it_reports_a_malformed_row_and_it_changes_nothing(client, bob):
    client.post(preview_url(upload(client, ERP_CSV.encode(), "erp.csv")))
    bad = (
        "Vendor No,Vendor Name,Tier,Email\n"
        "V100,Renamed By Mistake,sideways,not-an-email\n"
        ",Nameless row,direct,x@y.example\n"
        "V300,Good New Supplier,indirect,good@new.example\n"
    )
    url = preview_url(upload(client, bad.encode(), "bad.csv"))
    preview = html.unescape(client.get(url).content.decode())
    assert 'The tier "sideways" is neither direct nor indirect.' in preview
    assert '"not-an-email" is not an e-mail address.' in preview
    assert "The supplier number is empty." in preview
    done = client.post(url).content.decode()
    assert "2 row(s) with problems skipped" in done
    assert Supplier.objects.get(key="V100").name == "Tianma Components Co."  # untouched
    assert Supplier.objects.get(key="V300").name == "Good New Supplier"
    assert Supplier.objects.count() == 3


def test_it_reads_xlsx_and_lets_the_analyst_map_columns(client, bob):
    book = Workbook()
    sheet = book.active
    sheet.append(["Supplier code", "Firm", "Where"])
    sheet.append(["S-1", "Kyoei Crystal Ltd.", "Japan"])
    sheet.append([42, "Numbered Supplier", "Korea, Republic of"])
    out = io.BytesIO()
    book.save(out)
    url = preview_url(upload(client, out.getvalue(), "bom.xlsx"))
    # "Firm" and "Where" are not words oretrace knows: the analyst maps them.
    response = client.get(
        url, {"mapped": "1", "map_supplier_key": "0", "map_supplier_name": "1", "map_country": "2"}
    )
    assert b"Kyoei Crystal Ltd." in response.content
    client.post(url, {"map_supplier_key": "0", "map_supplier_name": "1", "map_country": "2"})
    assert Supplier.objects.get(key="S-1").country == "Japan"
    assert Supplier.objects.get(key="42").name == "Numbered Supplier"  # 42.0 from Excel is "42"


def test_it_explains_a_file_that_is_not_a_supplier_list(client, bob):
    response = client.post(
        reverse("supplier_import"), {"file": _file(b"\x00\x01binary junk" * 50, "junk.csv")}
    )
    assert response.status_code == 200
    assert "neither a spreadsheet nor text" in response.content.decode()
    response = client.post(reverse("supplier_import"), {"file": _file(b"a,b,c\n1,2,3\n", "other.csv")})
    assert "No header row with a supplier number or supplier name column" in response.content.decode()
    assert Supplier.objects.count() == 0 and Part.objects.count() == 0


def _file(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_it_forgets_nothing_it_did_not_upload(client, bob):
    assert client.get(reverse("supplier_import_preview", args=["f" * 64])).status_code == 404


def test_control_characters_in_an_erp_export_are_dropped_from_the_names_stored(client, bob):
    # An ERP export is text a person did not type but is as foreign: it reaches every XLSX export.
    url = preview_url(
        upload(client, ERP_CSV.replace("Tianma Components Co.", "Tianma\x01 Components").encode(), "erp.csv")
    )
    assert client.post(url).status_code == 200
    assert Supplier.objects.get(key="V100").name == "Tianma Components"
