"""The Article 52(3) battery due-diligence report: its figures are the roll-up's over Annex X's raw
materials, its sentences are chosen by the data and the settings, and it renders like the CMR."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile

import pytest

from batteries.battery_factories import (
    ACTIONS,
    ANNEX_X_CONFORMANT,
    ANNEX_X_FACILITIES,
    make_battery_inputs,
    with_settings,
)
from oretrace.batteries.report import build_battery_report, render_battery_report
from oretrace.batteries.scope import Turnover
from oretrace.reports.document import SOURCE_KEYS, Table
from oretrace.reports.render_pdf import pdf_unavailable
from oretrace.risk.assess import assess
from oretrace.risk.flags import AnnexXRisk


def _table(document, caption_start: str) -> Table:
    return next(t for t in document.tables() if t.caption.split(". ", 1)[1].startswith(caption_start))


def _rows(table: Table) -> dict[str, list[str]]:
    return {row[0]: [c if isinstance(c, str) else c.text for c in row[1:]] for row in table.rows}


def test_the_report_counts_only_the_annex_x_raw_materials_of_the_roll_up():
    document = build_battery_report(make_battery_inputs())
    rows = _rows(_table(document, "Facilities identified per Annex X raw material"))
    assert rows["Cobalt"] == ["point 1(a)", "4", "3", "1"]
    assert rows["Natural graphite"] == ["point 1(b)", "1", "1", "0"]
    assert rows["Lithium"] == ["point 1(c)", "0", "0", "0"]
    assert rows["Nickel"] == ["point 1(d)", "2", "1", "0"]
    assert rows["Total"] == ["", str(ANNEX_X_FACILITIES), str(ANNEX_X_CONFORMANT), "1"]
    annex = _table(document, "Facilities identified, by raw material")
    assert {row[0] for row in annex.rows} == {"Cobalt", "Natural graphite", "Nickel"}
    assert len(annex.rows) == ANNEX_X_FACILITIES


def test_without_an_audit_status_no_facility_is_counted_conformant_or_not():
    inputs = make_battery_inputs()
    rollup = dataclasses.replace(
        inputs.report.rollup,
        smelters=tuple(
            dataclasses.replace(s, audit_status=None, status_as_of=None)
            for s in inputs.report.rollup.smelters
        ),
    )
    document = build_battery_report(
        dataclasses.replace(inputs, report=dataclasses.replace(inputs.report, rollup=rollup))
    )
    table = _table(document, "Facilities identified per Annex X raw material")
    assert table.header == ("Raw material", "Annex X", "Facilities identified", "Names not matched")
    text = document.plain_text()
    assert "none has an audit status, since no status list was applied to the roll-up" in text
    assert "conformant with an independent audit standard" not in text
    assert not any(t.caption.endswith("by audit status") for t in document.tables())
    annex = _table(document, "Facilities identified, by raw material")
    assert annex.header == ("Raw material", "Facility", "Country", "ID")


def test_the_report_says_which_returned_templates_its_figures_count():
    text = build_battery_report(make_battery_inputs()).plain_text()
    assert (
        "The results below count the answers and smelters of the 247 supplier templates we received." in text
    )
    assert "We matched the facilities the templates name against RMI's smelter list" in text


def test_every_figure_of_the_report_has_a_known_source():
    document = build_battery_report(make_battery_inputs(actions=ACTIONS))
    figures = list(document.figures())
    assert figures
    assert all(f.source.key in SOURCE_KEYS for f in figures)


def test_the_risk_sentence_names_the_conformant_share_and_the_cahra_facility():
    text = build_battery_report(make_battery_inputs()).plain_text()
    assert "Of the 7 facilities identified, 5 are conformant with an independent audit standard" in text
    assert "(71%)" in text
    assert (
        "(71%), 1 is located in the Democratic Republic of the Congo or an adjoining country, and 1 in a "
        "conflict-affected or high-risk area on EU CAHRA list of 2025-06-30." in text
    )


def test_before_18_august_2027_the_basis_says_the_obligations_do_not_yet_apply():
    text = build_battery_report(make_battery_inputs(year=2025)).plain_text()
    assert "at the end of this reporting period, 31 December 2025, they did not yet apply" in text
    later = build_battery_report(make_battery_inputs(year=2027)).plain_text()
    assert "applied at the end of this reporting period" in later
    assert "did not yet apply" not in later


def test_the_basis_says_the_commission_guidelines_were_not_available_until_one_is_named():
    text = build_battery_report(make_battery_inputs()).plain_text()
    assert "guidelines on battery due diligence, due by 26 July 2026" in text
    assert "were not available to us when this report was prepared" in text
    named = build_battery_report(make_battery_inputs(guidelines="C/2026/1234 of 20 July 2026")).plain_text()
    assert (
        "follows the Commission's guidelines on battery due diligence: C/2026/1234 of 20 July 2026." in named
    )
    assert "not available" not in named


def test_a_company_below_the_article_47_limit_outside_a_larger_group_is_said_to_be_exempt():
    small = build_battery_report(make_battery_inputs(turnover=Turnover(12_000_000))).plain_text()
    assert "was EUR 12,000,000 (as stated in our report settings)" in small
    assert "which exempts us from Chapter VII; we publish this report voluntarily" in small
    grouped = build_battery_report(
        make_battery_inputs(turnover=Turnover(12_000_000, group_turnover_eur=90_000_000))
    ).plain_text()
    assert "on a consolidated basis, EUR 90,000,000" in grouped
    assert "Article 47's exemption, for operators below EUR 40,000,000, does not apply to us." in grouped


def test_an_unstated_turnover_leaves_the_exemption_unsaid():
    text = build_battery_report(make_battery_inputs(turnover=Turnover(None))).plain_text()
    assert "our report settings state no net turnover, so this report does not say whether" in text
    assert "exempts us" not in text


def test_the_risk_actions_are_counted_per_annex_x_category_with_how_they_stand():
    document = build_battery_report(make_battery_inputs(actions=ACTIONS))
    rows = _rows(_table(document, "Risk actions per risk category"))
    assert rows == {
        "Water, including the seabed and marine environment, water pollution, water use, water quantity "
        "(floods or droughts) and access to water": ["Environment, climate and human health", "1", "0", "1"],
        "Child labour": ["Human rights, labour rights and industrial relations", "2", "1", "1"],
    }
    text = document.plain_text()
    assert "this 2025 inquiry holds 3 actions assigned to a risk category of Annex X" in text
    assert "1 was closed and 2 remain open" in text
    assert "Child labour (Regulation (EU) 2023/1542, Annex X, point 2(b)(ii)) – Cobalt Refinery 4" in text


def test_a_register_without_annex_x_actions_states_no_adverse_impact():
    text = build_battery_report(make_battery_inputs()).plain_text()
    assert (
        "No risk action in our register for this 2025 inquiry is assigned to a risk category of Annex X"
        in text
    )
    assert "this report therefore states no adverse impact in those categories" in text


def test_blank_settings_are_said_to_be_blank_never_filled_with_a_claim():
    inputs = with_settings(make_battery_inputs(), battery_categories=(), policy_url="", notified_body="")
    text = build_battery_report(inputs).plain_text()
    assert "Our report settings name no category of batteries we place on the market" in text
    assert (
        "Our report settings give no address at which our battery due-diligence policy is published" in text
    )
    assert "No notified body has verified our battery due-diligence policy for this reporting period." in text


def test_a_named_notified_body_and_the_battery_categories_are_printed_as_stated():
    inputs = with_settings(make_battery_inputs(), notified_body="TÜV Example GmbH (NB 9999)")
    document = build_battery_report(inputs)
    text = document.plain_text()
    assert (
        "was verified by TÜV Example GmbH (NB 9999), the notified body named in our report settings" in text
    )
    assert "- Industrial batteries\n- Electric vehicle batteries" in text


def test_an_unknown_battery_category_is_refused_with_the_choices():
    from oretrace.errors import BadInput

    with pytest.raises(BadInput, match="Unknown battery categories: toys; choose from portable"):
        make_battery_inputs(battery_categories=("toys",))


def test_the_report_renders_as_html_and_docx_with_its_title():
    inputs = make_battery_inputs(actions=ACTIONS)
    html = render_battery_report(inputs, "html").decode("ascii")
    assert "Battery Due Diligence Report" in html
    docx = render_battery_report(inputs, "docx", sources=False)
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        assert "Battery Due Diligence Report" in z.read("word/document.xml").decode()


@pytest.mark.skipif(pdf_unavailable() is not None, reason=f"no PDF engine: {pdf_unavailable()}")
def test_the_report_renders_as_pdf():
    assert render_battery_report(make_battery_inputs(), "pdf").startswith(b"%PDF")


def _with_risk(inputs, *tagged):
    risk = assess(inputs.report.rollup, as_of=dt.date(2026, 3, 2), annex_x=tagged)
    return dataclasses.replace(inputs, risk=risk)


def test_the_risk_section_cites_the_red_flags_raised_per_annex_x_category():
    water = AnnexXRisk(
        "smelter", "NIC00002", "Nickel Refinery 2", "water", "risk action #3", dt.date(2026, 2, 9)
    )
    document = build_battery_report(_with_risk(make_battery_inputs(), water))
    text = document.plain_text()
    assert "Our risk assessment of 2 March 2026 raises red flags in the following risk categories" in text
    # The DRC cobalt refiner raises the conflict category from the data, for it and its one supplier.
    assert (
        "Direct or indirect support to non-state armed groups (OECD Due Diligence Guidance, Annex II (model "
        "supply chain policy)): 1 supplier and 1 facility flagged." in text
    )
    assert (
        "Water, including the seabed" in text
        and "point 2(a)(ii)): 0 suppliers and 1 facility flagged." in text
    )
    flagged = [f for f in document.figures() if f.source.key == "risk.flags"]
    assert ("flag", "smelter-annex-x-water") in {p for f in flagged for p in f.source.params}


def test_an_assessment_without_annex_x_flags_says_so_and_none_says_nothing():
    inputs = make_battery_inputs()
    no_cahra = dataclasses.replace(
        inputs,
        report=dataclasses.replace(
            inputs.report,
            rollup=dataclasses.replace(
                inputs.report.rollup,
                smelters=tuple(s for s in inputs.report.rollup.smelters if not s.cahra),
            ),
        ),
    )
    text = build_battery_report(_with_risk(no_cahra)).plain_text()
    assert "raises no red flag in a risk category of Annex X, point 2" in text
    assert "red flag" not in build_battery_report(inputs).plain_text()
