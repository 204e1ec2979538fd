"""The typed objects that flow through the pipeline.

Readers (``ingest``) turn a file into a :class:`Source` of :class:`Block` s; pack
splitting cuts a source into :class:`DocumentPart` s; extractors (``extract``) turn a
part's blocks into :class:`Section`, :class:`Figure`, :class:`Quote` and
:class:`CaseStudy` rows; ``db`` stores a :class:`ParsedDocument`. Every stage takes
and returns these, so each can be tested alone and none reopens the file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table_row", "quote"]


@dataclass
class Block:
    """One unit of text as the reader found it, with its provenance.

    ``text`` is clean: markup removed, lines broken mid-sentence joined. ``kind`` is the
    reader's reading of the layout; "heading" means a heading *candidate* (a markdown
    heading, a short stand-alone line, a large or bold PDF line); the sections extractor
    decides which candidates are real headings. ``level`` is the source's own level hint
    (markdown ``#`` count, font-size rank), when it has one.
    """

    text: str
    kind: BlockKind = "paragraph"
    line: int | None = None
    line_end: int | None = None
    page: int | None = None
    level: int | None = None
    bold: bool = False
    italic: bool = False
    font_size: float | None = None
    raw: str = ""

    @property
    def where(self) -> int | None:
        """The block's position for ordering: its line, else its page."""
        return self.line if self.line is not None else self.page


@dataclass
class Source:
    """A whole input file as a reader yields it."""

    path: str
    source_file: str  # base name, as published
    source_key: str  # path relative to the build root: the identity of the file
    sha256: str
    format: str  # pdf, markdown, text
    blocks: list[Block]
    line_count: int | None = None
    page_count: int | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class DocumentMeta:
    """What the text says about a document; column names follow SCHEMA.md."""

    title: str
    doc_type: str = "other"
    council: str | None = None
    body: str | None = None
    period: str | None = None
    year: int | None = None
    meeting_date: str | None = None


@dataclass
class DocumentPart:
    """A logical document: a whole file, a pack, or one paper inside a pack.

    ``parent`` is the index of the containing pack in the list returned by the splitter.
    """

    meta: DocumentMeta
    blocks: list[Block]
    parent: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    page_start: int | None = None
    page_end: int | None = None


@dataclass
class Section:
    """A heading and the blocks under it, up to the next heading.

    ``parent`` is the index of the enclosing section in the document's section list.
    """

    heading: str
    level: int
    ordinal: int
    blocks: list[Block]
    parent: int | None = None
    path: str = ""
    line: int | None = None
    page: int | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.text)


@dataclass
class Figure:
    """A statistic; ``section`` is the index of its section."""

    value: float
    value_text: str
    unit: str
    label: str
    context: str
    section: int | None = None
    period: str | None = None
    place: str | None = None
    line: int | None = None
    page: int | None = None
    names_measure: bool = False  # the label names a measure (not sentence debris): it may join a series


@dataclass
class CaseStudy:
    """A personal story; ``section`` is the index of its section."""

    title: str
    text: str
    subject: str | None = None
    theme: str | None = None
    section: int | None = None
    line: int | None = None
    line_end: int | None = None
    page: int | None = None


@dataclass
class Quote:
    """A person's own words; ``case_study`` is the index of the story it sits in."""

    text: str
    speaker: str | None = None
    speaker_role: str | None = None
    speaker_kind: str | None = None
    section: int | None = None
    case_study: int | None = None
    line: int | None = None
    page: int | None = None


@dataclass
class ParsedDocument:
    """Everything extracted from one logical document, ready to store."""

    part: DocumentPart
    sections: list[Section] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    case_studies: list[CaseStudy] = field(default_factory=list)


class UnreadableFile(ValueError):
    """A file no reader can take (empty, binary junk, damaged or encrypted PDF, ...).

    Its message names the file and the reason on one line, so a batch can report it as is.
    """

    def __init__(self, path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason

    def __reduce__(self):  # travels back from worker processes
        return (UnreadableFile, (self.path, self.reason))
