"""Loading the shared tools (../shared/tools/evaluate.py, check_record.py), whose loaders and
scorers the benchmarks reuse."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


def load_module(path: str | Path, name: str) -> ModuleType:
    """The Python file at ``path`` as a module; exits with a clear message when it is not one."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}: pass the path of the shared tool")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_evaluator(path: str | Path) -> ModuleType:
    """The shared evaluate.py module at ``path``."""
    return load_module(path, "sitroom_shared_evaluate")
