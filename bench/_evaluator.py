"""Loading ../shared/tools/evaluate.py, whose loaders and scorers the benchmarks reuse."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


def load_evaluator(path: str | Path) -> ModuleType:
    """The shared evaluate.py module at ``path``; exits with a clear message when it is not one."""
    spec = importlib.util.spec_from_file_location("sitroom_shared_evaluate", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}: pass the path of shared/tools/evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
