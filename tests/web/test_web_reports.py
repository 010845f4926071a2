"""The Conflict Minerals Report in the web app: the narrative versioned per year, the report settings, the
preview whose figures link to the pages they come from, and the filed copies and Form SD draft."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from fictional_template import build_cmrt
from staff_data import PASSWORD, campaign_with_suppliers, staff, submitted

from oretrace.reports import default_sections
from oretrace.reports.render_pdf import pdf_unavailable
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import Campaign, State
from oretrace.web.reports.models import NarrativeVersion, ReportSettings
from oretrace.web.suppliers.models import ReportingYear

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def world():
    alice, bob, vera = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    reference.apply_status_list(
        b"Smelter ID,Assessment Status\nCID900013,Conformant\n", "RMAP list", dt.date(2026, 1, 15), alice
    )
    campaign, requests = campaign_with_suppliers(3)
    submitted(requests[0])
    submitted(requests[1])
    requests[2].transition(State.SENT, bob)
    settings = ReportSettings.for_year(campaign.reporting_year)
    settings.company_overview = "Acme Instruments designs test and measurement instruments."
    settings.products_overview = "Oscilloscopes and signal analysers."
    settings.website = "www.acme.example"
    settings.save()
    return {"admin": alice, "analyst": bob, "viewer": vera, "campaign": campaign, "requests": requests}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def url(name, world, *args):
    return reverse(name, args=[world["campaign"].pk, *args])


def test_every_page_opens_for_every_role_and_only_editors_see_the_forms(client, world):
    for role in ("admin", "analyst", "viewer"):
        login(client, world[role])
        for name in ("reports", "report_narrative", "report_settings", "report_preview", "report_products"):
            page = client.get(url(name, world))
            assert page.status_code == 200, (role, name)
        narrative = client.get(url("report_narrative", world)).content.decode()
        assert ("Save introduction" in narrative) == (role != "viewer")
        settings = client.get(url("report_settings", world)).content.decode()
        assert ("Save the settings" in settings) == (role != "viewer")


def test_anonymous_people_are_sent_to_log_in(client, world):
    for name in ("reports", "report_narrative", "report_settings", "report_preview", "report_evidence"):
        page = client.get(url(name, world))
        assert page.status_code == 302 and page["Location"].startswith(reverse("login")), name


def test_the_campaign_page_links_to_the_reports(client, world):
    login(client, world["viewer"])
    page = client.get(reverse("campaign", args=[world["campaign"].pk]))
    assert url("reports", world) in page.content.decode()


def test_a_narrative_starts_from_the_default_text_and_every_save_is_a_version(client, world):
    login(client, world["analyst"])
    page = client.get(url("report_narrative", world))
    assert default_sections()["rcoi"][:60] in unescape(page.content.decode())
    for text in ("We asked {surveyed} suppliers.", "We asked all {surveyed} suppliers in {year}."):
        client.post(url("report_narrative", world), {"section": "rcoi", "text": text})
    versions = list(NarrativeVersion.objects.filter(section="rcoi").order_by("number"))
    assert [(v.number, v.text, v.author) for v in versions] == [
        (1, "We asked {surveyed} suppliers.", world["analyst"]),
        (2, "We asked all {surveyed} suppliers in {year}.", world["analyst"]),
    ]
    assert NarrativeVersion.current_texts(world["campaign"].reporting_year)["rcoi"] == versions[1].text
    assert AuditEntry.objects.filter(action="report.narrative_saved").count() == 2

    # Restoring version 1 adds version 3 with its text; nothing is overwritten.
    client.post(url("report_narrative_restore", world, versions[0].pk))
    latest = NarrativeVersion.objects.get(section="rcoi", number=3)
    assert latest.text == "We asked {surveyed} suppliers." and latest.restored_from == 1
    assert NarrativeVersion.objects.filter(section="rcoi").count() == 3
    page = client.get(url("report_narrative", world)).content.decode()
    assert "restored from version 1" in page and "Restore this version" in page

    # The report uses the restored text, with the figure filled in from the data.
    filed = client.get(url("report_file", world, "cmr", "html")).content.decode("ascii")
    assert "We asked 3 suppliers." in re.sub("<[^>]+>", "", filed)


def test_a_narrative_is_kept_per_year(client, world):
    login(client, world["analyst"])
    client.post(url("report_narrative", world), {"section": "introduction", "text": "Our {year} report."})
    other = Campaign.objects.create(
        name="RCOI 2026", reporting_year=ReportingYear.objects.create(year=2026), due_date="2027-03-31"
    )
    texts = NarrativeVersion.current_texts(other.reporting_year)
    assert texts["introduction"] == default_sections()["introduction"]


def test_a_bad_placeholder_shows_the_cores_message_and_saves_nothing(client, world):
    login(client, world["analyst"])
    page = client.post(url("report_narrative", world), {"section": "rcoi", "text": "We asked {suppliers}."})
    assert page.status_code == 400
    html = unescape(page.content.decode())
    assert "uses {suppliers}, which is not a placeholder" in html
    assert "Nothing was saved." in html
    assert "We asked {suppliers}." in html  # the text typed is kept in the box to fix
    page = client.post(url("report_narrative", world), {"section": "rcoi", "text": "Unmatched { brace"})
    assert "unmatched brace" in unescape(page.content.decode())
    assert not NarrativeVersion.objects.exists()
    assert not AuditEntry.objects.filter(action="report.narrative_saved").exists()


def test_a_viewer_cannot_save_or_restore_text(client, world):
    version = NarrativeVersion.add(world["campaign"].reporting_year, "rcoi", "Text.", world["analyst"])
    login(client, world["viewer"])
    assert client.post(url("report_narrative", world), {"section": "rcoi", "text": "x"}).status_code == 403
    assert client.post(url("report_narrative_restore", world, version.pk)).status_code == 403
    assert NarrativeVersion.objects.count() == 1


def test_the_placeholders_are_documented_on_the_page(client, world):
    login(client, world["viewer"])
    html = client.get(url("report_narrative", world)).content.decode()
    assert "{response_rate}" in html and "responded divided by surveyed" in html


def test_settings_are_saved_audited_and_carried_into_the_next_year(client, world):
    login(client, world["analyst"])
    form = {
        "conclusion": "due-diligence-performed",
        "company_overview": "We make instruments.",
        "products_overview": "Oscilloscopes.",
        "direct_suppliers": "4",
        "indirect_suppliers": "",
        "website": "www.acme.example",
        "contact_name": "Jane Doe",
        "contact_email": "jane@acme.example",
        "previous_years_text": "2023, 200, 150, 30, 20\n2024, 255, 230, 43, 36, 1",
    }
    page = client.post(url("report_settings", world), form)
    assert page.status_code == 302
    saved = ReportSettings.objects.get(reporting_year=world["campaign"].reporting_year)
    assert saved.conclusion == "due-diligence-performed" and saved.direct_suppliers == 4
    assert saved.previous_years[1] == {
        "year": 2024,
        "surveyed": 255,
        "responded": 230,
        "smelters_identified": 43,
        "conformant_smelters": 36,
        "covered_country_smelters": 1,
    }
    assert saved.previous_years[0]["covered_country_smelters"] is None
    assert AuditEntry.objects.filter(action="report.settings_saved", actor=world["analyst"]).exists()
    next_year = ReportSettings.for_year(ReportingYear.objects.create(year=2026))
    assert next_year.pk is None and next_year.contact_name == "Jane Doe"
    assert next_year.previous_years == []

    bad = client.post(url("report_settings", world), form | {"previous_years_text": "2025, 1, 2, 3, 4"})
    assert bad.status_code == 200
    assert "line 1: 2025 is not before 2025" in unescape(bad.content.decode())


def test_earlier_years_are_filled_from_earlier_campaigns(client, world):
    """A closed 2024 campaign: 2 suppliers asked, 1 answered; its smelters are counted by the core."""
    year = ReportingYear.objects.create(year=2024)
    earlier = Campaign.objects.create(
        name="RCOI 2024", reporting_year=year, due_date="2025-03-31", results_rule="received"
    )
    requests = world["requests"]
    earlier.add_suppliers([requests[0].supplier, requests[1].supplier], world["analyst"])
    submitted(earlier.requests.get(supplier=requests[0].supplier))
    earlier.requests.get(supplier=requests[1].supplier).transition(State.SENT, world["analyst"])
    login(client, world["analyst"])
    page = client.post(url("report_settings", world), {"action": "fill"})
    assert page.status_code == 200
    # The demo CMRT names four identified smelters (one per metal), one of them conformant.
    assert page.context["form"]["previous_years_text"].value() == "2024, 2, 1, 4, 1, 0"


def test_preview_links_every_figure_to_a_page_that_opens(client, world):
    login(client, world["viewer"])
    page = client.get(url("report_preview", world))
    assert page.status_code == 200
    html = page.context["page"]
    links = sorted(set(re.findall(r'href="(/[^"#]*)', unescape(html))))
    assert url("campaign_requests", world) + "?state=responded" in links
    assert url("smelters", world) + "?metal=Gold&status=conformant" in links
    assert any(link.startswith(url("unidentified", world)) for link in links)
    assert any(link.startswith(url("report_settings", world)) for link in links)
    for link in links:
        opened = client.get(link)
        assert opened.status_code == 200, link
    # Each linked page shows what the figure counts: the conformant gold refinery.
    smelters = client.get(url("smelters", world) + "?metal=Gold&status=conformant").content.decode()
    assert "CID900013" in smelters


def test_preview_of_the_form_sd_draft(client, world):
    login(client, world["viewer"])
    page = client.get(url("report_preview", world) + "?document=form-sd")
    assert "Item 1.01" in page.context["page"]


@pytest.mark.parametrize(
    ("document", "fmt", "content_type", "name"),
    [
        ("cmr", "html", "text/html", "conflict-minerals-report-2025.htm"),
        ("cmr", "docx", DOCX, "conflict-minerals-report-2025.docx"),
        ("form-sd", "html", "text/html", "form-sd-2025.htm"),
        ("form-sd", "docx", DOCX, "form-sd-2025.docx"),
    ],
)
def test_the_filed_copies_download_with_their_content_types(client, world, document, fmt, content_type, name):
    login(client, world["viewer"])
    page = client.get(url("report_file", world, document, fmt))
    assert page.status_code == 200
    assert page["Content-Type"] == content_type
    assert page["Content-Disposition"] == f'attachment; filename="{name}"'
    if fmt == "html":
        text = page.content.decode("ascii")
        assert "Acme Instruments" in text
        assert "/campaigns/" not in text  # the filed copy links to nothing in the app
    else:
        assert page.content[:2] == b"PK"


def test_the_pdf_downloads_or_says_why_not(client, world, monkeypatch):
    login(client, world["viewer"])
    if pdf_unavailable() is None:
        page = client.get(url("report_file", world, "cmr", "pdf"))
        assert page["Content-Type"] == "application/pdf" and page.content[:4] == b"%PDF"
    monkeypatch.setattr(
        "oretrace.web.reports.views.pdf_unavailable", lambda: "PDF output needs the Pango text library."
    )
    page = client.get(url("report_file", world, "cmr", "pdf"), follow=True)
    assert "No PDF: PDF output needs the Pango text library." in page.content.decode()
    assert "PDF unavailable" in client.get(url("reports", world)).content.decode()


def test_an_unknown_file_is_not_found(client, world):
    login(client, world["viewer"])
    assert client.get(url("report_file", world, "cmr", "xlsx")).status_code == 404
    assert client.get(url("report_preview", world) + "?document=other").status_code == 404


def test_a_report_that_cannot_be_written_says_why(client, world):
    """A narrative may use {website} or {policy_url}; without them the core says what to add."""
    ReportSettings.objects.update(website="")
    NarrativeVersion.add(
        world["campaign"].reporting_year, "step5_annual_report", "See {website}.", world["admin"]
    )
    login(client, world["viewer"])
    page = client.get(url("report_preview", world))
    assert page.status_code == 400
    # The default introduction's {policy_url} falls back to the website, and neither is set.
    assert "uses {policy_url}, but the organisation settings have no where the conflict minerals policy" in (
        unescape(page.content.decode())
    )
    download = Client()
    login(download, world["viewer"])
    assert "have no" in unescape(
        download.get(url("report_file", world, "cmr", "docx"), follow=True).content.decode()
    )


def test_response_figures_follow_the_campaign(client, world):
    """Declined counts as responded, and the report says so: 3 of 3 once supplier 2 declines."""
    request = world["requests"][2]
    request.decline(name="A", title="B", statement="No 3TG", by="supplier via link")
    login(client, world["viewer"])
    text = re.sub("<[^>]+>", "", client.get(url("report_file", world, "cmr", "html")).content.decode())
    assert (
        "We sent the CMRT to 3 suppliers, of which 3 have responded, a response rate of 100%: 2 returned a "
        "CMRT and 1 declined, stating that it has nothing to report. Every supplier we surveyed responded."
    ) in " ".join(text.split())
