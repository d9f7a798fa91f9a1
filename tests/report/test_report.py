"""``detente report`` as a user runs it (a real process on a real DuckDB file) and the brief it builds."""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cli.test_cli import run


def pdf_pages(document: bytes) -> int:
    """Pages of a PDF: ``/Type /Page`` objects, looked for in the file and in its compressed object streams."""
    inflated = [document]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", document, re.DOTALL):
        try:
            inflated.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page\b", part)) for part in inflated)


@pytest.fixture(scope="module")
def story(brief_db):
    import detente

    with detente.open(brief_db.path, read_only=True) as db:
        return db.story(brief_db.storyline_id)


def test_html_brief_has_the_phase_and_the_latest_event_sentences(brief_db, story, tmp_path):
    done = run("report", "--storyline", brief_db.storyline_id, "--format", "html", "--out", tmp_path,
               db=brief_db.path, check_rc=0)
    written = tmp_path / f"detente-brief-{brief_db.storyline_id}-{dt.datetime.now(dt.UTC).date()}.html"
    assert str(written) in done.stdout.replace("\n", "")
    page = written.read_text(encoding="utf-8")
    phase = story["storyline"].iloc[0]["phase"].replace("_", " ")
    assert f'id="phase">{phase}</span>' in page
    latest = story["events"].dropna(subset=["sentence"]).iloc[-1]
    trigger = latest.sentence[int(latest.trigger_start - latest.sentence_start):
                              int(latest.trigger_end - latest.sentence_start)]
    assert f"<mark>{trigger}</mark>" in page  # the trigger of a latest event is highlighted in its sentence
    for heading in ("What happened", "Index and phase", "Positions and ledger", "Scenarios and markets"):
        assert heading in page
    assert page.count("data:image/svg+xml;base64,") == 3 and "http://" not in page.split("<footer>")[0]


def test_pdf_brief_is_a_pdf_with_pages(brief_db, tmp_path):
    target = tmp_path / "briefs" / "brief.pdf"  # a file name; its missing directory is created
    done = run("--json", "report", "-s", brief_db.storyline_id, "-f", "pdf", "-o", target, db=brief_db.path,
               check_rc=0)
    assert json.loads(done.stdout)["path"] == str(target)
    document = target.read_bytes()
    assert document.startswith(b"%PDF-") and document.rstrip().endswith(b"%%EOF")
    assert pdf_pages(document) >= 2


def test_markdown_brief_links_its_charts_written_beside_it(brief_db, story, tmp_path):
    target = tmp_path / "brief.md"
    run("report", "-s", brief_db.storyline_id, "-f", "md", "-o", target, db=brief_db.path, check_rc=0)
    text = target.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert links == ["brief-events.png", "brief-index.png", "brief-scenarios.png"]
    for link in links:
        assert (tmp_path / link).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "## What happened" in text and "| scenario | probability | drivers |" in text
    assert re.search(r"^1\. \d{4}-\d\d-\d\d · ", text, re.MULTILINE)


@pytest.mark.parametrize(("args", "message"), [
    (("--storyline", "nope"), "no storyline 'nope'"),
    (("--format", "docx"), "--format takes html, md, pdf"),
    (("--out", "{file}/brief.html"), "cannot write"),
])
def test_bad_input_is_one_line_and_exit_1(brief_db, tmp_path, args, message):
    (tmp_path / "file").write_text("not a directory")
    args = tuple(a.replace("{file}", str(tmp_path / "file")) for a in args)
    base = () if "--storyline" in args else ("--storyline", brief_db.storyline_id)
    done = run("report", *base, *args, db=brief_db.path, check_rc=1)
    assert message in done.stderr and "Traceback" not in done.stderr


def test_build_report_fills_every_section(brief_db):
    import detente
    from detente.report import build_report, collect, render

    with detente.open(brief_db.path, read_only=True) as db:
        data = collect(db, brief_db.storyline_id)
    brief = build_report(data, dt.date(2026, 1, 2), events_limit=5)
    assert brief.title.endswith("— 2026-01-02") and len(brief.events) == 5
    assert all(e.trigger and e.trigger not in ("", " ") for e in brief.events if e.before or e.after)
    assert [c.name for c in brief.charts] == ["index", "events", "scenarios"]
    assert all(c.svg.lstrip().startswith(b"<?xml") and c.png.startswith(b"\x89PNG") for c in brief.charts)
    assert brief.scenarios.rows and abs(sum(float(r[1].rstrip("%")) for r in brief.scenarios.rows) - 100) <= 2
    assert brief.markets.rows and brief.markets.rows[0][0] in ("brent", "wti")  # measured on the loaded prices
    inline = render(brief, "md")  # no image stem: one self-contained file
    assert inline.images == {} and inline.document.count(b"data:image/png;base64,") == 3


@given(st.text(max_size=200))
def test_markdown_cells_never_break_the_table(value):
    from detente.report.markdown import md

    escaped = md(value)
    assert "\n" not in escaped and not re.search(r"(?<!\\)\|", escaped)
