"""The README's ERP script, run as a person would run it: against a live server with an analyst's
token and a CSV export, it upserts suppliers, contacts and parts, and sending it again changes nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from staff_data import staff

from oretrace.web.accounts.tokens import ApiToken
from oretrace.web.suppliers.models import Contact, Supplier, SupplierPart

README = Path(__file__).resolve().parents[2] / "README.md"
EXPORT = """Vendor,Name 1,Country,E-Mail,Contact,Material,Material Description,Vendor Material No.,Plant
100234,Tianma Components Co. Ltd.,CN,li.wei@tianma.example,Li Wei,CAP-10UF,Tantalum capacitor,TM-T10,1000
100234,Tianma Components Co. Ltd.,CN,li.wei@tianma.example,Li Wei,CAP-22UF,Tantalum capacitor,TM-T22,1000
100777,Nordic Metals AB,SE,sales@nordic.example,,SOLDER-1,Tin solder wire,,1000
100999,Atlantis Mining,Atlantis,,,,,,1000
"""


def readme_script() -> str:
    text = README.read_text()
    return re.search(r"<!-- erp-upsert-script -->\n```python\n(.*?)```", text, re.S)[1]


def run(script: Path, export: Path, url: str, token: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ORETRACE_URL": url, "ORETRACE_TOKEN": token}
    return subprocess.run(
        [sys.executable, str(script), str(export)], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.django_db(transaction=True)
def test_the_readme_script_upserts_an_erp_export_through_the_api(live_server, tmp_path):
    _, bob, _ = staff()
    _token, raw = ApiToken.issue(bob, "SAP nightly export", by=bob)
    script, export = tmp_path / "erp_upsert.py", tmp_path / "vendors.csv"
    script.write_text(readme_script())
    export.write_text(EXPORT)

    first = run(script, export, live_server.url, raw)
    assert first.returncode == 1, first.stderr  # one row skipped: its country
    assert first.stdout.splitlines() == [
        "4 rows: 3 imported, 1 skipped. Suppliers: 2 created, 0 updated. "
        "Contacts: 2 created, 0 updated, 0 left out. Part links: 3 added, 0 left out",
        '  line 5, country: "Atlantis" is not a country oretrace knows: write its ISO 3166 code '
        '(DE or DEU) or its English name ("Germany"). (row skipped)',
    ]
    assert sorted(Supplier.objects.values_list("key", "country")) == [
        ("100234", "China"),
        ("100777", "Sweden"),
    ]
    assert Contact.objects.get(supplier__key="100234").name == "Li Wei"
    assert SupplierPart.objects.get(part__number="CAP-22UF").supplier_part_number == "TM-T22"

    again = run(script, export, live_server.url, raw)
    assert "Suppliers: 0 created, 0 updated. Contacts: 0 created, 0 updated" in again.stdout
    assert (Supplier.objects.count(), Contact.objects.count(), SupplierPart.objects.count()) == (2, 2, 3)

    refused = run(script, export, live_server.url, "ot_not-a-token")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "oretrace refused the rows: Unauthorized: "
        "This token is unknown, revoked, or its owner's account is deactivated."
    )
