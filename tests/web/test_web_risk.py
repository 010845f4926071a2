"""The risk page, the thresholds per reporting year and the management summary, through the test client.

Every rating, flag and suggestion comes from oretrace.risk over the campaign's roll-up
(campaigns.rollup.campaign_rollup); these tests check the web shows them, filters them, exports
them safely and lets only the right people change anything."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from fictional_template import build_cmrt
from openpyxl import load_workbook
from staff_data import audit_statuses, campaign_with_suppliers, staff, submitted

from oretrace.risk import RiskThresholds
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import State
from oretrace.web.risk.models import RiskAction, YearThresholds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    """Supplier 0 answered, "=HYPERLINK(...)" answered, Supplier 2 did not; CID900001 is non-conformant."""
    alice, bob, vera = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    audit_statuses(alice, {"CID900001": "Non-Conformant"})
    campaign, requests = campaign_with_suppliers(3)
    requests[1].supplier.name = '=HYPERLINK("http://evil.example","x")'
    requests[1].supplier.save()
    submitted(requests[0])
    submitted(requests[1])
    requests[2].transition(State.SENT, bob)  # asked, and silent
    return {"admin": alice, "analyst": bob, "viewer": vera, "campaign": campaign, "requests": requests}


def risk_url(world, **params):
    url = reverse("risk", args=[world["campaign"].pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_it_sends_anonymous_people_to_log_in(client, world):
    pk = world["campaign"].pk
    for url in (
        reverse("risk_home"),
        reverse("risk", args=[pk]),
        reverse("risk_summary", args=[pk]),
        reverse("risk_summary_document", args=[pk]),
        reverse("risk_thresholds"),
        reverse("risk_thresholds_edit", args=[2025]),
        reverse("risk_reporting_lines"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_it_shows_every_role_the_ratings_with_their_flags_in_words(client, world):
    for role in ("viewer", "analyst", "admin"):
        client.force_login(world[role])
        page = client.get(risk_url(world)).content.decode()
        assert "Demo Tantalum Smelter 01" in page
        assert "CID900001" in page
        assert "RMAP Non-Conformant" in page  # the flag's title from the core's registry
        assert "is in scope for the inquiry but had returned no CMRT" in page  # Supplier 2, in words
        # Only analysts and admins see the buttons that open actions.
        assert ("Open an action" in page) == (role != "viewer")
        assert ("high-risk subject" in page) == (role != "viewer")


def test_the_home_link_opens_the_newest_open_campaigns_risk_page(client, world):
    client.force_login(world["viewer"])
    response = client.get(reverse("risk_home"))
    assert response["Location"] == risk_url(world)


def test_it_filters_by_rating_kind_flag_metal_status_and_search(client, world):
    client.force_login(world["analyst"])

    def subjects(**params):
        page = client.get(risk_url(world, **params)).context["page"]
        return sorted(r.key for r in page)

    # Non-conformant outside a conflict-affected area: medium (docs/risk-scoring.md).
    assert subjects(kind="smelter", rating="medium") == ["CID900001"]
    assert subjects(kind="smelter", status="Unknown") == ["CID900007", "CID900013", "CID900019"]
    assert subjects(flag="supplier-no-response") == ["Supplier 2"]
    assert subjects(kind="smelter", metal="Tin") == ["CID900007"]
    # A supplier matches a metal when it names a smelter of that metal.
    assert len(subjects(kind="supplier", metal="Tin")) == 2
    assert subjects(q="tungsten") == ["CID900019"]
    assert subjects(q="nobody-matches-this") == []


def test_it_sorts_and_paginates(client, world, monkeypatch):
    from oretrace.web.risk import views

    client.force_login(world["analyst"])
    by_name = [r.subject for r in client.get(risk_url(world, sort="name")).context["page"]]
    assert by_name == sorted(by_name, key=str.casefold)
    by_score = [r.score for r in client.get(risk_url(world, sort="score")).context["page"]]
    assert by_score == sorted(by_score, reverse=True)
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    first = client.get(risk_url(world)).context["page"]
    second = client.get(risk_url(world, page=2)).context["page"]
    assert (len(first), first.paginator.count, first.paginator.num_pages) == (3, 7, 3)
    assert not {r.key for r in first} & {r.key for r in second}


def test_it_exports_csv_and_xlsx_with_supplier_text_escaped(client, world):
    client.force_login(world["viewer"])
    response = client.get(risk_url(world, kind="supplier", format="csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Kind", "Subject", "Key"]
    subjects = {row[1] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","x")' in subjects
    assert not any(cell.startswith("=") for row in rows for cell in row)
    response = client.get(risk_url(world, format="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://evil.example","x")' in values
    assert not any(v.startswith("=") for v in values)
    assert sheet.max_row == 1 + 7


def test_a_new_file_changes_the_assessment(client, world):
    client.force_login(world["analyst"])
    assert "Supplier 2" in {
        r.key for r in client.get(risk_url(world, flag="supplier-no-response")).context["page"]
    }
    submitted(world["requests"][2])
    keys = {r.key for r in client.get(risk_url(world, flag="supplier-no-response")).context["page"]}
    assert keys == set()


# --- thresholds -----------------------------------------------------------------------------------
def thresholds_post(**changes):
    values = RiskThresholds().as_dict()
    data = {name: str(values[name]) for name in values if name not in ("weights", "red_flag_statuses")}
    data["active_counts_as_mitigated"] = "on" if values["active_counts_as_mitigated"] else ""
    data["red_flag_statuses"] = list(values["red_flag_statuses"])
    for code, weight in values["weights"].items():
        data[f"w_{code}"] = str(weight)
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_only_admins_open_and_save_the_thresholds(client, world):
    url = reverse("risk_thresholds_edit", args=[2025])
    for role in ("viewer", "analyst"):
        client.force_login(world[role])
        assert client.get(url).status_code == 403
        assert client.post(url, thresholds_post(high_score="20")).status_code == 403
    assert not YearThresholds.objects.exists()
    client.force_login(world["admin"])
    assert client.get(reverse("risk_thresholds")).status_code == 200
    response = client.post(url, thresholds_post(high_score="20", **{"w_smelter-non-conformant": "25"}))
    assert response.status_code == 302
    saved = YearThresholds.for_year(world["campaign"].reporting_year)
    assert (saved.high_score, saved.weight("smelter-non-conformant")) == (20, 25)
    assert AuditEntry.objects.filter(action="risk.thresholds_saved").count() == 1


def test_the_saved_thresholds_rate_the_campaign(client, world):
    client.force_login(world["admin"])
    client.post(
        reverse("risk_thresholds_edit", args=[2025]),
        thresholds_post(high_score="30", medium_score="20"),
    )
    client.force_login(world["viewer"])
    page = client.get(risk_url(world)).context["page"]
    assert {r.rating for r in page} == {"low"}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"high_score": "0"}, "high_score", "high_score must be at least 1, not 0"),
        (
            {"min_supplier_response_pct": "150"},
            "min_supplier_response_pct",
            "must be between 0 and 100, not 150",
        ),
        ({"errors_for_high_risk": "many"}, "errors_for_high_risk", "must be a whole number, not 'many'"),
        ({"w_supplier-no-response": "-1"}, "w_supplier-no-response", "must be a whole number of at least 0"),
        ({"medium_score": "13"}, None, "medium_score (13) must be lower than high_score (12)"),
    ],
)
def test_bad_thresholds_show_the_cores_message_and_save_nothing(client, world, changes, field, message):
    client.force_login(world["admin"])
    response = client.post(reverse("risk_thresholds_edit", args=[2025]), thresholds_post(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.non_field_errors())
    if field:
        assert message in " ".join(form.errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not YearThresholds.objects.exists()
    assert not AuditEntry.objects.filter(action="risk.thresholds_saved").exists()


# --- the management summary ------------------------------------------------------------------------
def test_the_summary_page_shows_the_one_pager_with_the_registers_open_actions(client, world):
    campaign = world["campaign"]
    RiskAction.open_for(
        campaign,
        by=world["analyst"],
        subject_kind="smelter",
        subject_key="CID900001",
        subject_label="Demo Tantalum Smelter 01",
        flag_code="smelter-non-conformant",
        what="Ask the suppliers naming Demo Tantalum Smelter 01 to move off it",
        owner=world["analyst"],
        due_date=None,
    )
    client.force_login(world["viewer"])
    page = client.get(reverse("risk_summary", args=[campaign.pk]))
    assert page.status_code == 200
    assert reverse("risk_summary_document", args=[campaign.pk]) in page.content.decode()
    document = client.get(reverse("risk_summary_document", args=[campaign.pk]))
    html = document.content.decode()
    assert "supply-chain risk summary" in html and "Acme Instruments" in html
    assert (
        "Open actions" in html and "Ask the suppliers naming Demo Tantalum Smelter 01 to move off it" in html
    )
    assert document["X-Frame-Options"] == "SAMEORIGIN"


def test_the_summary_downloads_as_a_one_page_pdf_and_a_workbook(client, world):
    from pypdf import PdfReader

    from oretrace.reports.render_pdf import pdf_unavailable

    client.force_login(world["viewer"])
    url = reverse("risk_summary", args=[world["campaign"].pk])
    xlsx = client.get(url + "?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == [
        "Summary",
        "Top risks",
        "Ratings",
        "Red flags",
    ]
    if pdf_unavailable():
        pytest.skip(pdf_unavailable())
    pdf = client.get(url + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1


def test_without_weasyprints_libraries_the_pdf_is_refused_with_the_reason(client, world, monkeypatch):
    import oretrace.reports.render_pdf as render_pdf

    reason = "PDF output needs the Pango text library, which WeasyPrint could not load (test)."
    monkeypatch.setattr(render_pdf, "pdf_unavailable", lambda: reason)
    client.force_login(world["viewer"])
    url = reverse("risk_summary", args=[world["campaign"].pk])
    response = client.get(url + "?format=pdf", follow=True)
    assert response.redirect_chain[-1][0] == url
    assert reason in response.content.decode()
