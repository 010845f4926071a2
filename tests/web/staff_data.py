"""Staff users of each role, and a campaign with suppliers and one reviewed file, for the staff-page tests."""

from __future__ import annotations

import datetime as dt
import functools
import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from fictional_template import build_cmrt

from oretrace.survey import ResultsRule
from oretrace.web.accounts.models import Profile, Role
from oretrace.web.campaigns.intake import store_file
from oretrace.web.campaigns.models import Campaign, Request, State, Submission
from oretrace.web.reports.models import EvidenceBuild
from oretrace.web.suppliers.models import Contact, Organisation, Part, ReportingYear, Supplier, SupplierPart

PASSWORD = "a-long-test-password"


def make_user(name: str, role: str):
    user = get_user_model().objects.create_user(name, f"{name}@acme.example", PASSWORD)
    Profile.objects.create(user=user, role=role)
    return user


def staff():
    """alice the admin, bob the analyst, vera the viewer."""
    return make_user("alice", Role.ADMIN), make_user("bob", Role.ANALYST), make_user("vera", Role.VIEWER)


def cmrt_bytes(
    company: str = "Tianma Components Co., Ltd.", extra_smelters: tuple[dict, ...] = (), **cells
) -> bytes:
    """A CMRT 6.5 with a complete Declaration; ``cells`` overrides single Declaration cells and
    ``extra_smelters`` (Smelter List column letter -> value) are listed after the usual five."""
    declaration = {
        "D8": company,
        "D9": "A. Company",
        "D15": "Li Wei",
        "D16": "li.wei@tianma.example",
        "D17": "+86 755 1234 5678",
        "D18": "Zhang Min",
        "D19": "Quality Director",
        "D20": "zhang.min@tianma.example",
        "D22": dt.date(2026, 1, 15),
    }
    for header in (25, 31, 37, 43, 49, 55, 61, 67):
        for offset in range(1, 5):
            declaration[f"D{header + offset}"] = {55: "100%", 37: "No", 43: "No", 49: "No"}.get(header, "Yes")
    for row in range(75, 91, 2):
        declaration[f"D{row}"] = "Yes"
    declaration["D83"] = "Yes, in conformance with IPC1755 (e.g., CMRT)"
    declaration["D89"] = "No"
    declaration["G77"] = "https://tianma.example/policy"
    declaration.update(cells)
    smelters = [
        {
            "B": metal,
            "C": f"Demo {metal} Smelter {i:02d}",
            "D": f"Demo {metal} Smelter {i:02d}",
            "E": "China",
            "F": f"CID9{i:05d}",
            "G": "RMI",
        }
        # The demo reference list has six facilities per metal: CID900001 is tantalum, 900007 tin ...
        for i, metal in ((1, "Tantalum"), (7, "Tin"), (13, "Gold"), (19, "Tungsten"))
    ]
    smelters.append(
        {"B": "Gold", "C": "Smelter not listed", "D": "Shandong Gold Refinery (local)", "E": "China"}
    )
    return build_cmrt(declaration, smelters=[*smelters, *extra_smelters])


@functools.cache
def blank_template() -> bytes:
    return build_cmrt({})


def campaign_with_suppliers(n: int = 3) -> tuple[Campaign, list[Request]]:
    Organisation.objects.create(name="Acme Instruments", contact_email="rci@acme.example")
    year = ReportingYear.objects.create(year=2025)
    # The files of these fixtures are not accepted: the pages under test count every file received
    # (test_web_acceptance.py holds the default rule, accepted files only).
    campaign = Campaign.objects.create(
        name="RCOI 2025",
        reporting_year=year,
        due_date=dt.date(2026, 3, 31),
        reminder_days=[14, 28],
        results_rule=ResultsRule.RECEIVED,
    )
    # A campaign sends only with the blank template its invitation promises (Campaign.cannot_send).
    campaign.store_blank_template(blank_template(), "RMI_CMRT_6.5.xlsx")
    campaign.save(update_fields=["blank_template_sha256", "blank_template_name"])
    requests = []
    for i in range(n):
        supplier = Supplier.objects.create(key=f"V{i:03d}", name=f"Supplier {i}", country="China")
        Contact.objects.create(
            supplier=supplier, email=f"rep{i}@s{i}.example", name=f"Rep {i}", is_primary=True
        )
        # The files cmrt_bytes builds name Tianma as the company: the suppliers here stand for Tianma's
        # sales offices, each with a Tianma person on record, so the identity check (review.identity)
        # finds the file's own mail domain and no other company.
        Contact.objects.create(supplier=supplier, email="li.wei@tianma.example", name="Li Wei")
        part = Part.objects.create(number=f"P-{i:03d}", description="Tantalum capacitor")
        SupplierPart.objects.create(supplier=supplier, part=part)
        requests.append(Request.objects.create(campaign=campaign, supplier=supplier))
    return campaign, requests


def submitted(request: Request, by="supplier via link", data: bytes | None = None) -> Submission:
    if request.state == State.DRAFT:
        request.transition(State.SENT, "test")
    submission, error = store_file(request, data or cmrt_bytes(), "CMRT_2025.xlsx", by)
    assert error == "", error
    return submission


def audit_statuses(by, statuses: dict[str, str], as_of: dt.date = dt.date(2026, 1, 15)) -> None:
    """Import an RMAP status list giving each CID its status, as an admin does (the status history the
    roll-up and the pages read)."""
    from oretrace.web.campaigns.reference import apply_status_list

    rows = "".join(f"{cid},{status}\n" for cid, status in statuses.items())
    apply_status_list(f"Smelter ID,Assessment Status\n{rows}".encode(), "rmap-facilities.csv", as_of, by)


def built_evidence_package(client, campaign: Campaign) -> bytes:
    """The campaign's evidence package as staff get it: asked for on the reports page (as the client's
    user), built by one pass of the worker, downloaded from the page's link; checked to be the stored
    file byte for byte."""
    asked = client.post(reverse("report_evidence_build", args=[campaign.pk]))
    assert asked.status_code == 302 and asked["Location"] == reverse("report_evidence", args=[campaign.pk])
    call_command("build_evidence", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    build = EvidenceBuild.objects.filter(campaign=campaign).order_by("-pk").first()
    assert build.status == EvidenceBuild.Status.DONE, build.error
    link = reverse("report_evidence_file", args=[campaign.pk, build.pk])
    assert link in client.get(reverse("report_evidence", args=[campaign.pk])).content.decode()
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)
    assert data == build.file_path().read_bytes() and len(data) == build.size
    return data
