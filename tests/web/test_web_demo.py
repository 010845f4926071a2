"""The demo: an organisation like the example report's, a 2025 campaign where 96% answered, and
every staff page with content. It must work without ../shared (a fresh machine) and with it."""

from __future__ import annotations

import io
from html import unescape

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from oretrace.reports.cmr import build_report
from oretrace.review import checker_missing
from oretrace.rmi import read_template
from oretrace.smelters import parse_status
from oretrace.smelters.sample import SAMPLE_RELEASE, sample_reference
from oretrace.web import demo
from oretrace.web.campaigns.models import (
    Campaign,
    Facility,
    FacilityStatusChange,
    ReportedSmelter,
    State,
    Submission,
)
from oretrace.web.customers import answers as customer_answers
from oretrace.web.customers.models import CustomerRequest
from oretrace.web.demo_status import FICTIONAL_CID, FICTIONAL_NAME, FICTIONAL_RELEASE
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.reports.documents import prepare, report_inputs
from oretrace.web.reports.models import GeneratedDeclaration, ReportSettings
from oretrace.web.risk.assessment import campaign_risk
from oretrace.web.risk.models import RiskAction
from oretrace.web.suppliers.models import Supplier

pytestmark = pytest.mark.django_db


def test_it_builds_the_demo_on_a_fresh_machine(client, monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "SHARED", tmp_path / "no-shared")
    result = demo.load_demo(indirect=48, log=lambda _: None)
    assert result.source == demo.BUILT_IN
    assert result.suppliers == 50 and Supplier.objects.filter(tier="direct").count() == 2
    assert result.responded == 48  # 96% of 50
    campaign = Campaign.objects.get(reporting_year__year=2025, closed=False, template_kind="CMRT")
    last_year = Campaign.objects.get(reporting_year__year=2024, closed=True)
    assert last_year.requests.filter(state=State.ACCEPTED).count() == 16  # a third of the suppliers
    states = set(campaign.requests.values_list("state", flat=True))
    assert {State.ACCEPTED, State.SUBMITTED} <= states
    assert Submission.objects.filter(findings_count__gt=0).exists()
    assert ReportedSmelter.objects.filter(status="unidentified").exists()
    # The sample of RMI's list, and the demo's one fictional smelter (demo_status) beside it.
    assert Facility.objects.count() == len(sample_reference().facilities) + 1
    assert set(Facility.objects.values_list("release", flat=True)) == {SAMPLE_RELEASE, FICTIONAL_RELEASE}
    assert client.login(username="analyst", password=demo.DEMO_PASSWORD)
    for url in (
        reverse("campaign", args=[campaign.pk]),
        reverse("smelters", args=[campaign.pk]),
        reverse("unidentified", args=[campaign.pk]),
        reverse("suppliers"),
        reverse("request", args=[Submission.objects.first().request_id]),
    ):
        assert client.get(url).status_code == 200, url
    history = client.get(reverse("supplier", args=[last_year.requests.first().supplier_id])).content.decode()
    assert "RCOI 2024 – CMRT" in history and "RCOI 2025 – CMRT" in history

    # The year's report settings are filled in: our CMRT derives and the report is written.
    declaration = client.get(reverse("report_declaration", args=[campaign.pk]))
    assert declaration.status_code == 200 and declaration.context["problem"] is None
    preview = client.get(reverse("report_preview", args=[campaign.pk]))
    assert preview.status_code == 200 and "Lumen Edge Networks" in preview.context["page"]
    form_sd = client.get(reverse("report_preview", args=[campaign.pk]) + "?document=form-sd")
    assert form_sd.status_code == 200 and "Delaware" in form_sd.context["page"]
    ours = GeneratedDeclaration.objects.get(campaign=campaign, customer_answer__isnull=True)
    assert ours.filename.startswith("CMRT-2025-company-")
    # Our customers' requests: one received, one product level in preparation, one acknowledged.
    statuses = dict(CustomerRequest.objects.values_list("customer__name", "status"))
    assert statuses == {
        "Northwind Systems": "received",
        "Contoso Medical": "in_preparation",
        "Fabrikam Automotive": "acknowledged",
    }
    contoso = CustomerRequest.objects.get(customer__name="Contoso Medical")
    assert [p.number for p in read_template(contoso.latest_answer().generated.file_bytes()).products] == [
        "CM-1002",
        "CM-1003",
        "CM-1004",
    ]
    for url in (reverse("customer_requests"), reverse("customer_request", args=[contoso.pk])):
        assert client.get(url).status_code == 200, url
    settings = ReportSettings.objects.get(reporting_year=campaign.reporting_year)
    assert [row["year"] for row in settings.previous_years] == [2024]
    # The risk register: actions from the core's suggestions, one overdue, one escalated, one done.
    actions = RiskAction.objects.filter(campaign=campaign)
    # Five on suppliers; none on a smelter, as the sample's real refiners have no made-up status to flag.
    assert actions.count() == 5 and actions.overdue().count() == 1
    assert not actions.filter(subject_kind="smelter").exists()
    assert actions.get(escalation_level=1).subject_kind == "supplier"
    assert OutboundEmail.objects.filter(template="risk-escalation").count() == 1
    done = actions.get(status="done")
    assert done.evidence.get().filename == "supplier-confirmation.txt"
    for name in ("risk", "risk_register", "risk_summary", "reports"):
        assert client.get(reverse(name, args=[campaign.pk])).status_code == 200, name
    register = client.get(reverse("risk_register", args=[campaign.pk])).content.decode()
    assert actions.overdue().get().subject_label in register
    # Every file was reviewed for the campaign's year: nothing is judged against a later one.
    messages = [f["message"] for s in Submission.objects.all() for f in s.findings]
    assert not [m for m in messages if "for 2026" in m or "2026 reporting year" in m]


def _section_text(document, key: str) -> str:
    section = next(s for s in document.sections if s.key == key)
    return " ".join(block.text for block in section.blocks if hasattr(block, "text"))


def _table_rows(document, key: str) -> list[tuple]:
    section = next(s for s in document.sections if s.key == key)
    return [tuple(str(c) for c in row) for b in section.blocks if hasattr(b, "rows") for row in b.rows]


def _unlisted_names(document) -> list[str]:
    """The names the report's table of names not matched to a facility gives."""
    section = next(s for s in document.sections if s.key == "results_unidentified")
    tables = [b for b in section.blocks if hasattr(b, "rows")]
    return [str(row[1]) for table in tables for row in table.rows]


def test_the_demo_report_names_no_real_refiner_as_unlisted_and_says_the_list_is_a_sample(
    client, monkeypatch, tmp_path
):
    monkeypatch.setattr(demo, "SHARED", tmp_path / "no-shared")
    demo.load_demo(indirect=48, log=lambda _: None)
    campaign = Campaign.objects.get(reporting_year__year=2025, closed=False, template_kind="CMRT")
    document = build_report(report_inputs(prepare(campaign)))
    real = {name for f in sample_reference().facilities for name in f.names}
    real |= {name for spellings in demo._SPELLINGS.values() for name, _ in spellings}
    unlisted = _unlisted_names(document)
    assert unlisted, "the demo keeps names that are no facility in the analyst's queue"
    assert not set(unlisted) & real
    assert set(unlisted) <= {n for names in demo._NOT_FACILITIES.values() for n in names}
    # Other names of listed refiners (RMI's aliases) are identified, in their real country.
    for row in ReportedSmelter.objects.filter(reported_name__in=["Metalor Switzerland", "MSC", "GTP"]):
        assert (row.smelter_id, row.reported_country) in {
            ("CID001153", "Switzerland"),
            ("CID001105", "Malaysia"),
            ("CID000568", "United States of America"),
        }
    # The sample is named as one in the report, where the facilities are listed, and on the pages.
    for key in ("results_facilities", "results_unidentified", "annex_facilities"):
        assert "sample" in _section_text(document, key), key
    assert "not RMI's full list" in _section_text(document, "results_unidentified")
    assert client.login(username="analyst", password=demo.DEMO_PASSWORD)
    for url in (
        reverse("reference"),
        reverse("smelters", args=[campaign.pk]),
        reverse("unidentified", args=[campaign.pk]),
    ):
        assert "Sample reference list." in client.get(url).content.decode(), url
    export = client.get(reverse("smelters", args=[campaign.pk]), {"format": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert SAMPLE_RELEASE in export.splitlines()[1]
    # No audit status is made up for a real refiner: the sample lists name the fictional smelter alone.
    assert list(Facility.objects.exclude(status_source="").values_list("smelter_id", flat=True)) == [
        FICTIONAL_CID
    ]
    # In the report, the one facility with an RMAP status is the fictional one (the others have none).
    rows = _table_rows(document, "annex_facilities")
    assert [(row[1], row[-1]) for row in rows if parse_status(row[-1])] == [(FICTIONAL_NAME, "Suspended")]


def test_the_demos_second_year_shows_a_fictional_smelter_suspended_between_the_years(
    client, monkeypatch, tmp_path
):
    monkeypatch.setattr(demo, "SHARED", tmp_path / "no-shared")
    demo.load_demo(indirect=48, log=lambda _: None)
    campaign = Campaign.objects.get(reporting_year__year=2025, closed=False, template_kind="CMRT")
    last_year = Campaign.objects.get(reporting_year__year=2024, closed=True)
    change = FacilityStatusChange.objects.get()
    assert (change.smelter_id, change.kind, change.handled_at) == (FICTIONAL_CID, "suspended", None)
    assert last_year.due_date < change.on < campaign.requests.order_by("sent_at").first().sent_at.date()
    # Only the open campaign's requests naming it wait with it; each list it cites is named a sample.
    assert change.requests.count() and not change.requests.exclude(campaign=campaign).exists()
    assert change.detail.count("file SAMPLE_") == 2 and change.seen_in.startswith("SAMPLE_")
    assert client.login(username="analyst", password=demo.DEMO_PASSWORD)
    queue = client.get(reverse("queue")).content.decode()
    assert FICTIONAL_NAME in queue and "SAMPLE_rmi-notice" in queue
    compare = client.get(reverse("campaign_compare", args=[campaign.pk]))
    assert [
        (s.smelter_id, s.status_before, s.status_after) for s in compare.context["changes"].status_changes
    ] == [(FICTIONAL_CID, "Conformant", "Suspended")]
    assert (
        "seen in SAMPLE_rmi-notice_suspension_fictional-facility_oretrace-demo.csv"
        in compare.content.decode()
    )
    page = client.get(reverse("status_change", args=[change.pk])).content.decode()
    assert "SAMPLE_rmi-conformant_fictional-facility_oretrace-demo.csv" in page


def test_the_demos_fictional_smelter_is_said_everywhere_to_be_on_no_rmi_list(client, monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "SHARED", tmp_path / "no-shared")
    demo.load_demo(indirect=48, log=lambda _: None)
    campaign = Campaign.objects.get(reporting_year__year=2025, closed=False, template_kind="CMRT")
    facility = Facility.objects.get(smelter_id=FICTIONAL_CID)
    assert not facility.listed_by_rmi
    assert facility.listing.startswith("No (not RMI-listed; ID of the oretrace demo (a made-up ID); source: ")
    # The report's annex says so beside its ID and in its sentence, in the singular.
    document = build_report(report_inputs(prepare(campaign)))
    row = next(r for r in _table_rows(document, "annex_facilities") if r[1] == FICTIONAL_NAME)
    assert "not RMI-listed" in row[2] and row[-1] == "Suspended"
    assert (
        "1 of them is not on RMI's reference list: we identified it against a facility we added ourselves"
        in _section_text(document, "annex_facilities")
    )
    assert client.login(username="analyst", password=demo.DEMO_PASSWORD)
    export = client.get(reverse("smelters", args=[campaign.pk]), {"format": "csv"}).content.decode(
        "utf-8-sig"
    )
    line = next(line for line in export.splitlines() if line.startswith(f"Tantalum,{FICTIONAL_CID},"))
    assert ',"No (not RMI-listed;' in line
    page = client.get(reverse("smelters", args=[campaign.pk])).content.decode()
    shown = page[page.index(f">{FICTIONAL_NAME}</a>") :][:200]
    assert '<span class="tag">not RMI-listed</span>' in shown


@pytest.mark.shared
def test_it_varies_the_real_cmrts_when_shared_is_there(shared_dir):
    result = demo.load_demo(indirect=8, log=lambda _: None)
    assert result.source.startswith("RMI's RMI_CMRT_6.5.xlsx")
    versions = set(Submission.objects.filter(template_kind="CMRT").values_list("template_version", flat=True))
    assert versions == {"6.4"}
    assert Facility.objects.filter(status="conformant").exists()  # from the 2014 CFSI list


def test_the_command_refuses_to_load_twice(monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "SHARED", tmp_path)
    call_command("load_demo", suppliers=3, stdout=io.StringIO())
    with pytest.raises(CommandError, match="already has suppliers"):
        call_command("load_demo", suppliers=3)


@pytest.mark.shared
def test_it_runs_an_emrt_and_a_crt_campaign_and_generates_ours_when_shared_is_there(client, shared_dir):
    demo.load_demo(indirect=20, log=lambda _: None)
    assert client.login(username="analyst", password=demo.DEMO_PASSWORD)
    for kind in ("EMRT", "CRT"):
        campaign = Campaign.objects.get(template_kind=kind)
        assert campaign.requests.count() == 12
        assert Submission.objects.filter(request__campaign=campaign).count() == 10
        assert set(campaign.requests.values_list("state", flat=True)) >= {
            State.ACCEPTED,
            State.FOLLOW_UP,
            State.SUBMITTED,
        }
        reported = ReportedSmelter.objects.filter(submission__request__campaign=campaign)
        assert reported.filter(metal="Cobalt", status="unidentified").exists()
        assert reported.filter(metal="Cobalt").exclude(status="unidentified").count() >= 10
        ours = GeneratedDeclaration.objects.get(campaign=campaign, customer_answer__isnull=True)
        assert ours.filename.startswith(f"{kind}-2025-")
        our_file = read_template(ours.file_bytes())
        assert our_file.kind.name == kind
        assert checker_missing(our_file) == 0  # the CRT's B, D and F come from the organisation's settings
        dashboard = client.get(reverse("campaign", args=[campaign.pk])).content.decode()
        assert f"Reports and our {kind}</a>" in dashboard
        battery = client.get(reverse("report_file", args=[campaign.pk, "battery", "html"]))
        assert battery.status_code == 200 and b"Battery Due Diligence Report" in battery.content
        text = unescape(battery.content.decode("ascii"))
        assert "Portable batteries" in text and "EUR 186,000,000" in text
        if kind == "EMRT":  # the analyst tagged two cobalt refiners' actions with Annex X categories
            assert "holds 2 actions assigned to a risk category of Annex X" in text
            assert "1 was closed and 1 remains open" in text
            # The Mine List's Kamoto cobalt mine in the DR Congo raises the conflict category of Annex X
            # from the data; the open child-labour action flags its refiner.
            flagged = campaign_risk(campaign).assessment.flags_by_code()
            assert {"supplier-annex-x-oecd-armed-groups", "smelter-annex-x-child-labour"} <= set(flagged)
            assert "raises red flags in the following risk categories of Annex X" in text
            assert (
                "Child labour (Regulation (EU) 2023/1542, Annex X, point 2(b)(ii)): 0 suppliers and 1 facility"
                in text
            )
    assert Campaign.objects.get(template_kind="EMRT").minerals == ["Cobalt", "Mica", "Nickel"]
    # A customer asks for our EMRT 2.1: prepared from the EMRT campaign, into its own blank.
    asks = CustomerRequest.objects.get(template_kind="EMRT")
    answer = customer_answers.prepare(asks, asks.owner)
    ours = read_template(answer.generated.file_bytes())
    assert (ours.kind.name, ours.version, answer.campaign.template_kind) == ("EMRT", "2.1", "EMRT")
    # Our EMRT's Mine List holds the mines the suppliers' Mine Lists name, the DR Congo's among them.
    our_emrt = read_template(
        GeneratedDeclaration.objects.get(
            campaign__template_kind="EMRT", customer_answer__isnull=True
        ).file_bytes()
    )
    assert {(m.metal, m.mine_name) for m in our_emrt.mines} >= {("Cobalt", "Kamoto"), ("Mica", "Koderma")}
    assert "Congo, Democratic Republic of the" in {m.country for m in our_emrt.mines}
    # The demo still opens on its CMRT campaign.
    cmrt = Campaign.objects.get(template_kind="CMRT", closed=False)
    assert client.get(reverse("dashboard")).url == reverse("campaign", args=[cmrt.pk])


def test_it_skips_the_emrt_and_crt_campaigns_saying_why_without_shared(monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "SHARED", tmp_path / "no-shared")
    said = []
    demo.load_demo(indirect=3, log=said.append)
    assert not Campaign.objects.filter(template_kind__in=["EMRT", "CRT"]).exists()
    assert [line for line in said if line.startswith("EMRT campaign skipped: RMI's blank")]
    assert [line for line in said if line.startswith("CRT campaign skipped: RMI's blank")]
