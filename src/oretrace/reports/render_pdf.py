"""A document as PDF: the print version of the HTML, with charts as SVG, laid out by WeasyPrint.

WeasyPrint is pure Python over the Pango text library; when Pango is missing (a bare container), the
import fails with OSError, which becomes a BadInput that says what to install rather than a traceback.
"""

from __future__ import annotations

from oretrace.errors import BadInput
from oretrace.reports.document import Document
from oretrace.reports.render_html import render_html


def pdf_unavailable() -> str | None:
    """Why PDF output cannot be produced here, or None when it can."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return "PDF output needs the weasyprint package (pip install weasyprint)."
    except OSError as exc:
        return (
            "PDF output needs the Pango text library, which WeasyPrint could not load "
            f"({exc}). On Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0."
        )
    return None


def render_pdf(document: Document, *, sources: bool = True) -> bytes:
    reason = pdf_unavailable()
    if reason:
        raise BadInput(reason)
    import weasyprint

    html = render_html(document, sources=sources, print_version=True)
    # No base_url and a fetcher that refuses everything: the page is self-contained, and a report must
    # never reach out to the network while it is being printed.
    return weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf()


def _refuse(url: str, *args, **kwargs):
    raise BadInput(f"The report tried to load {url}; reports are self-contained and load nothing.")
