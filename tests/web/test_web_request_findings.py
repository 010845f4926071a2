"""The findings table of the request page: errors first, one line for the same issue across the metals,
one line per cell, and a ticked line asks the supplier every finding it stands for."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from staff_data import campaign_with_suppliers, staff

from oretrace.review import Finding, ReviewReport
from oretrace.rollup.analyse import FileAnalysis
from oretrace.web.campaigns.models import FollowUp, State, Submission
from oretrace.web.staff.findings import finding_lines

pytestmark = pytest.mark.django_db


def covered(mineral: str, cell: str) -> dict:
    return {
        "code": "covered-countries-sourcing",
        "severity": "warning",
        "mineral": mineral,
        "sheet": "Declaration",
        "cell": cell,
        "message": f"High risk: Q3 for {mineral} is “Yes”: smelters source {mineral} from the covered countries.",
        "question": f"Which smelters source {mineral} from the covered countries?",
    }


FINDINGS = [
    {
        "code": "smelter-name-missing",
        "severity": "info",
        "mineral": None,
        "sheet": "Smelter List",
        "cell": "D5",
        "message": "2 smelter rows have no name in column D.",
        "question": "No action needed if the look-up choices are right.",
    },
    covered("Tantalum", "D38"),
    covered("Tin", "D39"),
    covered("Gold", "D40"),
    covered("Tungsten", "D41"),
    {
        "code": "person-is-placeholder",
        "severity": "error",
        "mineral": None,
        "sheet": "Declaration",
        "cell": "D16",
        "message": "Email – Contact reads “same” instead of naming a person.",
        "question": "Please give the actual email – contact in Declaration!D16.",
    },
    {
        "code": "email-malformed",
        "severity": "warning",
        "mineral": None,
        "sheet": "Declaration",
        "cell": "D16",
        "message": "Email – Contact “same” is not a valid e-mail address.",
        "question": "Please correct the e-mail address in Declaration!D16.",
    },
]


@pytest.fixture
def page(client):
    _, bob, _ = staff()
    client.force_login(bob)
    _campaign, [req] = campaign_with_suppliers(1)
    req.transition(State.SENT, bob)
    report = ReviewReport("cmrt.xlsx", "CMRT", "6.4", 0, tuple(Finding(**f) for f in FINDINGS))
    submission = Submission.objects.create(
        request=req,
        version=1,
        sha256="0" * 64,
        filename="cmrt.xlsx",
        size=1000,
        uploaded_by_label="supplier via link",
        template_kind="CMRT",
        template_version="6.4",
        data={},
        record=FileAnalysis("cmrt.xlsx", kind="CMRT", version="6.4", report=report).as_dict(),
        findings_count=len(FINDINGS),
    )
    req.latest_submission = submission
    req.save(update_fields=["latest_submission"])
    req.transition(State.SUBMITTED, "supplier via link")
    return req, client.get(reverse("request", args=[req.pk])).content.decode()


def rows(html: str) -> list[str]:
    table = html[html.index('<table class="grid compact findings">') :]
    table = table[: table.index("</table>")]
    return re.findall(r"<tr data-severity=\"(\w+)\">", table)


def test_findings_are_ordered_by_severity_errors_first(page):
    _req, html = page
    assert rows(html) == ["error", "warning", "info"]


def test_the_same_issue_for_four_metals_is_one_line_naming_the_metals(page):
    _req, html = page
    assert html.count("covered countries") == 2  # the finding and its question, once each
    assert (
        "High risk: Q3 for Tantalum, Tin, Gold and Tungsten is “Yes”: smelters source Tantalum, Tin, Gold "
        "and Tungsten from the covered countries." in html
    )
    assert "Declaration!D38, D39, D40, D41" in html


def test_two_findings_on_the_same_cell_share_one_line(page):
    _req, html = page
    line = next(line for line in finding_lines(FINDINGS) if line.cells == ["D16"])
    assert [item.code for item in line.items] == ["person-is-placeholder", "email-malformed"]
    assert (line.severity, line.value) == ("error", "5,6")
    assert html.count("Declaration!D16</td>") == 1
    assert '<input type="checkbox" name="finding" value="5,6" checked>' in html


def test_ticking_a_grouped_line_asks_every_finding_it_stands_for(client, page):
    req, _html = page
    client.post(
        reverse("request_action", args=[req.pk, "follow-up"]),
        {"finding": ["1,2,3,4"], "file": req.latest_submission_id},
    )
    follow_up = FollowUp.objects.get(request=req)
    assert [q["mineral"] for q in follow_up.questions] == ["Tantalum", "Tin", "Gold", "Tungsten"]
