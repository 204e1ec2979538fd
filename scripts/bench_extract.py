"""CPU time of extraction alone: ``parse_source`` (splitting and every extractor), no reading.

Usage: .venv/bin/python scripts/bench_extract.py FILE ... [--repeat 2] [--cache DIR]
                                                 [--save OUT.pickle | --check OUT.pickle]

Each file is read once (``read_source``), then ``parse_source`` runs ``--repeat`` times with
the spaCy pipeline preloaded; the best process-CPU time is printed per file, so reading and
model loading are left out. ``--cache`` keeps the read sources as pickles (by path, not
content: clear it when a file changes), so repeated runs skip reading and see the same input
even while the readers change. ``--save`` keeps the
parsed output and ``--check`` compares a later run with it, for optimising extraction
without changing what it finds.
"""
from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from pathlib import Path

from council_papers.ingest import read_source
from council_papers.nlp import load_nlp
from council_papers.parsing import parse_source


def load_source(path: Path, cache: Path | None):
    """The file's Source, from the cache when there is one."""
    if cache is None:
        return read_source(path, path.parent)
    key = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    cached = cache / f"{path.stem}-{key}.pickle"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
    source = read_source(path, path.parent)
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pickle.dumps(source))
    return source


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--cache", type=Path)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--save", type=Path)
    group.add_argument("--check", type=Path)
    args = parser.parse_args(argv)

    nlp = load_nlp()
    outputs, total = {}, 0.0
    for path in args.files:
        source = load_source(path, args.cache)
        best = float("inf")
        for _ in range(args.repeat):
            start = time.process_time()
            parsed = parse_source(source, nlp)
            best = min(best, time.process_time() - start)
        outputs[str(path)] = parsed
        total += best
        print(f"{best:8.2f}s  {path.name}")
    print(f"{total:8.2f}s  total")

    if args.save:
        args.save.write_bytes(pickle.dumps(outputs))
    if args.check:
        expected = pickle.loads(args.check.read_bytes())
        differing = [name for name in outputs if expected.get(name) != outputs[name]]
        for name in differing:
            print(f"DIFFERS: {name}")
        return 1 if differing else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
