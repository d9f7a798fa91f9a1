"""Watching feeds: the watch file, the schedule (pure), and cycles against a real server and a real DuckDB."""

import datetime as dt
import itertools
import json
import logging
import random
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import detente
from detente.errors import BadOption, StoreLocked
from detente.ingest.poll import Watcher, watch
from detente.ingest.watch import (
    HostPacer,
    after_failure,
    after_success,
    backoff_s,
    conditional_headers,
    due_urls,
    next_wake,
    parse_config,
)
from detente.records import FeedState

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"
FEED = (FIXTURES / "huffpost_world.rss").read_bytes()
PAGE = (FIXTURES / "seed_article.html").read_bytes()
T0 = dt.datetime(2026, 11, 25, 12, 0, 0)


# -- the watch file -------------------------------------------------------------

def test_a_watch_file_parses_with_defaults_and_bare_urls():
    config = parse_config("feeds:\n  - https://a.example/rss.xml\n  - {url: 'https://b.example/x.html', kind: page,"
                          " source: bee, interval_s: 60}\nallow_private: ['127.0.0.1/32']\n")
    first, second = config.feeds
    assert (first.kind, first.source, config.interval_of(first)) == ("auto", None, 900.0)
    assert (second.kind, second.source, config.interval_of(second), second.host) == ("page", "bee", 60.0, "b.example")
    assert parse_config("feeds: [https://a.example/]", interval_s=5).interval_s == 5


@pytest.mark.parametrize("text, message", [
    ("feeds: [https://a.example/]\nintervall_s: 5\n", "intervall_s: Extra inputs are not permitted"),
    ("feeds:\n  - {url: https://a.example/, knd: page}\n", "feeds.0.knd: Extra inputs"),
    ("feeds: [ftp://a.example/feed]\n", "only http and https"),
    ("feeds: [not a url]\n", "only http and https"),
    ("feeds: [https://a.example/, https://a.example/]\n", "listed twice"),
    ("feeds: [https://a.example/]\nallow_private: [10.0.0.0/40]\n", "allow_private"),
    ("feeds: []\n", "feeds: Tuple should have at least 1 item"),
    ("feeds: [https://a.example/]\ninterval_s: -1\n", "interval_s: Input should be greater than 0"),
    ("feeds: [https://a.example/\n", "not valid YAML"),
    ("- https://a.example/\n", "expected a mapping"),
    ("feeds:\n  - {url: https://a.example/, kind: podcast}\n", "feeds.0.kind"),
])
def test_a_bad_watch_file_is_a_clear_error(text, message):
    with pytest.raises(BadOption, match="^feeds.yaml: ") as caught:
        parse_config(text, "feeds.yaml")
    assert message in str(caught.value)


_yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    | st.sampled_from(["https://a.example/", "feed", "page", "10.0.0.0/8", "ftp://x/"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["feeds", "url", "kind", "interval_s", "allow_private", "source", "x"]), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | _yaml_values.map(json.dumps))
def test_any_watch_file_text_gives_a_config_or_a_clear_error(text):
    try:
        config = parse_config(text, "w.yaml")
    except BadOption as exc:
        assert str(exc).startswith("w.yaml: ")
    else:
        assert config.feeds


# -- the schedule ---------------------------------------------------------------

def test_backoff_doubles_from_the_interval_up_to_the_cap():
    assert [backoff_s(n, 60, 1000) for n in range(6)] == [60, 120, 240, 480, 960, 1000]
    assert backoff_s(10_000, 60, 1000) == 1000


def test_states_after_success_and_failure():
    ok = after_success(None, "u", T0, 60, status=200, etag='"a"', last_modified="Mon", articles_added=3)
    assert (ok.etag, ok.failures, ok.articles_added, ok.next_poll_at) == ('"a"', 0, 3, T0 + dt.timedelta(seconds=60))
    failed = after_failure(ok, "u", T0, 60, 3600, error="HTTP 503")
    failed = after_failure(failed, "u", T0, 60, 3600, error="HTTP 503")
    assert (failed.failures, failed.last_error, failed.etag) == (2, "HTTP 503", '"a"')  # validators kept
    assert failed.next_poll_at == T0 + dt.timedelta(seconds=240)
    assert conditional_headers(failed) == {"If-None-Match": '"a"', "If-Modified-Since": "Mon"}
    same = after_success(failed, "u", T0, 60, status=304, etag=None, last_modified=None, articles_added=0)
    assert (same.etag, same.last_modified, same.failures, same.polls) == ('"a"', "Mon", 0, 4)


def _polled(url, seconds_ago, failures=0):
    return FeedState(url=url, last_polled_at=T0 - dt.timedelta(seconds=seconds_ago), failures=failures)


def test_due_urls_never_polled_first_then_longest_overdue():
    config = parse_config("interval_s: 60\nfeeds: [https://a.example/, https://b.example/, https://c.example/,"
                          " https://d.example/, https://e.example/]")
    states = {
        "https://a.example/": _polled("https://a.example/", 65),  # due 5 s ago
        "https://b.example/": _polled("https://b.example/", 110),  # due 50 s ago
        "https://d.example/": _polled("https://d.example/", 30),  # due in 30 s
        "https://e.example/": _polled("https://e.example/", 200, failures=2),  # backing off: due in 40 s
    }
    assert [f.url for f in due_urls(config, states, T0)] == ["https://c.example/", "https://b.example/",
                                                             "https://a.example/"]
    assert next_wake(config, states, T0) == 0
    config = parse_config("interval_s: 60\nfeeds: [https://d.example/, https://e.example/]")
    assert next_wake(config, states, T0) == 30
    shorter = parse_config("interval_s: 20\nfeeds: [https://d.example/, https://e.example/]")
    assert [f.url for f in due_urls(shorter, states, T0)] == ["https://e.example/", "https://d.example/"]


def test_host_pacer_keeps_requests_to_a_host_apart():
    pacer = HostPacer(2.0)
    assert pacer.wait_s("a", 10.0) == 0
    pacer.record("a", 10.0)
    assert pacer.wait_s("a", 10.5) == 1.5 and pacer.wait_s("b", 10.5) == 0 and pacer.wait_s("a", 13) == 0


# -- cycles against a real server ---------------------------------------------------

class _Feeds(BaseHTTPRequestHandler):
    """/feed.xml (ETag, 304), /page.html, /down (503), /garbage (random bytes); requests are recorded."""

    def log_message(self, format, *args):
        pass

    def do_GET(self):  # the name http.server calls
        self.server.requests.append((self.path, time.monotonic(), self.headers.get("If-None-Match")))
        if self.path == "/feed.xml" and self.headers.get("If-None-Match") == '"feed-1"':
            self.send_response(304)
            self.end_headers()
            return
        status, body, headers = {
            "/feed.xml": (200, FEED, {"ETag": '"feed-1"', "Content-Type": "application/rss+xml"}),
            "/page.html": (200, PAGE, {"Content-Type": "text/html; charset=utf-8"}),
            "/garbage": (200, random.Random(8).randbytes(5000), {"Content-Type": "application/rss+xml"}),
        }.get(self.path, (503, b"down for maintenance", {}))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    server.daemon_threads = True
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _config(server, *paths, allow=True, extra=""):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    feeds = "\n".join(f"  - {base}{path}" for path in paths)
    allow_line = "allow_private: ['127.0.0.1/32']\n" if allow else ""
    return parse_config(f"politeness_s: 0\ninterval_s: 0.05\ntimeout_s: 2\n{allow_line}{extra}feeds:\n{feeds}\n")


def test_a_cycle_stores_new_articles_and_the_next_one_is_a_304(site, tmp_path):
    config = _config(site, "/feed.xml", "/page.html")
    with detente.open(tmp_path / "w.duckdb") as db:
        watcher = Watcher(config, db.settings)
        first = watcher.run_cycle(db.store)
        time.sleep(0.06)
        second = watcher.run_cycle(db.store)
        states = db.store.feed_states()
        articles = db.stats()["articles"]
    assert (first.polled, first.changed, first.failed) == (2, 2, 0)
    assert first.articles_added == articles == 7  # six dated feed entries and the page
    assert (second.polled, second.not_modified, second.articles_added) == (2, 1, 0)  # the page has no ETag
    feed_requests = [r for r in site.requests if r[0] == "/feed.xml"]
    assert [r[2] for r in feed_requests] == [None, '"feed-1"']
    feed_state = states[f"http://127.0.0.1:{site.server_address[1]}/feed.xml"]
    assert (feed_state.etag, feed_state.last_status, feed_state.polls, feed_state.articles_added) == (
        '"feed-1"', 304, 2, 6)


def test_requests_to_one_host_are_kept_apart(site, tmp_path):
    config = _config(site, "/down", "/garbage", "/page.html", extra="politeness_s: 0.3\n")
    with detente.open(tmp_path / "w.duckdb") as db:
        Watcher(config, db.settings).run_cycle(db.store)
    times = [when for _, when, _ in site.requests]
    assert len(times) == 3 and all(b - a >= 0.29 for a, b in itertools.pairwise(times))


def test_failures_back_off_exponentially_up_to_the_cap_and_are_recorded(site, tmp_path, caplog):
    config = _config(site, "/down", extra="backoff_max_s: 0.3\n")
    caplog.set_level(logging.WARNING, logger="detente.watch")
    with detente.open(tmp_path / "w.duckdb") as db:
        watcher = Watcher(config, db.settings)
        waits = []
        for _ in range(4):
            watcher.run_cycle(db.store)
            state = db.store.feed_states()[config.feeds[0].url]
            waits.append(round((state.next_poll_at - state.last_polled_at).total_seconds(), 2))
            time.sleep(waits[-1] + 0.01)
        rejects = db.rejects()
    assert waits == [0.1, 0.2, 0.3, 0.3]
    assert list(rejects["reason"]) == ["fetch_failed"]  # kept once, not once per failed poll
    assert (state.failures, state.last_status) == (4, None) and "HTTP 503" in state.last_error
    assert "poll failed: " in caplog.text and "HTTP 503" in caplog.text and "failure 4 in a row" in caplog.text


def test_a_garbage_feed_is_a_stored_reject_and_a_failed_poll(site, tmp_path, caplog):
    config = _config(site, "/garbage", "/feed.xml")
    caplog.set_level(logging.WARNING, logger="detente.watch")
    with detente.open(tmp_path / "w.duckdb") as db:
        summary = Watcher(config, db.settings).run_cycle(db.store)
        rejects = db.rejects()
        state = db.store.feed_states()[config.feeds[0].url]
    assert (summary.failed, summary.changed, summary.articles_added) == (1, 1, 6)  # the good feed still read
    assert set(rejects["reason"]) & {"broken_html", "broken_feed", "undecodable_bytes", "binary_content"}
    assert state.failures == 1 and "/garbage" in state.last_error
    assert "poll failed: " in caplog.text and "/garbage" in caplog.text


def test_a_page_past_its_own_size_cap_is_refused_while_feeds_keep_theirs(site, tmp_path):
    base = f"http://127.0.0.1:{site.server_address[1]}"
    cap = len(FEED) - 1  # smaller than the page and the feed: only the page is held to it
    config = parse_config(f"politeness_s: 0\nallow_private: ['127.0.0.1/32']\nmax_page_bytes: {cap}\n"
                          f"feeds:\n  - {{url: '{base}/page.html', kind: page}}\n  - {base}/feed.xml\n")
    assert len(PAGE) > cap and config.max_bytes_of(config.feeds[1]) == config.max_bytes
    with detente.open(tmp_path / "w.duckdb") as db:
        summary = Watcher(config, db.settings).run_cycle(db.store)
        state = db.store.feed_states()[config.feeds[0].url]
    assert (summary.failed, summary.articles_added) == (1, 6)  # the feed, larger than the cap, still read
    assert f"larger than the limit of {cap} bytes" in state.last_error


def test_a_loopback_feed_is_refused_without_the_allow_list(site, tmp_path):
    config = _config(site, "/feed.xml", allow=False)
    with detente.open(tmp_path / "w.duckdb") as db:
        summary = Watcher(config, db.settings).run_cycle(db.store)
        state = db.store.feed_states()[config.feeds[0].url]
    assert summary.failed == 1 and "loopback" in state.last_error
    assert site.requests == []  # refused before connecting


def test_watch_runs_cycles_and_sleeps_until_the_next_due_url(site, tmp_path):
    config = _config(site, "/feed.xml")
    slept, seen = [], []
    summaries = watch(lambda: detente.open(tmp_path / "w.duckdb"), config, max_cycles=3, sleep=slept.append,
                      on_cycle=lambda db, summary, first: seen.append((summary.articles_added, first)))
    assert len(summaries) == 3 and seen[0] == (6, True) and [first for _, first in seen] == [True, False, False]
    assert len(slept) == 2 and all(0.04 <= s <= 0.06 for s in slept)  # sleep() recorded, not slept: interval 0.05


class _Stop(Exception):
    pass


def test_a_database_locked_by_another_writer_skips_the_cycle_when_running_without_end(site, tmp_path, caplog):
    db = tmp_path / "w.duckdb"
    detente.open(db).close()
    hold = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); time.sleep(30)"
    holder = subprocess.Popen([sys.executable, "-c", hold, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        config = _config(site, "/feed.xml")
        with pytest.raises(StoreLocked):  # a bounded run says so at once
            watch(lambda: detente.open(db), config, max_cycles=1)
        cycles, sleeps = [], []

        def sleep(seconds):
            sleeps.append(seconds)
            if len(sleeps) == 1:  # the skipped cycle's wait: the other writer goes away meanwhile
                holder.kill()
                holder.wait(timeout=10)
            else:
                raise _Stop

        caplog.set_level(logging.WARNING, logger="detente.watch")
        with pytest.raises(_Stop):
            watch(lambda: detente.open(db), config, sleep=sleep,
                  on_cycle=lambda handle, summary, first: cycles.append(summary.articles_added))
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert cycles == [6] and "database busy, cycle skipped" in caplog.text


def test_subscriptions_join_the_watch_file_which_wins_on_a_url():
    from detente.ingest.watch import with_subscriptions
    from detente.records import FeedSubscription

    def subscription(url, **fields):
        return FeedSubscription(url=url, created_at=dt.datetime(2026, 1, 1), created_by="k", **fields)

    config = parse_config("interval_s: 60\nfeeds:\n  - {url: 'https://a.example/feed', kind: feed}\n")
    merged = with_subscriptions(config, [subscription("https://a.example/feed", kind="page"),
                                         subscription("https://b.example/page", kind="page", interval_s=30)])
    assert [(feed.url, feed.kind) for feed in merged.feeds] == [("https://a.example/feed", "feed"),
                                                                ("https://b.example/page", "page")]
    assert merged.interval_s == 60 and merged.interval_of(merged.feeds[1]) == 30
    assert with_subscriptions(config, []) is config
    assert with_subscriptions(None, []) is None
    alone = with_subscriptions(None, [subscription("https://b.example/page")], interval_s=5)
    assert [feed.url for feed in alone.feeds] == ["https://b.example/page"] and alone.interval_s == 5
