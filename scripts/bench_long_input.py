"""Parsing time against input length for one very long line: does it grow linearly?

Usage: .venv/bin/python scripts/bench_long_input.py [--repeats-scale 1.0]

A file of one line (no line breaks: what a careless PDF export produces) is parsed at a
length and at four times it, for three kinds of text: numbers with no sentence end at all,
sparse statistics among filler sentences, and quotes. Each time is the best of two runs
(spaCy preloaded); the ratio should be near 4. A ratio far above it means some step
rescans the text as it goes. The machine may be shared, so compare ratios within one run.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from council_papers.nlp import load_nlp
from council_papers.parsing import parse_file

UNITS = {  # text repeated to make the line, and how many times for the shorter run
    "run-on numbers": ("We supported 1,234 people and ", 400),
    "sparse numbers": ("We supported 1,234 people and their families this year. "
                       + "Staff worked with partners across health and care to plan support for everyone. " * 3, 300),
    "quotes": ("Sue said: “It really helped me a lot to have the support at home.” ", 100),
}


def seconds_to_parse(path: Path, nlp) -> float:
    """The best of two runs, so a pause of the machine does not count."""
    runs = []
    for _ in range(2):
        start = time.perf_counter()
        parse_file(path, nlp=nlp)
        runs.append(time.perf_counter() - start)
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats-scale", type=float, default=1.0, help="multiply every run's length")
    args = parser.parse_args()
    nlp = load_nlp()
    print(f"{'text':16} {'chars':>9} {'seconds':>8} {'4x chars':>9} {'seconds':>8} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (unit, repeats) in UNITS.items():
            repeats = max(1, int(repeats * args.repeats_scale))
            times = []
            for scale in (1, 4):
                path = Path(tmp) / f"{scale}.txt"
                path.write_text(unit * repeats * scale + "\n", encoding="utf-8")
                times.append(seconds_to_parse(path, nlp))
            chars = len(unit) * repeats
            print(f"{name:16} {chars:9,} {times[0]:8.2f} {4 * chars:9,} {times[1]:8.2f} {times[1] / times[0]:6.2f}")


if __name__ == "__main__":
    main()
