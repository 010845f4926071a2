"""The reader on the four real supplier CMRT 6.4 files: concrete values, not just "it parses"."""

from __future__ import annotations

import datetime as dt

from oretrace.rmi import TemplateKind, read_template
from samples import CENTRAL_GLASS, HONEYWELL, PKG, SK, shared_file


def test_it_reads_central_glass_company_block_and_tungsten_smelters():
    response = read_template(shared_file(CENTRAL_GLASS))
    assert (response.kind, response.version) == (TemplateKind.CMRT, "6.4")
    assert response.company.name.value == "Central Glass Co., Ltd."
    assert response.scope == "A"
    assert response.effective_date == dt.date(2024, 5, 10)
    assert [s.smelter_id for s in response.smelters] == ["CID002494", "CID002551", "CID002513", "CID002082"]
    assert {s.metal for s in response.smelters} == {"Tungsten"}
    assert response.checker_cached == 0
    assert len(response.lookup) == 660


def test_it_reads_sk_product_row_without_a_number():
    response = read_template(shared_file(SK))
    assert response.scope == "B"
    assert [(p.row, p.number, p.name) for p in response.products] == [(6, None, "WF6")]
    assert response.checker_cached == 1


def test_it_strips_honeywell_trailing_tabs_and_parses_its_text_date():
    response = read_template(shared_file(HONEYWELL))
    assert response.company.name.value == "Honeywell International"
    assert response.company.name.raw.endswith("\t")
    assert response.company.effective_date.raw == "02-May-2024"
    assert response.effective_date == dt.date(2024, 5, 2)
    assert response.scope == "C"
    assert response.answer("Tantalum", "Q6") == "100%"
    assert len(response.smelters_for("Tantalum")) == 22
    assert len(response.smelters_for("Tungsten")) == 18
    assert response.smelters[0].id_input == "CID002044"
    assert response.policy_url.value == "Honeywell Conflict Minerals Policy"


def test_it_reads_pkg_with_an_empty_company_block_and_67_smelters():
    response = read_template(shared_file(PKG))
    assert response.company.name.value is None
    assert response.scope is None
    assert len(response.smelters) == 67
    assert response.checker_cached == 8
    # formula blanks cached as 0 must not become the text "0"
    assert response.smelters[0].contact_name is None
