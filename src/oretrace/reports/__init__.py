"""The Conflict Minerals Report (Form SD Exhibit 1.01) and the Form SD draft, as HTML, DOCX and PDF.

The web app and the command line call the same two functions: `default_sections()` for the narrative a
user starts from, and `render(inputs, format)` for the file.
"""

from __future__ import annotations

from collections.abc import Callable

from oretrace.errors import BadInput
from oretrace.reports.cmr import build_report
from oretrace.reports.document import Document, Source
from oretrace.reports.form_sd import build_form_sd
from oretrace.reports.inputs import (
    CONCLUSIONS,
    PLACEHOLDERS,
    SECTIONS,
    Conclusion,
    Organisation,
    ReportInputs,
    SupplyChainFigures,
    YearFigures,
    default_sections,
)

# format -> (media type, file extension). EDGAR accepts only *.htm for HTML documents (EDGAR Filer
# Manual, Volume II, 5.1.1 file naming).
FORMATS = {
    "html": ("text/html", ".htm"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "pdf": ("application/pdf", ".pdf"),
}
DOCUMENTS = {"cmr": build_report, "form-sd": build_form_sd}


def build(inputs: ReportInputs, document: str = "cmr") -> Document:
    """The document model: sections, paragraphs, tables and charts, every figure with its source."""
    if document not in DOCUMENTS:
        raise BadInput(f"Unknown document {document!r}; choose one of {', '.join(DOCUMENTS)}.")
    return DOCUMENTS[document](inputs)


def render(
    inputs: ReportInputs,
    format: str,
    *,
    document: str = "cmr",
    sources: bool = True,
    source_url: Callable[[Source], str | None] | None = None,
) -> bytes:
    """The report (document="cmr") or the Form SD draft (document="form-sd") as a file's bytes.

    sources=True marks each figure with a note naming where it came from (the review copy); use
    sources=False for the copy that is filed. source_url (HTML only) links those notes to the web app,
    which makes the page a preview rather than an EDGAR-ready document.
    """
    if format not in FORMATS:
        raise BadInput(f"Unknown report format {format!r}; choose one of {', '.join(FORMATS)}.")
    return render_document(build(inputs, document), format, sources=sources, source_url=source_url)


def render_document(
    model: Document,
    format: str,
    *,
    sources: bool = True,
    source_url: Callable[[Source], str | None] | None = None,
) -> bytes:
    """Any document on the report model (the CMR, Form SD, the battery due-diligence report) as a file."""
    if format not in FORMATS:
        raise BadInput(f"Unknown report format {format!r}; choose one of {', '.join(FORMATS)}.")
    if format == "html":
        from oretrace.reports.render_html import render_html

        return render_html(model, sources=sources, source_url=source_url).encode("ascii")
    if format == "docx":
        from oretrace.reports.render_docx import render_docx

        return render_docx(model, sources=sources)
    from oretrace.reports.render_pdf import render_pdf

    return render_pdf(model, sources=sources)


__all__ = [
    "CONCLUSIONS",
    "DOCUMENTS",
    "FORMATS",
    "PLACEHOLDERS",
    "SECTIONS",
    "Conclusion",
    "Document",
    "Organisation",
    "ReportInputs",
    "Source",
    "SupplyChainFigures",
    "YearFigures",
    "build",
    "default_sections",
    "render",
    "render_document",
]
