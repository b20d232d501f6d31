"""The HTTP API and the server-rendered pages, in process (httpx against the ASGI app)."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from sitroom.export import ACLED_COLUMNS
from sitroom.web.app import MAX_PAGE, create_app

TOKEN = "s3cret-token"
PAGES = ["/", "/incidents", "/events", "/documents", "/paste", "/docs"]


def client(db: Path | str, token: str | None = None, **kw: Any) -> TestClient:
    """The app in process: Starlette's TestClient is httpx over the ASGI app."""
    return TestClient(create_app(db, token, **kw))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def api(request: pytest.FixtureRequest, web_db: Path) -> TestClient:
    """The app over the example database, on each backend (a SQLite file, then its copy in PostgreSQL)."""
    return client(web_db if request.param == "sqlite" else request.getfixturevalue("web_pg"))


class Tags(HTMLParser):
    """Every start tag with its attributes, and the alternate (JSON twin) link."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def _pages(api: TestClient) -> list[str]:
    docs = api.get("/api/documents").json()["documents"]
    incidents = api.get("/api/incidents").json()["incidents"]
    return [
        *PAGES,
        f"/documents/{docs[0]['id']}",
        f"/incidents/{incidents[0]['id']}",
        "/documents/xss-report",
    ]


def test_events_filter_sort_and_page(api: TestClient) -> None:
    everything = api.get("/api/events").json()
    assert everything["total"] == len(everything["events"]) > 3
    dates = [e["date"]["value"] or e["document"]["published"] or "" for e in everything["events"]]
    assert dates == sorted(dates)
    newest = api.get("/api/events", params={"sort": "-date"}).json()["events"]
    assert (newest[0]["date"]["value"] or "") >= (newest[-1]["date"]["value"] or "")
    first = api.get("/api/events", params={"limit": 2}).json()
    assert len(first["events"]) == 2 and first["next"] is not None
    second = api.get(first["next"]).json()
    assert second["offset"] == 2 and second["events"][0] != first["events"][0]
    country = everything["events"][0]["location"]["country"]
    only = api.get("/api/events", params={"country": country}).json()
    assert 0 < only["total"] < everything["total"]
    assert all(e["location"]["country"] == country for e in only["events"])
    kind = everything["events"][0]["event_type"]
    typed = api.get("/api/events", params={"event_type": kind}).json()["events"]
    assert typed and all(kind in (e["event_type"], e["sub_event_type"]) for e in typed)
    day = everything["events"][-1]["date"]["value"]
    late = api.get("/api/events", params={"since": day}).json()["events"]
    assert late and all((e["date"]["value"] or "") >= day for e in late)


def test_events_by_status_claimant_and_text_search(api: TestClient) -> None:
    everything = api.get("/api/events").json()["events"]
    claimed = [e for e in everything if e["claims"]]
    assert claimed, "the examples hold claimed events"
    status = claimed[0]["status"]
    by_status = api.get("/api/events", params={"status": status}).json()["events"]
    assert by_status and all(e["status"] == status for e in by_status)
    record = api.get(f"/api/documents/{claimed[0]['document']['id']}").json()
    source = next(
        a["source"]["text"] for a in record["attributions"] if a["id"] in claimed[0]["claims"] and a["source"]
    )
    by_claimant = api.get("/api/events", params={"claimant": source}).json()["events"]
    assert claimed[0]["id"] in {
        e["id"] for e in by_claimant if e["document"]["id"] == claimed[0]["document"]["id"]
    }
    word = re.findall(r"[A-Z][a-z]{4,}", record["document"]["text"])[0]
    found = api.get("/api/events", params={"q": word}).json()["events"]
    assert found and all(
        word.lower() in api.get(f"/api/documents/{e['document']['id']}").json()["document"]["text"].lower()
        for e in found
    )
    assert api.get("/api/events", params={"q": "zzqqxxnothing"}).json()["total"] == 0


def test_exports_csv_jsonl_geojson(api: TestClient) -> None:
    csv_text = api.get("/api/events", params={"format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert list(rows[0]) == list(ACLED_COLUMNS) and len(rows) == api.get("/api/events").json()["total"]
    lines = api.get("/api/events", params={"format": "jsonl"}).text.splitlines()
    assert len(lines) == len(rows) and all(json.loads(line)["event_type"] for line in lines)
    geo = api.get("/api/incidents", params={"format": "geojson"}).json()
    assert geo["type"] == "FeatureCollection" and geo["features"]
    assert all(f["geometry"] is None or f["geometry"]["type"] == "Point" for f in geo["features"])
    inc_csv = list(csv.DictReader(io.StringIO(api.get("/api/incidents", params={"format": "csv"}).text)))
    assert inc_csv and "incident_id" in inc_csv[0]


def test_incidents_and_one_incident(api: TestClient) -> None:
    page = api.get("/api/incidents").json()
    assert page["total"] == len(page["incidents"]) >= 5
    one = page["incidents"][0]
    again = api.get(f"/api/incidents/{one['id']}").json()
    assert again["id"] == one["id"] and again["documents"] == one["documents"]
    assert api.get("/api/incidents/i-nope").status_code == 404
    assert api.get("/incidents/i-nope").status_code == 404


def test_document_record_carries_its_text_and_every_span_indexes_it(api: TestClient) -> None:
    for doc in api.get("/api/documents").json()["documents"]:
        record = api.get(f"/api/documents/{doc['id']}").json()
        text = record["document"]["text"]
        spans = _spans(record)
        assert spans and all(text[s["start"] : s["end"]] == s["text"] for s in spans)
    assert api.get("/api/documents/no-such-doc").status_code == 404


def _spans(value: Any) -> list[dict[str, Any]]:
    """Every object with start, end and text in a record, outside its document header."""
    if isinstance(value, list):
        return [s for v in value for s in _spans(v)]
    if not isinstance(value, dict):
        return []
    own = [value] if {"start", "end", "text"} <= set(value) and isinstance(value["start"], int) else []
    return own + [s for k, v in value.items() if k != "document" for s in _spans(v)]


def test_documents_full_text_search_survives_any_query(api: TestClient) -> None:
    everything = api.get("/api/documents").json()["total"]
    assert api.get("/api/documents", params={"q": "Bourem"}).json()["total"] == 1
    for hostile in ['"', "*", "(", "NOT", "a OR", "' OR 1=1 --", 'Bourem" OR "x', "NEAR(a b)", "^x", "-"]:
        r = api.get("/api/documents", params={"q": hostile})
        assert r.status_code == 200, hostile
        assert r.json()["total"] <= everything


def test_filters_take_sql_injection_as_plain_values(api: TestClient) -> None:
    total = api.get("/api/events").json()["total"]
    for field in ("actor", "admin1", "event_type", "claimant"):
        for value in ("' OR 1=1 --", '" OR ""="', "x'); DROP TABLE events; --"):
            r = api.get("/api/events", params={field: value})
            assert r.status_code == 200 and r.json()["total"] == 0, (field, value)
    assert api.get("/api/events").json()["total"] == total


def test_bad_parameters_are_client_errors_not_crashes(api: TestClient) -> None:
    assert api.get("/api/events", params={"since": "2023-02-30"}).status_code == 422
    assert api.get("/api/events", params={"limit": 0}).status_code == 422
    assert api.get("/api/events", params={"limit": MAX_PAGE + 1}).status_code == 422
    assert api.get("/api/events", params={"limit": MAX_PAGE + 1, "format": "csv"}).status_code == 200
    assert api.get("/api/events", params={"offset": -1}).status_code == 422
    assert api.get("/api/events", params={"sort": "event; DROP"}).status_code == 422
    assert api.get("/api/events", params={"status": "maybe"}).status_code == 422
    unknown = api.get("/api/events", params={"country": "Atlantis"})
    assert unknown.status_code == 400 and "Atlantis" in unknown.json()["detail"]
    assert api.get("/api/documents", params={"limit": 10_000}).status_code == 422


def test_writes_need_the_token(web_db: Path, tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(web_db, db)
    body = {"text": "Police shot dead two men in Nairobi on Monday.", "published": "2024-05-07"}
    read_only = client(db)
    assert read_only.post("/api/ingest", json=body).status_code == 403
    assert (
        read_only.post("/api/ingest", json=body, headers={"Authorization": f"Bearer {TOKEN}"}).status_code
        == 403
    )
    before = read_only.get("/api/health").json()["counts"]
    writable = client(db, TOKEN)
    assert writable.post("/api/ingest", json=body).status_code == 401
    assert (
        writable.post("/api/ingest", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    )
    assert writable.post("/api/ingest", json=body, headers={"Authorization": TOKEN}).status_code == 401
    assert writable.get("/api/health").json()["counts"] == before
    ok = writable.post("/api/ingest", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200 and ok.json()["stored"] is True
    again = writable.post("/api/ingest", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.json() == {"id": ok.json()["id"], "stored": False}
    after = writable.get("/api/health").json()["counts"]
    assert after["documents"] == before["documents"] + 1
    record = writable.get(f"/api/documents/{ok.json()['id']}").json()
    assert record["events"] and record["document"]["text"] == body["text"]


def test_extract_returns_the_record_and_stores_nothing(api: TestClient) -> None:
    before = api.get("/api/health").json()["counts"]
    r = api.post(
        "/api/extract",
        json={"text": "Police shot dead two men in Nairobi on Monday.", "published": "2024-05-07"},
    )
    assert r.status_code == 200
    record = r.json()
    assert record["events"][0]["event_type"] == "Violence against civilians"
    assert record["document"]["text"].startswith("Police shot dead")
    assert api.get("/api/health").json()["counts"] == before
    assert api.post("/api/extract", json={"text": ""}).status_code == 422
    assert (
        api.post(
            "/api/extract", content=b"not json", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )


def test_request_bodies_are_capped(web_db: Path) -> None:
    small = client(web_db, max_body=2_000)
    big = {"text": "Police shot dead two men in Nairobi. " * 200}
    assert small.post("/api/extract", json=big).status_code == 413

    def chunks() -> Any:
        for _ in range(10):
            yield b"x" * 1_000

    # a body without a declared length is counted as it arrives
    assert (
        small.post("/api/extract", content=chunks(), headers={"content-type": "application/json"}).status_code
        == 413
    )


def test_security_headers_and_no_inline_script_or_style(api: TestClient) -> None:
    for path in [*_pages(api), "/api/events", "/openapi.json"]:
        r = api.get(path)
        assert r.status_code == 200, path
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        if r.headers["content-type"].startswith("text/html"):
            for tag, attrs in tags(r.text):
                assert tag != "style", path
                assert "style" not in attrs, (path, tag)
                assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
                if tag == "script":
                    assert attrs.get("src", "").startswith("/"), (path, attrs)
                for name in ("href", "src", "action"):
                    assert not (attrs.get(name) or "").lower().startswith("javascript:"), (path, tag, attrs)
            assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text) is None, path


def test_hostile_article_renders_as_text(api: TestClient) -> None:
    page = api.get("/documents/xss-report").text
    assert "<script>window.__pwned" not in page and "&lt;script&gt;window.__pwned" in page
    assert "<img src=x" not in page and 'href="javascript:' not in page


def test_every_page_has_a_json_twin(api: TestClient) -> None:
    for path in _pages(api):
        links = [a for t, a in tags(api.get(path).text) if t == "link" and a.get("rel") == "alternate"]
        assert len(links) == 1 and links[0]["type"] == "application/json", path
        twin = links[0]["href"] or ""
        if path == "/paste":
            r = api.post(twin, json={"text": "Police shot dead two men in Nairobi on Monday."})
        else:
            r = api.get(twin)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json"), (path, twin)
        r.json()


def test_openapi_documents_every_endpoint(api: TestClient) -> None:
    from fastapi.routing import APIRoute

    spec = api.get("/openapi.json").json()
    app = create_app(_db_of(api))
    routes = {r.path.replace(":path}", "}") for r in app.routes if isinstance(r, APIRoute)}
    assert routes <= set(spec["paths"]), routes - set(spec["paths"])
    for path in (
        "/api/events",
        "/api/incidents",
        "/api/documents",
        "/api/entities",
        "/api/attributions",
        "/api/extract",
        "/api/ingest",
    ):
        assert path in spec["paths"]
    assert (
        api.get("/docs").status_code == 200
        and api.get("/static/vendor/swagger/swagger-ui-bundle.js").status_code == 200
    )


def _db_of(api: TestClient) -> str:
    return str(api.app.state.db)  # type: ignore[attr-defined]


def test_entities_and_attributions_listings(api: TestClient) -> None:
    entities = api.get("/api/entities", params={"limit": 5}).json()
    assert entities["total"] >= len(entities["entities"]) > 0
    assert all(e["documents"] >= 1 for e in entities["entities"])
    said = api.get("/api/attributions", params={"document": "xss-report"}).json()["attributions"]
    assert said and said[0]["document"] == "xss-report" and "police" in (said[0]["source"] or "").lower()


def test_serve_refuses_a_missing_database(tmp_path: Path, runner: Any) -> None:
    from sitroom.cli import app

    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no database" in result.output and "Traceback" not in result.output


def test_review_findings_stay_fixed(web_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import threading

    from sitroom import pipeline
    from sitroom.store import open_store
    from sitroom.web import app as web

    db = tmp_path / "odd.db"
    shutil.copy(web_db, db)
    text = "Police shot dead two men in Nairobi on Monday, a spokesman said."
    draft = pipeline.run_stages(pipeline.make_draft(text, id="a/b c%?#"), pipeline.Context())
    with open_store(db) as store:
        store.add(pipeline.to_record(draft), text, body=draft.text)
    api = client(db)
    # an id with a slash, a space, a percent sign, a question mark and a hash still has its pages
    links = [
        a["href"]
        for t, a in tags(api.get("/documents").text)
        if t == "a" and "a%2Fb" in (a.get("href") or "")
    ]
    assert links == ["/documents/a%2Fb%20c%25%3F%23"]
    page = api.get(links[0])
    assert page.status_code == 200
    twin = next(a["href"] for t, a in tags(page.text) if t == "link" and a.get("rel") == "alternate")
    assert api.get(twin).json()["document"]["id"] == "a/b c%?#"
    # extreme publication dates are refused, odd ids are refused for writes
    assert api.post("/api/extract", json={"text": text, "published": "9999-12-31"}).status_code == 422
    assert api.post("/api/extract", json={"text": text, "id": "../x"}).status_code == 422
    # exports never carry the page's offset
    exports = [
        a["href"]
        for t, a in tags(api.get("/events?offset=3&limit=2").text)
        if t == "a" and "format=" in (a.get("href") or "")
    ]
    assert exports and not any("offset" in e for e in exports)
    # incident filters combine as an intersection
    everything = api.get("/api/events").json()["events"]
    claimed = next(e for e in everything if e["claims"])
    record = api.get(f"/api/documents/{quote(claimed['document']['id'], safe='')}").json()
    source = next(
        a["source"]["text"] for a in record["attributions"] if a["id"] in claimed["claims"] and a["source"]
    )

    def ids(**params: str) -> set[str]:
        return {i["id"] for i in api.get("/api/incidents", params=params).json()["incidents"]}

    for status in ("reported", "claimed", "disputed", "denied"):
        assert ids(status=status, claimant=source) == ids(status=status) & ids(claimant=source)
    # a busy extractor answers 503 instead of holding the request
    monkeypatch.setattr(web, "BUSY_WAIT", 0.05)
    lock = api.app.state.pipeline._lock  # type: ignore[attr-defined]
    assert lock.acquire()
    try:
        busy = api.post("/api/extract", json={"text": text})
        assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
    finally:
        lock.release()

    # a bug's 500 still carries the security headers
    def boom(*args: object, **kwargs: object) -> int:
        raise RuntimeError("boom")

    from sitroom.store.sqlite import Store

    monkeypatch.setattr(Store, "count_events", boom)
    failed = api.get("/api/events")
    assert failed.status_code == 500 and "script-src 'self'" in failed.headers["content-security-policy"]
    assert threading.active_count() >= 1
    # a bad Content-Length is a client error
    assert (
        api.post(
            "/api/extract", content=b"{}", headers={"content-length": "x", "content-type": "application/json"}
        ).status_code
        == 400
    )


def test_serve_answers_only_its_own_names_on_loopback(web_db: Path) -> None:
    local = client(web_db, hosts=["127.0.0.1", "localhost"])
    assert local.get("/api/health", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert local.get("/api/health", headers={"host": "evil.example"}).status_code == 400
