"""Dated briefs on one storyline: ``detente report --storyline ID --format html|pdf|md``.

The flow is the pipeline's: ``collect`` reads what a brief needs through the
``Detente`` handle (``data.py``, the only module here that touches the
database), ``build_report`` turns it into a document model with its charts
(``brief.py``, ``charts.py``; pure), and a renderer writes the model as HTML
(``html.py``, a Jinja2 template), Markdown (``markdown.py``) or PDF
(``pdf.py``, WeasyPrint over the HTML). ``render`` picks the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import BadOption
from .brief import Chart, EventLine, Report, Table, build_report
from .data import StorylineData, collect

#: The formats ``render`` writes, with their file suffix.
FORMATS = {"html": ".html", "md": ".md", "pdf": ".pdf"}


@dataclass(frozen=True)
class Rendered:
    """A rendered brief: the document's bytes and, for Markdown, the chart images it links to (name → PNG)."""

    document: bytes
    media_type: str
    images: dict[str, bytes] = field(default_factory=dict)


def render(report: Report, format: str, *, image_stem: str | None = None) -> Rendered:
    """Render ``report`` as ``html``, ``md`` or ``pdf``.

    HTML and PDF carry their charts inline (SVG data URIs). Markdown links its
    charts as ``{image_stem}-{chart}.png`` files returned in ``images``; without
    ``image_stem`` they are inline PNG data URIs instead (one self-contained file).
    """
    if format == "html":
        from .html import render_html

        return Rendered(render_html(report).encode("utf-8"), "text/html; charset=utf-8")
    if format == "md":
        from .markdown import render_markdown

        names = {chart.name: f"{image_stem}-{chart.name}.png" for chart in report.charts} if image_stem else None
        text = render_markdown(report, names)
        images = {names[c.name]: c.png for c in report.charts} if names else {}
        return Rendered(text.encode("utf-8"), "text/markdown; charset=utf-8", images)
    if format == "pdf":
        from .pdf import render_pdf

        return Rendered(render_pdf(report), "application/pdf")
    raise BadOption(f"--format takes {', '.join(FORMATS)}, not {format!r}")


__all__ = ["FORMATS", "Chart", "EventLine", "Rendered", "Report", "StorylineData", "Table", "build_report",
           "collect", "render"]
