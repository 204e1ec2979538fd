"""Long inputs: a file of one very long line is read in time that grows with its length.

Timings are compared as ratios within one run (the machine is shared), never against a clock.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from council_papers.nlp import load_nlp
from council_papers.parsing import parse_file

RUN_ON = "We supported 1,234 people and "  # no sentence ends at all
FIGURE = "We supported 1,234 people and their families this year. "
FILLER = "Staff worked with partners across health and care to plan support for everyone. "
QUOTE = "Sue said: “It really helped me a lot to have the support at home.” "


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def one_line(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def seconds_to_parse(path: Path, nlp) -> float:
    """The best of two runs, so a pause of the machine does not count."""
    runs = []
    for _ in range(2):
        start = time.perf_counter()
        parse_file(path, nlp=nlp)
        runs.append(time.perf_counter() - start)
    return min(runs)


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


@pytest.mark.parametrize("unit, repeats", [(RUN_ON, 400), (FIGURE + FILLER * 3, 300), (QUOTE, 100)],
                         ids=["run-on numbers", "sparse numbers", "quotes"])
def test_four_times_the_text_takes_about_four_times_as_long(tmp_path, nlp, unit, repeats):
    parse_file(one_line(tmp_path, "warm.txt", unit * 10), nlp=nlp)
    short = seconds_to_parse(one_line(tmp_path, "short.txt", unit * repeats), nlp)
    long = seconds_to_parse(one_line(tmp_path, "long.txt", unit * repeats * 4), nlp)
    assert long / short < 6, f"{repeats} repeats: {short:.2f}s; four times as many: {long:.2f}s"


def test_a_paragraph_too_long_to_parse_fails_with_its_reason(tmp_path, nlp):
    path = one_line(tmp_path, "dense.txt", FIGURE * (1_100_000 // len(FIGURE)))
    with pytest.raises(ValueError, match=r"line 1: .*characters of text with numbers.*line breaks"):
        parse_file(path, nlp=nlp)
