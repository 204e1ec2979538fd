"""PDF against text: score each sample PDF beside the same content built from its text twin.

Usage: .venv/bin/python scripts/compare_twins.py DB GOLD_DIR PDF_STEM=TEXT_STEM:FIRST-LAST ...

DB is a database built from both the PDFs and the text files; each argument names a PDF's
gold folder and the text file (gold folder) and line span holding the same content. The
text's gold is cut to that span (a RANGE file, as the scorer reads it), both are scored by
``../shared/eval/score.py``, and each kind's F1 (figures: recall, their gold not being
exhaustive; documents: recall, since the scorer does not cut the text file's other papers
out) is printed side by side with the difference. Example, for the corpus here:

    scripts/compare_twins.py /tmp/corpus.db ../shared/gold \\
        asc-self-assessment-2024-25.pdf=001_4dab42d7330c5b9d:452-1940 \\
        scrutiny-board-2025-09-17-agenda-minutes-report.pdf=001_4dab42d7330c5b9d:1-451
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

SCORE_PY = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "score.py"
KINDS = ("documents", "sections", "quotes", "case_studies", "figures")
MEASURE = {"figures": "recall", "documents": "recall"}  # see the docstring
WITHIN = 0.05


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cut_gold(source: Path, target: Path, first: int, last: int) -> None:
    """``source``'s gold rows that start within lines first..last, with a RANGE file saying so."""
    target.mkdir(parents=True)
    for path in source.glob("*.jsonl"):
        kept = [line for line in path.read_text().splitlines() if line.strip()
                and first <= _start(json.loads(line)) <= last]
        (target / path.name).write_text("".join(f"{line}\n" for line in kept))
    (target / "RANGE").write_text(f"{first}-{last}\n")


def _start(row: dict) -> int:
    return int(row.get("line") or row.get("start_line") or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("twins", nargs="+", metavar="PDF_STEM=TEXT_STEM:FIRST-LAST")
    args = parser.parse_args()
    score = load_scorer(SCORE_PY)
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    print(f"{'pdf':28} {'kind':13} {'measure':8} {'pdf':>5} {'text':>5} {'diff':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for twin in args.twins:
            pdf_stem, rest = twin.split("=", 1)
            text_stem, span = rest.rsplit(":", 1)
            first, last = map(int, span.split("-"))
            gold = Path(tmp) / pdf_stem
            shutil.copytree(args.gold / pdf_stem, gold / pdf_stem)
            cut_gold(args.gold / text_stem, gold / text_stem, first, last)
            pdf = score.score_file(db, pdf_stem, gold, True)
            text = score.score_file(db, text_stem, gold, True)
            for kind in KINDS:
                measure = MEASURE.get(kind, "f1")
                a, b = pdf[kind].get(measure), text[kind].get(measure)
                if a is None and b is None:
                    continue
                diff = f"{a - b:+6.2f}" if a is not None and b is not None else f"{'-':>6}"
                flag = "" if a is None or b is None or a >= b - WITHIN else "  more than 0.05 below"
                print(f"{pdf_stem[:28]:28} {kind:13} {measure:8} {score.fmt(a)} {score.fmt(b)} {diff}{flag}")


if __name__ == "__main__":
    main()
