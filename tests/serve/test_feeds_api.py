"""Feed subscriptions over real HTTP on 127.0.0.1 (see conftest.py): writes need a key, URLs are checked,
the list shows each feed's polling state, and a deleted subscription is gone."""

from __future__ import annotations

import pytest

FEED = "https://feeds.example.org/world.rss"


def test_subscribing_needs_a_live_api_key(client):
    for headers in ({}, {"X-API-Key": "not-a-key"}):
        refused = client.post("/api/v1/feeds", json={"url": FEED}, headers=headers)
        assert refused.status_code == 401 and "key" in refused.json()["error"]
        assert refused.headers["www-authenticate"] == "X-API-Key"
        assert client.delete("/api/v1/feeds", params={"url": FEED}, headers=headers).status_code == 401


@pytest.mark.parametrize("url, message", [
    ("ftp://feeds.example.org/world.rss", "only http and https"),
    ("http:///world.rss", "no host"),
    ("https://feeds.example.org/" + "a" * 5000, "at most 2048 characters"),
    ("https://feeds.example.org/a b", "no spaces"),
])
def test_a_bad_url_is_422_with_a_message(client, served, url, message):
    refused = client.post("/api/v1/feeds", json={"url": url}, headers={"X-API-Key": served.key})
    assert refused.status_code == 422 and message in refused.json()["error"]


def test_bad_bodies_are_422(client, served):
    for body in ({}, {"url": FEED, "kind": "podcast"}, {"url": FEED, "interval_s": 0}, {"url": FEED, "extra": 1}):
        assert client.post("/api/v1/feeds", json=body, headers={"X-API-Key": served.key}).status_code == 422


def test_subscribe_list_and_unsubscribe(client, served):
    url = "https://news.example.net/summit.html"
    made = client.post("/api/v1/feeds", headers={"X-API-Key": served.key},
                       json={"url": f" {url} ", "source": "example", "kind": "page", "interval_s": 600})
    assert made.status_code == 201, made.text
    feed = made.json()
    assert (feed["url"], feed["source"], feed["kind"], feed["interval_s"]) == (url, "example", "page", 600)
    assert feed["created_by"] == "tests" and feed["polls"] == 0 and feed["next_poll_at"] is None

    listed = client.get("/api/v1/feeds").json()  # reads are open to loopback clients
    assert listed["count"] == len(listed["items"])
    assert [item for item in listed["items"] if item["url"] == url] == [feed]

    again = client.post("/api/v1/feeds", json={"url": url}, headers={"X-API-Key": served.key})
    assert again.status_code == 201 and again.json()["kind"] == "auto"  # replaced, not doubled
    assert [item["url"] for item in client.get("/api/v1/feeds").json()["items"]].count(url) == 1

    gone = client.delete("/api/v1/feeds", params={"url": url}, headers={"X-API-Key": served.key})
    assert gone.status_code == 204 and gone.content == b""
    assert url not in [item["url"] for item in client.get("/api/v1/feeds").json()["items"]]
    twice = client.delete("/api/v1/feeds", params={"url": url}, headers={"X-API-Key": served.key})
    assert twice.status_code == 404 and url in twice.json()["error"]


def test_the_list_shows_the_polling_state(client, served):
    import datetime as dt

    from detente.records import FeedState

    url = "https://state.example.com/feed.xml"
    assert client.post("/api/v1/feeds", json={"url": url}, headers={"X-API-Key": served.key}).status_code == 201
    database = served.app.state.database
    with database.write_lock, database.handle() as db:
        db.store.save_feed_state(FeedState(url=url, polls=3, failures=2, last_error="HTTP 503",
                                           next_poll_at=dt.datetime(2030, 1, 1, 12)))
        database.changed()
    [item] = [item for item in client.get("/api/v1/feeds").json()["items"] if item["url"] == url]
    assert (item["polls"], item["failures"], item["last_error"]) == (3, 2, "HTTP 503")
    assert item["next_poll_at"].startswith("2030-01-01T12:00")
    assert client.delete("/api/v1/feeds", params={"url": url}, headers={"X-API-Key": served.key}).status_code == 204


def test_the_spec_documents_the_feed_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]["/api/v1/feeds"]
    assert set(paths) == {"get", "post", "delete"}
    assert {"201", "401", "422"} <= set(paths["post"]["responses"])
    assert {"204", "401", "404"} <= set(paths["delete"]["responses"])
