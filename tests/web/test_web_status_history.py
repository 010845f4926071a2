"""Every imported audit-status list is kept with its records, so the risk assessment reads the core's
StatusHistory: a conformance whose cycle ended is flagged as expired, and of two lists the one with the
later date counts whichever was imported first. The listings keep reading the facility's latest status."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from staff_data import campaign_with_suppliers, staff, submitted

from oretrace.smelters import AuditStatus
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import AuditStatusList, AuditStatusRecord, Facility
from oretrace.web.campaigns.rollup import campaign_rollup
from oretrace.web.risk.assessment import campaign_risk

pytestmark = pytest.mark.django_db

HEADER = "Smelter ID,Metal,Standard Smelter Name,Assessment Status,Last Audit Date,Audit Cycle,Next Audit\n"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(client):
    """Supplier 0 answered and names CID900001 (tantalum) and CID900007 (tin); bob the analyst imports."""
    from fictional_template import build_cmrt

    _alice, bob, _vera = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    campaign, requests = campaign_with_suppliers(2)
    submitted(requests[0])
    client.force_login(bob)
    return {"campaign": campaign, "analyst": bob}


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def import_list(client, rows: str, filename: str, as_of: dt.date):
    handle = io.BytesIO((HEADER + rows).encode())
    handle.name = filename
    return client.post(
        reverse("reference"),
        {"status-file": handle, "status-as_of": as_of.isoformat()},
        follow=True,
    )


def risk_page(client, world, **filters) -> str:
    return client.get(reverse("risk", args=[world["campaign"].pk]), filters).content.decode()


def test_it_keeps_every_imported_list_with_its_records(client, world):
    import_list(
        client,
        "CID900001,Tantalum,Demo Tantalum Smelter 01,Conformant,2025-03-04,1 year,2026-03-04\n"
        "CID999999,Tin,Not in our reference list,Active,,,Re-assessment in progress\n",
        "rmap-spring.csv",
        days_ago(200),
    )
    import_list(
        client, "CID900001,Tantalum,Demo Tantalum Smelter 01,Non Conformant,,,\n", "rmap.csv", days_ago(20)
    )

    assert list(AuditStatusList.objects.values_list("name", "as_of")) == [
        ("rmap-spring.csv", days_ago(200)),
        ("rmap.csv", days_ago(20)),
    ]
    spring = AuditStatusRecord.objects.get(status_list__name="rmap-spring.csv", smelter_id="CID900001")
    assert (spring.status, spring.raw_status, spring.last_audit, spring.cycle, spring.next_audit) == (
        "Conformant",
        "Conformant",
        dt.date(2025, 3, 4),
        "1 year",
        dt.date(2026, 3, 4),
    )
    # A facility we do not know is kept too, with the list's own words for its next audit.
    unknown = AuditStatusRecord.objects.get(smelter_id="CID999999")
    assert (unknown.status, unknown.next_audit, unknown.next_audit_text) == (
        "Active",
        None,
        "Re-assessment in progress",
    )

    history = reference.status_history()
    assert [r.status for r in history.history("CID900001")] == [
        AuditStatus.CONFORMANT,
        AuditStatus.NON_CONFORMANT,
    ]
    assert history.record_on("CID900001", days_ago(100)).source == "rmap-spring.csv"
    assert history.latest("CID900001").as_of == days_ago(20)
    # The reference page lists them, newest first.
    page = client.get(reverse("reference")).content.decode()
    assert page.index("rmap.csv") < page.index("rmap-spring.csv")


def test_a_list_that_cannot_be_read_keeps_no_history(client, world):
    handle = io.BytesIO(b"Name,Status\nFoo,Active\n")
    handle.name = "wrong.csv"
    response = client.post(
        reverse("reference"), {"status-file": handle, "status-as_of": "2026-05-01"}, follow=True
    )
    assert "Nothing was changed." in response.content.decode()
    assert not AuditStatusList.objects.exists() and not AuditStatusRecord.objects.exists()


def test_an_expired_conformance_shows_the_expiry_flag(client, world):
    last = days_ago(500)  # a one-year cycle ended 135 days ago, past the 90-day grace
    recent = days_ago(100)
    import_list(
        client,
        f"CID900001,Tantalum,Demo Tantalum Smelter 01,Conformant,{last},1 year,\n"
        f"CID900007,Tin,Demo Tin Smelter 07,Conformant,{recent},1 year,\n",
        "rmap.csv",
        days_ago(10),
    )
    page = risk_page(client, world)
    ended = (
        last.replace(year=last.year + 1)
        if (last.month, last.day) != (2, 29)
        else dt.date(last.year + 1, 2, 28)
    )
    assert "RMAP conformance expired" in page
    assert (
        f"The RMAP conformance of Demo Tantalum Smelter 01 (Tantalum, CID900001) expired on {ended.isoformat()} "
        f"(last audit {last.isoformat()}, 1-year cycle)."
    ) in page
    assert "The RMAP conformance of Demo Tin Smelter 07" not in page  # audited 100 days ago: still holds


def test_of_two_lists_the_later_dated_one_counts(client, world):
    newer, older = days_ago(10), days_ago(200)
    import_list(client, "CID900007,Tin,Demo Tin Smelter 07,Active,,,\n", "rmap-new.csv", newer)
    # Imported afterwards but published earlier: it does not replace the newer status.
    import_list(client, "CID900007,Tin,Demo Tin Smelter 07,Non-Conformant,,,\n", "rmap-old.csv", older)

    # Active is no red flag under the default thresholds: the rating's status says it.
    assert "CID900007" in risk_page(client, world, status="Active")
    assert "CID900007" not in risk_page(client, world, status="Non-Conformant")
    assert "is listed as Non-Conformant" not in risk_page(client, world)
    tin = next(r for r in campaign_risk(world["campaign"]).assessment.smelters if r.key == "CID900007")
    assert tin.status == "Active"
    assert Facility.objects.get(smelter_id="CID900007").status == "active"  # the listings agree

    # A list published later still replaces it, in the assessment and in the listings.
    latest = days_ago(2)
    import_list(client, "CID900007,Tin,Demo Tin Smelter 07,Non-Conformant,,,\n", "rmap-latest.csv", latest)
    page = risk_page(client, world)
    assert (
        f"Demo Tin Smelter 07 (Tin, CID900007) is listed as Non-Conformant in the RMAP list of {latest.isoformat()}"
    ) in page
    assert Facility.objects.get(smelter_id="CID900007").status == "non_conformant"
    rollup = campaign_rollup(world["campaign"]).rollup
    tin = next(s for s in rollup.smelters if s.smelter_id == "CID900007")
    assert (tin.audit_status, tin.status_as_of) == ("Non-Conformant", latest)
