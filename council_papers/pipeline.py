"""The build: find files, read, split, extract, store; one file at a time, never losing data.

A file that cannot be read or parsed is reported (file name and reason) and skipped; what
was stored before stays as it was, since each file is written in one transaction.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from council_papers.db.load import is_current, store_source
from council_papers.db.schema import open_database
from council_papers.db.series import rebuild_figure_series
from council_papers.executors import run_dask, run_processes, run_serial, time_limit
from council_papers.extract.case_studies import find_case_studies
from council_papers.extract.figures import extract_figures
from council_papers.extract.quotes import extract_quotes
from council_papers.extract.sections import build_sections
from council_papers.ingest import read_source
from council_papers.ingest.split import split_documents
from council_papers.model import ParsedDocument, Source
from council_papers.nlp import load_nlp

INPUT_SUFFIXES = {".pdf", ".txt", ".md", ".markdown", ".text"}
DEFAULT_TIME_LIMIT = 600.0  # seconds one file may take before it is reported and skipped


@dataclass
class InputFile:
    path: Path
    root: Path  # what source_key is relative to

    @property
    def key(self) -> str:
        if self.root == self.path:
            return self.path.name
        return self.path.relative_to(self.root).as_posix()


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
        parsed.append(
            ParsedDocument(
                part,
                sections=sections,
                figures=extract_figures(part, sections, nlp),
                quotes=extract_quotes(part, sections, case_studies, nlp),
                case_studies=case_studies,
            )
        )
    return parsed


def parse_file(path: Path, root: Path | None = None, nlp=None) -> tuple[Source, list[ParsedDocument]]:
    """Read and parse one file (no database involved)."""
    source = read_source(Path(path), Path(root) if root else Path(path))
    return source, parse_source(source, nlp)


@dataclass(frozen=True)
class ParseTask:
    """Read and parse one file within the per-file limits; picklable, so it runs in workers."""

    time_limit: float | None = DEFAULT_TIME_LIMIT

    def __call__(self, item: InputFile) -> tuple[Source, list[ParsedDocument]]:
        with time_limit(self.time_limit):
            return parse_file(item.path, item.root)


def build(
    paths: Iterable[Path],
    db_path: Path,
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    strict: bool = False,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    progress: Callable[[Iterator, int], Iterator] | None = None,
) -> BuildReport:
    """Build or update the database at ``db_path`` from the papers under ``paths``.

    Files already stored with the same content and pipeline version are skipped unparsed;
    changed files replace their old rows; ``strict`` stops at the first failure. Parsing
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
                report.failures.append(f"{item.path}: cannot read: {exc.strerror or exc}")
                continue
            if current:
                report.unchanged += 1
            else:
                todo.append(item)
        task = ParseTask(time_limit)
        if scheduler:
            results = run_dask(task, todo, scheduler)
        elif jobs > 1 and len(todo) > 1:
            results = run_processes(task, todo, jobs)
        else:
            results = run_serial(task, todo)
        if progress:
            results = progress(results, len(todo))
        for item, outcome in results:
            if not isinstance(outcome, Exception):
                try:
                    stored = store_source(db, *outcome)
                except Exception as exc:
                    outcome = exc
            if isinstance(outcome, Exception):
                report.failures.append(f"{item.path}: {describe(outcome)}")
                if strict:
                    break
                continue
            report.warnings.extend(f"{item.path}: {w}" for w in outcome[0].warnings)
            if stored == "replaced":
                report.replaced += 1
            else:
                report.built += 1
        rebuild_figure_series(db)
    finally:
        db.close()
    return report


def describe(exc: Exception) -> str:
    """One line for a failure: the reason, without a traceback."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text or type(exc).__name__
