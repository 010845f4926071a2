"""A document as HTML: EDGAR-ready by default, or the print version WeasyPrint turns into the PDF.

EDGAR accepts only a subset of HTML 3.2/4.0 in filed documents (EDGAR Filer Manual, Volume II,
section 5.2.2 "HTML documents"): no active content (scripts, applets, objects, forms, frames), and every
link must resolve inside the submission, the sole exception being references to
https://www.sec.gov/Archives/edgar/data/. So the EDGAR version
- uses only the tags in ALLOWED_TAGS, the body tags of the Filer Manual's list as Arelle's EFM
  validator mirrors it (arelle/ValidateFilingText.py, edbody.dtd), plus the document tags html, head,
  title and meta;
- styles through inline style attributes (allowed on every tag by that list), never a style sheet;
- draws no chart: images would have to be separate GIF or JPEG documents of the submission, and SVG
  is not accepted at all, so a chart's numbers are given as a table;
- links only to anchors inside the document, so website addresses are printed as text;
- is pure ASCII, other characters written as numeric character references (EFM 5.2.1: EDGAR rejects
  characters outside its ASCII set; Arelle checks EFM.5.02.01.01 and EFM.5.02.02.06);
- holds no character XML cannot (oretrace.xmltext), neither raw nor as a reference: a control character
  in a smelter name stored before the reader cleaned such text is dropped here, for every format built
  on this page (the PDF too).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from oretrace.reports.charts import chart_svg
from oretrace.reports.document import (
    Block,
    BulletList,
    Cell,
    Chart,
    Document,
    Figure,
    Paragraph,
    Run,
    Source,
    Table,
)
from oretrace.xmltext import xml_safe

ALLOWED_TAGS = frozenset(
    {
        # document structure
        "html", "head", "title", "meta", "body",
        # EDGAR Filer Manual body tags (HTML 3.2 subset)
        "a", "address", "b", "big", "blockquote", "br", "caption", "center", "cite", "code", "dd", "dfn",
        "dir", "div", "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd",
        "li", "listing", "menu", "ol", "p", "plaintext", "pre", "samp", "small", "strike", "strong", "sub",
        "sup", "table", "td", "th", "tr", "tt", "u", "ul", "var", "xmp",
    }
)  # fmt: skip

SERIF = "'Times New Roman', 'Liberation Serif', Times, serif"
BODY_STYLE = f"font-family: {SERIF}; font-size: 10pt; color: #000000"
CELL = "border: 1px solid #808080; padding: 2px 5px; vertical-align: top"
HEAD_CELL = CELL + "; background-color: #e8e8e8; font-weight: bold; text-align: left"

PRINT_CSS = """
@page {
  size: Letter;
  margin: 2.2cm 2cm 2.4cm 2cm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-family: SERIF_FONTS; font-size: 8pt; color: #555555; }
  @bottom-left { content: string(doc-title); font-family: SERIF_FONTS; font-size: 8pt; color: #555555; }
}
p.doc-title { string-set: doc-title content(); }
h2, h3 { page-break-after: avoid; }
table { page-break-inside: auto; }
tr { page-break-inside: avoid; }
thead { display: table-header-group; }
div.chart { page-break-inside: avoid; margin: 8pt 0 4pt 0; }
p.chart-title { font-weight: bold; margin: 6pt 0 2pt 0; }
sup a { color: #555555; text-decoration: none; }
""".replace("SERIF_FONTS", SERIF)


def render_html(
    document: Document,
    *,
    sources: bool = True,
    source_url: Callable[[Source], str | None] | None = None,
    print_version: bool = False,
) -> str:
    """The document as one self-contained HTML page.

    sources: mark every figure with a note number and list the notes at the end (leave out for the
    copy that is filed). source_url: for previews inside the web app, the notes link to the app; such
    a page is no longer EDGAR-ready. print_version: the PDF's input, with a print style sheet, repeated
    table headers and the charts drawn as SVG.
    """
    return _Writer(document, sources, source_url, print_version).page()


class _Writer:
    def __init__(self, document: Document, sources: bool, source_url, print_version: bool):
        self.document = document
        self.show_sources = sources
        self.source_url = source_url
        self.print_version = print_version
        self.numbers = {s.ref: i for i, s in enumerate(document.sources(), start=1)} if sources else {}

    def page(self) -> str:
        doc = self.document
        head = [
            '<meta http-equiv="Content-Type" content="text/html; charset=us-ascii">',
            f"<title>{escape(doc.title)}</title>",
        ]
        if self.print_version:
            head.append(f"<style>{PRINT_CSS}</style>")
        body = []
        for line in doc.heading_lines:
            body.append(
                f'<p style="text-align: {doc.heading_align}; font-weight: bold; margin: 0">{escape(line)}</p>'
            )
        body.append(
            f'<p class="doc-title" style="text-align: center; font-weight: bold; font-size: 14pt; margin: 18pt 0 4pt 0">'
            f"{escape(doc.title)}</p>"
        )
        for line in doc.subtitle_lines:
            body.append(
                f'<p style="text-align: center; font-weight: bold; margin: 0 0 14pt 0">{escape(line)}</p>'
            )
        for section in doc.sections:
            level = 2 if section.level == 1 else 3
            size = "12pt" if level == 2 else "10.5pt"
            style = f"font-size: {size}; font-weight: bold; margin: 14pt 0 6pt 0"
            if section.key.startswith("annex"):
                style += "; page-break-before: always"
            if section.title:
                body.append(f'<h{level} style="{style}">{escape(section.title)}</h{level}>')
            body.extend(self.block(b) for b in section.blocks)
        if self.numbers:
            body.append(self.notes())
        html = (
            '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n'
            f"<html>\n<head>\n{chr(10).join(head)}\n</head>\n"
            f'<body style="{BODY_STYLE}">\n' + "\n".join(body) + "\n</body>\n</html>\n"
        )
        # The markup itself is plain ASCII, so cleaning the page cleans every text in it, in one pass.
        return xml_safe(html).encode("ascii", "xmlcharrefreplace").decode("ascii")

    def block(self, block: Block) -> str:
        if isinstance(block, Paragraph):
            return self.paragraph(block)
        if isinstance(block, BulletList):
            items = "".join(f"<li>{self.runs(item)}</li>" for item in block.items)
            return f'<ul style="margin: 0 0 8pt 0">{items}</ul>'
        if isinstance(block, Chart):
            return self.chart(block)
        return self.table(block)

    def paragraph(self, p: Paragraph) -> str:
        styles = ["margin: 0 0 8pt 0", "text-align: justify" if p.align is None else f"text-align: {p.align}"]
        if p.bold:
            styles.append("font-weight: bold")
        if p.small:
            styles.append("font-size: 8pt; margin: 0 0 10pt 0")
        lead = f"<b>{escape(p.lead)}</b> " if p.lead else ""
        return f'<p style="{"; ".join(styles)}">{lead}{self.runs(p.runs)}</p>'

    def runs(self, runs: tuple[Run, ...]) -> str:
        return "".join(escape(r) if isinstance(r, str) else self.figure(r) for r in runs)

    def figure(self, figure: Figure) -> str:
        return escape(figure.text) + self.marker(figure.source)

    def marker(self, source: Source) -> str:
        number = self.numbers.get(source.ref)
        if number is None:
            return ""
        return f'<sup><a href="#source-{number}" style="text-decoration: none">[{number}]</a></sup>'

    def cell(self, cell: Cell) -> str:
        # A table names its sources once, under it; a note number in every cell would bury the figures.
        if isinstance(cell, str):
            return escape(cell)
        url = self.source_url(cell.source) if self.source_url else None
        return f'<a href="{escape(url, quote=True)}">{escape(cell.text)}</a>' if url else escape(cell.text)

    def table(self, table: Table) -> str:
        head = "".join(
            f'<th style="{HEAD_CELL}{"; text-align: right" if i in table.numeric else ""}">{escape(h)}</th>'
            for i, h in enumerate(table.header)
        )
        head_row = f"<tr>{head}</tr>" if any(table.header) else ""
        if self.print_version and head_row:
            head_row = f"<thead>{head_row}</thead>"  # repeats on each page; thead is not in EDGAR's list
        rows = []
        for r, row in enumerate(table.rows):
            total = table.total_row and r == len(table.rows) - 1
            cells = []
            for i, cell in enumerate(row):
                style = CELL + ("; text-align: right" if i in table.numeric else "")
                if total:
                    style += "; font-weight: bold"
                cells.append(f'<td style="{style}">{self.cell(cell)}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>")
        caption = f'<caption style="text-align: left; font-weight: bold; padding: 0 0 3pt 0">{escape(table.caption)}</caption>'
        keep = "; page-break-inside: avoid" if self.print_version and len(table.rows) <= 20 else ""
        html = (
            f'<table style="border-collapse: collapse; width: 100%; font-size: 9pt; margin: 4pt 0 10pt 0{keep}" '
            f'cellspacing="0">{caption}{head_row}{"".join(rows)}</table>'
        )
        if table.sources and self.show_sources:
            names = "; ".join(escape(s.label) + self.marker(s) for s in table.sources)
            html += f'<p style="font-size: 8pt; margin: -6pt 0 10pt 0">Source: {names}</p>'
        if keep:  # WeasyPrint may otherwise leave the caption alone at the foot of a page
            html = f'<div style="page-break-inside: avoid">{html}</div>'
        return html

    def chart(self, chart: Chart) -> str:
        parts = []
        if self.print_version:
            parts.append(
                f'<div class="chart"><p class="chart-title">{escape(chart.title)}</p>{chart_svg(chart)}</div>'
            )
        if chart.show_table:
            parts.append(self.table(chart.table))
        return "\n".join(parts)

    def notes(self) -> str:
        items = []
        for source in self.document.sources():
            number = self.numbers[source.ref]
            label = escape(source.label)
            url = self.source_url(source) if self.source_url else None
            if url:
                label = f'<a href="{escape(url, quote=True)}">{label}</a>'
            items.append(
                f'<p id="source-{number}" style="font-size: 8pt; margin: 0 0 2pt 0">[{number}] {label} '
                f'<font color="#555555">({escape(source.ref)})</font></p>'
            )
        return (
            '<h2 style="font-size: 12pt; font-weight: bold; margin: 18pt 0 6pt 0; page-break-before: always">'
            "Sources of Figures</h2>"
            '<p style="margin: 0 0 8pt 0">Each figure in this document is computed from the data listed '
            "below; the number after a figure refers to this list. The copy that is filed is produced "
            "without these notes.</p>" + "\n".join(items)
        )
