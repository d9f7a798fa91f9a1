"""A brief as Markdown (GitHub-flavoured tables); charts are PNG files beside it or inline data URIs."""

from __future__ import annotations

import base64
import re

from .. import __version__
from .brief import Report, Table

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(value: str) -> str:
    """Text safe inside Markdown: markup characters escaped, line breaks folded."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", value))


def table(found: Table) -> list[str]:
    """A ``Table`` as Markdown lines: a heading, the pipe table and its caption (or the empty message)."""
    lines = [f"### {md(found.title)}", ""]
    if not found.rows:
        return [*lines, f"*{md(found.empty)}*", ""]
    lines.append("| " + " | ".join(md(c) for c in found.columns) + " |")
    lines.append("|" + "---|" * len(found.columns))
    lines += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in found.rows]
    if found.caption:
        lines += ["", f"*{md(found.caption)}*"]
    return [*lines, ""]


def render_markdown(report: Report, image_names: dict[str, str] | None = None) -> str:
    """The brief as Markdown text. Charts link to ``image_names[chart]`` (files the caller writes beside it) or,
    without names, are inline PNG data URIs."""
    charts = {}
    for chart in report.charts:
        target = image_names[chart.name] if image_names else \
            "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")
        charts[chart.name] = f"![{md(chart.title)}]({target})\n"

    def figure(name: str) -> list[str]:
        return [charts[name]] if name in charts else []

    lines = [f"# {md(report.label)}", "",
             f"Brief dated {report.dated.isoformat()} · storyline `{report.storyline_id}` · phase "
             f"**{md(report.phase.replace('_', ' '))}**" + (f" since {report.phase_since}" if report.phase_since else ""),
             ""]
    for line in report.summary:
        lines += [md(line), ""]
    lines += ["## What happened", ""]
    for number, e in enumerate(report.events, 1):
        mark = f"**{md(e.trigger)}**" if e.trigger else ""
        lines.append(f"{number}. {e.date or 'undated'} · {md(e.source or '?')} **{e.event_type}** "
                     f"{md(e.target or '?')} · {e.modality}" + (f" · Goldstein {e.goldstein}" if e.goldstein else "")
                     + f"  \n   {md(e.before)}{mark}{md(e.after)}")
    if not report.events:
        lines.append("*No coded events.*")
    lines += ["", *table(report.headlines), *figure("events")]
    lines += ["## Index and phase", "", *figure("index"), *table(report.index), *table(report.phases)]
    lines += ["## Positions and ledger", "", *table(report.positions), *table(report.ledger)]
    lines += ["## Scenarios and markets", "", *figure("scenarios"), *table(report.scenarios), *table(report.markets)]
    lines += [*(f"*{md(note)}*\n" for note in report.notes)]
    lines += ["---", (f"Written by Détente {__version__} (`detente report --storyline {report.storyline_id}`) "
                     "from the stored news."), ""]
    return "\n".join(lines)
