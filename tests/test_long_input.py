"""Long inputs: a file of one very long line yields its figures, or fails with its reason.

How parsing time grows with such a line is measured by scripts/bench_long_input.py (timings
belong in benchmarks, not in tests).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from council_papers.nlp import load_nlp
from council_papers.parsing import parse_file

FIGURE = "We supported 1,234 people and their families this year. "
FILLER = "Staff worked with partners across health and care to plan support for everyone. "


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def one_line(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_a_two_megabyte_line_yields_its_figures(tmp_path, nlp):
    stretch = FIGURE + FILLER * 400  # one statistic in about 32,000 characters
    repeats = 2_000_000 // len(stretch) + 1
    path = one_line(tmp_path, "long.txt", stretch * repeats)
    assert path.stat().st_size > 2_000_000
    _, documents = parse_file(path, nlp=nlp)
    figures = [f for d in documents for f in d.figures]
    assert len(figures) == repeats
    assert {(f.value, f.unit) for f in figures} == {(1234.0, "people")}
    assert all(f.line == 1 and "1,234" in f.context for f in figures)


def test_a_paragraph_too_long_to_parse_fails_with_its_reason(tmp_path, nlp):
    path = one_line(tmp_path, "dense.txt", FIGURE * (1_100_000 // len(FIGURE)))
    with pytest.raises(ValueError, match=r"line 1: .*characters of text with numbers.*line breaks"):
        parse_file(path, nlp=nlp)
