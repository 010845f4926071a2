"""A document as DOCX, for legal review: real headings, tables with repeating header rows, page numbers.

Charts appear as their tables; reviewers mark up numbers, not pictures. Every text goes through
``_text``: python-docx refuses a character XML cannot hold (a control character in a smelter name stored
before the reader cleaned such text), so it is dropped here rather than failing the whole document.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from oretrace.reports.document import (
    BulletList,
    Chart,
    Document,
    Figure,
    Paragraph,
    Run,
    Source,
    Table,
)
from oretrace.xmltext import xml_safe as _text

FONT = "Times New Roman"
ALIGN = {
    None: WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def render_docx(document: Document, *, sources: bool = True) -> bytes:
    numbers = {s.ref: i for i, s in enumerate(document.sources(), start=1)} if sources else {}
    docx = new_docx()
    normal = docx.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    for name in ("Title", "Heading 1", "Heading 2"):
        docx.styles[name].font.name = FONT
    _page_numbers(docx)

    for line in document.heading_lines:
        p = docx.add_paragraph()
        p.alignment = ALIGN[document.heading_align]
        p.add_run(_text(line)).bold = True
    title = docx.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_text(document.title))
    run.bold, run.font.size = True, Pt(15)
    for line in document.subtitle_lines:
        p = docx.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(_text(line)).bold = True

    for section in document.sections:
        if section.title:
            docx.add_heading(_text(section.title), level=section.level)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                _paragraph(docx, block, numbers)
            elif isinstance(block, BulletList):
                for item in block.items:
                    _runs(docx.add_paragraph(style="List Bullet"), item, numbers)
            elif isinstance(block, Chart):
                if block.show_table:
                    _table(docx, block.table, numbers)
            else:
                _table(docx, block, numbers)

    if numbers:
        docx.add_page_break()
        docx.add_heading("Sources of Figures", level=1)
        docx.add_paragraph(
            "Each figure in this document is computed from the data listed below; the number after a "
            "figure refers to this list."
        )
        for source in document.sources():
            p = docx.add_paragraph()
            p.paragraph_format.space_after = Pt(1)
            r = p.add_run(_text(f"[{numbers[source.ref]}] {source.label} ({source.ref})"))
            r.font.size = Pt(8)

    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


def _paragraph(docx, block: Paragraph, numbers: dict[str, int]) -> None:
    p = docx.add_paragraph()
    p.alignment = ALIGN.get(block.align, WD_ALIGN_PARAGRAPH.LEFT)
    if block.lead:
        p.add_run(_text(block.lead) + " ").bold = True
    _runs(p, block.runs, numbers, bold=block.bold, size=Pt(8) if block.small else None)


def _runs(p, runs: tuple[Run, ...], numbers: dict[str, int], *, bold: bool = False, size=None) -> None:
    for item in runs:
        r = p.add_run(_text(item if isinstance(item, str) else item.text))
        r.bold = bold or None
        if size:
            r.font.size = size
        if isinstance(item, Figure):
            _marker(p, item.source, numbers)


def _marker(p, source: Source, numbers: dict[str, int]) -> None:
    number = numbers.get(source.ref)
    if number is not None:
        r = p.add_run(f"[{number}]")
        r.font.superscript = True


def _table(docx, table: Table, numbers: dict[str, int]) -> None:
    if table.caption:
        caption = docx.add_paragraph()
        caption.paragraph_format.keep_with_next = True
        caption.add_run(_text(table.caption)).bold = True
    header = 1 if any(table.header) else 0
    t = docx.add_table(rows=header + len(table.rows), cols=len(table.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    if header:
        _repeat_header(t.rows[0])
        for i, text in enumerate(table.header):
            _cell(t.cell(0, i), text, bold=True, right=i in table.numeric)
    for r, row in enumerate(table.rows, start=header):
        total = table.total_row and r == header + len(table.rows) - 1
        for i, value in enumerate(row):
            _cell(
                t.cell(r, i),
                value if isinstance(value, str) else value.text,
                bold=total,
                right=i in table.numeric,
            )
    if table.sources and numbers:
        p = docx.add_paragraph()
        p.add_run("Source: ").font.size = Pt(8)
        for k, source in enumerate(table.sources):
            r = p.add_run(("; " if k else "") + _text(source.label))
            r.font.size = Pt(8)
            _marker(p, source, numbers)
    else:
        docx.add_paragraph()


def _cell(cell, text: str, *, bold: bool, right: bool) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    r = p.add_run(_text(text))
    r.bold = bold or None
    r.font.size = Pt(9)


def _repeat_header(row) -> None:
    # w:tblHeader makes Word repeat the row at the top of each page the table runs onto.
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _page_numbers(docx) -> None:
    p = docx.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("Page ")
    _field(p, "PAGE")
    p.add_run(" of ")
    _field(p, "NUMPAGES")


def _field(p, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out the pages."""
    run = p.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, placeholder, end):
        run._r.append(element)
