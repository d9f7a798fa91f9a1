"""The dashboard in a real headless browser: Debian's Chromium driven by Playwright against the test server.

The browser is the system one (``/usr/bin/chromium``, installed by
``scripts/install_system.sh``); Playwright never downloads its own. Every
test records the requests its page makes and fails if one goes anywhere but
the loopback server, or if the page throws. Screenshots land in each test's
``tmp_path``.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium (scripts/install_system.sh installs it)",
                allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, served):
    """A fresh page on the test server that records every request and every script error; after the test it
    checks that no request left loopback and that no script failed."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=served.base_url)
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    requested: list[str] = []
    errors: list[str] = []
    opened.on("request", lambda request: requested.append(request.url))
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    outside = [url for url in requested if urlsplit(url).hostname not in LOOPBACK]
    assert not outside, f"the dashboard requested non-loopback hosts: {outside}"
    assert requested, "the page made no request at all"
    assert not errors, f"script errors on the page: {errors}"


def ready(page: Page, path: str) -> None:
    """Open ``path`` and wait until its script says it has drawn everything (``body[data-ready]``)."""
    page.goto(path)
    page.wait_for_selector("body[data-ready=true]", state="attached")


def drawn_points(page: Page, chart: str) -> list[int]:
    """The non-empty data points of each series of the named ECharts chart, as the chart holds them."""
    return page.evaluate("""(name) => window.detenteCharts[name].getOption().series
        .map((s) => s.data.filter((d) => (Array.isArray(d) ? d : d.value)[1] !== null).length)""", chart)


def test_overview_draws_the_index_with_tooltips_and_zoom(page, served, tmp_path):
    ready(page, "/")
    weekly = httpx.get(f"{served.base_url}/api/v1/index", params={"freq": "W"}, timeout=30).json()["points"]
    points = drawn_points(page, "index")
    assert len(points) == 3 and points[0] == len(weekly) > 0  # index, threats and acts
    assert page.locator("#index-chart canvas").first.bounding_box()["width"] > 500
    option = page.evaluate("window.detenteCharts.index.getOption()")
    assert {zoom["type"] for zoom in option["dataZoom"]} == {"inside", "slider"}
    # hovering a point shows its values
    page.evaluate("window.detenteCharts.index.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0})")
    tooltip = page.locator("#index-chart div").filter(has_text="Index").last
    assert "Index" in tooltip.inner_text()
    page.select_option("#index-freq", "D")
    expect(page.locator("#index-status")).to_contain_text(" days ")  # (the pages' CSP forbids wait_for_function)
    daily = httpx.get(f"{served.base_url}/api/v1/index", params={"freq": "D"}, timeout=30).json()["points"]
    assert drawn_points(page, "index")[0] == len(daily)
    assert page.locator("#escalation a.storyline").count() >= 1
    assert page.locator("#alerts li").count() >= 1
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
    assert (tmp_path / "overview.png").stat().st_size > 10_000


def test_storyline_page_opens_a_sentence_with_the_trigger_highlighted(page, served, tmp_path):
    ready(page, "/")
    page.click(f"#escalation a[data-storyline='{served.storyline_id}']")
    page.wait_for_url(f"**/storyline?id={served.storyline_id}")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    assert "miami" in page.locator("#title").inner_text().lower()  # the seed article's storyline
    assert sum(drawn_points(page, "timeline")) > 0
    events = httpx.get(f"{served.base_url}/api/v1/events", params={"storyline": served.storyline_id, "limit": 1000},
                       timeout=30).json()["items"]
    chosen = next(e for e in events if e["sentence"] and e["trigger_start"] is not None
                  and e["source_start"] is not None and e["source_start"] >= e["sentence_start"])
    offset = chosen["sentence_start"]
    trigger = chosen["sentence"][chosen["trigger_start"] - offset:chosen["trigger_end"] - offset]
    source = chosen["sentence"][chosen["source_start"] - offset:chosen["source_end"] - offset]
    page.click(f"#events tr[data-event='{chosen['id']}']")
    mark = page.locator("#events tr.detail .sentence mark.trigger")
    mark.wait_for()
    assert mark.inner_text() == trigger
    assert page.locator("#events tr.detail .sentence mark.actor.source").inner_text() == source
    shown = page.locator("#events tr.detail .sentence").inner_text()
    assert shown.replace(" ", "") == chosen["sentence"].replace(" ", "")
    assert page.locator("#ledger tbody tr").count() > 0  # the seed article's conditions and commitments
    # the scenario tables: probabilities, and per-asset impacts
    assert page.locator("#scenarios table").count() == 2
    assert page.locator("#scenarios tbody tr").count() > 4
    # the test database has no prices: the event study says so instead of drawing an empty chart
    assert "no prices" in page.locator("#study-status .message").inner_text()
    page.screenshot(path=str(tmp_path / "storyline.png"), full_page=True)
    assert (tmp_path / "storyline.png").stat().st_size > 10_000


def test_timeline_point_opens_its_sentence(page, served):
    ready(page, f"/storyline?id={served.storyline_id}")
    # the pixel of the newest point (inside the zoom window), relative to the chart
    x, y = page.evaluate("""() => {
        const chart = window.detenteCharts.timeline;
        let best = null;
        chart.getOption().series.forEach((s, i) => s.data.forEach((d) => {
            if (!best || Date.parse(d.value[0]) > Date.parse(best.d.value[0])) best = {i, d};
        }));
        return chart.convertToPixel({seriesIndex: best.i}, best.d.value);
    }""")
    box = page.locator("#timeline-chart").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    panel = page.locator("#events tr.selected + tr.detail .sentence-panel")
    panel.wait_for()
    assert panel.get_attribute("data-event") == page.locator("#events tr.selected").get_attribute("data-event")


def test_events_table_filters_and_highlights_the_source_sentence(page, tmp_path):
    ready(page, "/events?actor=RUS")
    rows = page.locator("#events tbody tr.clickable")
    assert 0 < rows.count() <= 50
    assert all("RUS" in rows.nth(i).inner_text() for i in range(rows.count()))
    page.select_option("select[name=type]", "CONSULT")
    page.click("#filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"type=CONSULT"))  # set once the filtered table is drawn
    types = page.locator("#events tbody tr.clickable td:nth-child(3)").all_inner_texts()
    assert types and set(types) == {"CONSULT"}
    rows.first.click()
    assert page.locator("#events tr.detail .sentence mark.trigger").count() == 1
    rows.first.click()  # a second click closes it
    assert page.locator("#events tr.detail").count() == 0
    page.fill("input[name=actor]", "ZZZZ")
    page.click("#filters button[type=submit]")
    page.locator("#events .message").wait_for()
    page.screenshot(path=str(tmp_path / "events.png"), full_page=True)


def test_country_page_shows_index_events_and_exposed_assets(page, tmp_path):
    ready(page, "/country?code=RUS")
    assert "Russia" in page.locator("#title").inner_text()
    assert sum(drawn_points(page, "index")) > 0
    assert page.locator("#events tbody tr.clickable").count() > 0
    exposures = page.locator("#exposures").inner_text()
    assert "brent" in exposures and "not loaded" in exposures
    page.screenshot(path=str(tmp_path / "country.png"), full_page=True)


def test_unknown_storyline_says_so(page):
    ready(page, "/storyline?id=nosuchstoryline")
    assert "no storyline" in page.locator(".error").first.inner_text()


@pytest.fixture
def reads_need_a_key(served):
    """The test server as under ``DETENTE_API_READS=key``: every read, loopback ones too, needs the key."""
    settings = served.app.state.database.settings
    settings.api_reads = "key"
    yield served.key
    settings.api_reads = "localhost"


def reload_after(page: Page, action) -> None:
    """Run ``action`` (which reloads the page) and wait until the reloaded page has drawn everything."""
    with page.expect_navigation():
        action()
    page.wait_for_selector("body[data-ready=true]", state="attached")


def test_overview_asks_for_the_key_when_reads_need_one(page, reads_need_a_key, tmp_path):
    ready(page, "/")
    form = page.locator("#api-key-form")
    expect(form).to_contain_text("needs an API key for reads")
    assert form.locator(".error").count() == 0  # no key was sent, so none was refused
    assert page.locator("#index-chart canvas").count() == 0
    assert page.evaluate("!(window.detenteCharts && window.detenteCharts.index)")
    assert page.locator("#forget-key").count() == 0
    page.screenshot(path=str(tmp_path / "key-form.png"), full_page=True)

    form.locator("input[type=password]").fill("dtk_wrong_key")
    reload_after(page, lambda: form.locator("button[type=submit]").click())
    expect(form.locator(".error")).to_contain_text("unknown, revoked or wrong")
    assert page.locator("#index-chart canvas").count() == 0
    page.screenshot(path=str(tmp_path / "key-refused.png"), full_page=True)

    form.locator("input[type=password]").fill(reads_need_a_key)
    reload_after(page, lambda: form.locator("button[type=submit]").click())
    assert form.count() == 0
    assert drawn_points(page, "index")[0] > 0
    assert page.locator("#escalation a.storyline").count() >= 1
    expect(page.locator("#served")).to_contain_text("schema")  # /health read with the key too

    reload_after(page, lambda: page.click("#forget-key"))  # forgetting the key asks for one again
    expect(form).to_be_visible()
    assert page.locator("#forget-key").count() == 0


def test_every_page_asks_for_the_key_and_keeps_it_for_the_tab(page, served, reads_need_a_key):
    for path in ("/events", "/country?code=RUS", f"/storyline?id={served.storyline_id}"):
        ready(page, path)
        expect(page.locator("#api-key-form")).to_contain_text("needs an API key for reads")
        assert page.locator("#events table").count() == 0
    page.locator("#api-key-form input[type=password]").fill(reads_need_a_key)
    reload_after(page, lambda: page.locator("#api-key-form button[type=submit]").click())
    assert sum(drawn_points(page, "timeline")) > 0
    ready(page, "/events?actor=RUS")  # another page of the same tab sends the stored key
    assert page.locator("#api-key-form").count() == 0
    assert page.locator("#events tbody tr.clickable").count() > 0


def test_pages_forbid_requests_to_other_origins(served):
    answer = httpx.get(f"{served.base_url}/", timeout=10)
    assert answer.status_code == 200 and "text/html" in answer.headers["content-type"]
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    vendored = httpx.get(f"{served.base_url}/static/vendor/echarts/echarts.min.js", timeout=10)
    assert vendored.status_code == 200 and len(vendored.content) > 500_000
    # the static mount does not shadow the API or its spec
    assert httpx.get(f"{served.base_url}/api/v1/health", timeout=10).json()["status"] == "ok"
    assert "/api/v1/escalation" in httpx.get(f"{served.base_url}/openapi.json", timeout=10).json()["paths"]
    assert "/" not in httpx.get(f"{served.base_url}/openapi.json", timeout=10).json()["paths"]
    missing = httpx.get(f"{served.base_url}/static/nothing.js", timeout=10)
    assert missing.status_code == 404 and missing.json()["error"]
