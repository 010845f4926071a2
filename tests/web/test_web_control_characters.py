"""One control character from a supplier must not break a download.

Excel writes a control character in a cell as ``_x0001_``, and the reader decodes it: a smelter name
"Zzyzx_x0001_ Unlisted Refinery" in an uploaded CMRT once made the evidence package, the report's DOCX,
the risk summary's workbook and the unidentified-smelters export fail, and a follow-up answer holding
U+0001 broke the audit log's XLSX for good (the log is append-only). Text is now cleaned where it enters
(the reader, the forms), and the writers drop such characters from rows stored before that.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from fictional_template import build_cmrt
from openpyxl import load_workbook
from staff_data import built_evidence_package, campaign_with_suppliers, cmrt_bytes, staff

from oretrace.evidence import verify_evidence_package
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import ReportedSmelter
from oretrace.web.reports.models import ReportSettings
from oretrace.web.suppliers.models import Organisation, Supplier

pytestmark = pytest.mark.django_db

UNLISTED = {"B": "Gold", "C": "Smelter not listed", "D": "Zzyzx_x0001_ Unlisted Refinery", "E": "Peru"}
CLEANED = "Zzyzx Unlisted Refinery"


@pytest.fixture
def world():
    _alice, bob, vera = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    campaign, [request] = campaign_with_suppliers(1)
    request.transition("sent", "test")
    org = Organisation.objects.get()
    org.policy_url = "https://acme.example/policy"
    org.save()
    settings = ReportSettings.for_year(campaign.reporting_year)
    settings.contact_name, settings.contact_email, settings.contact_phone = "Jane", "jane@acme.example", "1"
    settings.authorizer_name, settings.authorizer_email = "John", "john@acme.example"
    settings.website = "www.acme.example"
    settings.save()
    return {"analyst": bob, "viewer": vera, "campaign": campaign, "request": request}


def upload_through_the_portal(client, world) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    token = world["request"].issue_link()
    data = cmrt_bytes("Zzyzx_x0002_ Components", extra_smelters=(UNLISTED,))
    upload = SimpleUploadedFile("CMRT_2025.xlsx", data, content_type="application/octet-stream")
    response = client.post(reverse("portal:upload", kwargs={"token": token}), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:500]
    return token


def rows_of(response) -> list[tuple]:
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_uploaded_name_is_stored_without_the_control_character(client, world):
    upload_through_the_portal(client, world)
    names = set(ReportedSmelter.objects.values_list("reported_name", flat=True))
    assert CLEANED in names and not any("\x01" in name for name in names)
    assert world["request"].submissions.get().data["company"]["name"] == "Zzyzx Components"


def test_every_download_answers_after_such_an_upload(client, world):
    upload_through_the_portal(client, world)
    campaign = world["campaign"]
    client.force_login(world["viewer"])

    evidence = built_evidence_package(client, campaign)
    assert verify_evidence_package(evidence) == []
    rollup = zipfile.ZipFile(io.BytesIO(evidence)).read("rollup/rollup.xlsx")
    unidentified = load_workbook(io.BytesIO(rollup))["Unidentified"]
    assert CLEANED in [row[1] for row in unidentified.iter_rows(values_only=True)]

    docx = client.get(reverse("report_file", args=[campaign.pk, "cmr", "docx"]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    html = client.get(reverse("report_file", args=[campaign.pk, "cmr", "html"])).content.decode("ascii")
    assert CLEANED in html and "\x01" not in html

    risk = client.get(reverse("risk_summary", args=[campaign.pk]) + "?format=xlsx")
    assert risk.status_code == 200
    assert load_workbook(io.BytesIO(risk.content))["Summary"]["B2"].value == "Acme Instruments"

    export = client.get(reverse("unidentified", args=[campaign.pk]) + "?format=xlsx")
    assert ("Gold", CLEANED, "Peru", 1) in [row[:4] for row in rows_of(export)]


def test_a_follow_up_answer_with_a_control_character_keeps_the_audit_log_exportable(client, world):
    token = upload_through_the_portal(client, world)
    answered = client.post(
        reverse("portal:answer", kwargs={"token": token}),
        {"message": "It is CID\x01002763.\r\nRegards\x07", "name": "Li\x02 Wei"},
    )
    assert answered.status_code == 302
    answer = world["request"].follow_ups.get(from_supplier=True)
    assert (answer.message, answer.author_label) == (
        "It is CID002763.\r\nRegards",
        "Li Wei (supplier via link)",
    )
    client.force_login(world["viewer"])  # the audit log is for admins and viewers
    details = [row[4] for row in rows_of(client.get(reverse("audit") + "?format=xlsx"))]
    assert "It is CID002763.\r\nRegards" in details


def test_an_answer_of_nothing_but_control_characters_is_refused_as_empty(client, world):
    token = upload_through_the_portal(client, world)
    page = client.post(reverse("portal:answer", kwargs={"token": token}), {"message": "\x01\x02 \x03"})
    assert page.status_code == 400
    assert world["request"].follow_ups.filter(from_supplier=True).count() == 0


def test_rows_stored_before_the_fix_still_export(client, world):
    # Rows written before text was cleaned where it enters: the audit log is append-only, so a control
    # character stored once must not break its export for ever.
    upload_through_the_portal(client, world)
    campaign, request = world["campaign"], world["request"]
    AuditEntry.record("supplier via link", "request.follow_up_answered", request, "old \x01 answer")
    ReportedSmelter.objects.create(
        submission=request.submissions.get(),
        request=request,
        campaign=campaign,
        row=99,
        metal="Tin",
        reported_name="Old\x01 Tin Works",
        reported_country="China\x1f",
    )
    Supplier.objects.filter(pk=request.supplier_id).update(name="Supplier\x01 0")
    client.force_login(world["viewer"])

    audit = rows_of(client.get(reverse("audit") + "?format=xlsx"))
    assert audit[0] == ("When", "Who", "Action", "Object", "Detail")
    assert audit[1][1:3] + audit[1][4:] == ("supplier via link", "request.follow_up_answered", "old  answer")
    csv_export = client.get(reverse("audit") + "?format=csv")
    assert csv_export.status_code == 200 and "old  answer" in csv_export.content.decode("utf-8-sig")

    export = client.get(reverse("unidentified", args=[campaign.pk]) + "?format=xlsx")
    assert ("Tin", "Old Tin Works", "China", 1) in [row[:4] for row in rows_of(export)]
    risk = client.get(reverse("risk_summary", args=[campaign.pk]) + "?format=xlsx")
    assert "Supplier 0" in [row[1] for row in load_workbook(io.BytesIO(risk.content))["Ratings"].values]
    assert verify_evidence_package(built_evidence_package(client, campaign)) == []
    docx = client.get(reverse("report_file", args=[campaign.pk, "cmr", "docx"]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")


def test_staff_text_is_cleaned_in_forms_and_in_notes_read_from_the_post(client, world):
    upload_through_the_portal(client, world)
    request = world["request"]
    client.force_login(world["analyst"])
    client.post(
        reverse("supplier_edit", args=[request.supplier_id]),
        {"key": "V000", "name": "Supplier\x01 Zero", "tier": "direct", "country": "China", "active": "on"},
    )
    request.supplier.refresh_from_db()
    assert request.supplier.name == "Supplier Zero"
    client.post(reverse("request_action", args=[request.pk, "follow-up"]), {"note": "Please\x0b fix Q7."})
    assert request.follow_ups.get(from_supplier=False).message == "Please fix Q7."


def test_the_form_mixin_cleans_every_text_field_but_a_password():
    from django import forms

    from oretrace.web.forms import CleanText

    class Signup(CleanText, forms.Form):
        name = forms.CharField()
        tags = forms.MultipleChoiceField(choices=[("a", "a"), ("b", "b")])
        password = forms.CharField(widget=forms.PasswordInput)

    form = Signup({"name": " Li\x01 Wei ", "tags": ["a\x02", "b"], "password": "s3cret\x01"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"name": "Li Wei", "tags": ["a", "b"], "password": "s3cret\x01"}
