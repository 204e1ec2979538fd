"""The build: find files, then read, split and extract each (in workers), then store it here.

A file that cannot be read or parsed is reported (file name and reason) and skipped; what
was stored before stays as it was, since each file is written in one transaction by the
one process that writes.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from council_papers.db.load import is_current, store_source
from council_papers.db.schema import open_database
from council_papers.db.series import SERIES_TABLE, rebuild_figure_series
from council_papers.executors import run_dask, run_processes, run_serial, time_limit
from council_papers.extract.case_studies import find_case_studies
from council_papers.extract.figures import extract_figures
from council_papers.extract.measures import mark_measures
from council_papers.extract.quotes import extract_quotes
from council_papers.extract.sections import build_sections
from council_papers.ingest import read_source, source_key
from council_papers.ingest.split import split_documents
from council_papers.model import ParsedDocument, Source, UnreadableFile
from council_papers.nlp import load_nlp

INPUT_SUFFIXES = {".pdf", ".txt", ".md", ".markdown", ".text"}
DEFAULT_TIME_LIMIT = 600.0  # seconds one file may take before it is reported and skipped
DEFAULT_MAX_PAGES = 5000  # pages read from one PDF; the rest are reported, not read


@dataclass
class InputFile:
    path: Path
    root: Path  # what source_key is relative to

    @property
    def key(self) -> str:
        return source_key(self.path, self.root)


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


def parse_source(source: Source, nlp=None) -> list[ParsedDocument]:
    """Split a source into its documents and run every extractor on each.

    A pack's own row carries no sections or statistics: those belong to the papers
    inside it, so they are not stored twice.
    """
    nlp = nlp or load_nlp()
    parts = split_documents(source)
    pack_indexes = {p.parent for p in parts if p.parent is not None}
    parsed = []
    for index, part in enumerate(parts):
        if index in pack_indexes:
            parsed.append(ParsedDocument(part))
            continue
        sections = build_sections(part)
        case_studies = find_case_studies(part, sections, nlp)
        figures = extract_figures(part, sections, nlp)
        mark_measures(figures, nlp)
        parsed.append(
            ParsedDocument(
                part,
                sections=sections,
                figures=figures,
                quotes=extract_quotes(part, sections, case_studies, nlp),
                case_studies=case_studies,
            )
        )
    return parsed


def parse_file(
    path: Path, root: Path | None = None, nlp=None, max_pages: int | None = None
) -> tuple[Source, list[ParsedDocument]]:
    """Read and parse one file (no database involved)."""
    source = read_source(Path(path), Path(root) if root else Path(path), max_pages=max_pages)
    return source, parse_source(source, nlp)


@dataclass(frozen=True)
class ParseTask:
    """Read and parse one file within the per-file limits; picklable, so it runs in workers."""

    time_limit: float | None = DEFAULT_TIME_LIMIT
    max_pages: int | None = DEFAULT_MAX_PAGES

    def __call__(self, item: InputFile) -> tuple[Source, list[ParsedDocument]] | str:
        """The parsed file, or its one-line failure report."""
        try:
            with time_limit(self.time_limit):
                return parse_file(item.path, item.root, max_pages=self.max_pages)
        except Exception as exc:  # one bad file never stops the batch
            return failure_line(item.path, exc)


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
    ``time_limit`` (seconds) and ``max_pages`` bound what one file may cost. Parsing
    runs in ``jobs`` worker processes (or on the Dask ``scheduler``); this process alone
    writes, one transaction per file.
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
        task = ParseTask(time_limit, max_pages)
        if scheduler:
            results = run_dask(task, todo, scheduler)
        elif jobs > 1 and len(todo) > 1:
            results = run_processes(task, todo, jobs)
        else:
            results = run_serial(task, todo)
        if progress:
            results = progress(results, len(todo))
        for item, outcome in results:
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


def failure_line(path: Path, exc: BaseException) -> str:
    """One line for a failed file: its path and the reason, without a traceback."""
    if isinstance(exc, UnreadableFile):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{path}: cannot read: {exc.strerror}"
    text = str(exc).strip()
    reason = text.splitlines()[0] if text else ""
    return f"{path}: {reason or type(exc).__name__}"
