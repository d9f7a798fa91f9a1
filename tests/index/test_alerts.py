"""Alert rules: the file is checked, rules fire once with evidence, delivery reaches a real webhook on loopback."""

from __future__ import annotations

import datetime as dt
import json
import threading
import typing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest

from detente.errors import BadOption
from detente.index.alert_delivery import deliver, post_with_retries
from detente.index.alerts import AlertRules, Delivery, Webhook, evaluate, load_rules
from detente.records import Alert

TODAY = dt.date(2022, 3, 1)


def inputs(**frames):
    empty = pd.DataFrame()
    base = {"phases": pd.DataFrame(columns=["storyline_id", "phase_date", "phase", "score", "evidence", "label"]),
            "ledger": pd.DataFrame(columns=["signal_id", "storyline_id", "kind", "actor", "counterpart", "action",
                                            "status", "status_date", "evidence_id", "reason"]),
            "first_named": pd.DataFrame(columns=["storyline_id", "actor", "first_published", "article_id",
                                                 "articles_before", "label"]),
            "escalation": empty}
    base.update(frames)
    return base


def test_the_shipped_rules_load_and_bad_files_give_one_clear_error(tmp_path):
    assert load_rules().rules
    bad = tmp_path / "alerts.yaml"
    bad.write_text("rules:\n  - name: x\n    kind: sometimes\n")
    with pytest.raises(BadOption, match="rules.0.kind"):
        load_rules(bad)
    bad.write_text("rules: [unclosed")
    with pytest.raises(BadOption, match="not valid YAML"):
        load_rules(bad)
    with pytest.raises(BadOption, match="no alerts file"):
        load_rules(tmp_path / "missing.yaml")


def test_a_phase_change_fires_once_with_its_evidence():
    rules = AlertRules.model_validate({"rules": [{"name": "war", "kind": "phase", "phases": ["armed_conflict"]}]})
    phases = pd.DataFrame({"storyline_id": ["s1", "s1"], "phase_date": [TODAY - dt.timedelta(days=3), TODAY],
                           "phase": ["crisis", "armed_conflict"], "score": [2.0, 9.0],
                           "evidence": ['["e0"]', '["e1", "e2"]'], "label": ["RUS–UKR", "RUS–UKR"]})
    fired = evaluate(rules, inputs(phases=phases), TODAY)
    assert [(a.scope, a.evidence) for a in fired] == [("storyline:s1", ("e1", "e2"))]
    assert evaluate(rules, inputs(phases=phases), TODAY)[0].id == fired[0].id  # stable: stored once


def test_index_jumps_and_levels():
    days = [TODAY - dt.timedelta(days=i) for i in range(60, -1, -1)]
    values = [100.0 + (i % 3) for i in range(60)] + [400.0]
    points = pd.DataFrame({"date": days, "value": values})
    rules = AlertRules.model_validate({"rules": [
        {"name": "jump", "kind": "index_jump", "scope": "global", "measure": "events", "k": 3, "min_history": 30},
        {"name": "level", "kind": "index_level", "scope": "global", "measure": "events", "above": 300}]})
    fired = evaluate(rules, inputs(**{"index:global:events": points}), TODAY)
    assert sorted(a.rule for a in fired) == ["jump", "level"] and all(a.day == TODAY for a in fired)


def test_old_events_are_outside_the_lookback():
    rules = AlertRules.model_validate({"lookback_days": 5, "rules": [{"name": "broken", "kind": "ledger"}]})
    ledger = pd.DataFrame({"signal_id": ["g1"], "storyline_id": ["s1"], "kind": ["commitment"], "actor": ["USAGOV"],
                           "counterpart": ["UKRGOV"], "action": ["CONSULT"], "status": ["broken"],
                           "status_date": [TODAY - dt.timedelta(days=30)], "evidence_id": ["e9"], "reason": ["x"]})
    assert evaluate(rules, inputs(ledger=ledger), TODAY) == []


class _Hook(BaseHTTPRequestHandler):
    received: typing.ClassVar[list] = []
    failures_left = 0

    def do_POST(self):  # http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if _Hook.failures_left:
            _Hook.failures_left -= 1
            self.send_response(503)
        else:
            _Hook.received.append(json.loads(body))
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Hook.received, _Hook.failures_left = [], 0
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


def alert():
    return Alert(id="a1", rule="war", kind="phase", scope="storyline:s1", day=TODAY, message="phase armed_conflict",
                 evidence=("e1",))


def test_delivery_to_console_file_and_a_webhook_that_fails_twice(tmp_path, webhook):
    _Hook.failures_left = 2
    lines, waits = [], []
    target = tmp_path / "out" / "alerts.jsonl"
    outcome = deliver([alert()], Delivery(console=True, jsonl=str(target), webhook=Webhook(url=webhook, retries=3)),
                      echo=lines.append, sleep=waits.append)
    assert outcome == {"a1": {"console": "ok", "jsonl": "ok", "webhook": "ok"}}
    assert waits == [0.5, 1.0] and _Hook.received[0]["id"] == "a1"
    assert json.loads(target.read_text())["message"] == "phase armed_conflict" and "war" in lines[0]


def test_a_dead_webhook_is_reported_not_raised():
    outcome = post_with_retries("http://127.0.0.1:9/hook", {"x": 1}, timeout_s=0.5, retries=1, sleep=lambda s: None)
    assert outcome.startswith("Connect")
