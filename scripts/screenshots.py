"""Screenshots of the dashboard for the README: the overview and the Russia–Ukraine storyline page.

Usage: python scripts/screenshots.py [--db PATH] [--out docs/img]

Builds the demo database at ``--db`` when the file does not exist
(``detente demo --no-serve``, then ``detente alerts --check`` so the alerts
panel has something to show), serves it read-only on a free loopback port,
and saves ``overview.png`` and ``storyline.png`` with Debian's Chromium
(``/usr/bin/chromium``) driven by Playwright. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 900}


def detente(*args: str) -> None:
    """Run the ``detente`` command of this environment; stop on failure."""
    subprocess.run([str(Path(sys.executable).with_name("detente")), *args], check=True, cwd=ROOT)


def build(db: Path) -> None:
    """The demo database at ``db``: the sample corpus, extracted, with storylines, index, prices and alerts."""
    detente("--db", str(db), "demo", "--no-serve")
    detente("--db", str(db), "alerts", "--check")


def seed_storyline(db: Path) -> str:
    """The id of the storyline holding the seed article (Russia–Ukraine talks, 2025-12-06)."""
    import detente as package

    with package.open(db, read_only=True) as handle:
        seed = handle.articles(source="seed_article", limit=1)["id"][0]
        return handle.store.con.execute("SELECT storyline_id FROM storyline_articles WHERE article_id = ?",
                                        [seed]).fetchone()[0]


def serve(db: Path):
    """Serve ``db`` read-only on a free loopback port in a thread; return (base URL, server)."""
    import uvicorn

    from detente.serve.app import create_app
    from detente.settings import Settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(Settings(db=str(db), api_read_only=True))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    threading.Thread(target=server.run, name="uvicorn", daemon=True).start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def shoot(base_url: str, storyline_id: str, out: Path) -> list[Path]:
    """Save the overview and the storyline page (with one event's sentence open) under ``out``."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT, base_url=base_url)
        page.set_default_timeout(120_000)
        outside = []
        page.on("request", lambda request: None if request.url.startswith(base_url) else outside.append(request.url))
        page.goto("/")
        page.wait_for_selector("body[data-ready=true]", state="attached")
        page.wait_for_timeout(300)
        written.append(out / "overview.png")
        page.screenshot(path=str(written[-1]), full_page=True)
        page.goto(f"/storyline?id={storyline_id}")
        page.wait_for_selector("body[data-ready=true]", state="attached")
        # open the sentence of the newest event that has its trigger and source actor in the sentence
        page.locator("#events tr.clickable").first.click()
        page.wait_for_selector("#events tr.detail .sentence mark.trigger")
        page.wait_for_timeout(300)
        written.append(out / "storyline.png")
        page.screenshot(path=str(written[-1]), full_page=True)
        browser.close()
    if outside:
        raise RuntimeError(f"the dashboard requested other hosts: {outside}")
    return written


def main(argv: list[str] | None = None) -> int:
    """Build (if needed), serve and photograph the demo database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / ".demo" / "screenshots.duckdb", help="demo database")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder of the PNG files")
    args = parser.parse_args(argv)
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        build(args.db)
    storyline_id = seed_storyline(args.db)
    base_url, server = serve(args.db)
    try:
        for path in shoot(base_url, storyline_id, args.out):
            print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    finally:
        server.should_exit = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
