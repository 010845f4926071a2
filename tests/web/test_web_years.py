"""Year over year in the app: a campaign started from last year's, and the core's changes since last
year on the supplier's and smelter's pages and in the compare view, over the demo's two years."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oretrace.web import demo
from oretrace.web.campaigns import years
from oretrace.web.campaigns.models import DEFAULT_TEXTS, Campaign, State
from oretrace.web.suppliers.models import Supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years(client, monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "SHARED", tmp_path / "no-shared")
    demo.load_demo(indirect=23, log=lambda _: None)
    assert client.login(username="analyst", password=demo.DEMO_PASSWORD)
    return (
        Campaign.objects.get(reporting_year__year=2024),
        Campaign.objects.get(reporting_year__year=2025, closed=False, template_kind="CMRT"),
    )


def test_the_demo_shows_what_changed_since_last_year(client, two_years):
    last, this = two_years
    assert years.previous_campaign(this) == last
    changes = years.year_changes(this)
    assert (changes.last_year, changes.this_year) == (2024, 2025)
    both = changes.suppliers_in_both_years
    assert both and any(s.changed for s in both)
    page = client.get(reverse("campaign_compare", args=[this.pk])).content.decode()
    assert "2025 compared with 2024" in page and "Suppliers whose answers changed" in page
    # The supplier's page names its own changes, read from the same result.
    changed = next(s for s in both if s.changed)
    supplier = Supplier.objects.get(name=changed.supplier)
    text = client.get(reverse("supplier", args=[supplier.pk])).content.decode()
    assert "Since 2024" in text
    if changed.new_smelters:
        assert changed.new_smelters[0].smelter_id in text
    if changed.answers_changed:
        assert "Answer changed:" in text
    # A smelter's page says whether it is new, dropped or changed status, and who names it.
    smelter = next(iter(changes.smelters))
    text = client.get(reverse("campaign_smelter", args=[this.pk, smelter.smelter_id])).content.decode()
    assert smelter.name in text and "Since 2024" in text and "Sample reference list." in text
    assert client.get(reverse("campaign_smelter", args=[this.pk, "CID999999"])).status_code == 404


def test_a_new_campaign_starts_from_last_years_suppliers(client, two_years):
    _last, this = two_years
    fields = {
        "name": "RCOI 2026",
        "year": "2026",
        "template_kind": "CMRT",
        "minimum_version": "6.4",
        "due_date": "2027-03-31",
        "reminder_days_text": "14, 28",
        "escalation_days": "42",
        "start_from": str(this.pk),
        **DEFAULT_TEXTS,
    }
    response = client.post(reverse("campaign_new"), fields)
    assert response.status_code == 302
    new = Campaign.objects.get(reporting_year__year=2026)
    assert set(new.requests.values_list("supplier_id", flat=True)) == set(
        this.requests.values_list("supplier_id", flat=True)
    )
    assert set(new.requests.values_list("state", flat=True)) == {State.DRAFT}
    assert years.previous_campaign(new) == this
