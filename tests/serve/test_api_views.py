"""The endpoints the dashboard reads besides the plain tables, over HTTP on the test server: escalation ranking,
countries, a country's exposed assets and top events, a storyline's event study, and the pages themselves."""

from __future__ import annotations


def test_escalation_ranks_storylines_with_label_and_phase(client, served):
    answer = client.get("/api/v1/escalation", params={"days": 36500, "min_articles": 2, "limit": 50})
    assert answer.status_code == 200
    ranked = answer.json()
    assert ranked["by"] == "storyline" and ranked["count"] == len(ranked["items"]) > 0
    balances = [row["balance"] for row in ranked["items"]]
    assert balances == sorted(balances)  # most conflictual first
    seed = next(row for row in ranked["items"] if row["storyline_id"] == served.storyline_id)
    assert seed["key"] == f"storyline:{served.storyline_id}" and seed["date"] == "2025-12-06"
    assert "miami" in seed["label"] and seed["phase"] and seed["n_articles"] >= 2
    assert all(row["n_articles"] >= 2 for row in ranked["items"])


def test_escalation_by_dyad_and_window(client):
    dyads = client.get("/api/v1/escalation", params={"by": "dyad", "days": 36500, "limit": 5}).json()
    assert dyads["items"] and all("~" in row["key"] and row.get("storyline_id") is None for row in dyads["items"])
    recent = client.get("/api/v1/escalation", params={"days": 1}).json()["items"]
    assert all(row["date"] >= "2025-12-05" for row in recent)


def test_countries_are_iso3_with_names(client):
    found = client.get("/api/v1/countries").json()
    codes = {row["code"]: row for row in found["items"]}
    assert {"RUS", "UKR", "USA"} <= set(codes) and codes["RUS"]["name"] == "Russia"
    assert not {"GOV", "CVL", "UNK"} & set(codes)  # role codes are no country
    counts = [row["events"] for row in found["items"]]
    assert counts == sorted(counts, reverse=True)


def test_country_has_exposures_and_most_conflictual_events(client):
    found = client.get("/api/v1/countries/RUS").json()
    assert found["name"] == "Russia" and found["theme"] == "russia_ukraine"
    assets = {row["asset"]: row for row in found["exposures"]}
    assert assets["brent"]["escalation"] == 1 and assets["brent"]["loaded"] is False  # no prices in the test DB
    scores = [row["goldstein"] for row in found["top_events"] if row["goldstein"] is not None]
    assert scores and scores == sorted(scores)
    assert all(row["sentence"] is None or row["trigger_start"] is not None for row in found["top_events"])


def test_study_without_prices_says_why(client, served):
    answer = client.get(f"/api/v1/storylines/{served.storyline_id}/study", params={"events": "phases"})
    assert answer.status_code == 200
    study = answer.json()
    assert study["theme"] == "russia_ukraine" and study["assets"] == [] and study["paths"] == []
    assert "no prices" in study["message"]


def test_bad_parameters_are_json_errors(client):
    for path, params, status in (
        ("/api/v1/escalation", {"by": "country"}, 422),
        ("/api/v1/escalation", {"days": 0}, 422),
        ("/api/v1/escalation", {"limit": 5000}, 422),
        ("/api/v1/countries/russia", {}, 422),
        ("/api/v1/storylines/nosuchstoryline/study", {}, 404),
        ("/api/v1/storylines/bad%20id/study", {}, 422),
        ("/api/v1/storylines/x/study", {"events": "wars"}, 422),
    ):
        answer = client.get(path, params=params)
        assert answer.status_code == status, (path, params, answer.text)
        assert answer.json()["error"]


def test_pages_are_served_outside_the_spec(client):
    for path in ("/", "/storyline", "/country", "/events"):
        answer = client.get(path)
        assert answer.status_code == 200 and answer.text.startswith("<!doctype html>")
        assert "/static/vendor/echarts/echarts.min.js" in answer.text
    spec = client.get("/openapi.json").json()["paths"]
    assert not {"/", "/storyline", "/country", "/events"} & set(spec)
    assert {"/api/v1/escalation", "/api/v1/countries", "/api/v1/countries/{code}",
            "/api/v1/storylines/{storyline_id}/study"} <= set(spec)
