"""The one-page management summary: headline figures, top risks with their reasons and actions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from oretrace.errors import BadInput
from oretrace.reports.render_pdf import pdf_unavailable
from oretrace.risk.assess import assess
from oretrace.risk.summary import OpenAction, build_summary, render
from reports.factories import make_rollup
from risk.factories import AS_OF, answers, asked, rollup, smelter, supplier

needs_pdf = pytest.mark.skipif(
    pdf_unavailable() is not None, reason=f"no PDF engine (WeasyPrint and Pango): {pdf_unavailable()}"
)


def campaign_assessment():
    return assess(
        rollup(
            [
                supplier("Acme Metals", answers_=answers(Tin={"Q3": "Yes"})),
                supplier("Borealis Alloys", errors=1),
                supplier("Clean Co"),
                supplier("=HYPERLINK(1)"),
            ],
            [
                smelter("Bad Tin Smelter", "CID000001", status="Non-Conformant", suppliers=("Acme Metals",)),
                smelter("Good Tin Smelter", "CID000002", suppliers=("Clean Co",)),
                smelter("Quiet Gold", "CID000003", metal="Gold", status=None, suppliers=("Clean Co",)),
            ],
        ),
        as_of=AS_OF,
        survey=asked(
            returned=("Acme Metals", "Borealis Alloys", "Clean Co", "=HYPERLINK(1)"), waiting=("Eagle Parts",)
        ),
    )


def test_the_html_gives_the_headline_figures():
    html = render(campaign_assessment(), "html", organisation="Norland Instruments, Inc.", year=2025).decode()
    assert "Norland Instruments, Inc. \u00b7 Reporting year 2025 \u00b7 Assessed on 2025-07-01" in html
    assert '<div class="n">5</div><div class="l">suppliers surveyed</div>' in html
    assert '<div class="n">80%</div><div class="l">responded (4 of 5)</div>' in html
    assert '<div class="n">2</div><div class="l">high-risk suppliers</div>' in html
    assert '<div class="n">3</div><div class="l">smelters identified</div>' in html
    assert '<div class="n">33%</div><div class="l">RMAP conformant (1 of 3)</div>' in html
    assert '<div class="n">0</div><div class="l">high-risk smelters</div>' in html
    assert "<b>Suppliers</b> (5)" in html
    assert '<span>Non-Conformant</span><span class="v">1</span>' in html
    assert '<span>No CMRT returned</span><span class="v">1</span>' in html


def test_the_top_risks_carry_their_reason_and_suggested_actions():
    summary = build_summary(campaign_assessment())
    # Medium and high only: Quiet Gold (no status, 4) and Borealis Alloys (one error, 1) are low.
    assert [r.subject for r in summary.top] == ["Acme Metals", "Eagle Parts", "Bad Tin Smelter"]
    html = render(campaign_assessment(), "html").decode()
    assert "Eagle Parts is in scope for the inquiry but had returned no CMRT by 2025-07-01." in html
    assert "Suggested actions" in html
    assert (
        "Remind Eagle Parts to return its CMRT <span class='due'>\u2014 Compliance analyst, due 2025-07-15"
        in html
    )
    assert "(+1 more flag)" in html  # Acme Metals has two


def test_it_shows_the_registers_open_actions_when_given():
    action = OpenAction(
        "CID000001", "Supplier Acme to qualify a second smelter", "Jane Roe", dt.date(2025, 9, 30)
    )
    html = render(campaign_assessment(), "html", open_actions=[action]).decode()
    assert "Open actions" in html
    assert (
        "Supplier Acme to qualify a second smelter <span class='due'>\u2014 Jane Roe, due 2025-09-30" in html
    )
    assert "Ask the suppliers naming Bad Tin Smelter" not in html
    assert html.count('<span class="kind">None open</span>') == 2


def test_the_workbook_has_the_same_figures_and_escapes_formulas():
    book = load_workbook(io.BytesIO(render(campaign_assessment(), "xlsx", year=2025)))
    assert book.sheetnames == ["Summary", "Top risks", "Ratings", "Red flags"]
    figures = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert figures["Suppliers surveyed"] == "5"
    assert figures["Suppliers responded"] == "4 (80%)"
    assert figures["High-risk suppliers"] == "2"
    assert figures["Smelters Non-Conformant"] == 1
    assert figures["Flag: No CMRT returned"] == 1
    top = list(book["Top risks"].iter_rows(min_row=2, values_only=True))
    assert top[0][:3] == ("high", 13, "Acme Metals")
    assert top[1][:3] == ("high", 12, "Eagle Parts")
    subjects = [row[1] for row in book["Ratings"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(1)" in subjects


def test_an_unknown_format_is_refused():
    with pytest.raises(BadInput, match="Unknown summary format 'docx'; choose one of html, pdf, xlsx"):
        render(campaign_assessment(), "docx")


@needs_pdf
def test_the_pdf_is_one_page_with_the_top_risks():
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF's text back")
    reader = pypdf.PdfReader(io.BytesIO(render(campaign_assessment(), "pdf", organisation="Norland")))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Bad Tin Smelter" in text
    assert "supply-chain risk summary" in text


@needs_pdf
def test_a_long_list_of_risks_is_cut_to_one_page_and_counted():
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF's text back")
    many = [f"Missing Supplier {i:02d} with a Rather Long Company Name Ltd" for i in range(30)]
    result = assess(make_rollup(), as_of=dt.date(2026, 3, 1), survey=asked(waiting=tuple(many)))
    reader = pypdf.PdfReader(io.BytesIO(render(result, "pdf", top=12)))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "more suppliers and smelters rated medium or high are listed in the risk register" in text


# Names stored before the reader cleaned supplier text still reach the summary: every format writes them
# without the characters XML cannot hold.
def control_assessment():
    return assess(
        rollup(
            [supplier("Zzyzx\x01 Metals", answers_=answers(Tin={"Q3": "Yes"}))],
            [
                smelter(
                    "Bad\x02 Tin Smelter",
                    "CID000001",
                    status="Non-Conformant",
                    suppliers=("Zzyzx\x01 Metals",),
                )
            ],
        ),
        as_of=AS_OF,
        survey=asked(returned=("Zzyzx\x01 Metals",)),
    )


def test_the_html_drops_control_characters():
    html = render(control_assessment(), "html", organisation="Norland\x03").decode()
    assert "Zzyzx Metals" in html and "Bad Tin Smelter" in html and "Norland \u00b7" in html
    assert not any(ch in html for ch in "\x01\x02\x03")


def test_the_workbook_drops_control_characters():
    book = load_workbook(io.BytesIO(render(control_assessment(), "xlsx", organisation="Norland\x03")))
    subjects = [row[1] for row in book["Ratings"].iter_rows(min_row=2, values_only=True)]
    assert sorted(subjects) == ["Bad Tin Smelter", "Zzyzx Metals"]
    assert book["Summary"]["B2"].value == "Norland"


@needs_pdf
def test_the_pdf_drops_control_characters():
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF's text back")
    reader = pypdf.PdfReader(io.BytesIO(render(control_assessment(), "pdf", organisation="Norland\x03")))
    text = reader.pages[0].extract_text()
    assert "Zzyzx Metals" in text and "Bad Tin Smelter" in text
