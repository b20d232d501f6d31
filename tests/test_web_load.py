"""A bounded load test: 2,000 mixed requests from 8 clients against a server on 127.0.0.1, and not one
error. Latency is reported (in the test's properties and bench/web_load.py), never asserted."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

_BENCH = Path(__file__).resolve().parent.parent / "bench" / "web_load.py"


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("web_load", _BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_two_thousand_mixed_requests_from_eight_clients(web_db: Path, record_property: Any) -> None:
    bench = _bench()
    from sitroom.web.local import serving

    with serving(web_db) as base:
        result = bench.load(base, requests=2000, clients=8)
    for key in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms"):
        record_property(key, result[key])
    print(f"load: {result}")
    assert result["requests"] == 2000
    assert result["errors"] == 0, result["first_errors"]
