"""The campaign's smelter page shows the mines of the suppliers' Mine Lists per mineral: mine,
country, mineral, the suppliers reporting it and its location flag, as the core's roll-up counts them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from test_web_template_kinds import (  # analyst: the fixture, with its organisation
    _new_campaign,
    _tianma_request,
    _upload_through_the_link,
    analyst,  # noqa: F401
)

from filled_templates import EMRT21, emrt21_bytes
from oretrace.web.campaigns.rollup import campaign_rollup

pytestmark = pytest.mark.django_db

DRC_MINE = ("Cobalt", "Glencore Nikkelverk", "Kamoto Copper Company", "MINE-KCC-01", "Company", "DRC")
INDIAN_MINE = ("Mica", None, "Koderma Mica Mine", None, None, "INDIA")


@pytest.mark.usefixtures("analyst")
def test_the_smelter_page_lists_the_mines_per_mineral_with_their_flag(client):
    campaign = _new_campaign(client, "EMRT", "2.1", EMRT21, "Cobalt, mica")
    request = _tianma_request(campaign)
    data = emrt21_bytes(picked=("Cobalt", "Mica"), mines=[DRC_MINE, INDIAN_MINE])
    _upload_through_the_link(client, request, data, "EMRT_2025.xlsx")

    page = client.get(reverse("smelters", args=[campaign.pk])).content.decode()
    table = page[page.index('<table class="grid mines">') :]
    rows = table.split("<tr>")[2:]
    assert [row.split("<td>")[3].split("<")[0] for row in rows] == ["Cobalt", "Mica"]
    kamoto, koderma = rows
    assert "Kamoto Copper Company" in kamoto and "MINE-KCC-01" in kamoto
    assert "Congo, Democratic Republic of the" in kamoto and "supplies Glencore Nikkelverk" in kamoto
    assert "Tianma Components Co., Ltd." in kamoto and '<span class="tag">Covered Country</span>' in kamoto
    assert "Koderma Mica Mine" in koderma and "India" in koderma and 'class="tag"' not in koderma
    # The page shows the core's mines, not a count of its own.
    assert [m.name for m in campaign_rollup(campaign).rollup.mines] == [
        "Kamoto Copper Company",
        "Koderma Mica Mine",
    ]

    only_mica = client.get(reverse("smelters", args=[campaign.pk]), {"metal": "Mica"}).content.decode()
    assert "Koderma Mica Mine" in only_mica and "Kamoto Copper Company" not in only_mica


@pytest.mark.usefixtures("analyst")
def test_a_campaign_without_mine_lists_shows_no_mine_table(client):
    campaign = _new_campaign(client, "EMRT", "2.1", EMRT21, "Cobalt")
    _upload_through_the_link(client, _tianma_request(campaign), emrt21_bytes(picked=("Cobalt",)), "EMRT.xlsx")
    page = client.get(reverse("smelters", args=[campaign.pk])).content.decode()
    assert "Mines reported in the Mine Lists" not in page
