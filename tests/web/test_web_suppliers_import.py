"""Importing suppliers, contacts and part links from an ERP export: preview, mapping, per-row errors, re-import."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from openpyxl import Workbook
from staff_data import staff

from oretrace.web.audit.models import AuditEntry
from oretrace.web.suppliers import imports
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


def plan_digest(client, url: str, mapping: dict | None = None) -> str:
    """The plan the preview's import button carries (the import refuses a stale one)."""
    page = client.get(url, {"mapped": "1", **mapping} if mapping else None).content.decode()
    return re.search(r'name="plan" value="([0-9a-f]+)"', page)[1]


def import_file(client, data: bytes, name: str):
    """Upload, look at the preview, press its import button: as an analyst does."""
    url = preview_url(upload(client, data, name))
    return client.post(url, {"plan": plan_digest(client, url)})


def test_it_previews_then_imports_suppliers_contacts_parts_and_products(client, bob):
    url = preview_url(upload(client, ERP_CSV.encode(), "erp.csv"))
    preview = client.get(url)
    assert preview.status_code == 200
    assert b"3 rows" in preview.content and b"Tianma Components Co." in preview.content
    assert Supplier.objects.count() == 0  # a preview stores nothing
    done = client.post(url, {"plan": plan_digest(client, url)})
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
    import_file(client, ERP_CSV.encode(), "erp.csv")
    changed = ERP_CSV.replace("Tianma Components Co.,indirect", "Tianma Components Co. Ltd,direct")
    import_file(client, changed.encode(), "erp-again.csv")
    assert Supplier.objects.count() == 2
    assert Contact.objects.count() == 2
    assert SupplierPart.objects.count() == 3
    tianma = Supplier.objects.get(key="V100")
    assert (tianma.name, tianma.tier) == ("Tianma Components Co. Ltd", "direct")


def test_it_reports_a_malformed_row_and_it_changes_nothing(client, bob):
    import_file(client, ERP_CSV.encode(), "erp.csv")
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
    done = html.unescape(client.post(url, {"plan": plan_digest(client, url)}).content.decode())
    assert "3 rows: 1 imported, 2 skipped." in done
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
    mapping = {"map_supplier_key": "0", "map_supplier_name": "1", "map_country": "2"}
    client.post(url, {**mapping, "plan": plan_digest(client, url, mapping)})
    assert Supplier.objects.get(key="S-1").country == "Japan"
    assert Supplier.objects.get(key="42").country == "Korea, Republic of"
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
    assert client.post(url, {"plan": plan_digest(client, url)}).status_code == 200
    assert Supplier.objects.get(key="V100").name == "Tianma Components"


# --- the counts are true --------------------------------------------------------------------------
# Ten rows: 4 imported whole, 2 imported without what has a problem, 4 skipped for their supplier.
MIXED_CSV = (
    "Vendor No,Vendor Name,Tier,Country,Contact Person,E-mail,Part No.,Vendor Part No\n"
    "V1,Alpha Metals,direct,DE,Anna Alpha,anna@alpha.example,P-1,A-1\n"  # 2: whole
    "V1,Alpha Metals,direct,DE,,,P-2,A-2\n"  # 3: whole
    'V2,Beta Tin,indirect,USA,,"ben@beta.example; not-an-address",P-3,B-3\n'  # 4: without a contact
    "V3,Gamma Gold,indirect,Narnia,Gil,gil@gamma.example,P-4,\n"  # 5: skipped, country
    "V4,Delta Wire,sideways,CN,,dee@delta.example,P-5,\n"  # 6: skipped, tier
    ",No Number Ltd,direct,JP,,,P-6,\n"  # 7: skipped, no supplier number
    "V5,Epsilon Caps,indirect,Japan,,eps@epsilon.example,,E-7\n"  # 8: without its part link
    "V6,Zeta Boards,direct,KR,Zed,zed@zeta.example,P-8,Z-8\n"  # 9: whole
    "V7,Eta Cable,indirect,Viet Nam,,,P-9,\n"  # 10: whole
    "V3,,indirect,,,,P-10,\n"  # 11: skipped, V3 is new (row 5 was skipped) and has no name
)


def test_the_button_says_what_the_import_does_and_the_result_says_it_again(client, bob):
    url = preview_url(upload(client, MIXED_CSV.encode(), "mixed.csv"))
    preview = html.unescape(client.get(url).content.decode())
    said = "10 rows: 6 imported (2 of them without a contact or part link that has a problem), 4 skipped."
    assert said in preview
    assert re.search(r"Import 6 of 10 rows</button>\s*<span class=\"muted\">and skip 4</span>", preview)
    done = html.unescape(client.post(url, {"plan": plan_digest(client, url)}).content.decode())
    assert said in done
    assert sorted(Supplier.objects.values_list("key", flat=True)) == ["V1", "V2", "V5", "V6", "V7"]
    assert sorted(Contact.objects.values_list("email", flat=True)) == [
        "anna@alpha.example",
        "ben@beta.example",
        "eps@epsilon.example",
        "zed@zeta.example",
    ]
    assert sorted(SupplierPart.objects.values_list("part__number", flat=True)) == [
        "P-1",
        "P-2",
        "P-3",
        "P-8",
        "P-9",
    ]
    counts = re.sub(
        r"\s+", " ", re.search(r'<table class="grid compact importcounts">(.*?)</table>', done, re.S)[1]
    )
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", counts)
    assert cells == ["Suppliers", "5", "0", "–", "Contacts", "4", "0", "1", "Part links", "5", "–", "1"]
    entry = AuditEntry.objects.get(action="suppliers.imported")
    assert entry.detail.startswith(f"mixed.csv: {said}")


def test_a_row_lists_every_problem_each_under_its_field(client, bob):
    rows = imports.check_rows(
        *_table_and_mapping(
            "Vendor No,Vendor Name,Tier,Country,Buyer,E-mail,Language,Primary\n"
            "V9,,sideways,Atlantis,nobody,not-an-email,klingon,perhaps\n"
        )
    )
    assert [(r.number, p.field, p.leaves_out) for r in rows for p in r.problems] == [
        (2, "supplier_name", "row"),
        (2, "tier", "row"),
        (2, "country", "row"),
        (2, "internal_owner", "row"),
        (2, "contact_language", "contact"),
        (2, "contact_primary", "contact"),
        (2, "contact_email", "contact"),
    ]
    url = preview_url(
        upload(client, b"Vendor No,Vendor Name,Tier,Country\nV9,,sideways,Atlantis\n", "bad.csv")
    )
    page = html.unescape(client.get(url).content.decode())
    assert '<td class="num" rowspan="3">2</td><td rowspan="3">V9</td>' in page
    for label, column, message in (
        ("Supplier name", "Vendor Name", "Supplier V9 is new and has no name."),
        ("Tier (direct / indirect)", "Tier", 'The tier "sideways" is neither direct nor indirect.'),
        ("Country", "Country", '"Atlantis" is not a country oretrace knows'),
    ):
        assert re.search(
            rf'<td>{re.escape(label)} <span class="muted">\({column}\)</span></td><td class="error">{re.escape(message)}',
            page,
        ), label
    assert "Nothing to import: every row has a problem with its supplier." in page
    assert "Import 0" not in page


# --- several contacts in a cell -------------------------------------------------------------------
def test_several_contacts_in_a_cell_are_each_checked_and_a_bad_one_does_not_drop_the_supplier(client, bob):
    book = Workbook()
    sheet = book.active
    sheet.append(["Supplier Code", "Supplier Name", "Contact Person", "Email Address"])
    sheet.append(
        [
            "T1",
            "Tianma Components",
            "",
            'Li Wei <li.wei@tianma.example>, "Tan, Anna" <anna.tan@tianma.example>; not-an-address\n'
            "qa@tianma.example",
        ]
    )
    sheet.append(["T2", "Two Names Ltd", "Wang Fang; Zhang Min", "wang@two.example; zhang@two.example"])
    sheet.append(["T3", "One Name Ltd", "Kim Ji-woo", "kim@one.example, sales@one.example"])
    out = io.BytesIO()
    book.save(out)
    rows = imports.check_rows(
        imports.read_rows(out.getvalue(), "c.xlsx"), _mapping_of(out.getvalue(), "c.xlsx")
    )
    assert [(p.field, p.message) for p in rows[0].problems] == [
        ("contact_email", '"not-an-address" is not an e-mail address.')
    ]
    import_file(client, out.getvalue(), "contacts.xlsx")
    assert _contacts("T1") == [
        ("Li Wei", "li.wei@tianma.example", True),
        ("Tan, Anna", "anna.tan@tianma.example", False),
        ("", "qa@tianma.example", False),
    ]
    assert _contacts("T2") == [
        ("Wang Fang", "wang@two.example", True),
        ("Zhang Min", "zhang@two.example", False),
    ]
    # One name for two addresses belongs to the first: the person, then the shared mailbox.
    assert _contacts("T3") == [("Kim Ji-woo", "kim@one.example", True), ("", "sales@one.example", False)]
    # The same file again changes nothing and duplicates nothing.
    done = html.unescape(import_file(client, out.getvalue(), "contacts.xlsx").content.decode())
    assert Contact.objects.count() == 7
    assert '<td>Contacts</td><td class="num">0</td><td class="num">0</td><td class="num">1</td>' in done


def test_names_that_do_not_pair_with_the_addresses_leave_the_contacts_out_not_the_supplier(client, bob):
    csv = (
        "Vendor No,Vendor Name,Contact Person,E-mail,Part No.\n"
        'V1,Alpha Metals,"Ann; Bob; Cy","ann@alpha.example; bob@alpha.example",P-1\n'
    )
    done = html.unescape(import_file(client, csv.encode(), "pairs.csv").content.decode())
    assert (
        '3 names for 2 e-mail addresses: write one per address, in the same order, separated by ";".' in done
    )
    assert (
        "1 row: 1 imported (1 of them without a contact or part link that has a problem), 0 skipped." in done
    )
    alpha = Supplier.objects.get(key="V1")
    assert alpha.contacts.count() == 0
    assert list(alpha.supplier_parts.values_list("part__number", flat=True)) == ["P-1"]


def test_a_contact_left_out_is_counted_once_and_not_when_another_row_imports_it(client, bob):
    csv = (
        "Vendor No,Vendor Name,E-mail,Language,Part No.\n"
        'V1,Alpha,"quality team; a@alpha.example",en,P-1\n'
        'V1,Alpha,"quality team; a@alpha.example",en,P-2\n'
        "V2,Beta,b@beta.example,klingon,P-3\n"
        "V2,Beta,b@beta.example,en,P-4\n"
    )
    done = html.unescape(import_file(client, csv.encode(), "twice.csv").content.decode())
    assert (
        "4 rows: 4 imported (3 of them without a contact or part link that has a problem), 0 skipped." in done
    )
    assert '<td>Contacts</td><td class="num">2</td><td class="num">0</td><td class="num">1</td>' in done
    assert sorted(Contact.objects.values_list("email", flat=True)) == ["a@alpha.example", "b@beta.example"]


# --- countries ------------------------------------------------------------------------------------
def test_countries_are_stored_by_their_iso_short_name_and_an_unknown_one_is_named(client, bob):
    csv = (
        "Vendor No,Vendor Name,Country Code\n"
        "V1,One,DE\nV2,Two,DEU\nV3,Three,United States\nV4,Four,USA\nV5,Five,US\n"
        'V6,Six,"KOREA, REPUBLIC OF"\nV7,Seven,Vietnam\nV8,Eight,Korea\n'
    )
    url = preview_url(upload(client, csv.encode(), "countries.csv"))
    page = html.unescape(client.get(url).content.decode())
    assert "DE → Germany" in page and "US → United States of America" in page
    assert (
        '"Korea" is not a country oretrace knows: write its ISO 3166 code (DE or DEU) or its English name ("Germany").'
        in page
    )
    client.post(url, {"plan": plan_digest(client, url)})
    assert dict(Supplier.objects.values_list("key", "country")) == {
        "V1": "Germany",
        "V2": "Germany",
        "V3": "United States of America",
        "V4": "United States of America",
        "V5": "United States of America",
        "V6": "Korea, Republic of",
        "V7": "Viet Nam",
    }


# --- headers from ERP exports ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "headers"),
    [
        (
            "supplier_key",
            ["Vendor No", "Vendor No.", "Vendor #", "Supplier Code", "Lieferant", "Kreditor", "供应商编码"],
        ),
        ("supplier_name", ["Vendor Name", "Supplier Name", "Name 1", "Lieferantenname", "供应商名称"]),
        ("country", ["Country", "Country Code", "Country Key", "Country/Region", "Land", "国家"]),
        ("contact_name", ["Contact Person", "Contact Name", "Ansprechpartner", "联系人"]),
        ("contact_email", ["E-mail", "Email Address", "E-Mail-Adresse", "Contact E-Mail", "邮箱"]),
        ("contact_phone", ["Telephone", "Phone No.", "Tel.", "电话"]),
        ("part_number", ["Part No.", "Part #", "Material", "Item No.", "Materialnummer", "物料编码"]),
        (
            "supplier_part_number",
            [
                "Vendor Part No",
                "MPN",
                "Manufacturer Part Number",
                "Mfr. Part No.",
                "Vendor P/N",
                "Vendor Material Number",
            ],
        ),
        ("part_description", ["Description", "Material Description", "Bezeichnung"]),
        ("product_number", ["Product", "Parent Item", "Assembly", "Product No."]),
    ],
)
def test_common_erp_headers_are_mapped(field, headers):
    for header in headers:
        assert imports.guess_mapping(["Something else", header])[field] == 1, header


def test_no_header_means_two_fields():
    seen: dict[str, str] = {}
    for name, (_label, words) in imports.FIELDS.items():
        for word in words:
            assert imports.header_words(word) == word, word  # listed as header_words reads a header
            assert seen.setdefault(word, name) == name, word


def test_a_file_with_our_part_number_and_the_vendors_maps_each(client, bob):
    headers = ["Vendor No.", "Vendor Name", "Material", "Vendor Part No", "MPN", "E-Mail", "Contact Person"]
    mapping = imports.guess_mapping(headers)
    assert {f: headers[i] for f, i in mapping.items() if i is not None} == {
        "supplier_key": "Vendor No.",
        "supplier_name": "Vendor Name",
        "part_number": "Material",
        "supplier_part_number": "Vendor Part No",
        "contact_email": "E-Mail",
        "contact_name": "Contact Person",
    }


# --- nothing half-imported ------------------------------------------------------------------------
def test_an_import_whose_preview_is_stale_imports_nothing_and_shows_the_new_counts(client, bob):
    url = preview_url(upload(client, b"Vendor No,Vendor Name\nV100,\nV200,Two\n", "stale.csv"))
    digest = plan_digest(client, url)  # V100 is new and nameless: 1 imported, 1 skipped
    Supplier.objects.create(key="V100", name="Created meanwhile")
    page = html.unescape(client.post(url, {"plan": digest}).content.decode())
    assert "The suppliers changed since this preview was made" in page
    assert "2 rows: 2 imported, 0 skipped." in page
    assert not Supplier.objects.filter(key="V200").exists()
    assert not AuditEntry.objects.filter(action="suppliers.imported").exists()


def test_an_import_the_database_refuses_writes_nothing_and_says_so(client, bob, monkeypatch):
    from django.db import IntegrityError

    written = []

    def refuse_the_second(row, *args):
        if written:
            raise IntegrityError("duplicate key value violates unique constraint")
        written.append(row)
        apply_one(row, *args)

    apply_one = imports._apply
    monkeypatch.setattr(imports, "_apply", refuse_the_second)
    response = import_file(client, ERP_CSV.encode(), "erp.csv")
    assert response.status_code == 200
    assert "The database refused the import, and nothing was imported." in html.unescape(
        response.content.decode()
    )
    assert Supplier.objects.count() == 0 and Contact.objects.count() == 0
    assert not AuditEntry.objects.filter(action="suppliers.imported").exists()


def _table_and_mapping(csv: str):
    table = imports.read_rows(csv.encode(), "t.csv")
    return table, imports.guess_mapping(table.headers)


def _mapping_of(data: bytes, name: str):
    return imports.guess_mapping(imports.read_rows(data, name).headers)


def _contacts(key: str) -> list[tuple[str, str, bool]]:
    return [(c.name, c.email, c.is_primary) for c in Supplier.objects.get(key=key).contacts.order_by("pk")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_names_existing_countries_as_the_import_does_and_logs_each_change():
    executor = MigrationExecutor(connection)
    before = [("suppliers", "0001_initial")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("suppliers", "Supplier")
    for key, country in (("V1", "DE"), ("V2", "United States"), ("V3", "China"), ("V4", "Korea"), ("V5", "")):
        old.objects.create(key=key, name=f"Supplier {key}", country=country)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # every app at its latest, as the other tests expect
    assert dict(Supplier.objects.values_list("key", "country")) == {
        "V1": "Germany",
        "V2": "United States of America",
        "V3": "China",
        "V4": "Korea",  # names two countries: left as it is
        "V5": "",
    }
    assert sorted(
        AuditEntry.objects.filter(action="supplier.country_normalised").values_list("detail", flat=True)
    ) == [
        "V1: DE → Germany",
        "V2: United States → United States of America",
    ]


def test_the_supplier_form_stores_a_country_as_the_import_does(client, bob):
    client.post(
        reverse("supplier_new"),
        {"key": "V1", "name": "One", "tier": "direct", "country": "usa", "active": "on"},
    )
    assert Supplier.objects.get(key="V1").country == "United States of America"
    response = client.post(
        reverse("supplier_new"),
        {"key": "V2", "name": "Two", "tier": "direct", "country": "Narnia", "active": "on"},
    )
    assert '"Narnia" is not a country oretrace knows' in html.unescape(response.content.decode())
    assert not Supplier.objects.filter(key="V2").exists()
