"""CLI verb ``report``: a dated brief on one storyline as HTML, PDF or Markdown (``detente.report``)."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from .cli import _open, _print_json, app, console, errors_console, state
from .errors import BadOption, UserError


class ReportNotWritten(UserError):
    """The brief could not be written where it was asked (a missing or read-only directory, a full disk)."""


def report_path(out: Path | None, storyline_id: str, dated: dt.date, suffix: str) -> Path:
    """Where the brief goes: ``out`` if it names a file (it has a suffix: ``brief.pdf``), else
    ``detente-brief-ID-DATE.EXT`` in ``out`` (a directory, created if missing) or in the current directory."""
    name = f"detente-brief-{storyline_id}-{dated.isoformat()}{suffix}"
    if out is None:
        return Path(name)
    if out.is_dir() or not out.suffix:
        return out / name
    return out


def _write(path: Path, content: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        raise ReportNotWritten(f"cannot write {path}: {exc.strerror or exc}") from exc


@app.command()
def report(
    storyline: Annotated[str, typer.Option("--storyline", "-s", help="A storyline id from `detente stories`.")],
    format: Annotated[str, typer.Option("--format", "-f", help="html, pdf or md.")] = "html",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (with a suffix) or directory to "
                                                                 "write; default detente-brief-ID-DATE.EXT here.")] = None,
    events: Annotated[int, typer.Option("--events", min=1, max=500, help="Latest events to show.")] = 12,
) -> None:
    """Write a dated brief on one storyline: what happened (latest events and their sentences), index and phase,
    positions and ledger, scenarios and market impacts, with charts. PDF through WeasyPrint; Markdown writes its
    charts as PNG files beside it.

    Example: detente report --storyline s322d61a293 --format pdf --out briefs/
    """
    from .report import FORMATS, build_report, collect, render

    format = format.lower()
    if format not in FORMATS:
        raise BadOption(f"--format takes {', '.join(FORMATS)}, not {format!r}")
    dated = dt.datetime.now(dt.UTC).date()
    spinner = nullcontext() if state.as_json else errors_console.status(f"writing the {format} brief on {storyline}")
    with spinner:
        with _open(read_only=True) as db:
            data = collect(db, storyline)
        brief = build_report(data, dated, events_limit=events)
        path = report_path(out, brief.storyline_id, dated, FORMATS[format])
        rendered = render(brief, format, image_stem=path.stem)
        _write(path, rendered.document)
        images = [path.parent / name for name in rendered.images]
        for image, content in zip(images, rendered.images.values()):
            _write(image, content)
    if state.as_json:
        _print_json({"storyline": brief.storyline_id, "format": format, "dated": dated.isoformat(),
                     "path": str(path), "bytes": len(rendered.document), "images": [str(p) for p in images]})
        return
    console.print(f"{format} brief on {brief.storyline_id} ({brief.label}), phase {brief.phase}: {path} "
                  f"({len(rendered.document):,} bytes" + (f", {len(images)} chart images beside it)" if images else ")"),
                  highlight=False, soft_wrap=True)

