"""Every download is named in its Content-Disposition the same way: RFC 6266, with RFC 5987's filename*=
for a name that is not ASCII, so that 证据.pdf arrives as 证据.pdf and not as =?utf-8?b?…?= or mojibake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.urls import reverse
from staff_data import campaign_with_suppliers, cmrt_bytes, staff

import oretrace.web
from oretrace.web.downloads import attachment
from oretrace.web.risk.models import RiskAction

pytestmark = pytest.mark.django_db

EVIDENCE = "证据.pdf"
EVIDENCE_HEADER = "attachment; filename*=utf-8''%E8%AF%81%E6%8D%AE.pdf"


@pytest.fixture
def world(client):
    _alice, bob, vera = staff()
    campaign, [request] = campaign_with_suppliers(1)
    client.force_login(vera)
    return {"analyst": bob, "campaign": campaign, "request": request}


def test_an_ascii_name_is_quoted_and_a_chinese_one_is_percent_encoded():
    assert (
        attachment(b"x", "CMRT 2025.xlsx")["Content-Disposition"] == 'attachment; filename="CMRT 2025.xlsx"'
    )
    assert attachment(b"x", 'say "hi".txt')["Content-Disposition"] == r'attachment; filename="say \"hi\".txt"'
    assert attachment(b"x", EVIDENCE)["Content-Disposition"] == EVIDENCE_HEADER


def test_control_characters_never_reach_the_header():
    assert attachment(b"x", "a\x01b\tc\r\nd.pdf")["Content-Disposition"] == 'attachment; filename="abcd.pdf"'
    assert attachment(b"x", "\x02")["Content-Disposition"] == 'attachment; filename="download"'


def test_the_content_type_follows_the_name_unless_given():
    assert attachment(b"x", "供应商 CMRT.xlsx")["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert attachment(b"x", "notes", "text/plain")["Content-Type"] == "text/plain"
    assert attachment(b"x", "no-suffix")["Content-Type"] == "application/octet-stream"


def test_risk_evidence_named_in_chinese_downloads_under_its_name(client, world):
    action = RiskAction.open_for(
        world["campaign"], by=world["analyst"], subject_kind="supplier", subject_key="Supplier 0", what="Ask"
    )
    evidence = action.add_evidence(world["analyst"], b"%PDF-1.4 letter", EVIDENCE)
    download = client.get(reverse("risk_evidence", args=[action.pk, evidence.pk]))
    assert download["Content-Disposition"] == EVIDENCE_HEADER
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download.content == b"%PDF-1.4 letter"


def test_a_supplier_file_named_in_chinese_downloads_under_its_name(client, world):
    from staff_data import submitted

    submission = submitted(world["request"], data=cmrt_bytes())
    type(submission).objects.filter(pk=submission.pk).update(filename="深圳供应商 CMRT.xlsx")
    download = client.get(reverse("submission_download", args=[submission.pk]))
    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E6%B7%B1%E5%9C%B3%E4%BE%9B%E5%BA%94%E5%95%86%20CMRT.xlsx"
    )
    assert b"".join(download.streaming_content) == submission.file_bytes()


def test_a_blank_template_named_in_chinese_downloads_under_its_name_for_staff_and_suppliers(client, world):
    campaign = world["campaign"]
    campaign.store_blank_template(b"PK\x03\x04 template", "RMI_CMRT_6.5_中文.xlsx")
    campaign.save()
    expected = "attachment; filename*=utf-8''RMI_CMRT_6.5_%E4%B8%AD%E6%96%87.xlsx"
    staff_copy = client.get(reverse("campaign_template", args=[campaign.pk]))
    assert staff_copy["Content-Disposition"] == expected
    world["request"].transition("sent", "test")
    token = world["request"].issue_link()
    supplier_copy = client.get(reverse("portal:blank_template", kwargs={"token": token}))
    assert supplier_copy["Content-Disposition"] == expected
    assert b"".join(supplier_copy.streaming_content) == b"PK\x03\x04 template"


def test_an_export_keeps_its_plain_quoted_name(client, world):
    response = client.get(reverse("suppliers") + "?format=csv")
    assert re.fullmatch(
        r'attachment; filename="suppliers-\d{4}-\d\d-\d\d\.csv"', response["Content-Disposition"]
    )


def test_no_view_writes_a_content_disposition_by_hand():
    # One helper names every download (oretrace.web.downloads); Django's FileResponse naming is not used.
    web = Path(oretrace.web.__file__).parent
    by_hand = [
        f"{path.relative_to(web)}:{number}"
        for path in web.rglob("*.py")
        if path.name != "downloads.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "Content-Disposition" in line or "as_attachment" in line or "content_disposition_header" in line
    ]
    assert by_hand == []


def test_the_helper_answers_with_the_bytes_given():
    response = attachment(b"\x00\x01 data", "a.bin")
    assert isinstance(response, HttpResponse) and response.content == b"\x00\x01 data"
