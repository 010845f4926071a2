"""The Annex X risk categories as red flags in the web app: an open risk action tagged with a category
flags its subject on the risk page, weighed with the reporting year's weight set on the thresholds
page; closing the action lifts the flag. A cobalt refiner in the DRC an EMRT names carries the conflict
category from the data (its EMRT is built from RMI's blank in ../shared; without it that test skips)."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse
from test_web_risk import _fresh_cache, risk_url, thresholds_post, world  # noqa: F401
from test_web_template_kinds import (  # analyst: the fixture, with its organisation
    ADVANCED,
    CHEMAF,
    _new_campaign,
    _tianma_request,
    _upload_through_the_link,
    analyst,  # noqa: F401
)

from filled_templates import EMRT21, emrt21_bytes
from oretrace.web.risk.assessment import campaign_risk
from oretrace.web.risk.models import ActionStatus, RiskAction

pytestmark = pytest.mark.django_db

CHILD_LABOUR = "supplier-annex-x-child-labour"


def _tag(world, category="child-labour") -> RiskAction:  # noqa: F811
    bob = world["analyst"]
    action = RiskAction.open_for(
        world["campaign"],
        by=bob,
        subject_kind="supplier",
        subject_key="Supplier 2",
        subject_label="Supplier 2",
        what="Ask for the supplier's child-labour assessment of its cobalt sources.",
    )
    assert action.set_annex_x_category(bob, category, was="")
    return action


def _supplier2(world):  # noqa: F811
    return next(r for r in campaign_risk(world["campaign"]).assessment.suppliers if r.key == "Supplier 2")


def test_an_action_tagged_child_labour_flags_its_supplier_on_the_risk_page(client, world):  # noqa: F811
    action = _tag(world)
    client.force_login(world["viewer"])
    page = client.get(risk_url(world, flag=CHILD_LABOUR)).content.decode()
    assert "Annex X risk (supplier): Child labour" in page
    assert (
        f"The open risk action #{action.pk}, opened on {action.created_at.date().isoformat()}, identifies on "
        "Supplier 2 a risk of the category \u201cChild labour\u201d (Regulation (EU) 2023/1542, Annex X, "
        "point 2(b)(ii))."
    ) in unescape(page)
    assert [r.key for r in client.get(risk_url(world, flag=CHILD_LABOUR)).context["page"]] == ["Supplier 2"]


def test_closing_the_tagged_action_lifts_the_flag(world):  # noqa: F811
    action = _tag(world)
    assert CHILD_LABOUR in [f.code for f in _supplier2(world).flags]
    action.close(world["analyst"], ActionStatus.DONE, "Assessment received and checked.")
    assert CHILD_LABOUR not in [f.code for f in _supplier2(world).flags]


def test_the_years_weight_of_an_annex_x_kind_is_set_on_the_thresholds_page(client, world):  # noqa: F811
    _tag(world)
    client.force_login(world["admin"])
    url = reverse("risk_thresholds_edit", args=[2025])
    assert f'name="w_{CHILD_LABOUR}"' in client.get(url).content.decode()
    assert client.post(url, thresholds_post(**{f"w_{CHILD_LABOUR}": "1"})).status_code == 302
    [flag] = [f for f in _supplier2(world).flags if f.code == CHILD_LABOUR]
    assert flag.weight == 1


@pytest.mark.usefixtures("analyst")
def test_a_cobalt_refiner_in_the_drc_carries_the_conflict_category(client):
    campaign = _new_campaign(client, "EMRT", "2.1", EMRT21, "Cobalt, mica")
    data = emrt21_bytes(picked=("Cobalt", "Mica"), smelters=[(ADVANCED, None), (CHEMAF, None)])
    _upload_through_the_link(client, _tianma_request(campaign), data, "EMRT_2025.xlsx")
    chemaf = next(r for r in campaign_risk(campaign).assessment.smelters if r.key == CHEMAF)
    assert "smelter-annex-x-oecd-armed-groups" in [f.code for f in chemaf.flags]
    page = client.get(reverse("risk", args=[campaign.pk]), {"flag": "supplier-annex-x-oecd-armed-groups"})
    assert (
        "Annex X risk (supplier): Direct or indirect support to non-state armed groups"
        in page.content.decode()
    )
    assert len(page.context["page"]) == 1
