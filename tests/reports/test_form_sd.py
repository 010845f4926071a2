"""The Form SD draft: cover page, Items 1.01 and 1.02, the exhibit list, from the report's inputs."""

from __future__ import annotations

import io
import re

import pytest

from oretrace.errors import BadInput
from oretrace.reports import Organisation, build, render
from oretrace.reports.document import SOURCE_KEYS, Paragraph
from oretrace.reports.form_sd import EXHIBITS_ITEM
from reports.factories import make_inputs


def _text(section):
    return " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))


def test_it_names_items_1_01_and_1_02_and_the_reporting_period():
    form = build(make_inputs(), "form-sd")
    titles = [s.title for s in form.sections]
    assert "Item 1.01 Conflict Minerals Disclosure and Report" in titles
    assert "Item 1.02 Exhibit" in titles
    assert EXHIBITS_ITEM == "Item 3.01 Exhibits" and EXHIBITS_ITEM in titles
    cover = _text(form.section("cover"))
    assert (
        "Rule 13p-1 under the Securities Exchange Act (17 CFR 240.13p-1) for the reporting period from January 1 to December 31, 2025."
        in cover
    )
    assert "Norland Instruments, Inc." in cover and "001-34567" in cover


def test_item_1_01_describes_the_inquiry_and_its_results_from_the_same_inputs():
    form = build(make_inputs(), "form-sd")
    item = _text(form.section("item_1_01"))
    assert "We sent the CMRT to 260 suppliers, of which 250 have responded" in item
    assert "a response rate of 96%" in item
    assert "named 45 smelters and refiners" in item and "38 (84%) of them were conformant" in item
    assert "filed a Conflict Minerals Report as Exhibit 1.01" in item
    assert "www.norland-instruments.example" in item
    assert "Exhibit 1.01" in _text(form.section("item_1_02"))
    assert all(f.source.key in SOURCE_KEYS for f in form.figures())


def test_without_a_report_item_1_02_is_not_applicable():
    form = build(make_inputs(conclusion="no-reason-to-believe"), "form-sd")
    assert _text(form.section("item_1_02")) == "Not applicable."
    assert "has no reason to believe" in _text(form.section("item_1_01"))
    assert "Exhibit 1.01" not in _text(form.section("item_1_01"))


def test_a_form_without_a_website_is_refused():
    inputs = make_inputs(organisation=Organisation(name="Norland Instruments, Inc."))
    with pytest.raises(BadInput, match="website"):
        build(inputs, "form-sd")


def test_unknown_cover_entries_are_left_as_lines_to_fill_in():
    form = build(make_inputs(organisation=Organisation(name="Norland", website="norland.example")), "form-sd")
    assert "______" in _text(form.section("cover"))


def test_the_form_renders_as_edgar_html_and_docx():
    html = render(make_inputs(), "html", document="form-sd", sources=False).decode("ascii")
    text = re.sub(r"<[^>]+>", "", html)
    assert "FORM SD" in text and "Item 1.01 Conflict Minerals Disclosure and Report" in text
    assert "January 1 to December 31, 2025" in text
    assert "&#9746; Rule 13p-1" in html  # the ticked box, as an ASCII character reference
    assert "<script" not in html and "<img" not in html
    docx = pytest.importorskip("docx")
    document = docx.Document(io.BytesIO(render(make_inputs(), "docx", document="form-sd")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Item 1.02 Exhibit" in headings and "Signatures" in headings
