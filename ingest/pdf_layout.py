"""Page geometry → reading order → blocks, for words however they were found (PDF text or OCR).

Pure functions on :class:`Word` and :class:`Line` records in page points with the origin at
the top left, so the same layout serves PDFium's characters and Tesseract's words:

1. :func:`fragments`: words → line fragments. Words sharing a baseline band join while the
   gap between them stays under one em; a wider gap (a column gutter, a tab stop) starts
   a new fragment, so a fragment never crosses a gutter.
2. :func:`reading_order`: fragments → lines in reading order. A gutter is an x-range that
   no more than a few fragments cross (those are full-width headings or figures). Fragments
   that cross it, and large headings with nothing beside them (set across all columns
   though their words fill only the first), cut the page into bands; within a band the
   left side is read before the right, each side again split the same way (three columns
   work too). Fragments of one side that share a row join into one line.
3. :func:`group_blocks`: lines → blocks (paragraph, list item, heading candidate), cut at
   paragraph gaps, size and weight changes and list markers (glyphs, numbers, or bullet
   shapes the caller marked on the line).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from operator import attrgetter

from .text import continues, is_callout

BULLET = re.compile(r"^[•●▪◦‣○■□➢✓►▶◆◇❖➤·*]\s")  # glyphs that mark a list item in a PDF line
ALNUM = re.compile(r"[^\W_]")  # a letter or digit (str.isalnum, one character)
ENUMERATED = re.compile(r"^\(?(\d{1,2}(\.\d{1,2})*|[a-z]|[ivx]{1,4})[.)]\s")  # "1.", "2.1.", "(a)", "iv)"
TOUCHING = 0.08  # ems: words closer than this are one word
SAME_SIZE = 0.04  # sizes within 4% read as one size
SIZE_DIGITS = 1  # sizes are compared in tenths of a point
HEADING_RATIO = 1.12  # a line this much larger than body text is a heading candidate
MAX_HEADING_WORDS = 30
MAX_BOLD_HEADING_WORDS = 25
GUTTER_SHARE = 0.1  # at most this share of fragments may cross a gutter
MIN_SIDE_FRAGMENTS = 3
SPANNING_RATIO = 1.3  # a heading this much larger than body text may span all columns
PICKLE_SEPARATOR = "\0"  # between a line's word texts when it is pickled


@dataclass(slots=True)
class Word:
    """A word with its box (points, origin top left) and style."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool = False
    italic: bool = False

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2

    def __reduce__(self):
        """Pickled as its fields in order: far smaller and faster than the slots' default."""
        return Word, (self.text, self.x0, self.top, self.x1, self.bottom, self.size, self.bold, self.italic)


class Line:
    """Words on one row of one column, left to right; box, text and style worked out once."""

    __slots__ = ("words", "bullet", "kind", "x0", "x1", "top", "bottom", "text", "size", "bold", "italic")

    def __init__(self, words: list[Word], bullet: bool = False, kind: str = "", text: str = "") -> None:
        self.words = words
        self.bullet = bullet  # a list marker drawn as a shape stands before it
        self.kind = kind  # "table_row" for a table row put in place of its words
        self.x0 = min([w.x0 for w in words])
        self.x1 = max([w.x1 for w in words])
        self.top = min([w.top for w in words])
        self.bottom = max([w.bottom for w in words])
        self.text = text or _join_words(words)
        self.size = _main_size(words)
        self.bold = _styled(words, [w.bold for w in words])
        self.italic = _styled(words, [w.italic for w in words])

    def forget_word_boxes(self) -> None:
        """Keep only each word's text and style, once its page is laid out: blocks are built
        from lines, so no later step measures a word, and a long PDF's pages take half the
        memory in the process that joins them. The boxes become None, so that a step that
        did measure a word would fail loudly rather than read zeros."""
        self.words = [Word(w.text, None, None, None, None, None, w.bold, w.italic) for w in self.words]

    def __reduce__(self):
        """Pickled compactly with everything worked out, so that pages sent between processes
        are small and load without recomputing a thing: the words' texts as one string (a
        tuple if a text holds the separator), their other fields as one tuple, word after word."""
        words = self.words
        texts = [w.text for w in words]
        joined = PICKLE_SEPARATOR.join(texts)
        return _restore_line, (
            joined if joined.count(PICKLE_SEPARATOR) == len(texts) - 1 else tuple(texts),
            tuple([v for w in words for v in (w.x0, w.top, w.x1, w.bottom, w.size, w.bold, w.italic)]),
            self.bullet, self.kind, self.x0, self.x1, self.top, self.bottom,
            self.text, self.size, self.bold, self.italic,
        )


_WORD_COLUMNS = [slice(i, None, 7) for i in range(7)]  # x0, top, x1, bottom, size, bold, italic in a line's values


def _restore_line(texts: str | tuple[str, ...], values: tuple, *fields) -> Line:
    """A pickled :class:`Line` back, its words rebuilt from their fields; ``__init__`` not run."""
    if isinstance(texts, str):
        texts = texts.split(PICKLE_SEPARATOR)
    line = Line.__new__(Line)
    line.words = list(map(Word, texts, *map(values.__getitem__, _WORD_COLUMNS)))
    (line.bullet, line.kind, line.x0, line.x1, line.top, line.bottom,
     line.text, line.size, line.bold, line.italic) = fields
    return line


def _main_size(words: list[Word]) -> float:
    """The size most of the letters are set in (most lines are set in one size)."""
    sizes = {w.size for w in words}
    if len(sizes) == 1:
        return round_size(words[0].size)
    letters: Counter[float] = Counter()
    for w in words:
        letters[round_size(w.size)] += len(w.text)
    return letters.most_common(1)[0][0]


def _join_words(words: list[Word]) -> str:
    """Words joined by spaces, except where they touch (a superscript, a style change)."""
    parts = [words[0].text]
    prev = words[0]
    for word in words[1:]:
        smaller = word.size if word.size < prev.size else prev.size
        if not word.x0 - prev.x1 < TOUCHING * smaller:
            parts.append(" ")
        parts.append(word.text)
        prev = word
    return "".join(parts)


def _styled(words: list[Word], flags: list[bool]) -> bool:
    """Whether every word carries the style (``flags``, word by word), but a leading list
    number and a trailing plain "(Pages 3 - 8)"-like aside."""
    if all(flags):
        return True
    if not any(flags) and ALNUM.search(words[0].text) and (len(words) == 1 or ALNUM.search(words[1].text)):
        return False  # plain text: its first word (after any list number) decides
    skip = 1 if len(words) > 1 and ENUMERATED.match(words[0].text + " ") else 0
    end = len(words)
    while end > skip + 1 and not flags[end - 1]:
        end -= 1
    if end < len(words) and words[end].text.startswith("(") and words[-1].text.endswith(")"):
        words, flags = words[:end], flags[:end]
    return all(flag for word, flag in zip(words[skip:], flags[skip:]) if ALNUM.search(word.text))


def round_size(size: float) -> float:
    return round(size, SIZE_DIGITS)


# 1. words → fragments ---------------------------------------------------------------


def fragments(words: list[Word]) -> list[Line]:
    """Words → one-row runs that never cross a gap wider than about an em.

    (``max`` is written out: this runs for every word of the document.)
    """
    rows: list[list[Word]] = []
    row_mid = row_height = 0.0  # of the row's first word
    for word in sorted(words, key=attrgetter("mid", "x0")):
        top, bottom = word.top, word.bottom
        mid, height = (top + bottom) / 2, bottom - top
        reach = height if height > row_height else row_height
        if rows and mid - row_mid <= 0.5 * (1.0 if 1.0 > reach else reach):
            rows[-1].append(word)
        else:
            rows.append([word])
            row_mid, row_height = mid, height
    out: list[Line] = []
    for row in rows:
        row.sort(key=attrgetter("x0"))
        last = row[0]
        run = [last]
        for word in row[1:]:
            em = last.size if last.size > word.size else word.size
            if word.x0 - last.x1 > em:
                out.append(Line(run))
                run = [word]
            else:
                run.append(word)
            last = word
        out.append(Line(run))
    return out


# 2. fragments → lines in reading order ----------------------------------------------


def reading_order(frags: list[Line], depth: int = 0) -> list[Line]:
    """Order fragments left column before right, full-width lines cutting the page into bands."""
    gutter = find_gutter(frags) if depth < 3 else None
    if gutter is None:
        return merge_rows(frags)
    left_edge, right_edge = gutter
    cutting = [f for f in frags if f.x0 < right_edge and f.x1 > left_edge] + spanning_headings(frags)
    cutting = sorted({id(f): f for f in cutting}.values(), key=lambda f: f.top)
    cut_ids = {id(f) for f in cutting}
    tops = [f.top for f in cutting]
    bands: list[list[Line]] = [[] for _ in range(len(cutting) + 1)]
    for f in frags:
        if id(f) not in cut_ids:
            bands[bisect_right(tops, f.top)].append(f)
    out: list[Line] = []
    for index, band in enumerate(bands):
        if index:
            out.append(cutting[index - 1])
        left = [f for f in band if f.x1 <= left_edge]
        right = [f for f in band if f.x0 >= right_edge]
        out += reading_order(left, depth + 1) + reading_order(right, depth + 1)
    return out


def spanning_headings(frags: list[Line]) -> list[Line]:
    """Large lines with nothing beside them or just above them across the whole region:
    headings set across all columns, though their words fill only the first."""
    body = _median([f.size for f in frags])
    out = []
    for f in frags:
        if f.size < SPANNING_RATIO * body:
            continue
        height = f.bottom - f.top
        strip_top = f.top - 0.5 * height
        if not any(
            g is not f and g.bottom > strip_top and g.top < f.bottom
            and not (g.size == f.size and abs(g.words[0].mid - f.words[0].mid) < 0.5 * height)  # the same heading
            for g in frags
        ):
            out.append(f)
    return out


def find_gutter(frags: list[Line]) -> tuple[float, float] | None:
    """The widest x-range in the middle of the region that (almost) no fragment crosses."""
    if len(frags) < 2 * MIN_SIDE_FRAGMENTS:
        return None
    x0 = min(f.x0 for f in frags)
    x1 = max(f.x1 for f in frags)
    width = x1 - x0
    if width <= 0:
        return None
    lo, hi = int(x0 + 0.2 * width), int(x1 - 0.2 * width)
    if hi <= lo:
        return None
    cover = [0] * (hi - lo + 2)
    for f in frags:  # coverage by a difference array: one pass per fragment, one over x
        a, b = max(lo, int(f.x0)), min(hi, int(f.x1))
        if a <= b:
            cover[a - lo] += 1
            cover[b - lo + 1] -= 1
    for i in range(1, len(cover)):
        cover[i] += cover[i - 1]
    cover.pop()
    least = min(cover)
    if least > GUTTER_SHARE * len(frags):
        return None
    best: tuple[int, int] | None = None  # widest run of bins at the minimum
    start = None
    for i, count in enumerate(cover + [least + 1]):
        if count == least and start is None:
            start = i
        elif count != least and start is not None:
            if best is None or i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    if best is None:
        return None
    left_edge, right_edge = lo + best[0], lo + best[1]
    body = _median([f.size for f in frags])
    if right_edge - left_edge < 0.5 * body:
        return None
    left = [f for f in frags if f.x1 <= left_edge]
    right = [f for f in frags if f.x0 >= right_edge]
    if len(left) < MIN_SIDE_FRAGMENTS or len(right) < MIN_SIDE_FRAGMENTS:
        return None
    # both sides must hold text, not a column of numbers beside labels (a contents list)
    for side, edge in ((left, left_edge - x0), (right, x1 - right_edge)):
        if _median([f.x1 - f.x0 for f in side]) < 0.4 * edge:
            return None
    return float(left_edge), float(right_edge)


def merge_rows(frags: list[Line]) -> list[Line]:
    """Fragments of one column, top to bottom; those sharing a row join left to right."""
    lines: list[Line] = []
    for frag in sorted(frags, key=lambda f: (f.top, f.x0)):
        last = lines[-1] if lines else None
        if (
            last is not None
            and not last.kind
            and not frag.kind
            and abs(frag.words[0].mid - last.words[0].mid) <= 0.5 * (last.bottom - last.top)
        ):
            lines[-1] = Line(sorted(last.words + frag.words, key=lambda w: w.x0), last.bullet or frag.bullet)
        else:
            lines.append(frag)
    return lines


def _median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2] if values else 0.0


# 3. lines → blocks ------------------------------------------------------------------


@dataclass
class RawBlock:
    """Lines that belong together, before text joining; ``kind`` as in :class:`Block`."""

    lines: list[Line]
    kind: str = "paragraph"
    page: int = 0

    # Most blocks are one line, or lines of one size, so these take the line's own answer
    # (worked out when it was made) before counting: they are asked for again and again.

    @property
    def size(self) -> float:
        sizes = {line.size for line in self.lines}
        if len(sizes) == 1:
            return self.lines[0].size
        return Counter(line.size for line in self.lines).most_common(1)[0][0]

    @property
    def bold(self) -> bool:
        return self._carries("bold")

    @property
    def italic(self) -> bool:
        return self._carries("italic")

    def _carries(self, style: str) -> bool:
        """Whether the block's words carry ``style`` ("bold" or "italic"), as :func:`_styled` judges."""
        if len(self.lines) == 1:
            return getattr(self.lines[0], style)
        words = [w for line in self.lines for w in line.words]
        return _styled(words, [getattr(w, style) for w in words])


def starts_item(line: Line) -> bool:
    """A list item begins here: a bullet glyph or shape, or an enumerator ("1.", "(a)")."""
    text = line.text
    return line.bullet or bool(BULLET.match(text)) or bool(ENUMERATED.match(text))


def group_blocks(lines: list[Line], body_size: float, page: int) -> list[RawBlock]:
    """Cut ordered lines into blocks at paragraph gaps, style changes and list markers."""
    blocks: list[RawBlock] = []
    for line in lines:
        last = blocks[-1] if blocks else None
        if line.kind == "table_row":
            blocks.append(RawBlock([line], "table_row", page))
            continue
        if last is None or last.kind == "table_row" or _breaks(last, line):
            kind = "list_item" if starts_item(line) else "paragraph"
            blocks.append(RawBlock([line], kind, page))
        else:
            last.lines.append(line)
    out: list[RawBlock] = []
    for block in blocks:
        if block.kind != "table_row" and is_heading_candidate(block, body_size):
            block.kind = "heading"
        out += split_title_stack(block) if block.kind == "heading" else [block]
    return out


def _breaks(block: RawBlock, line: Line) -> bool:
    """Whether ``line`` starts a new block rather than continuing ``block``."""
    prev = block.lines[-1]
    height = prev.bottom - prev.top
    gap = line.top - prev.bottom
    if gap > 0.45 * height or gap < -height:  # a paragraph gap, or a jump to a new column
        return True
    if not same_size(line.size, prev.size):
        return True
    if starts_item(line):
        return True
    hanging = block.kind == "list_item" and line.x0 >= block.lines[0].x0 - 0.5 * line.size
    lead_in = hanging and (prev.text.endswith(("-", "–", "—", ":")) or line.text[:1].islower())
    if all(b.bold for b in block.lines) and not line.words[0].bold and not lead_in:
        return True  # plain text after a bold title line (a bold lead-in runs on)
    if line.bold and not prev.words[-1].bold:
        return True  # a bold title line after plain text
    if block.kind == "list_item" and not hanging:
        return True  # left of the item's first line: a new paragraph after the list
    return False


def same_size(a: float, b: float) -> bool:
    """Sizes a reader would not tell apart (within 4%)."""
    return abs(a - b) <= SAME_SIZE * max(a, b)


def split_title_stack(block: RawBlock) -> list[RawBlock]:
    """A stack of bold lines broken short ("Coventry City Council" / "Minutes of ...") is a
    title with its labels: the longest piece stays the heading candidate."""
    if len(block.lines) < 2:
        return [block]
    right = max(line.x1 for line in block.lines)
    width = right - min(line.x0 for line in block.lines)
    pieces = [RawBlock([block.lines[0]], block.kind, block.page)]
    for prev, line in zip(block.lines, block.lines[1:]):
        if prev.x1 < right - 0.25 * width and not continues(prev.text, line.text):
            pieces.append(RawBlock([line], block.kind, block.page))
        else:
            pieces[-1].lines.append(line)
    if len(pieces) > 1:
        title = max(pieces, key=lambda p: sum(len(line.text) for line in p.lines))
        for piece in pieces:
            if piece is not title:
                piece.kind = "paragraph"
    return pieces


def is_heading_candidate(block: RawBlock, body_size: float) -> bool:
    """Larger than body text, or wholly bold and short; never a callout number."""
    text = " ".join(line.text for line in block.lines)
    words = text.split()
    if not re.search(r"[A-Za-z]", text) or is_callout(text) or len(block.lines) > 4:
        return False
    if len(words) == 1 and re.search(r"https?:|www\.|@|/", text):
        return False  # a link or e-mail address on its own
    if block.size >= body_size * HEADING_RATIO and len(words) <= MAX_HEADING_WORDS:
        return True
    return (
        block.bold
        and len(words) <= MAX_BOLD_HEADING_WORDS
        and not text.rstrip().endswith((".", ",", ";"))
        and text[:1] not in "'\"‘“"
    )
