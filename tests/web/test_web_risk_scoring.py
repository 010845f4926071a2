"""The risk page's distribution, the suppliers awaiting response, each score with the flags that make
it up, and the page on how the score is computed, through the test client."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from fictional_template import build_cmrt
from staff_data import audit_statuses, campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.risk import RiskThresholds
from oretrace.survey import ResultsRule
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import State
from oretrace.web.risk.models import YearThresholds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    """Supplier 0 names the non-conformant CID900001; Supplier 1 does too and answered No to company
    question A; Supplier 2 was asked and has not answered, its due date a month away."""
    alice, bob, vera = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    audit_statuses(alice, {"CID900001": "Non-Conformant"})
    campaign, requests = campaign_with_suppliers(3)
    campaign.due_date = timezone.localdate() + dt.timedelta(days=30)
    campaign.save()
    submitted(requests[0])
    submitted(requests[1], data=cmrt_bytes("Supplier 1 Ltd", D75="No"))
    requests[2].transition(State.SENT, bob)
    return {"admin": alice, "analyst": bob, "viewer": vera, "campaign": campaign, "requests": requests}


def _counts(page: str) -> dict[str, int]:
    """The distribution's figures as the page prints them: data-count="supplier-high" -> <b>n</b>."""
    return {k: int(n) for k, n in re.findall(r'data-count="([a-z]+-[a-z]+)"><b>(\d+)</b>', page)}


def test_the_distribution_counts_suppliers_and_smelters_by_rating_as_the_core_does(client, world):
    client.force_login(world["viewer"])
    response = client.get(reverse("risk", args=[world["campaign"].pk]))
    a = response.context["a"]
    page = response.content.decode()
    assert _counts(page) == {
        **{f"supplier-{r}": n for r, n in a.supplier_counts().items()},
        **{f"smelter-{r}": n for r, n in a.smelter_counts().items()},
    }
    # Supplier 1: the non-conformant smelter (7) and the No to question A (7) make it high; Supplier 0
    # names the same smelter and is medium; the smelter itself is medium.
    ratings = {r.subject: r.rating for r in a.suppliers}
    assert ratings["Supplier 1"] == "high" and ratings["Supplier 0"] == "medium"
    assert a.supplier_counts() == {"high": 1, "medium": 1, "low": 0}
    assert a.smelter_counts()["medium"] == 1 and a.smelter_counts()["high"] == 0
    supplier_bar = response.context["distribution"][0]
    assert supplier_bar["parts"] == [("high", 1, 50.0), ("medium", 1, 50.0), ("low", 0, 0)]
    assert 'role="img" aria-label="Suppliers: 1 high, 1 medium, 0 low"' in page


def test_a_supplier_before_its_due_date_is_awaiting_response_not_rated(client, world):
    client.force_login(world["analyst"])
    response = client.get(reverse("risk", args=[world["campaign"].pk]))
    page = response.content.decode()
    assert [w.name for w, _ in response.context["awaiting"]] == ["Supplier 2"]
    assert "Supplier 2" not in {r.subject for r in response.context["a"].suppliers}
    assert "1</b> supplier awaiting response" in page
    assert "had returned no CMRT" not in page
    assert f'href="{reverse("request", args=[world["requests"][2].pk])}">Supplier 2</a>' in page


def test_a_supplier_silent_past_the_due_date_and_grace_days_is_flagged(client, world):
    campaign = world["campaign"]
    campaign.due_date = timezone.localdate() - dt.timedelta(days=14)
    campaign.save()
    client.force_login(world["analyst"])
    assert [w.name for w, _ in client.get(reverse("risk", args=[campaign.pk])).context["awaiting"]] == [
        "Supplier 2"
    ]
    campaign.due_date = timezone.localdate() - dt.timedelta(days=15)
    campaign.save()
    response = client.get(reverse("risk", args=[campaign.pk]))
    assert response.context["awaiting"] == []
    quiet = next(r for r in response.context["a"].suppliers if r.subject == "Supplier 2")
    assert (quiet.rating, quiet.flags[0].code) == ("high", "supplier-no-response")
    assert "15 days after it was due on" in response.content.decode()


def test_each_score_is_shown_with_the_points_of_its_flags(client, world):
    client.force_login(world["analyst"])
    page = client.get(reverse("risk", args=[world["campaign"].pk]) + "?kind=supplier").content.decode()
    supplier_1 = next(
        r
        for r in client.get(reverse("risk", args=[world["campaign"].pk])).context["a"].suppliers
        if r.subject == "Supplier 1"
    )
    assert f'<td class="num">{supplier_1.score:g}</td>' in page
    assert "Answered No to company-level policy questions" in page
    assert "7 points" in page


def test_the_scoring_page_is_linked_and_shows_the_years_thresholds(client, world):
    client.force_login(world["viewer"])
    risk_page = client.get(reverse("risk", args=[world["campaign"].pk])).content.decode()
    url = reverse("risk_scoring", args=[2025])
    assert f'href="{url}">How the score is computed</a>' in risk_page
    defaults = client.get(url).content.decode()
    assert "oretrace's default thresholds (none saved for 2025)" in defaults
    assert "**high** from 12, **medium** from 6" in defaults
    YearThresholds.save_for(
        world["campaign"].reporting_year,
        RiskThresholds(high_score=14, no_response_grace_days=30),
        world["admin"],
    )
    saved = client.get(url).content.decode()
    assert "**high** from 14" in saved and "until the due date plus 30 grace days" in saved
    assert client.get(reverse("risk_scoring", args=[1999])).status_code == 404


def test_the_years_grace_days_are_an_admin_setting(client, world):
    client.force_login(world["admin"])
    form = client.get(reverse("risk_thresholds_edit", args=[2025])).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.pop("active_counts_as_mitigated", None)
    data["no_response_grace_days"] = "-1"
    refused = client.post(reverse("risk_thresholds_edit", args=[2025]), data)
    assert "no_response_grace_days must be at least 0, not -1" in refused.content.decode()
    data["no_response_grace_days"] = "0"
    client.post(reverse("risk_thresholds_edit", args=[2025]), data)
    assert YearThresholds.for_year(world["campaign"].reporting_year).no_response_grace_days == 0


def test_the_demo_gives_a_realistic_spread_most_suppliers_low_and_few_high(monkeypatch, tmp_path):
    from oretrace.web import demo
    from oretrace.web.campaigns.models import Campaign
    from oretrace.web.risk.assessment import campaign_risk

    monkeypatch.setattr(demo, "SHARED", tmp_path / "no-shared")
    demo.load_demo(indirect=48, log=lambda _: None)
    assessment = campaign_risk(
        Campaign.objects.get(reporting_year__year=2025, closed=False, template_kind="CMRT")
    ).assessment
    suppliers, smelters = assessment.supplier_counts(), assessment.smelter_counts()
    rated = sum(suppliers.values())
    assert suppliers["low"] > rated / 2, suppliers  # most low
    assert 0 < suppliers["high"] < suppliers["medium"] < suppliers["low"], (
        suppliers
    )  # some medium, a few high
    assert smelters["low"] > sum(smelters.values()) * 0.8, smelters


def test_the_page_says_which_returned_templates_the_results_leave_out_unassessed(client, world):
    campaign = world["campaign"]
    campaign.results_rule = ResultsRule.ACCEPTED_WITH_EXCEPTIONS  # neither file is accepted yet
    campaign.save()
    client.force_login(world["viewer"])
    response = client.get(reverse("risk", args=[campaign.pk]))
    assert response.context["a"].survey.returned_not_in_results == 2
    assert response.context["a"].suppliers == ()
    assert (
        "2 returned templates not in the results yet (accepted, and accepted with exceptions) are not "
        "assessed" in " ".join(response.content.decode().split())
    )
