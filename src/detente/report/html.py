"""A brief as one self-contained HTML page (Jinja2 template ``templates/brief.html.j2``, charts inline)."""

from __future__ import annotations

import base64
from functools import cache
from importlib import resources

import jinja2

from .. import __version__
from .brief import Chart, Report


@cache
def _template() -> jinja2.Template:
    """The brief's template, loaded once; every value is HTML-escaped."""
    source = resources.files("detente.report").joinpath("templates", "brief.html.j2").read_text("utf-8")
    return jinja2.Environment(autoescape=True, trim_blocks=False, undefined=jinja2.StrictUndefined).from_string(source)


def data_uri(chart: Chart) -> str:
    """The chart's SVG as a ``data:`` URI (browsers and WeasyPrint draw it without another file)."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart.svg).decode("ascii")


def render_html(report: Report) -> str:
    """The brief as an HTML document (UTF-8 text) with its charts as inline SVG data URIs."""
    charts = {chart.name: {"title": chart.title, "uri": data_uri(chart)} for chart in report.charts}
    return _template().render(report=report, charts=charts, version=__version__)
