"""Parsing a file, as the tasks a build hands to its workers.

Parsing is a pure function of a file, so it can run in any process. A file is one task
(:class:`ParseFile`: read, split, extract) unless it is a long PDF, which is worth spreading
over several workers: its page ranges are read as :class:`ReadPages` tasks, the writer joins
them (:func:`~council_papers.ingest.pdf.pdf_source`) and splits the file into its papers, and
groups of papers are extracted as :class:`ExtractParts` tasks. Each task runs within the
per-file time limit and returns its result or a one-line failure report naming the file;
it never raises, so one bad file never stops a batch.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from council_papers.executors import time_limit
from council_papers.ingest import read_source, source_key
from council_papers.ingest.split import split_documents
from council_papers.model import DocumentPart, ParsedDocument, Source, UnreadableFile
from council_papers.nlp import load_nlp


@dataclass(frozen=True)
class InputFile:
    path: Path
    root: Path  # what source_key is relative to

    @property
    def key(self) -> str:
        return source_key(self.path, self.root)


def parse_source(source: Source, nlp=None) -> list[ParsedDocument]:
    """Split a source into its documents and run every extractor on each."""
    nlp = nlp or load_nlp()
    parts = split_documents(source)
    packs = pack_indexes(parts)
    return [ParsedDocument(part) if index in packs else parse_part(part, nlp) for index, part in enumerate(parts)]


def pack_indexes(parts: list[DocumentPart]) -> set[int]:
    """Parts that hold other parts (agenda packs). A pack's own row carries no sections or
    statistics: those belong to the papers inside it, so they are not stored twice."""
    return {p.parent for p in parts if p.parent is not None}


def parse_part(part: DocumentPart, nlp) -> ParsedDocument:
    """Every extractor on one document."""
    # Imported here: the extractors bring spaCy, which the writing process never needs.
    from council_papers.extract.case_studies import find_case_studies
    from council_papers.extract.figures import extract_figures
    from council_papers.extract.measures import mark_measures
    from council_papers.extract.quotes import extract_quotes
    from council_papers.extract.sections import build_sections

    sections = build_sections(part)
    case_studies = find_case_studies(part, sections, nlp)
    figures = extract_figures(part, sections, nlp)
    mark_measures(figures, nlp)
    return ParsedDocument(
        part,
        sections=sections,
        figures=figures,
        quotes=extract_quotes(part, sections, case_studies, nlp),
        case_studies=case_studies,
    )


def parse_file(
    path: Path, root: Path | None = None, nlp=None, max_pages: int | None = None
) -> tuple[Source, list[ParsedDocument]]:
    """Read and parse one file (no database involved)."""
    source = read_source(Path(path), Path(root) if root else Path(path), max_pages=max_pages)
    return source, parse_source(source, nlp)


@dataclass(frozen=True)
class ParseFile:
    """Read and parse a whole file."""

    item: InputFile
    time_limit: float | None
    max_pages: int | None

    def run(self) -> tuple[Source, list[ParsedDocument]]:
        return parse_file(self.item.path, self.item.root, max_pages=self.max_pages)


@dataclass(frozen=True)
class ReadPages:
    """Read one range of a PDF's pages (0-based, ``stop`` excluded)."""

    item: InputFile
    time_limit: float | None
    start: int
    stop: int

    def run(self):
        from council_papers.ingest.pdf import read_pages  # pdf libraries load only when a PDF comes

        return read_pages(self.item.path, self.start, self.stop)


@dataclass(frozen=True)
class ExtractParts:
    """Run the extractors on some of a file's documents (``(index, part)`` pairs)."""

    item: InputFile
    time_limit: float | None
    parts: tuple[tuple[int, DocumentPart], ...]

    def run(self) -> list[tuple[int, ParsedDocument]]:
        nlp = load_nlp()
        return [(index, parse_part(part, nlp)) for index, part in self.parts]


@dataclass(frozen=True)
class LoadPipeline:
    """Load spaCy in a worker ahead of extraction. Queued after a long PDF's page ranges, it
    runs while the writer joins them, when the worker would otherwise wait."""

    item: InputFile
    time_limit: float | None = None

    def run(self) -> None:
        load_nlp()


def run_task(task: ParseFile | ReadPages | ExtractParts | LoadPipeline):
    """The task's result, or its one-line failure report; what workers are given to run."""
    try:
        with time_limit(task.time_limit):
            return task.run()
    except Exception as exc:  # one bad file never stops the batch
        return failure_line(task.item.path, exc)


def failure_line(path: Path, exc: BaseException) -> str:
    """One line for a failed file: its path and the reason, without a traceback."""
    if isinstance(exc, UnreadableFile):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{path}: cannot read: {exc.strerror}"
    text = str(exc).strip()
    reason = text.splitlines()[0] if text else ""
    return f"{path}: {reason or type(exc).__name__}"
