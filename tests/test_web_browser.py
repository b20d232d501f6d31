"""The pages in a real headless Chromium (Debian's `chromium`, driven by Python playwright), against a
server started on 127.0.0.1 by the test. Screenshots go to the test run's temporary folder.

Without Chromium or playwright these tests skip with the reason, except under CI=true, where they fail:
`.ci/run` installs Chromium, so a missing browser there is a broken build, not a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitroom.web.local import CHROMIUM_FLAGS, serving

CHROMIUM = os.environ.get("SITROOM_CHROMIUM", "/usr/bin/chromium")
ARGS = list(CHROMIUM_FLAGS)


def _need_browser() -> Any:
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "Python playwright is not installed (make test installs it)"
    if problem is None and not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        problem = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and the browser tests cannot run: {problem}")
        pytest.skip(problem)
    return sync_playwright


@pytest.fixture(scope="module")
def server(web_db: Path) -> Iterator[str]:
    try:
        with serving(web_db) as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = _need_browser()
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=60_000)
        except Exception as exc:
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI=true and Chromium did not start: {exc}")
            pytest.skip(f"Chromium did not start: {exc}")
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.problems = []
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    context.close()


def _incidents(page: Any, server: str, query: str = "") -> list[dict[str, Any]]:
    data = page.request.get(f"{server}/api/incidents?limit=500{query}").json()
    return data["incidents"]


def test_map_shows_one_marker_per_incident(page: Any, server: str, tmp_path: Path) -> None:
    incidents = _incidents(page, server)
    placed = [i for i in incidents if i["location"]["lat"] is not None]
    assert len(placed) >= 5
    page.goto(server + "/")
    page.wait_for_selector("#map[data-markers]")
    assert page.locator("path.incident-marker").count() == len(placed)
    assert page.locator("path.country").count() > 100  # the shipped outlines, no tiles
    assert page.locator("#count").inner_text() == str(len(incidents))
    page.screenshot(path=str(tmp_path / "map.png"), full_page=True)
    page.locator("path.incident-marker").first.click(force=True)
    assert page.locator(".leaflet-popup-content a").first.get_attribute("href").startswith("/incidents/")
    assert page.problems == []


def test_filtering_by_date_changes_the_count(page: Any, server: str, tmp_path: Path) -> None:
    incidents = _incidents(page, server)
    days = sorted(i["date"]["value"] for i in incidents if i["date"]["value"])
    since = days[len(days) // 2]
    expected = len(_incidents(page, server, f"&since={since}"))
    assert 0 < expected < len(incidents)
    page.goto(f"{server}/?since={since}")
    page.wait_for_selector("#map[data-markers]")
    assert page.locator("#count").inner_text() == str(expected)
    assert page.locator("path.incident-marker").count() <= expected
    # the timeline: drag over its left half, and the shown count drops to the incidents in that range
    page.goto(server + "/")
    page.wait_for_selector("#map[data-markers]")
    box = page.locator("#timeline").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 5, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
    page.mouse.up()
    shown = int(page.locator("#count").inner_text())
    assert 0 <= shown < len(incidents)
    assert page.locator("path.incident-marker").count() <= shown
    assert page.locator("input[name=since]").input_value() != ""
    page.screenshot(path=str(tmp_path / "map-brushed.png"), full_page=True)
    page.locator("#clear-range").click()
    assert page.locator("#count").inner_text() == str(len(incidents))


def test_document_page_links_fields_and_their_spans(page: Any, server: str, tmp_path: Path) -> None:
    docs = page.request.get(f"{server}/api/documents").json()["documents"]
    doc = max(docs, key=lambda d: d["events"])
    record = page.request.get(f"{server}/api/documents/{doc['id']}").json()
    page.goto(f"{server}/documents/{doc['id']}")
    page.wait_for_selector("#doc-text[data-ready]")
    field = page.locator("button.field").first
    value = field.locator(".value").inner_text()
    field.click()
    marked = page.locator(".seg.hl")
    assert marked.count() >= 1
    assert "".join(marked.all_inner_texts()) == value
    assert value in record["document"]["text"]
    # the reverse: clicking a highlighted stretch marks the fields it is evidence for
    page.locator(".seg").nth(3).click()
    assert page.locator("button.field.active").count() >= 1
    page.screenshot(path=str(tmp_path / "document.png"), full_page=True)
    assert page.problems == []


def test_hostile_article_does_not_run_script(page: Any, server: str, tmp_path: Path) -> None:
    page.goto(f"{server}/documents/xss-report")
    page.wait_for_selector("#doc-text[data-ready]")
    page.locator("button.field").first.click()
    page.goto(f"{server}/documents")
    page.goto(f"{server}/documents/xss-report")
    page.wait_for_selector("#doc-text[data-ready]")
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned" in page.locator("#doc-text").inner_text()
    assert page.locator("#doc-text script, #doc-text img, #doc-text a").count() == 0
    assert not any(p.startswith("dialog") for p in page.problems)
    page.screenshot(path=str(tmp_path / "xss.png"), full_page=True)


def test_paste_page_shows_the_record_live(page: Any, server: str, tmp_path: Path) -> None:
    page.goto(f"{server}/paste")
    page.fill("#paste-text", "Police shot dead two men in Nairobi on Monday, a police spokesman said.")
    page.wait_for_selector("#doc-text[data-ready]")
    assert "1 event(s)" in page.locator("#paste-status").inner_text()
    assert page.locator("button.field").count() >= 1
    page.screenshot(path=str(tmp_path / "paste.png"), full_page=True)
    assert page.problems == []


def test_incident_page_and_api_docs_render(page: Any, server: str, tmp_path: Path) -> None:
    incident = _incidents(page, server)[0]
    page.goto(f"{server}/incidents/{incident['id']}")
    assert page.locator("table.reports tbody tr").count() == len(incident["reports"])
    assert page.locator(".source").count() == len(incident["sources"])
    page.screenshot(path=str(tmp_path / "incident.png"), full_page=True)
    page.goto(f"{server}/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 8
