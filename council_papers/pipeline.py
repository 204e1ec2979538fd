"""The build: find files, parse them (in workers), store each here as it finishes.

A file that cannot be read or parsed is reported (file name and reason) and skipped; what
was stored before stays as it was, since each file is written in one transaction by the
one process that writes.

Files are spread over the workers whole, except long PDFs (an agenda pack of hundreds of
pages), which would leave the other workers idle: their page ranges are read in parallel,
joined and split into papers here, and their papers extracted in parallel (see
:mod:`council_papers.parsing`). Either way the database is the same.
"""
from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from council_papers.db.load import is_current, store_source
from council_papers.db.schema import open_database
from council_papers.db.series import SERIES_TABLE, rebuild_figure_series
from council_papers.executors import run_dask, run_processes, run_serial
from council_papers.ingest.split import split_documents
from council_papers.model import ParsedDocument, UnreadableFile
from council_papers.parsing import (
    ExtractParts,
    InputFile,
    LoadPipeline,
    ParseFile,
    ReadPages,
    failure_line,
    pack_indexes,
    run_task,
)

INPUT_SUFFIXES = {".pdf", ".txt", ".md", ".markdown", ".text"}
DEFAULT_TIME_LIMIT = 600.0  # seconds one file may take before it is reported and skipped
DEFAULT_MAX_PAGES = 5000  # pages read from one PDF; the rest are reported, not read
RANGE_PAGES = 32  # pages a worker reads at a time of a PDF long enough to spread
SPREAD_BYTES = 256 * 1024  # smaller PDFs are too short to spread: not even opened to count pages
EXTRACT_SHARE = 16  # a long PDF's papers go out in about this many groups per worker


@dataclass
class BuildReport:
    """What a build did, file by file; ``failures`` holds one line per failed file."""

    built: int = 0
    replaced: int = 0
    unchanged: int = 0
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary(self) -> str:
        return (
            f"{self.built} built, {self.replaced} replaced, {self.unchanged} unchanged, "
            f"{self.failed} failed"
        )


def discover(paths: Iterable[Path]) -> list[InputFile]:
    """The papers under ``paths``: files as given, folders searched recursively.

    Inside folders, hidden files and README files (a folder's own documentation, not a
    paper) are passed over, as are files with suffixes no reader handles.
    """
    found: list[InputFile] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if (
                    child.is_file()
                    and child.suffix.lower() in INPUT_SUFFIXES
                    and not any(part.startswith(".") for part in rel.parts)
                    and not child.name.upper().startswith("README")
                ):
                    found.append(InputFile(child, path))
        else:
            found.append(InputFile(path, path))
    return found


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build(
    paths: Iterable[Path],
    db_path: Path,
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    strict: bool = False,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    max_pages: int | None = DEFAULT_MAX_PAGES,
    progress: Callable[[Iterator, int], Iterator] | None = None,
) -> BuildReport:
    """Build or update the database at ``db_path`` from the papers under ``paths``.

    Files already stored with the same content and pipeline version are skipped unparsed;
    changed files replace their old rows; ``strict`` stops at the first failure;
    ``time_limit`` (seconds; for a long PDF read in pieces, each piece) and ``max_pages``
    bound what one file may cost. Parsing runs in ``jobs`` worker processes (or on the
    Dask ``scheduler``); this process alone writes, one transaction per file.
    ``progress(outcomes, steps)``, when given, wraps the outcomes as they come (the CLI's
    progress bar): one a file, and one more for each page range of a long PDF.
    """
    files = discover(paths)
    db = open_database(db_path)
    report = BuildReport()
    try:
        todo = []
        for item in files:
            try:
                current = is_current(db, item.key, sha256_of(item.path))
            except OSError as exc:
                report.failures.append(failure_line(item.path, exc))
                continue
            if current:
                report.unchanged += 1
            else:
                todo.append(item)
        parsing = FileParsing(todo, jobs=jobs, scheduler=scheduler, time_limit=time_limit, max_pages=max_pages)
        results = progress(iter(parsing), parsing.steps) if progress else iter(parsing)
        for item, outcome in results:
            if outcome is RANGE_READ:
                continue
            failure = _store(db, item, outcome, report)
            if failure:
                report.failures.append(failure)
                if strict:
                    break
        if report.built or report.replaced or SERIES_TABLE not in db.table_names():
            rebuild_figure_series(db)
    finally:
        db.close()
    return report


def _store(db, item: InputFile, outcome, report: BuildReport) -> str | None:
    """Store one task's outcome and count it; return the failure line if the file failed."""
    if isinstance(outcome, str):  # the task's own failure report
        return outcome
    if isinstance(outcome, Exception):  # the task never answered (its worker died)
        return failure_line(item.path, outcome)
    source, parsed = outcome
    try:
        stored = store_source(db, source, parsed)
    except Exception as exc:  # the transaction rolled back: nothing half-written
        return failure_line(item.path, exc)
    report.warnings.extend(f"{item.path}: {w}" for w in source.warnings)
    if stored == "replaced":
        report.replaced += 1
    else:
        report.built += 1
    return None


RANGE_READ = object()  # the outcome reported for each page range of a spread PDF: progress only


class FileParsing:
    """The parsing of the files to build: iterate for each file's ``(source, parsed)``, its
    failure line or its exception, as files finish, and ``RANGE_READ`` as each page range
    of a spread PDF comes in. ``steps`` is how many outcomes there will be when nothing fails:
    what a progress bar counts, so that a long PDF moves the bar as its pages are read."""

    def __init__(self, todo: list[InputFile], *, jobs: int, scheduler: str | None,
                 time_limit: float | None, max_pages: int | None) -> None:
        self.jobs = jobs
        self.scheduler = scheduler
        self.queue: deque = deque()
        self.spread: dict[InputFile, SpreadFile] = {}
        for item in todo:
            long_pdf = SpreadFile.plan(item, time_limit, max_pages) if (scheduler or jobs > 1) else None
            if long_pdf:
                self.spread[item] = long_pdf
                self.queue.extend(long_pdf.read_tasks())
                self.queue.extend(LoadPipeline(item) for _ in range(jobs))
            else:
                self.queue.append(ParseFile(item, time_limit, max_pages))
        self.steps = len(todo) + sum(work.range_count for work in self.spread.values())

    def __iter__(self) -> Iterator[tuple[InputFile, object]]:
        queue, spread = self.queue, self.spread
        if self.scheduler:
            results = run_dask(run_task, queue, self.scheduler)
        elif self.jobs > 1 and len(queue) > 1:
            results = run_processes(run_task, queue, self.jobs)
        else:
            results = run_serial(run_task, queue)
        for task, outcome in results:
            item = task.item
            if isinstance(task, LoadPipeline):
                continue  # a failure to load shows again, and is reported, where extraction needs it
            if isinstance(task, ParseFile):
                yield item, outcome
                continue
            work = spread.get(item)
            if work is None:
                continue  # a piece of a file that has already failed
            if not isinstance(outcome, (str, Exception)):
                try:
                    follow_ups = work.take(task, outcome, self.jobs)
                except Exception as exc:  # joining or splitting failed: the file fails, nothing stored
                    outcome = failure_line(item.path, exc)
            if isinstance(outcome, (str, Exception)):
                del spread[item]
                for queued in [t for t in queue if t.item == item]:
                    queue.remove(queued)
                yield item, outcome
                continue
            if isinstance(task, ReadPages):
                yield item, RANGE_READ
            if work.parsed_all:
                del spread[item]
                yield item, (work.source, work.parsed)
            else:
                queue.extendleft(reversed(follow_ups))  # finish this file before starting others


class SpreadFile:
    """A long PDF parsed in pieces: what has come back so far, and what to ask for next."""

    def __init__(self, item: InputFile, time_limit: float | None, page_count: int, readable: int) -> None:
        self.item = item
        self.time_limit = time_limit
        self.page_count = page_count
        self.readable = readable
        self.ranges: list = []  # PageRanges read so far
        self.range_count = len(self.read_tasks())
        self.source = None
        self.parsed: list[ParsedDocument | None] = []

    @classmethod
    def plan(cls, item: InputFile, time_limit: float | None, max_pages: int | None) -> SpreadFile | None:
        """A SpreadFile when ``item`` is a readable PDF of more than one range of pages."""
        from council_papers.ingest.pdf import pages_to_read, pdf_page_count

        try:
            if item.path.suffix.lower() != ".pdf" or item.path.stat().st_size < SPREAD_BYTES:
                return None
            page_count = pdf_page_count(item.path)
        except (UnreadableFile, OSError):
            return None  # read whole, so the file's own task reports the reason
        readable = pages_to_read(page_count, max_pages)
        return cls(item, time_limit, page_count, readable) if readable > RANGE_PAGES else None

    def read_tasks(self) -> list[ReadPages]:
        return [ReadPages(self.item, self.time_limit, start, min(start + RANGE_PAGES, self.readable))
                for start in range(0, self.readable, RANGE_PAGES)]

    @property
    def parsed_all(self) -> bool:
        return self.source is not None and all(doc is not None for doc in self.parsed)

    def take(self, task, outcome, jobs: int) -> list[ExtractParts]:
        """Record one finished piece; once every range is read, the file's papers to extract."""
        if isinstance(task, ExtractParts):
            for index, doc in outcome:
                self.parsed[index] = doc
            return []
        self.ranges.append(outcome)
        if len(self.ranges) < self.range_count:
            return []
        from council_papers.ingest.pdf import pdf_source

        path = self.item.path
        self.source = pdf_source(path, self.item.root, path.read_bytes(), self.ranges, self.page_count)
        self.ranges = []
        parts = split_documents(self.source)
        packs = pack_indexes(parts)
        self.parsed = [ParsedDocument(part) if index in packs else None for index, part in enumerate(parts)]
        papers = [(index, part) for index, part in enumerate(parts) if index not in packs]
        return [ExtractParts(self.item, self.time_limit, tuple(group))
                for group in _groups(papers, EXTRACT_SHARE * jobs)]


def _groups(papers: list, count: int) -> list[list]:
    """Consecutive papers in about ``count`` groups of similar length (in blocks)."""
    target = sum(len(part.blocks) for _, part in papers) / max(count, 1)
    groups: list[list] = [[]]
    size = 0
    for paper in papers:
        if groups[-1] and size >= target:
            groups.append([])
            size = 0
        groups[-1].append(paper)
        size += len(paper[1].blocks)
    return [group for group in groups if group]
