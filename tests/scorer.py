"""The project's scorer (../shared/eval/score.py), loaded from where it lies.

Tests that pair found documents with gold ones use it, so they match exactly as it does.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCORE_PY = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "score.py"


def load_scorer():
    """The scorer module; the calling test is skipped when it is not there."""
    if not SCORE_PY.exists():
        pytest.skip(f"scorer {SCORE_PY} not found")
    spec = importlib.util.spec_from_file_location("score", SCORE_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
