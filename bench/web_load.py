"""A bounded load test of `sitroom serve` on 127.0.0.1: mixed page, API, export, search and extract
requests from several clients at once; errors counted, latency percentiles reported.

    .venv/bin/python bench/web_load.py [--db sitroom.db] [--requests 2000] [--clients 8]

Without --db it ingests the bundled examples into a throwaway database. tests/test_web_load.py runs
the same load (no speed is asserted there: only that nothing fails).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from sitroom.web.local import serving

ROOT = Path(__file__).resolve().parent.parent


def _plan(base: str, n: int, seed: int, doc_ids: list[str], incident_ids: list[str]) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    menu: list[tuple[int, Any]] = [
        (20, lambda: ("GET", "/api/events?limit=50")),
        (10, lambda: ("GET", f"/api/events?sort=-date&offset={rng.randint(0, 5)}&limit=5")),
        (8, lambda: ("GET", "/api/events?format=csv")),
        (8, lambda: ("GET", "/api/incidents?format=geojson&limit=1000")),
        (8, lambda: ("GET", "/")),
        (8, lambda: ("GET", f"/documents/{rng.choice(doc_ids)}")),
        (8, lambda: ("GET", f"/api/documents/{rng.choice(doc_ids)}")),
        (6, lambda: ("GET", f"/incidents/{rng.choice(incident_ids)}")),
        (
            6,
            lambda: (
                "GET",
                f"/api/documents?q={rng.choice(['killed', 'protest', 'drone OR shelling', 'x*'])}",
            ),
        ),
        (5, lambda: ("GET", "/events?country=Kenya")),
        (5, lambda: ("GET", "/api/entities?limit=20")),
        (4, lambda: ("GET", "/api/attributions?stance=denies")),
        (2, lambda: ("GET", "/static/map.js")),
        (2, lambda: ("POST", "/api/extract")),
    ]
    weights = [w for w, _ in menu]
    return [rng.choices(menu, weights)[0][1]() for _ in range(n)]


def load(base: str, requests: int = 2000, clients: int = 8, seed: int = 1) -> dict[str, Any]:
    """Send ``requests`` mixed requests from ``clients`` threads; errors and latency percentiles."""
    import httpx

    with httpx.Client(base_url=base, timeout=120) as c:
        doc_ids = [d["id"] for d in c.get("/api/documents?limit=500").json()["documents"]]
        incident_ids = [i["id"] for i in c.get("/api/incidents?limit=500").json()["incidents"]]
    plan = _plan(base, requests, seed, doc_ids, incident_ids)
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    body = {
        "text": "Police shot dead two men in Nairobi on Monday, a spokesman said.",
        "published": "2024-05-07",
    }

    def worker(part: list[tuple[str, str]]) -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            for method, path in part:
                start = time.perf_counter()
                try:
                    r = client.post(path, json=body) if method == "POST" else client.get(path)
                    ok = r.status_code == 200
                    problem = f"{method} {path}: {r.status_code}"
                except httpx.HTTPError as exc:
                    ok, problem = False, f"{method} {path}: {type(exc).__name__} {exc}"
                with lock:
                    times.append(time.perf_counter() - start)
                    if not ok:
                        errors.append(problem)

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(plan[i::clients],)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    times.sort()

    def pct(p: float) -> float:
        return round(1000 * times[min(len(times) - 1, int(p * len(times)))], 1)

    return {
        "requests": len(times),
        "clients": clients,
        "errors": len(errors),
        "first_errors": errors[:5],
        "seconds": round(wall, 1),
        "requests_per_s": round(len(times) / wall, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="an existing sitroom database (default: the examples)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "load.db"
            examples = [str(p) for p in sorted((ROOT / "examples").glob("*.txt"))]
            subprocess.run(
                [sys.executable, "-m", "sitroom.cli", "ingest", "--db", str(db), *examples], check=True
            )
        with serving(db) as base:
            print(json.dumps(load(base, args.requests, args.clients), indent=1))


if __name__ == "__main__":
    main()
