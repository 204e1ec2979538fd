"""Speed and memory of PDF reading: the whole build against pdfplumber and raw PDFium text.

Usage: .venv/bin/python scripts/bench_pdf.py [PDF ...] [--pack-pages 500] [--jobs N] [--out DIR]

On the same PDFs (default: the sample PDFs in ../shared/corpus/pdf) it measures, each in a
fresh process so that start-up and memory are its own:

* build      - ``council_papers.pipeline.build`` into a new database (read, split, extract,
               store), with ``--jobs`` workers (default: the machine's cores, as the CLI does);
               start-up (imports, loading spaCy in the workers) counts
* reader     - ``read_pdf`` alone, one process
* pdfplumber - ``page.extract_text()`` on every page (the pure-Python baseline)
* pdfium     - pypdfium2 raw text of every page (the floor: no layout at all)

then prints pages/s, the ratio to pdfplumber, and peak memory: the largest sum over the
process and its workers of proportional set size (PSS: shared pages split between the
processes that share them), sampled every 50 ms. It also concatenates the PDFs (with
pypdfium2) into a pack of about ``--pack-pages`` pages and measures the build and the
reader on it. pdfplumber is not run on the pack (at about 3 pages/s it would take minutes):
the pack repeats the same pages, so its ratio uses pdfplumber's rate on them above. A build
of the first page alone shows the fixed start-up, which dominates a few short PDFs. The
machine may be shared, so compare ratios within one run.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from council_papers.executors import default_jobs

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "corpus" / "pdf"
KINDS = ("build", "reader", "pdfplumber", "pdfium")


class PeakMemory:
    """The largest total PSS of this process and its descendants, sampled in a thread."""

    def __init__(self, every: float = 0.05) -> None:
        self.peak = 0
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_full_info().pss
                except psutil.Error:  # a worker that ended between listing and reading
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self._every)


def measure(kind: str, paths: list[Path], work: Path, jobs: int) -> dict:
    """Run one kind of reading in this process; return seconds, pages and peak memory."""
    import pypdfium2 as pdfium

    pages = sum(len(pdfium.PdfDocument(p)) for p in paths)
    with PeakMemory() as memory:
        start = time.perf_counter()
        run_kind(kind, paths, work, jobs)
        seconds = time.perf_counter() - start
    return {"kind": kind, "pages": pages, "seconds": seconds, "pages_per_s": pages / seconds,
            "peak_mb": memory.peak / 2**20}


def run_kind(kind: str, paths: list[Path], work: Path, jobs: int) -> None:
    import pypdfium2 as pdfium

    if kind == "build":
        from council_papers.pipeline import build

        report = build(paths, work / "bench.db", jobs=jobs)
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


def run(kind: str, paths: list[Path], work: Path, jobs: int) -> dict:
    """``measure`` in a fresh Python process."""
    work.mkdir(parents=True, exist_ok=True)
    for stale in work.glob("bench.db*"):
        stale.unlink()
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--out", str(work), "--jobs", str(jobs), *map(str, paths)],
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


def first_page(path: Path, target: Path) -> Path:
    """A one-page PDF: its build costs start-up (imports, spaCy in the workers) and little more."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument.new()
    page.import_pages(pdfium.PdfDocument(path), [0])
    page.save(target)
    return target


def report(label: str, results: dict[str, dict], base: dict) -> None:
    print(f"\n{label}")
    print(f"{'':11} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'x pdfplumber':>13} {'peak MB':>8}")
    for kind, r in results.items():
        ratio = f"{r['pages_per_s'] / base['pages_per_s']:13.1f}"
        print(f"{kind:11} {r['pages']:6} {r['seconds']:8.2f} {r['pages_per_s']:8.1f} {ratio} {r['peak_mb']:8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--pack-pages", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="workers for the build (default: cores)")
    parser.add_argument("--out", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--measure", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    paths = [p.resolve() for p in args.pdfs] or sorted(SAMPLES.glob("*.pdf"))
    if not paths:
        raise SystemExit(f"no PDFs given and none in {SAMPLES}")
    if args.measure:
        print(json.dumps(measure(args.measure, paths, args.out, args.jobs)))
        return
    print(f"build with {args.jobs} workers; reader, pdfplumber and pdfium in one process each")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.out or Path(tmp)
        results = {kind: run(kind, paths, work / kind, args.jobs) for kind in KINDS}
        report(f"{len(paths)} PDFs", results, results["pdfplumber"])
        startup = run("build", [first_page(paths[0], work / "one-page.pdf")], work / "startup", args.jobs)["seconds"]
        build = results["build"]
        past = build["pages"] / (build["seconds"] - startup)
        print(f"start-up (the build of a one-page PDF): {startup:.2f} s; past it the build reads "
              f"{past:.1f} pages/s, {past / results['pdfplumber']['pages_per_s']:.1f} x pdfplumber")
        if args.pack_pages:
            pack = make_pack(paths, args.pack_pages, work / "pack.pdf")
            report(f"one pack of {args.pack_pages}+ pages ({pack.stat().st_size / 1e6:.1f} MB); "
                   "x pdfplumber: against its rate above on the same pages",
                   {kind: run(kind, [pack], work / f"pack-{kind}", args.jobs) for kind in ("build", "reader", "pdfium")},
                   results["pdfplumber"])


if __name__ == "__main__":
    main()
