"""Gold annotations (../shared/gold) for tests, read where they lie; a test is skipped without them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold"


def gold_folder(name: str) -> Path:
    """The gold folder of an annotated file: its base name, less .txt for text files."""
    return GOLD / Path(name).name.removesuffix(".txt")


def annotated_span(name: str) -> tuple[int, int] | None:
    """The source lines the folder's RANGE file says are annotated, or None for all of them."""
    span = gold_folder(name) / "RANGE"
    if not span.exists():
        return None
    first, last = map(int, span.read_text().split("-"))
    return first, last


def gold_rows(name: str, kind: str, in_range: bool = False) -> list[dict]:
    """The gold rows of one kind for an annotated file; ``in_range``: only those within its RANGE."""
    path = gold_folder(name) / f"{kind}.jsonl"
    if not path.exists():
        pytest.skip(f"gold file {path} not found")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    span = annotated_span(name) if in_range else None
    if span:
        rows = [r for r in rows if span[0] <= r["line"] <= span[1]]
    return rows
