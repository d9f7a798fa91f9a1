"""The REST API over real HTTP on 127.0.0.1 against a real DuckDB file (see conftest.py)."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

SEED = (ROOT.parent / "shared" / "data" / "samples" / "seed_article.txt")


def test_health_and_the_openapi_spec(client):
    health = client.get("/api/v1/health").json()
    assert health["status"] == "ok" and health["schema_version"] >= 7 and health["read_only"] is False
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/articles", "/api/v1/events", "/api/v1/index", "/api/v1/index/explain", "/api/v1/storylines",
                 "/api/v1/storylines/{storyline_id}", "/api/v1/storylines/{storyline_id}/scenarios",
                 "/api/v1/alerts", "/api/v1/analyze"):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/v1/articles"] and "APIKeyHeader" in spec["components"]["securitySchemes"]


def test_articles_search_filters_and_pages(client):
    found = client.get("/api/v1/articles", params={"q": "Miami", "source": "seed_article"}).json()
    assert found["count"] == 1 and found["items"][0]["published_at"] == "2025-12-06"
    first = client.get("/api/v1/articles", params={"limit": 3, "since": "2022-01-01", "until": "2022-12-31"}).json()
    second = client.get("/api/v1/articles", params={"limit": 3, "offset": 1, "since": "2022-01-01",
                                                    "until": "2022-12-31"}).json()
    assert first["count"] == 3 and [a["id"] for a in first["items"][1:]] == [a["id"] for a in second["items"][:2]]
    assert all("2022-01-01" <= a["published_at"] < "2022-12-31" for a in first["items"])


def test_events_filters_and_source_spans(client, served):
    rows = client.get("/api/v1/events", params={"actor": "USA", "storyline": served.storyline_id,
                                                "since": "2025-12-01", "until": "2025-12-31"}).json()["items"]
    assert rows and all("USA" in (e["source_actor"] or "") + (e["target_actor"] or "") for e in rows)
    consult = [e for e in rows if e["event_type"] == "CONSULT" and e["target_actor"] == "UKRGOV"]
    assert consult, "USA consults UKR in Miami is coded from the seed article"
    event = consult[0]
    trigger = event["sentence"][event["trigger_start"] - event["sentence_start"]:event["trigger_end"] - event["sentence_start"]]
    assert trigger and trigger in event["sentence"]
    hypothetical = client.get("/api/v1/events", params={"modality": "hypothetical", "limit": 5}).json()["items"]
    assert all(e["modality"] == "hypothetical" for e in hypothetical)
    none = client.get("/api/v1/events", params={"storyline": "s0000000000"}).json()
    assert none == {"count": 0, "limit": 50, "offset": 0, "items": []}


def test_index_series_and_explanation(client):
    daily = client.get("/api/v1/index").json()
    monthly = client.get("/api/v1/index", params={"freq": "M", "method": "classic"}).json()
    assert daily["scope"] == "global" and len(daily["points"]) > len(monthly["points"]) > 1
    assert {"date", "index", "threat", "act", "articles"} <= set(daily["points"][0])
    russia = client.get("/api/v1/index", params={"scope": "RUS", "freq": "W"}).json()
    assert russia["points"]
    top = max(daily["points"], key=lambda p: p["index"])
    explained = client.get("/api/v1/index/explain", params={"day": top["date"]}).json()
    assert explained["summary"] and set(explained) >= {"summary", "articles", "events"}


def test_storylines_with_timeline_phases_ledger_and_scenarios(client, served):
    listed = client.get("/api/v1/storylines", params={"actor": "UKR", "limit": 50}).json()["items"]
    assert served.storyline_id in {s["id"] for s in listed} and all(isinstance(s["actors"], list) for s in listed)
    one = client.get(f"/api/v1/storylines/{served.storyline_id}").json()
    assert one["storyline"]["id"] == served.storyline_id
    assert one["timeline"] and one["phases"] and {"ledger", "articles", "signals"} <= set(one)
    outlook = client.get(f"/api/v1/storylines/{served.storyline_id}/scenarios").json()
    assert len(outlook["scenarios"]) == 4
    assert sum(s["probability"] for s in outlook["scenarios"]) == pytest.approx(1.0, abs=1e-6)
    missing = client.get("/api/v1/storylines/s0000000000")
    assert missing.status_code == 404 and "no storyline" in missing.json()["error"]
    assert client.get("/api/v1/storylines/s0000000000/scenarios").status_code == 404


def test_alerts(client):
    found = client.get("/api/v1/alerts", params={"limit": 5}).json()
    assert found["count"] == len(found["items"]) <= 5
    assert all({"alert_date", "rule", "message", "evidence"} <= set(a) for a in found["items"])
    assert all(isinstance(a["evidence"], list) for a in found["items"])


def test_analyze_codes_the_seed_article(client):
    text = SEED.read_text(encoding="utf-8")
    found = client.post("/api/v1/analyze", json={"text": text, "published": "2025-12-06"})
    assert found.status_code == 200, found.text
    body = found.json()
    codes = {m["actor_code"] for m in body["mentions"]}
    assert {"USAGOV", "UKRGOV", "RUSGOV"} <= codes
    assert any(e["event_type"] == "CONSULT" for e in body["events"]) and body["signals"]
    skipped = client.post("/api/v1/analyze", json={"text": "Der Kanzler traf gestern den Präsidenten in Berlin."})
    assert skipped.status_code == 200 and skipped.json()["skipped_reason"]


ARTICLE = {"title": "Envoys meet in Geneva", "body": "Russian and Ukrainian envoys met in Geneva on Tuesday.",
           "published": "2025-12-09", "url": "https://example.org/geneva-talks"}


def test_writes_need_a_live_api_key(client, served):
    altered = served.key[:-1] + ("B" if served.key.endswith("A") else "A")  # the same key, one character off
    for headers in ({}, {"X-API-Key": "not-a-key"}, {"X-API-Key": altered}):
        refused = client.post("/api/v1/articles", json={"articles": [ARTICLE]}, headers=headers)
        assert refused.status_code == 401 and "key" in refused.json()["error"]
        assert refused.headers["www-authenticate"] == "X-API-Key"
    from detente.serve.keys import create_key

    database = served.app.state.database
    with database.write_lock, database.handle() as db:
        revoked = create_key(db.store, "revoked-robot")
        db.store.revoke_api_key("revoked-robot")
    assert client.post("/api/v1/articles", json={"articles": [ARTICLE]},
                       headers={"X-API-Key": revoked}).status_code == 401


def test_ingest_with_a_key_stores_articles_and_rejects(client, served):
    sent = client.post("/api/v1/articles", headers={"X-API-Key": served.key},
                       json={"articles": [ARTICLE, {"title": "", "body": "   "}], "source": "wire"})
    assert sent.status_code == 201, sent.text
    summary = sent.json()
    assert summary["key"] == "tests" and summary["read"] == 2 and summary["articles_added"] == 1
    assert summary["rejects_by_reason"] == {"empty_body": 1}
    again = client.post("/api/v1/articles", headers={"X-API-Key": served.key}, json={"articles": [ARTICLE]}).json()
    assert again["articles_added"] == 0 and again["already_stored"] == 1
    stored = client.get("/api/v1/articles", params={"q": "Geneva", "source": "wire"}).json()["items"]
    assert [a["url"] for a in stored] == [ARTICLE["url"]]


def test_oversize_bodies_are_refused_with_413(client, served):
    big = {"text": "The envoy met the minister. " * 1_000}  # ~28 kB > the test limit of 20 kB
    refused = client.post("/api/v1/analyze", json=big)
    assert refused.status_code == 413 and "20,000 bytes" in refused.json()["error"]
    many = {"articles": [{**ARTICLE, "body": "x" * 200_000} for _ in range(6)]}  # 1.2 MB > 1 MB
    assert client.post("/api/v1/articles", json=many, headers={"X-API-Key": served.key}).status_code == 413

    def chunks():  # no Content-Length: the server counts the bytes as they arrive
        for _ in range(30):
            yield b"x" * 1_000

    chunked = client.post("/api/v1/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413 and chunked.json()["error"].startswith("request body is larger")


@pytest.mark.parametrize(("path", "params", "where"), [
    ("/api/v1/events", {"limit": -1}, "limit"),
    ("/api/v1/events", {"limit": 5000}, "limit"),
    ("/api/v1/events", {"since": "last tuesday"}, "since"),
    ("/api/v1/events", {"modality": "maybe"}, "modality"),
    ("/api/v1/events", {"actor": "R!"}, "actor"),
    ("/api/v1/articles", {"offset": "ten"}, "offset"),
    ("/api/v1/index", {"scope": "Mars"}, "scope"),
    ("/api/v1/index", {"freq": "Q"}, "freq"),
    ("/api/v1/index", {"method": "vibes"}, "method"),
    ("/api/v1/index/explain", {}, "day"),
    ("/api/v1/storylines/bad%20id", {}, "storyline_id"),
])
def test_bad_parameters_are_422_with_a_message(client, path, params, where):
    refused = client.get(path, params=params)
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert where in body["error"] and body["details"][0]["message"]


def test_bad_bodies_are_422_with_a_message(client, served):
    for body, where in (({"text": ""}, "text"), ({"text": "x", "colour": "red"}, "colour"),
                        ({"text": "x", "published": "soon"}, "published")):
        refused = client.post("/api/v1/analyze", json=body)
        assert refused.status_code == 422 and where in refused.json()["error"]
    empty = client.post("/api/v1/articles", json={"articles": []}, headers={"X-API-Key": served.key})
    assert empty.status_code == 422 and "articles" in empty.json()["error"]
    broken = client.post("/api/v1/analyze", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["error"]
    too_old = client.get("/api/v1/events", params={"since": "1066-10-14"})
    assert too_old.status_code == 422 and "since" in too_old.json()["error"]


def test_reads_can_be_closed_by_setting(client, served):
    settings = served.app.state.database.settings
    settings.api_reads = "key"
    try:
        assert client.get("/api/v1/events").status_code == 401
        assert client.get("/api/v1/events", headers={"X-API-Key": served.key}).status_code == 200
    finally:
        settings.api_reads = "localhost"
    assert client.get("/api/v1/events").status_code == 200


def test_errors_are_json_and_cors_is_off(client):
    missing = client.get("/api/v2/events")
    assert missing.status_code == 404 and missing.json() == {"error": "Not Found"}
    assert client.delete("/api/v1/events").status_code == 405
    preflight = client.get("/api/v1/alerts", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in preflight.headers


def test_concurrent_reads_while_writing(client, served):
    """Cursors of the shared connection: parallel reads keep answering while a write transaction runs."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    def read(number: int) -> int:
        path = "/api/v1/events" if number % 2 else "/api/v1/index"
        return httpx.get(served.base_url + path, params={"limit": 20} if number % 2 else {}, timeout=30).status_code

    batch = {"articles": [{"title": f"Wire item {n}", "body": f"Officials met in Vienna on day {n} of the talks.",
                           "published": "2025-12-08"} for n in range(50)]}
    with ThreadPoolExecutor(max_workers=8) as pool:
        reads = [pool.submit(read, n) for n in range(40)]
        write = pool.submit(httpx.post, served.base_url + "/api/v1/articles", json=batch,
                            headers={"X-API-Key": served.key}, timeout=60)
        statuses = [r.result() for r in reads]
    assert statuses == [200] * 40 and write.result().status_code == 201
