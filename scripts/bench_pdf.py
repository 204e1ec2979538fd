"""Speed and memory of PDF reading: the whole build against pdfplumber and raw PDFium text.

Usage: .venv/bin/python scripts/bench_pdf.py [PDF ...] [--pack-pages 500] [--out DIR]

On the same PDFs (default: the sample PDFs in ../shared/corpus/pdf) it measures, each in a
fresh process so that start-up and peak memory (max RSS) are its own:

* build      - ``council_papers.pipeline.build`` into a new database (read, split, extract, store)
* reader     - ``read_pdf`` alone
* pdfplumber - ``page.extract_text()`` on every page (the pure-Python baseline)
* pdfium     - pypdfium2 raw text of every page (the floor: no layout at all)

then prints pages/s, the ratios to pdfplumber, and peak memory. It also concatenates the
PDFs (with pypdfium2) into a pack of about ``--pack-pages`` pages and measures the build and
the reader on it, for peak memory on a large file (pdfplumber is left out there: at about
3 pages/s it would take minutes). The machine is shared, so compare ratios within one run.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "corpus" / "pdf"
KINDS = ("build", "reader", "pdfplumber", "pdfium")


def measure(kind: str, paths: list[Path], work: Path) -> dict:
    """Run one kind of reading in this process; return seconds, pages and peak memory."""
    import pypdfium2 as pdfium

    pages = sum(len(pdfium.PdfDocument(p)) for p in paths)
    start = time.perf_counter()
    if kind == "build":
        from council_papers.pipeline import build

        report = build(paths, work / "bench.db")
        if report.failures:
            raise SystemExit(f"build failed: {report.failures}")
    elif kind == "reader":
        from council_papers.ingest.pdf import read_pdf

        for path in paths:
            read_pdf(path, path.parent)
    elif kind == "pdfplumber":
        import pdfplumber

        for path in paths:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                    page.flush_cache()
    elif kind == "pdfium":
        for path in paths:
            document = pdfium.PdfDocument(path)
            for page in document:
                page.get_textpage().get_text_bounded()
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"kind": kind, "pages": pages, "seconds": seconds, "pages_per_s": pages / seconds, "peak_mb": peak_kb / 1024}


def run(kind: str, paths: list[Path], work: Path) -> dict:
    """``measure`` in a fresh Python process."""
    work.mkdir(parents=True, exist_ok=True)
    for stale in work.glob("bench.db*"):
        stale.unlink()
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--out", str(work), *map(str, paths)],
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_pack(paths: list[Path], pages: int, target: Path) -> Path:
    """One PDF of about ``pages`` pages: the inputs over and over (as an agenda pack is)."""
    import pypdfium2 as pdfium

    pack = pdfium.PdfDocument.new()
    while len(pack) < pages:
        for path in paths:
            pack.import_pages(pdfium.PdfDocument(path))
    pack.save(target)
    return target


def report(label: str, results: dict[str, dict]) -> None:
    base = results.get("pdfplumber")
    print(f"\n{label}")
    print(f"{'':11} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'x pdfplumber':>13} {'peak MB':>8}")
    for kind, r in results.items():
        ratio = f"{r['pages_per_s'] / base['pages_per_s']:13.1f}" if base else f"{'-':>13}"
        print(f"{kind:11} {r['pages']:6} {r['seconds']:8.2f} {r['pages_per_s']:8.1f} {ratio} {r['peak_mb']:8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--pack-pages", type=int, default=500)
    parser.add_argument("--out", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--measure", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    paths = [p.resolve() for p in args.pdfs] or sorted(SAMPLES.glob("*.pdf"))
    if not paths:
        raise SystemExit(f"no PDFs given and none in {SAMPLES}")
    if args.measure:
        print(json.dumps(measure(args.measure, paths, args.out)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = args.out or Path(tmp)
        report(f"{len(paths)} PDFs", {kind: run(kind, paths, work / kind) for kind in KINDS})
        if args.pack_pages:
            pack = make_pack(paths, args.pack_pages, work / "pack.pdf")
            report(f"one pack of {args.pack_pages}+ pages ({pack.stat().st_size / 1e6:.1f} MB)",
                   {kind: run(kind, [pack], work / f"pack-{kind}") for kind in ("build", "reader", "pdfium")})


if __name__ == "__main__":
    main()
