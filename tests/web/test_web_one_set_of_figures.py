"""One set of figures: the demo campaign (about 260 suppliers) counted once by the core, and every place
that shows a figure (dashboard, management summary, risk page, report, Form SD, evidence package and
`oretrace report` on the same files) shows that same number.

The demo is loaded once for the module: it is the realistic campaign the issue asks the figures to agree
on (declines, silent suppliers, reminders, follow-ups, accepted files with open errors).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse
from staff_data import built_evidence_package
from typer.testing import CliRunner

from oretrace.cli import _register_commands, app
from oretrace.reports.figures import whole_percent
from oretrace.survey import ResultsRule
from oretrace.web import demo
from oretrace.web.campaigns.models import AuditStatusList, Campaign, Request, State
from oretrace.web.campaigns.rollup import campaign_rollup
from oretrace.web.demo_status import FICTIONAL_CID
from oretrace.web.staff.views import smelter_counts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files_in_tmp():
    """Unlike other tests, these keep the folders the module's demo stored its files in."""


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo.load_demo(log=lambda _: None)
        campaign = Campaign.objects.get(closed=False, template_kind="CMRT")
        yield campaign
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def viewer(client, campaign):
    assert client.login(username="viewer", password=demo.DEMO_PASSWORD)
    cache.clear()
    return client


@pytest.fixture
def figures(campaign):
    return campaign_rollup(campaign).figures


def page_text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_the_demo_has_every_kind_of_supplier_the_figures_count(figures):
    assert figures.surveyed > 250 and figures.declined > 0 and figures.not_responded > 0
    assert figures.accepted_with_exceptions > 0 and figures.under_review > 0 and figures.errors_asked > 0
    assert figures.reminders_sent > 0 and figures.escalated > 0 and figures.follow_ups_sent > 0


def test_the_dashboard_shows_the_cores_figures(viewer, campaign, figures):
    html = viewer.get(reverse("campaign", args=[campaign.pk])).content.decode()
    f = figures
    for expected in (
        f"<b>{f.surveyed}</b><span>surveyed",
        f"<b>{whole_percent(f.response_rate)}</b><span>responded ({f.responded} of {f.surveyed} surveyed)",
        f"<b>{f.returned}</b><span>returned a template",
        f"<b>{f.declined}</b><span>declined",
        f"<b>{f.accepted}</b><span>accepted, {f.accepted_with_exceptions} with exceptions",
        f"<b>{f.under_review}</b><span>under review",
        f"<b>{f.overdue}</b><span>overdue ({f.not_responded} not responded)",
        f"Reminders sent {f.reminders_sent} · escalated {f.escalated} · follow-ups sent {f.follow_ups_sent} · "
        f"corrections received {f.corrections_received} · review errors on the latest files {f.errors} "
        f"({f.errors_asked} asked about, {f.errors_accepted} on accepted templates, {f.errors_under_review} "
        "under review)",
    ):
        assert expected in html, expected


def test_the_dashboard_the_queue_and_the_request_list_count_the_same_requests_waiting_for_us(
    viewer, campaign, figures
):
    assert figures.waiting_for_us > 0
    html = viewer.get(reverse("campaign", args=[campaign.pk])).content.decode()
    assert f"<b>{figures.waiting_for_us}</b><span>waiting for us</span>" in html
    queue = viewer.get(reverse("queue"), {"campaign": campaign.pk}).content.decode()
    assert len(re.findall(r'<a href="/requests/\d+/">', queue)) == figures.waiting_for_us
    listed = viewer.get(
        reverse("campaign_requests", args=[campaign.pk]), {"state": "waiting_for_us", "format": "csv"}
    ).content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(listed)))) - 1 == figures.waiting_for_us


def test_the_request_list_filters_list_exactly_the_suppliers_counted(viewer, campaign, figures):
    url = reverse("campaign_requests", args=[campaign.pk])
    for key in (
        "responded",
        "declined",
        "accepted_with_exceptions",
        "under_review",
        "not_responded",
        "overdue",
    ):
        page = viewer.get(url, {"state": key, "format": "csv"}).content.decode("utf-8-sig")
        assert len(list(csv.reader(io.StringIO(page)))) - 1 == figures.value(key), key


def test_the_management_summary_and_the_risk_page_show_the_same_figures(viewer, campaign, figures):
    f = figures
    summary = viewer.get(reverse("risk_summary_document", args=[campaign.pk])).content.decode()
    assert f'<div class="n">{f.surveyed}</div><div class="l">suppliers surveyed</div>' in summary
    assert (
        f'<div class="n">{whole_percent(f.response_rate)}</div><div class="l">responded ({f.responded} of '
        f"{f.surveyed})</div>"
    ) in summary
    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(viewer.get(reverse("risk_summary", args=[campaign.pk]), {"format": "xlsx"}).content)
    )
    headline = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    assert headline["Suppliers surveyed"] == str(f.surveyed)
    assert headline["Suppliers responded"] == f"{f.responded} ({whole_percent(f.response_rate)})"
    assert headline["Suppliers declined (nothing to report)"] == str(f.declined)
    risk = page_text(viewer.get(reverse("risk", args=[campaign.pk])))
    assert f"{f.surveyed} surveyed, {f.responded} responded ({whole_percent(f.response_rate)})" in risk
    assert f"{f.declined} suppliers declined (nothing to report)" in risk


def survey_sentences(f) -> list[str]:
    """The report's sentences about the survey, with the figures as the report prints them (1,392)."""

    def n(value: int) -> str:
        return f"{value:,}"

    return [
        f"We sent the CMRT to {n(f.surveyed)} suppliers, of which {n(f.responded)} have responded, a response "
        f"rate of {whole_percent(f.response_rate)}: {n(f.returned)} returned a CMRT and {n(f.declined)} "
        "declined, stating that they have nothing to report.",
        f"By the date of this Report, {n(f.not_responded)} suppliers had not responded.",
        f"We sent {n(f.reminders_sent)} reminders to suppliers that had not responded, and escalated "
        f"{n(f.escalated)} unanswered requests",
        f"Our automated review of these templates raised {n(f.errors)} errors and {n(f.warnings)} warnings. We "
        f"asked the suppliers concerned about {n(f.errors_asked)} of the errors and "
        f"{n(f.warnings_asked) if f.warnings_asked else 'none'} of the warnings.",
        f"We accepted {n(f.accepted_with_exceptions)} templates with {n(f.errors_accepted)} errors still in "
        "them (accepted with exceptions).",
        f"On the {n(f.under_review)} templates still under review, {n(f.errors_under_review)} errors remain open.",
        f"We sent {n(f.follow_ups_sent)} follow-up requests",
    ]


def test_the_report_and_form_sd_state_the_same_figures(viewer, campaign, figures):
    for document in ("cmr", "form-sd"):
        text = page_text(viewer.get(reverse("report_file", args=[campaign.pk, document, "html"])))
        for sentence in survey_sentences(figures):
            assert sentence in text, (document, sentence)
        assert "each of which we took up with the supplier" not in text


def read_csv(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def recount(rows: list[dict]) -> dict[str, int]:
    """The headline figures counted from survey/suppliers.csv alone, as its README says to."""

    def yes(row, column):
        return row[column] == "yes"

    returned = [r for r in rows if yes(r, "Returned a template")]
    return {
        "in_scope": len(rows),
        "surveyed": sum(yes(r, "Surveyed") for r in rows),
        "responded": sum(yes(r, "Returned a template") or yes(r, "Declined") for r in rows),
        "returned": len(returned),
        "declined": sum(yes(r, "Declined") for r in rows),
        "accepted": sum(yes(r, "Accepted") for r in rows),
        "accepted_with_exceptions": sum(yes(r, "Accepted with exceptions") for r in rows),
        "under_review": sum(yes(r, "Under review") for r in rows),
        "not_responded": sum(yes(r, "Not responded") for r in rows),
        "overdue": sum(yes(r, "Overdue") for r in rows),
        "reminders_sent": sum(int(r["Reminders"] or 0) for r in rows),
        "escalated": sum(bool(r["Escalated on"]) for r in rows),
        "follow_ups_sent": sum(int(r["Follow-ups"] or 0) for r in rows),
        "corrections_received": sum(max(int(r["Files received"]) - 1, 0) for r in rows),
        "errors": sum(int(r["Errors"]) for r in returned),
        "warnings": sum(int(r["Warnings"]) for r in returned),
        "errors_asked": sum(int(r["Errors asked"]) for r in returned),
        "errors_accepted": sum(int(r["Errors"]) for r in returned if yes(r, "Accepted")),
        "errors_under_review": sum(int(r["Errors"]) for r in returned if yes(r, "Under review")),
    }


@pytest.fixture
def package(viewer, campaign) -> zipfile.ZipFile:
    # Asked for by the viewer, built by one pass of the worker, downloaded as the page offers it.
    return zipfile.ZipFile(io.BytesIO(built_evidence_package(viewer, campaign)))


def test_the_evidence_package_alone_recounts_the_reports_figures(package, figures):
    recounted = recount(read_csv(package, "survey/suppliers.csv"))
    assert recounted == {key: figures.value(key) for key in recounted}
    stated = {row["Key"]: row["Value"] for row in read_csv(package, "survey/figures.csv")}
    assert {key: int(stated[key]) for key in recounted} == recounted
    reminders = [r for r in read_csv(package, "survey/reminders.csv") if r["kind"] == "reminder"]
    assert len(reminders) == figures.reminders_sent
    readme = package.read("README.txt").decode()
    assert "How the report's figures are counted" in readme
    assert f"Responded: {figures.responded}" in readme
    assert "audit/audit-log.csv" in package.namelist() and "survey/request-history.csv" in package.namelist()
    declines = [r for r in read_csv(package, "survey/suppliers.csv") if r["Declined"] == "yes"]
    assert all(r["Decline statement"] for r in declines) and len(declines) == figures.declined
    # The report in the package states the figures the package counts.
    report = " ".join(
        unescape(
            re.sub(r"<[^>]+>", " ", package.read("report/conflict-minerals-report.htm").decode())
        ).split()
    )
    for sentence in survey_sentences(figures):
        assert sentence in report, sentence


def test_the_dashboards_smelter_counts_are_the_rollups(campaign):
    from oretrace.smelters import status_group

    built = campaign_rollup(campaign)
    expected: dict[str, dict[str, int]] = {}
    for smelter in built.rollup.smelters:
        group = status_group(smelter.audit_status).value
        expected.setdefault(smelter.metal, {})
        expected[smelter.metal][group] = expected[smelter.metal].get(group, 0) + 1
    for name in built.rollup.unidentified:
        expected.setdefault(name.metal, {})
        expected[name.metal]["unidentified"] = expected[name.metal].get("unidentified", 0) + 1
    assert smelter_counts(campaign) == expected


@pytest.fixture
def every_file_received(campaign):
    """The campaign built from every file received, as a folder of files is (it knows no acceptance)."""
    Campaign.objects.filter(pk=campaign.pk).update(results_rule=ResultsRule.RECEIVED)
    yield
    Campaign.objects.filter(pk=campaign.pk).update(results_rule=campaign.results_rule)


def test_the_command_line_on_the_same_files_gives_the_same_findings_and_rollup(
    campaign, every_file_received, package, tmp_path
):
    """`oretrace report` on the campaign's files, the list of the suppliers asked and the same reference
    data: the same survey figures, findings and roll-up as the web app built from every file received
    (the results rule a folder of files follows, knowing no acceptance)."""
    folder = tmp_path / "files"
    folder.mkdir()
    rows = ["Supplier,Number,File,Declined"]
    for req in (
        Request.objects.filter(campaign=campaign)
        .exclude(state=State.DRAFT)
        .select_related("supplier", "latest_submission")
    ):
        name = ""
        if req.latest_submission and req.state != State.DECLINED:
            name = req.latest_submission.filename
            (folder / name).write_bytes(req.latest_submission.file_bytes())
        declined = req.decline_statement.replace('"', "'") if req.state == State.DECLINED else ""
        rows.append(f'"{req.supplier.name}",{req.supplier.key},{name},"{declined}"')
    (tmp_path / "asked.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "reference.xlsx").write_bytes(campaign.blank_template_bytes())
    lists = []
    for number, kept in enumerate(AuditStatusList.objects.order_by("as_of", "imported_at", "pk")):
        path = tmp_path / f"status-{number}.csv"
        lines = ["Smelter ID,Assessment Status"] + [
            f"{r.smelter_id},{r.raw_status or r.status}" for r in kept.records.order_by("pk")
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        lists.append(f'[[reference.status_lists]]\npath = "{path.name}"\ndate = {kept.as_of.isoformat()}\n')
    from oretrace.cli.report_settings import example_settings

    settings = example_settings().replace('suppliers = "suppliers-asked.csv"', 'suppliers = "asked.csv"')
    settings = settings.replace(
        '# minimum_version = "6.4"', f'minimum_version = "{campaign.minimum_version}"'
    )
    settings = settings.replace('template = "RMI_CMRT_6.5.xlsx"', 'template = "reference.xlsx"')
    settings = re.sub(
        r"\[\[reference.status_lists\]\].*?date = 2026-01-15[^\n]*\n", "".join(lists), settings, flags=re.S
    )
    (tmp_path / "oretrace.toml").write_text(settings, encoding="utf-8")
    _register_commands()
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(folder),
            "-s",
            str(tmp_path / "oretrace.toml"),
            "-o",
            str(tmp_path / "out"),
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    cli = zipfile.ZipFile(tmp_path / "out" / "evidence.zip")
    web_figures = {row["Key"]: row["Value"] for row in read_csv(package, "survey/figures.csv")}
    cli_figures = {row["Key"]: row["Value"] for row in read_csv(cli, "survey/figures.csv")}
    for key in (
        "in_scope",
        "surveyed",
        "responded",
        "returned",
        "declined",
        "not_responded",
        "errors",
        "warnings",
    ):
        assert cli_figures[key] == web_figures[key], key
    web_rollup, cli_rollup = (json.loads(p.read("rollup/rollup.json")) for p in (package, cli))
    for part in ("smelters", "unidentified", "findings"):
        cli_rows, web_rows = _without_fictional(cli_rollup[part], web_rollup[part])
        assert cli_rows == web_rows, part


def _without_fictional(cli_rows: list[dict], web_rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Both sides without the demo's fictional smelter. The web app holds it beside RMI's list
    (demo_status) under a made-up CID, which no file can give the command line (its facilities file
    refuses CIDs, as they are RMI's). So its rows and candidacies are left out of both sides, and the
    web's reference list is named without it ("CMRT 6.5 + 1 not RMI-listed" is the CLI's "CMRT 6.5")."""

    def without(row: dict, release_suffix: str = "") -> dict:
        if "candidates" in row:
            row = {**row, "candidates": [c for c in row["candidates"] if c["smelter_id"] != FICTIONAL_CID]}
        if release_suffix:
            row = json.loads(json.dumps(row).replace(release_suffix, ""))
        return row

    def kept(rows: list[dict], release_suffix: str = "") -> list[dict]:
        return [without(r, release_suffix) for r in rows if FICTIONAL_CID not in json.dumps(without(r))]

    return kept(cli_rows), kept(web_rows, " + 1 not RMI-listed")
