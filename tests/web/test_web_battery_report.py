"""The battery due-diligence report (Batteries Regulation Article 52(3)) in the web app: offered for an
EMRT or CRT campaign only, its files and figures from the campaign's roll-up and the year's battery
settings, the Annex X category chosen on a risk action counted in it, and the report in the evidence
package. The EMRT is built from RMI's blank in ../shared; without it those tests skip, saying why."""

from __future__ import annotations

import io
import threading
import zipfile
from html import unescape

import pytest
from django.db import connection
from django.urls import reverse
from staff_data import built_evidence_package, campaign_with_suppliers, staff
from test_web_template_kinds import (  # analyst: the fixture, with its organisation
    ADVANCED,
    CHEMAF,
    _new_campaign,
    _tianma_request,
    _upload_through_the_link,
    analyst,  # noqa: F401
)

from filled_templates import EMRT21, emrt21_bytes
from oretrace.reports.render_pdf import pdf_unavailable
from oretrace.web.audit.models import AuditEntry
from oretrace.web.reports.models import ReportSettings
from oretrace.web.risk.models import RiskAction

pytestmark = pytest.mark.django_db


def _emrt_campaign(client):
    campaign = _new_campaign(client, "EMRT", "2.1", EMRT21, "Cobalt, mica")
    data = emrt21_bytes(picked=("Cobalt", "Mica"), smelters=[(ADVANCED, None), (CHEMAF, None)])
    _upload_through_the_link(client, _tianma_request(campaign), data, "EMRT_2025.xlsx")
    return campaign


def _action(campaign, by, **fields) -> RiskAction:
    values = {
        "subject_kind": "smelter",
        "subject_key": CHEMAF,
        "subject_label": "Chemaf Etoile",
        "what": "Ask for the refinery's child-labour remediation plan.",
    }
    values.update(fields)
    return RiskAction.open_for(campaign, by=by, **values)


def _report_html(client, campaign) -> str:
    response = client.get(reverse("report_file", args=[campaign.pk, "battery", "html"]))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].endswith('battery-due-diligence-report-2025.html"')
    return unescape(response.content.decode("ascii"))


@pytest.mark.usefixtures("analyst")
def test_an_emrt_campaign_offers_the_battery_report_counting_its_cobalt_refiners(client):
    campaign = _emrt_campaign(client)
    page = client.get(reverse("reports", args=[campaign.pk])).content.decode()
    assert 'id="battery-report"' in page
    assert reverse("report_file", args=[campaign.pk, "battery", "docx"]) in page
    assert "Conflict Minerals Report (Exhibit 1.01)" not in page

    html = _report_html(client, campaign)
    assert "Battery Due Diligence Report" in html
    # Both refiners the supplier named are cobalt ones the look-up knows; mica is no Annex X material.
    assert "Of the 2 facilities identified" in html
    assert "Advanced Materials Production Plant" in html and "Chemaf Etoile" in html
    docx = client.get(reverse("report_file", args=[campaign.pk, "battery", "docx"]))
    with zipfile.ZipFile(io.BytesIO(docx.content)) as z:
        assert "Battery Due Diligence Report" in z.read("word/document.xml").decode()
    preview = client.get(reverse("report_preview", args=[campaign.pk]), {"document": "battery"})
    assert preview.status_code == 200 and "Battery due-diligence report: preview" in preview.content.decode()


@pytest.mark.usefixtures("analyst")
@pytest.mark.skipif(pdf_unavailable() is not None, reason=f"no PDF engine: {pdf_unavailable()}")
def test_the_battery_report_downloads_as_pdf(client):
    campaign = _emrt_campaign(client)
    response = client.get(reverse("report_file", args=[campaign.pk, "battery", "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_cmrt_campaign_has_no_battery_report(client):
    _alice, bob, _ = staff()
    campaign, _requests = campaign_with_suppliers(1)
    client.force_login(bob)
    assert client.get(reverse("report_file", args=[campaign.pk, "battery", "html"])).status_code == 404
    assert (
        client.get(reverse("report_preview", args=[campaign.pk]), {"document": "battery"}).status_code == 404
    )
    assert 'id="battery-report"' not in client.get(reverse("reports", args=[campaign.pk])).content.decode()


@pytest.mark.usefixtures("analyst")
def test_the_battery_settings_saved_on_the_settings_page_are_printed_as_stated(client):
    campaign = _emrt_campaign(client)
    form = client.get(reverse("report_settings", args=[campaign.pk])).context["form"]
    fields = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    fields.update(
        {
            "previous_years_text": "",
            "battery_categories": ["ev", "industrial"],
            "battery_policy_url": "https://acme.example/battery-policy",
            "net_turnover_eur": "12000000",
            "notified_body": "",
            "verification_date": "",
        }
    )
    fields = {k: v for k, v in fields.items() if v not in ("", None, [])} | {
        "battery_categories": ["ev", "industrial"]
    }
    response = client.post(reverse("report_settings", args=[campaign.pk]), fields)
    assert response.status_code == 302, response.context["form"].errors
    settings = ReportSettings.for_year(campaign.reporting_year)
    assert settings.battery_categories == ["ev", "industrial"] and settings.net_turnover_eur == 12_000_000

    html = _report_html(client, campaign)
    assert "Electric vehicle batteries" in html and "Industrial batteries" in html
    assert "published at https://acme.example/battery-policy" in html
    assert "EUR 12,000,000" in html and "which exempts us from Chapter VII" in html
    assert "No notified body has verified our battery due-diligence policy" in html


@pytest.mark.usefixtures("analyst")
def test_an_annex_x_category_chosen_on_a_risk_action_is_counted_in_the_report(client, analyst):  # noqa: F811
    campaign = _emrt_campaign(client)
    action = _action(campaign, analyst)
    assert "states no adverse impact in those categories" in _report_html(client, campaign)

    page = client.get(reverse("risk_action", args=[action.pk])).content.decode()
    assert reverse("risk_action_category", args=[action.pk]) in page
    response = client.post(
        reverse("risk_action_category", args=[action.pk]), {"category": "child-labour", "was": ""}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.annex_x_category == "child-labour"
    assert AuditEntry.objects.filter(action="risk.action_changed", detail__contains="Child labour").exists()

    html = _report_html(client, campaign)
    assert "holds 1 action assigned to a risk category of Annex X" in html
    assert "Child labour (Regulation (EU) 2023/1542, Annex X, point 2(b)(ii)) – Chemaf Etoile" in html


def test_a_category_choice_made_on_a_stale_page_is_refused_and_changes_nothing(client):
    _alice, bob, _ = staff()
    campaign, _requests = campaign_with_suppliers(1)
    client.force_login(bob)
    action = _action(campaign, bob)
    action.set_annex_x_category(bob, "water", was="")
    response = client.post(
        reverse("risk_action_category", args=[action.pk]),
        {"category": "child-labour", "was": ""},
        follow=True,
    )
    assert "Someone changed this action&#x27;s Annex X risk category meanwhile" in response.content.decode()
    action.refresh_from_db()
    assert action.annex_x_category == "water"


def test_a_viewer_cannot_choose_a_category(client):
    _alice, bob, vera = staff()
    campaign, _requests = campaign_with_suppliers(1)
    action = _action(campaign, bob)
    client.force_login(vera)
    response = client.post(
        reverse("risk_action_category", args=[action.pk]), {"category": "water", "was": ""}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.annex_x_category == ""


@pytest.mark.django_db(transaction=True)
def test_analysts_choosing_a_category_at_once_keep_one_choice_and_one_audit_entry():
    _alice, bob, _ = staff()
    campaign, _requests = campaign_with_suppliers(1)
    action = _action(campaign, bob)
    start = threading.Barrier(4)
    outcomes: list[str] = []
    categories = ("water", "child-labour", "air", "soil")

    def choose(category: str):
        def run() -> None:
            try:
                mine = RiskAction.objects.get(pk=action.pk)
                start.wait()
                outcomes.append(category if mine.set_annex_x_category(bob, category, was="") else "refused")
            except BaseException as error:
                outcomes.append(repr(error))
            finally:
                connection.close()

        return run

    threads = [threading.Thread(target=choose(c)) for c in categories]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o in categories]
    assert len(winners) == 1 and outcomes.count("refused") == 3, outcomes
    action.refresh_from_db()
    assert action.annex_x_category == winners[0]
    assert AuditEntry.objects.filter(action="risk.action_changed", object_id=str(action.pk)).count() == 1


@pytest.mark.usefixtures("analyst")
def test_the_evidence_package_of_an_emrt_campaign_holds_the_battery_report(client):
    campaign = _emrt_campaign(client)
    with zipfile.ZipFile(io.BytesIO(built_evidence_package(client, campaign))) as z:
        names = z.namelist()
    assert any(n.endswith("battery-due-diligence-report.html") for n in names), names
    assert any(n.endswith("battery-due-diligence-report.docx") for n in names)
    assert not any("conflict-minerals-report" in n for n in names)


def test_the_register_lists_the_actions_tagged_with_an_annex_x_category_the_report_links_to(client):
    _alice, bob, _ = staff()
    campaign, _requests = campaign_with_suppliers(1)
    client.force_login(bob)
    tagged = _action(campaign, bob, what="Ask for the child-labour assessment.")
    tagged.set_annex_x_category(bob, "child-labour", was="")
    _action(campaign, bob, what="Ask for the missing smelter names.")
    register = reverse("risk_register", args=[campaign.pk])
    page = client.get(register, {"status": "all", "annex": "any"}).content.decode()
    assert "Ask for the child-labour assessment." in page and "Ask for the missing smelter names." not in page
    water = client.get(register, {"status": "all", "annex": "water"}).content.decode()
    assert "Ask for the child-labour assessment." not in water


@pytest.mark.usefixtures("analyst")
def test_the_report_cites_the_annex_x_flags_and_the_preview_links_them_to_the_risk_page(client):
    campaign = _emrt_campaign(client)
    html = _report_html(client, campaign)
    # Chemaf Etoile refines cobalt in the DR Congo: the conflict category from the data.
    assert "raises red flags in the following risk categories of Annex X" in html
    assert "Direct or indirect support to non-state armed groups" in html
    assert "1 supplier and 1 facility flagged." in html
    preview = client.get(reverse("report_preview", args=[campaign.pk]), {"document": "battery"})
    flag = "flag=smelter-annex-x-oecd-armed-groups"
    assert flag in unescape(preview.content.decode()) or flag in preview.content.decode()
