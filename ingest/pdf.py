"""PDF reader: the same typed blocks as the text and Markdown readers, with the page of each.

Design, chosen for speed. pdfplumber lays a page out in pure Python (about 3 pages/s);
PDFium (pypdfium2) gives characters with their boxes, size and weight at C speed. So:

* every page goes through PDFium (:mod:`.pdf_page`): text in one call, cut into words,
  each word measured and styled with a few calls; bullets, ruling lines and images are
  read from the page objects;
* the words are laid out by :mod:`.pdf_layout`: fragments → columns (left before right,
  full-width lines first) → blocks (paragraph, list item, heading candidate);
* pdfplumber runs only on pages ruled like a table (:mod:`.pdf_tables`), and Tesseract only
  on pages that are a scanned image (:mod:`.ocr`);
* across pages: running headers, footers and page numbers (short lines at the page's top
  or bottom edge that repeat or are page numbers) are dropped; paragraphs cut by a column
  or page break are joined; a line-end hyphen is kept where the document writes the word
  with a hyphen elsewhere and removed where it writes it whole (or, unknown, before a
  lower-case letter); heading candidates get a ``level`` hint from the rank of their font
  size among the document's heading sizes (1 = largest; bold text at body size: none).

Pages are read a range at a time (:func:`read_pages`), so the ranges of a long file can be
read in parallel processes; the steps that need every page run once all are in
(:func:`pdf_source`). Pages are closed as they are read, and words keep only their text and
style once laid out, so memory holds lines, not pages: the reader peaks near 160 MB on a
500-page pack (``scripts/bench_pdf.py``). Encrypted, truncated and non-PDF files raise
:class:`~council_papers.model.UnreadableFile`.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from council_papers.model import Block, Source, UnreadableFile

from . import make_source
from .markdown import LEADING_SYMBOL
from .ocr import ocr_page, tesseract_path
from .pdf_layout import (
    BULLET,
    HEADING_RATIO,
    Line,
    RawBlock,
    Word,
    fragments,
    group_blocks,
    reading_order,
    round_size,
    same_size,
)
from .pdf_page import PageReader, Shapes
from .pdf_tables import table_rows

EDGE_SHARE = 0.1  # running headers and footers sit within this share of the page height
EDGE_LINES = 2  # ... and among the first or last lines of the page
PAGE_NUMBER = re.compile(
    r"^(page\s+)?[-–(]?\s*\d{1,4}\s*[-–)]?(\s*(of|/)\s*\d{1,4})?$|^x{0,3}(ix|iv|v?i{0,3})$", re.IGNORECASE
)
SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")
MIN_BODY_CHARS = 200  # a page with less text takes the document's body size
DEFAULT_SIZE = 10.0  # points, when a document has no text at all


@dataclass
class PageLayout:
    """One page's lines in reading order, before furniture is known."""

    number: int
    height: float
    lines: list[Line]
    sizes: Counter[float]  # characters set in each font size


def read_pdf(path: Path, root: Path, max_pages: int | None = None) -> Source:
    """Read a PDF into blocks with their 1-based ``page``; ``UnreadableFile`` for unreadable files.

    A page that makes the reader fail is skipped with a warning naming it, and pages past
    ``max_pages`` are not read (with a warning), so one pathological file cannot stop or
    stall a batch.
    """
    path = Path(path)
    data = path.read_bytes()
    page_count = pdf_page_count(path, data)
    return pdf_source(path, root, data, [read_pages(path, 0, pages_to_read(page_count, max_pages))], page_count)


def pages_to_read(page_count: int, max_pages: int | None) -> int:
    """How many pages are read: all, or the first ``max_pages``."""
    return min(page_count, max_pages) if max_pages else page_count


def pdf_page_count(path: Path, data: bytes | None = None) -> int:
    """Pages in the PDF at ``path``; ``UnreadableFile`` when it is not a PDF PDFium can open."""
    check_pdf_bytes(path.read_bytes() if data is None else data, path)
    document = open_document(path)
    try:
        return len(document)
    finally:
        document.close()


@dataclass
class PageRange:
    """One run of a PDF's pages (0-based ``start``..``stop - 1``) as read, with what went wrong on them."""

    start: int
    stop: int
    pages: list[PageLayout]
    warnings: list[str]
    hyphenated: set[str]  # words these pages write with an inner hyphen
    whole: set[str]  # all words these pages write


def read_pages(path: Path, start: int, stop: int) -> PageRange:
    """Read pages ``start``..``stop - 1`` (0-based): the part of reading done page by page.

    Ranges of one file can be read in separate processes; :func:`pdf_source` joins them.
    """
    document = open_document(path)
    reader = PageReader()
    pages: list[PageLayout] = []
    warnings: list[str] = []
    try:
        for index in range(start, stop):
            try:
                pages.append(_read_page(document, path, index, reader, warnings))
            except Exception as exc:
                warnings.append(f"page {index + 1} skipped: the reader failed on it ({exc})")
    finally:
        document.close()
    return PageRange(start, stop, pages, warnings, *_word_forms(pages))


def pdf_source(path: Path, root: Path, data: bytes, ranges: list[PageRange], page_count: int) -> Source:
    """The file's Source from its page ranges, in page order: the steps that need every page
    (running headers, paragraphs across pages, heading levels)."""
    ranges = sorted(ranges, key=lambda r: r.start)
    warnings = [w for r in ranges for w in r.warnings]
    pages = [page for r in ranges for page in r.pages]
    read = max((r.stop for r in ranges), default=0)
    if read < page_count:
        warnings.insert(0, f"only the first {read} of {page_count} pages read (the page limit)")
    hyphenated = set().union(*(r.hyphenated for r in ranges))
    whole = set().union(*(r.whole for r in ranges))
    blocks = build_blocks(pages, hyphenated, whole)
    if not blocks:
        if not warnings:
            raise UnreadableFile(path, "no text found")
        if tesseract_path() is None:
            raise UnreadableFile(path, "scanned images with no text layer, and Tesseract is not installed "
                                       "to read them (apt-get install tesseract-ocr)")
        raise UnreadableFile(path, "scanned images with no text layer; OCR found no text")
    return make_source(path, root, data, "pdf", blocks, page_count=page_count, warnings=warnings)


def check_pdf_bytes(data: bytes, name) -> None:
    """Reject what is not a whole PDF before PDFium tries to mend it."""
    if b"%PDF-" not in data[:1024]:
        raise UnreadableFile(name, "not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise UnreadableFile(name, "truncated PDF (the end-of-file marker is missing)")


def open_document(path: Path) -> pdfium.PdfDocument:
    """Open with PDFium; a password-protected or damaged file becomes a one-line ValueError."""
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableFile(path, "encrypted PDF (a password is needed to open it)") from None
        raise UnreadableFile(path, f"damaged PDF ({exc})") from None
    if len(document) == 0:
        document.close()
        raise UnreadableFile(path, "the PDF has no pages")
    return document


def _read_page(document, path: Path, index: int, reader: PageReader,
               warnings: list[str]) -> PageLayout:
    page = document[index]
    try:
        _, _, width, top = page.get_bbox()
        textpage = page.get_textpage()
        try:
            words = reader.words(textpage, top)
        finally:
            textpage.close()
        shapes = reader.shapes(page, top)
        height = page.get_height()
        if not words and shapes.image_area > 0.1 * width * height:
            words = _scanned_page(page, index + 1, warnings)
        sizes = Counter()
        for word in words:
            sizes[round_size(word.size)] += len(word.text)
        frags = fragments(words)
        _mark_bullets(frags, shapes)
        if shapes.ruled and words:
            try:
                rows = table_rows(path, index + 1, _most_common(sizes) or DEFAULT_SIZE)
            except Exception as exc:  # pdfplumber is stricter than PDFium: keep the page's text
                warnings.append(f"page {index + 1}: tables not read ({type(exc).__name__}: {exc})")
                rows = []
            frags = _with_tables(frags, rows)
        lines = reading_order(frags)
        for line in lines:
            line.forget_word_boxes()
        return PageLayout(index + 1, height, lines, sizes)
    finally:
        page.close()


def _scanned_page(page, number: int, warnings: list[str]) -> list[Word]:
    """OCR an image-only page when Tesseract is installed; say what happened either way."""
    if tesseract_path() is None:
        warnings.append(f"page {number} is a scanned image with no text layer; not read "
                        "because Tesseract OCR is not installed (apt-get install tesseract-ocr)")
        return []
    try:
        words = ocr_page(page)
    except Exception as exc:  # a failed OCR run loses one page, not the file
        warnings.append(f"page {number} is a scanned image; OCR failed ({exc})")
        return []
    warnings.append(f"page {number} is a scanned image with no text layer; "
                    f"its text was read by OCR (Tesseract) and may hold errors")
    return words


def _mark_bullets(frags: list[Line], shapes: Shapes) -> None:
    """A small dot drawn just left of a fragment's first word is its list bullet."""
    for x0, top, x1, bottom in shapes.dots:
        middle = (top + bottom) / 2
        for frag in frags:
            first = frag.words[0]
            if first.top <= middle <= first.bottom and 0 <= first.x0 - x1 <= 3 * first.size:
                frag.bullet = True
                break


def _with_tables(frags: list[Line], rows: list[Line]) -> list[Line]:
    """Table rows replace the fragments inside their boxes."""
    if not rows:
        return frags

    def inside(frag: Line) -> bool:
        mx, my = (frag.x0 + frag.x1) / 2, frag.words[0].mid
        return any(r.x0 - 1 <= mx <= r.x1 + 1 and r.top - 1 <= my <= r.bottom + 1 for r in rows)

    return [f for f in frags if not inside(f)] + rows


def _most_common(sizes: Counter[float]) -> float | None:
    """The size most of the text is set in: body text."""
    return sizes.most_common(1)[0][0] if sizes else None


# across pages -------------------------------------------------------------------------


def build_blocks(pages: list[PageLayout], hyphenated: set[str], whole: set[str]) -> list[Block]:
    """Pages of ordered lines → the document's blocks, furniture gone, paragraphs joined;
    line-end hyphens judged by the words the document writes with a hyphen and whole."""
    furniture = running_furniture(pages)
    document_body = _most_common(sum((page.sizes for page in pages), Counter())) or DEFAULT_SIZE
    raw_blocks: list[RawBlock] = []
    for page in pages:
        lines = [line for line in page.lines if id(line) not in furniture]
        body = _most_common(page.sizes) if page.sizes.total() >= MIN_BODY_CHARS else None
        raw_blocks += group_blocks(lines, body or document_body, page.number)
    raw_blocks = join_broken_paragraphs(raw_blocks)
    levels = heading_levels(raw_blocks)
    return [_to_block(b, levels, hyphenated, whole) for b in raw_blocks]


def running_furniture(pages: list[PageLayout]) -> set[int]:
    """ids of lines that are page furniture: edge lines repeated on other pages, page numbers."""
    edges: list[list[tuple[Line, str]]] = []
    for page in pages:
        ordered = sorted(page.lines, key=lambda line: line.top)
        candidates = {id(c): c for c in ordered[:EDGE_LINES] + ordered[-EDGE_LINES:]}.values()
        edges.append([
            (line, _furniture_key(line.text))
            for line in candidates
            if line.bottom <= EDGE_SHARE * page.height or line.top >= (1 - EDGE_SHARE) * page.height
        ])
    pages_with = Counter(key for page_edges in edges for key in {key for _, key in page_edges})
    repeat = 2 if len(pages) <= 4 else 3
    return {
        id(line)
        for page_edges in edges
        for line, key in page_edges
        if PAGE_NUMBER.match(line.text.strip()) or pages_with[key] >= repeat
    }


def _furniture_key(text: str) -> str:
    """Running text compared across pages: case and numbers (page, date) ignored."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def join_broken_paragraphs(blocks: list[RawBlock]) -> list[RawBlock]:
    """Join text cut by a column or page break: a paragraph with no sentence end followed by
    one starting lower-case; a heading followed by its own continuation ("(CSAB) setting ...")."""
    out: list[RawBlock] = []
    for block in blocks:
        last = out[-1] if out else None
        if last is not None and same_size(last.size, block.size) and _continues(last, block):
            last.lines += block.lines
        else:
            out.append(block)
    return out


def _continues(last: RawBlock, block: RawBlock) -> bool:
    first = block.lines[0].text
    if last.kind in ("paragraph", "list_item") and block.kind == "paragraph":
        return not SENTENCE_END.search(last.lines[-1].text) and first[:1].islower()
    if last.kind == block.kind == "heading":
        return last.bold == block.bold and (first[:1].islower() or first[:1] == "(")
    return False


def heading_levels(blocks: list[RawBlock]) -> dict[float, int]:
    """Heading font sizes larger than body text, ranked (sizes within 4% share a rank): largest = 1."""
    body = Counter(b.size for b in blocks if b.kind == "paragraph").most_common(1)
    floor = body[0][0] * HEADING_RATIO if body else 0.0
    sizes = sorted({b.size for b in blocks if b.kind == "heading" and b.size >= floor}, reverse=True)
    levels: dict[float, int] = {}
    for size in sizes:
        previous = min(levels, default=None)
        levels[size] = levels[previous] if previous and same_size(size, previous) else len(set(levels.values())) + 1
    return levels


def _word_forms(pages: list[PageLayout]) -> tuple[set[str], set[str]]:
    """Words the document writes with an inner hyphen, and all words it writes."""
    hyphenated: set[str] = set()
    whole: set[str] = set()
    for page in pages:
        for line in page.lines:
            for word in line.words:
                token = word.text.strip(".,;:()[]'\"‘’“”").lower()
                if token.endswith("-"):
                    continue  # broken at the line end: the question, not the evidence
                if "-" in token:
                    hyphenated.add(token)
                whole.add(token)
    return hyphenated, whole


def join_lines(texts: list[str], hyphenated: set[str], whole: set[str]) -> str:
    """Lines → one text; a line-end hyphen kept or removed by how the document spells the word."""
    texts = [text.strip() for text in texts]
    if not any(text.endswith("-") for text in texts[:-1]):  # most blocks: nothing to judge
        return re.sub(r"\s+", " ", " ".join(text for text in texts if text))
    out = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalnum():
            head = re.split(r"\s", out)[-1][:-1].lower()
            tail = re.split(r"[\s.,;:()]", text, maxsplit=1)[0].lower()
            joined_hyphen, joined_whole = f"{head}-{tail}", f"{head}{tail}"
            if "/" in head or joined_hyphen in hyphenated:
                out += text  # a link, or a word the document writes with its hyphen
            elif joined_whole in whole:
                out = out[:-1] + text
            elif head.split("-")[-1] in whole and tail in whole and len(tail) > 1:
                out += text  # two words of the document: a compound ("five-year")
            elif tail[:1].islower():
                out = out[:-1] + text  # a word broken by hyphenation
            else:
                out += text
        else:
            out = f"{out} {text}" if out else text
    return re.sub(r"\s+", " ", out)


def _to_block(raw: RawBlock, levels: dict[float, int], hyphenated: set[str], whole: set[str]) -> Block:
    texts = [line.text for line in raw.lines]
    text = join_lines(texts, hyphenated, whole)
    if raw.kind == "list_item":
        text = BULLET.sub("", text, count=1)
    level = None
    if raw.kind == "heading":
        text = LEADING_SYMBOL.sub("", text)
        level = levels.get(raw.size)
    return Block(
        text=text,
        kind=raw.kind,
        page=raw.page,
        level=level,
        bold=raw.bold,
        italic=raw.italic,
        font_size=raw.size,
        raw="\n".join(texts),
    )
