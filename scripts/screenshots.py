"""Screenshots of the web app for the README: the bundled examples ingested into a throwaway database,
served on 127.0.0.1, photographed in headless Chromium.

    .venv/bin/python scripts/screenshots.py docs/img
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from sitroom.web.local import CHROMIUM_FLAGS, serving

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        examples = sorted(str(p) for p in (ROOT / "examples").glob("*.txt"))
        subprocess.run(
            [sys.executable, "-m", "sitroom.cli", "ingest", "--db", str(db), *examples], check=True
        )
        with serving(db) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=list(CHROMIUM_FLAGS))
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(base + "/")
            page.wait_for_selector("#map[data-markers]")
            page.screenshot(path=str(out / "map.png"), full_page=True)
            doc = page.request.get(base + "/api/documents").json()["documents"]
            busiest = max(doc, key=lambda d: d["events"])["id"]
            page.goto(f"{base}/documents/{busiest}")
            page.wait_for_selector("#doc-text[data-ready]")
            page.locator("button.field").first.click()
            page.screenshot(path=str(out / "document.png"))
            browser.close()
    print(f"screenshots in {out}", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img"))
