"""The report as EDGAR-ready HTML, as DOCX for legal review and as PDF with charts."""

from __future__ import annotations

import dataclasses
import io
import re
from html.parser import HTMLParser

import pytest

from oretrace.errors import BadInput
from oretrace.reports import build, render
from oretrace.reports.charts import chart_svg, nice_ticks
from oretrace.reports.cmr import status_chart
from oretrace.reports.figures import Facts
from oretrace.reports.render_html import ALLOWED_TAGS
from oretrace.reports.render_pdf import pdf_unavailable
from oretrace.rollup.model import UnidentifiedName
from reports.factories import COVERED_FACILITY, TOTAL_FACILITIES, make_inputs, make_rollup


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def inputs():
    return make_inputs()


@pytest.fixture(scope="module")
def edgar_html(inputs) -> str:
    return render(inputs, "html").decode("ascii")


def test_the_edgar_html_uses_only_the_tags_edgar_accepts(edgar_html):
    parser = _Tags()
    parser.feed(edgar_html)
    used = {tag for tag, _ in parser.tags}
    assert used <= ALLOWED_TAGS, used - ALLOWED_TAGS
    for forbidden in ("<script", "<img", "<svg", "<style", "<link", "<iframe", "<object", "<form"):
        assert forbidden not in edgar_html.lower()


def test_the_edgar_html_links_only_inside_itself(edgar_html):
    parser = _Tags()
    parser.feed(edgar_html)
    for _tag, attrs in parser.tags:
        assert "src" not in attrs
        if "href" in attrs:
            assert attrs["href"].startswith("#source-"), attrs["href"]
        assert not any(name.startswith("on") for name in attrs)  # no event handlers
    anchors = set(re.findall(r'id="(source-\d+)"', edgar_html))
    assert {h[1:] for h in re.findall(r'href="(#source-\d+)"', edgar_html)} <= anchors


def test_the_edgar_html_is_ascii_and_states_the_figures(edgar_html):
    assert edgar_html.isascii()
    text = re.sub(r"<[^>]+>", "", edgar_html)
    assert "We sent the CMRT to 260[" in text and "a response rate of 96%[" in text
    assert "Table 2. Audit status of the identified facilities, per metal" in text
    assert COVERED_FACILITY in text
    assert "Sources of Figures" in text


def test_the_filed_copy_has_no_source_notes(inputs):
    html = render(inputs, "html", sources=False).decode("ascii")
    assert "Sources of Figures" not in html and "<sup>" not in html
    assert "a response rate of 96%: 247 returned a CMRT" in re.sub(r"<[^>]+>", "", html)


def test_a_web_preview_links_figures_to_the_app(inputs):
    html = render(inputs, "html", source_url=lambda s: "/sources/" + s.ref).decode("ascii")
    assert 'href="/sources/survey.responded"' in html
    assert 'href="/sources/rollup.smelters?metal=Gold&amp;status=Conformant"' in html


def test_the_docx_opens_with_headings_tables_and_page_numbers(inputs):
    docx = pytest.importorskip("docx")
    document = docx.Document(io.BytesIO(render(inputs, "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for expected in (
        "1. Introduction",
        "Reasonable Country of Origin Inquiry",
        "7. Results",
        "8. Process Improvements",
    ):
        assert expected in headings
    annex = document.tables[-1]  # Annex A is the last table
    assert [c.text for c in annex.rows[0].cells] == [
        "Metal",
        "Smelter or refiner",
        "Smelter ID",
        "Country",
        "RMAP status",
    ]
    assert len(annex.rows) == 1 + TOTAL_FACILITIES
    assert any(row.cells[1].text == COVERED_FACILITY for row in annex.rows)
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    body = "\n".join(p.text for p in document.paragraphs)
    assert "a response rate of 96%[" in body


def test_the_status_chart_is_a_static_stacked_bar_with_every_count(inputs):
    svg = chart_svg(status_chart(Facts(inputs), 2))
    assert svg.startswith("<svg") and "<script" not in svg and "href" not in svg
    assert svg.count("<rect") >= 4 + 6  # four metals, at least one segment each, plus the legend keys
    for label in ("Tantalum", "Tin", "Tungsten", "Gold", "Non-Conformant", ">15<", ">11<"):
        assert label in svg
    assert chart_svg(status_chart(Facts(inputs), 2)) == svg  # the same inputs draw the same bytes


def test_ticks_are_round_numbers():
    assert nice_ticks(15) == [0, 5, 10, 15]
    assert nice_ticks(45) == [0, 10, 20, 30, 40, 50]
    assert nice_ticks(3) == [0, 1, 2, 3]


def test_an_unknown_format_or_document_is_refused(inputs):
    with pytest.raises(BadInput, match="Unknown report format 'rtf'"):
        render(inputs, "rtf")
    with pytest.raises(BadInput, match="Unknown document"):
        build(inputs, "10-K")


needs_pdf = pytest.mark.skipif(pdf_unavailable() is not None, reason=f"no PDF engine: {pdf_unavailable()}")


@needs_pdf
def test_the_pdf_has_its_pages_charts_and_figures(inputs):
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF's text back")
    reader = pypdf.PdfReader(io.BytesIO(render(inputs, "pdf")))
    assert 6 <= len(reader.pages) <= 10
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "Norland Instruments, Inc. Conflict Minerals Report" in flat
    assert "We sent the CMRT to 260" in flat and "96%" in flat
    assert "Audit status of identified facilities, per metal" in flat  # the chart's title
    assert "Response rate and share of conformant facilities" in flat
    assert f"Page 1 of {len(reader.pages)}" in flat
    assert COVERED_FACILITY in flat


@needs_pdf
def test_the_pdf_loads_nothing_from_outside(inputs, monkeypatch):
    from oretrace.reports import render_pdf as module

    fetched = []
    monkeypatch.setattr(module, "_refuse", lambda url, *a, **k: fetched.append(url))
    render(inputs, "pdf")
    assert fetched == []


def test_a_missing_pdf_engine_is_a_clear_error(inputs, monkeypatch):
    from oretrace.reports import render_pdf as module

    monkeypatch.setattr(module, "pdf_unavailable", lambda: "PDF output needs the Pango text library.")
    with pytest.raises(BadInput, match="Pango"):
        render(inputs, "pdf")


# --- text with characters XML cannot hold ------------------------------------------------------------
# A supplier's smelter name read before the reader cleaned such text, and settings typed into the web app
# before its forms did, are still in the database: every format must write them, without the character.


@pytest.fixture(scope="module")
def control_inputs():
    inputs = make_inputs(company_overview="We design instruments.\x07 We employ 1,200 people.\x08")
    rollup = make_rollup()
    unlisted = UnidentifiedName(
        "Gold", "Zzyzx\x01 Unlisted Refinery", "Peru\x1f", ("Supplier 014 Ltd",), "no-match"
    )
    return dataclasses.replace(
        inputs,
        organisation=dataclasses.replace(inputs.organisation, name="Norland\x02 Instruments, Inc."),
        rollup=dataclasses.replace(rollup, unidentified=(*rollup.unidentified, unlisted)),
    )


def test_the_edgar_html_drops_control_characters(control_inputs):
    html = render(control_inputs, "html").decode("ascii")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", html)
    assert "&#1;" not in html  # nor written as references, which XML and EDGAR refuse as well
    assert "Zzyzx Unlisted Refinery" in html and "Norland Instruments, Inc." in html
    assert "We design instruments. We employ 1,200 people.<" in html


def test_the_docx_drops_control_characters(control_inputs):
    docx = pytest.importorskip("docx")
    document = docx.Document(io.BytesIO(render(control_inputs, "docx")))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Zzyzx Unlisted Refinery" in cells
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Norland Instruments, Inc." in body and "\x02" not in body


def test_the_form_sd_drops_control_characters_in_every_format(control_inputs):
    assert b"Norland Instruments, Inc." in render(control_inputs, "html", document="form-sd")
    docx = pytest.importorskip("docx")
    document = docx.Document(io.BytesIO(render(control_inputs, "docx", document="form-sd")))
    assert "Norland Instruments, Inc." in "\n".join(p.text for p in document.paragraphs)


@needs_pdf
def test_the_pdf_drops_control_characters(control_inputs):
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF's text back")
    reader = pypdf.PdfReader(io.BytesIO(render(control_inputs, "pdf")))
    flat = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    assert "Zzyzx Unlisted Refinery" in flat and "Norland Instruments, Inc." in flat
