"""``GET /api/v1/storylines/{id}/report`` over real HTTP on 127.0.0.1: the brief as HTML or Markdown."""

from __future__ import annotations


def test_report_is_served_as_html_and_markdown(client, served):
    html = client.get(f"/api/v1/storylines/{served.storyline_id}/report")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "What happened" in html.text and 'id="phase"' in html.text and "<mark>" in html.text
    again = client.get(f"/api/v1/storylines/{served.storyline_id}/report?format=html")
    assert again.content == html.content  # cached for the day
    md = client.get(f"/api/v1/storylines/{served.storyline_id}/report", params={"format": "md"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith("# ") and md.text.count("(data:image/png;base64,") == 3


def test_report_errors_are_json(client):
    missing = client.get("/api/v1/storylines/nope/report")
    assert missing.status_code == 404 and "no storyline" in missing.json()["error"]
    bad = client.get("/api/v1/storylines/nope/report", params={"format": "pdf"})
    assert bad.status_code == 422 and "format" in bad.json()["error"]
