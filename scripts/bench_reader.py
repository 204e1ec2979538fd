"""Speed of the PDF page reader alone, and the cost of sending its pages between processes.

Usage: .venv/bin/python scripts/bench_reader.py PDF [--repeat 2] [--profile]

Measures, best of ``--repeat`` runs in this process, in CPU seconds (the machine is shared,
so wall time says more about the neighbours than about the reader):

* read_pdf - the whole reader (``council_papers.ingest.pdf.read_pdf``), pages/s
* pages    - the per-page work only (``read_pages``: PDFium words and shapes, fragments,
  reading order, tables; what a worker process does), pages/s
* pickle   - dumping every page's lines in reading order (what a worker sends back to its
  parent) and loading them again: seconds and megabytes

``--profile`` prints the cProfile of one per-page pass instead, largest cumulative first.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import pickle
import pstats
import time
from pathlib import Path

from council_papers.ingest.pdf import pdf_page_count, read_pages, read_pdf
from council_papers.ingest.pdf_layout import Line


def page_lines(path: Path) -> list[list[Line]]:
    """Every page's lines in reading order, read as a worker reads its range of pages."""
    return [page.lines for page in read_pages(path, 0, pdf_page_count(path)).pages]


def best(repeat: int, run) -> float:
    """Least CPU time of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    pages = pdf_page_count(args.pdf)
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(page_lines, args.pdf)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        return
    seconds = best(args.repeat, lambda: read_pdf(args.pdf, args.pdf.parent))
    print(f"read_pdf  {pages} pages in {seconds:.2f}s: {pages / seconds:.1f} pages/s")
    seconds = best(args.repeat, lambda: page_lines(args.pdf))
    print(f"pages     {pages} pages in {seconds:.2f}s: {pages / seconds:.1f} pages/s")
    dumped, loaded, paused, size = pickle_round_trip(args.pdf, args.repeat)
    print(f"pickle    dump {dumped:.2f}s + load {loaded:.2f}s = {dumped + loaded:.2f}s, {size / 1e6:.1f} MB "
          f"(load with the garbage collector paused: {paused:.2f}s)")


def pickle_round_trip(path: Path, repeat: int) -> tuple[float, float, float, int]:
    """Seconds to dump every page's lines (a worker holding them) and to load them again (a
    parent holding only the bytes), the latter also with the garbage collector paused: its
    full collections, run as the heap grows, are most of a load's time. And the bytes."""
    dumped, data = timed_dump(page_lines(path), repeat)
    gc.collect()  # the lines are gone: the parent never held them
    loaded = best(repeat, lambda: pickle.loads(data))
    gc.disable()
    try:
        paused = best(repeat, lambda: pickle.loads(data))
    finally:
        gc.enable()
    return dumped, loaded, paused, len(data)


def timed_dump(lines: list[list[Line]], repeat: int) -> tuple[float, bytes]:
    """Least CPU seconds to pickle ``lines``, and the pickle."""
    data = pickle.dumps(lines, protocol=pickle.HIGHEST_PROTOCOL)
    return best(repeat, lambda: pickle.dumps(lines, protocol=pickle.HIGHEST_PROTOCOL)), data


if __name__ == "__main__":
    main()
