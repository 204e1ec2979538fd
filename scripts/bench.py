"""Cost curve of a build: 1x, 4x and 16x the corpus, a no-change rebuild, jobs, search latency.

Usage: .venv/bin/python scripts/bench.py [CORPUS] [--out DIR] [--scales 1,4,16]

Copies of the corpus are made under new names (so they are distinct documents). Each
build runs as its own ``council-papers build`` process, so peak memory (max RSS of the
process and its workers) is measured per build. Figures are compared as ratios within
this one run, since the machine is shared and noisy.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "council_papers"]


def replicate(corpus: Path, dest: Path, times: int) -> tuple[int, int]:
    """Copy every paper ``times`` times under new names; return (files, lines + pages)."""
    import pypdfium2

    papers = [p for p in sorted(corpus.rglob("*")) if p.is_file() and p.suffix in {".txt", ".md", ".pdf"}
              and not p.name.upper().startswith("README")]
    units = 0
    for p in papers:
        if p.suffix == ".pdf":
            units += len(pypdfium2.PdfDocument(str(p)))
        else:
            units += p.read_bytes().count(b"\n") + 1
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(times):
        for p in papers:
            shutil.copy(p, dest / f"copy{i:03d}-{p.name}")
    return len(papers) * times, units * times


def timed_build(folder: Path, db: Path, jobs: int) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, largest single process) of one build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(CLI + ["build", str(folder), "--db", str(db), "--jobs", str(jobs)],
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"build failed: {result.stderr}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return elapsed, peak


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def search_latency(db: Path, queries: list[str], n: int = 200) -> tuple[float, float]:
    """p50 and p95 (ms) of full-text searches against a real Datasette on 127.0.0.1."""
    port = free_port()
    server = subprocess.Popen(CLI + ["serve", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        name = db.stem
        times = []
        for i in range(n):
            q = urllib.parse.quote(queries[i % len(queries)])
            url = f"{base}/{name}/sections.json?_search={q}&_shape=array&_size=20"
            start = time.perf_counter()
            urllib.request.urlopen(url, timeout=30).read()
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        return statistics.median(times), times[int(0.95 * len(times)) - 1]
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--out", help="work folder (default: a temporary one, removed after)")
    ap.add_argument("--scales", default="1,4,16")
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = ap.parse_args()
    work = Path(args.out or tempfile.mkdtemp(prefix="council-bench-"))
    scales = [int(s) for s in args.scales.split(",")]
    print(f"corpus {args.corpus}; jobs {args.jobs}; work folder {work}")
    rows = []
    for scale in scales:
        folder = work / f"x{scale}"
        files, units = replicate(Path(args.corpus), folder, scale)
        db = work / f"x{scale}.db"
        db.unlink(missing_ok=True)
        elapsed, peak = timed_build(folder, db, args.jobs)
        rows.append(dict(scale=scale, files=files, units=units, seconds=elapsed, peak_mb=peak,
                         size_mb=db.stat().st_size / 1e6))
        print(f"{scale:>3}x: {files:5} files {units:8} lines+pages  {elapsed:8.1f} s  "
              f"{units / elapsed:8.0f} units/s  peak {peak:6.0f} MB  db {db.stat().st_size / 1e6:6.1f} MB",
              flush=True)
    for a, b in zip(rows, rows[1:]):
        print(f"{a['scale']}x -> {b['scale']}x: cost ratio {b['seconds'] / a['seconds']:.2f} "
              f"for {b['scale'] / a['scale']:.0f}x the work")
    big = rows[-1]
    folder, db = work / f"x{big['scale']}", work / f"x{big['scale']}.db"
    again, _ = timed_build(folder, db, args.jobs)
    print(f"no-change rebuild of {big['scale']}x: {again:.1f} s = {100 * again / big['seconds']:.1f}% of the first")

    small = work / f"x{scales[min(1, len(scales) - 1)]}"
    one, _ = timed_build(small, work / "jobs1.db", 1)
    two, _ = timed_build(small, work / "jobs2.db", 2)
    print(f"{small.name}: --jobs 1 {one:.1f} s, --jobs 2 {two:.1f} s: speed-up {one / two:.2f}x")

    queries = ["shared lives", "safeguarding", "dementia", "carers assessment", "direct payments",
               "hospital discharge", "home support", "workforce turnover", "budget", "reablement"]
    p50, p95 = search_latency(db, queries)
    print(f"search latency over 200 queries on the {big['scale']}x database: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    Path(work / "bench.json").write_text(json.dumps(rows, indent=1))
    if not args.out:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
