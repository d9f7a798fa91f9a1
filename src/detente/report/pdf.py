"""A brief as PDF: the HTML brief laid out by WeasyPrint (A4, page numbers; needs Pango, see scripts/install_system.sh)."""

from __future__ import annotations

from ..errors import DetenteError
from .brief import Report
from .html import render_html


class PdfUnavailable(DetenteError):
    """WeasyPrint cannot run here (its system libraries, Pango, are missing)."""


def render_pdf(report: Report) -> bytes:
    """The brief as PDF bytes; raises ``PdfUnavailable`` when WeasyPrint's libraries are missing."""
    try:
        import weasyprint
    except OSError as exc:  # WeasyPrint loads Pango through cffi at import time
        raise PdfUnavailable(f"PDF needs Pango (bash scripts/install_system.sh): {exc}") from exc
    return weasyprint.HTML(string=render_html(report), base_url=None).write_pdf()
