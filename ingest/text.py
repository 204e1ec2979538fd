"""Plain-text reader: clean paragraphs, or raw text as a PDF tool dumps it.

Two forms reach us as ``.txt``. *Clean* text has one paragraph per line run and blank
lines between them; a short stand-alone line is a heading candidate. *Raw PDF text* has
every line broken at the column width, two columns interleaved, page numbers and chart
labels inline and few blank lines; we detect it by its shape, rejoin sentences into
paragraphs, drop page furniture and keep each block's first source line.
"""
from __future__ import annotations

import re

from council_papers.model import Block

BULLET = re.compile(r"^\s*([•●▪◦‣○■□➢✓\-–*+o])\s+")
ENUMERATOR = re.compile(r"^\s*(\(?[0-9]{1,2}(?:\.[0-9]{1,2})*[.)]?|\(?[a-z]\)|[ivx]{1,4}\))\s+")
CALLOUT = re.compile(r"^[£$€]?\s?\d[\d,.]*\s?(%|[kKmMbB]n?|bn)?\+?$")
SENTENCE_END = re.compile(r"[.!;,]['\"’”)]?$")
CONNECTOR_END = re.compile(
    r"(\b(a|an|and|as|at|by|for|from|in|into|of|on|or|the|to|with|our|their|its|is|are)|[-–—,&/(])$",
    re.IGNORECASE,
)
LETTER = re.compile(r"[A-Za-z]")
NUMBERED_HEADING = re.compile(r"^\d{1,2}(\.\d{1,2})*\.?\s+[A-Z]")
MAX_HEADING_WORDS = 14


def is_callout(text: str) -> bool:
    """A big number printed alone ("10,564", "22.2%", "£3.2m"): never a heading."""
    return bool(CALLOUT.match(text.strip()))


def colon_label_ok(text: str) -> bool:
    """A line ending in ":" is a heading ("Executive Summary:") only in title case, not a
    lead-in ("Katie said:", "RESOLVED that the Board:")."""
    return not text.rstrip().endswith(":") or _all_capitalised(text)


def looks_like_heading(text: str) -> bool:
    """A short stand-alone line that does not end a sentence reads as a heading."""
    text = text.strip()
    words = text.split()
    if not words or len(words) > MAX_HEADING_WORDS or is_callout(text):
        return False
    if not LETTER.search(text) or SENTENCE_END.search(text) or not colon_label_ok(text):
        return False
    if text[0] in "'\"‘“(" or text[0].islower() or too_numeric(text):
        return False
    if text[0].isdigit() and not NUMBERED_HEADING.match(text):
        return False
    return not CONNECTOR_END.search(text)


def too_numeric(text: str) -> bool:
    """Two or more numbers in a short line: a table row or chart data, not a title."""
    return len(re.findall(r"(?<![\w/])[£$]?\d[\d,.]*%?(?![\w/])", text)) >= 2


def continues(line: str, nxt: str) -> bool:
    """Whether ``line`` runs on into ``nxt`` (it ends on a joining word or ``nxt`` starts lower case)."""
    nxt = nxt.strip()
    starts_lower = bool(nxt) and nxt[0].islower() and "@" not in nxt and "://" not in nxt
    return bool(CONNECTOR_END.search(line.strip())) or starts_lower


def join_lines(lines: list[str]) -> str:
    """Join lines broken mid-sentence with single spaces, mending hyphenated words."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out = out[:-1] + line
        else:
            out = f"{out} {line}" if out else line
    return re.sub(r"\s+", " ", out)


def parse_text(text: str) -> list[Block]:
    """Blocks of a plain-text file, choosing the clean or raw-PDF reading by its shape."""
    lines = text.split("\n")
    return parse_raw_pdf_text(lines) if is_raw_pdf_text(lines) else parse_clean_text(lines)


def is_raw_pdf_text(lines: list[str]) -> bool:
    """Raw PDF text: lines broken mid-sentence (the next line often starts in lower case), few long lines."""
    filled = [ln.strip() for ln in lines if ln.strip()]
    if len(filled) < 20:
        return False
    long_lines = sum(len(ln) > 160 for ln in filled) / len(filled)
    run_on = sum(1 for a, b in zip(filled, filled[1:]) if b[0].islower()) / len(filled)
    return run_on >= 0.2 and long_lines < 0.1


def parse_clean_text(lines: list[str]) -> list[Block]:
    """Paragraph = run of lines between blank lines; bullets are list items."""
    blocks: list[Block] = []
    run: list[tuple[int, str]] = []

    def flush() -> None:
        if run:
            blocks.extend(_clean_run(run))
            run.clear()

    for number, line in enumerate(lines, start=1):
        if line.strip():
            run.append((number, line.rstrip()))
        else:
            flush()
    flush()
    return blocks


def _clean_run(run: list[tuple[int, str]]) -> list[Block]:
    """Split one run of non-blank lines into list items, a heading and paragraphs.

    A lone line is a paragraph or a heading; in a run of several lines (a flattened
    table, a list) each line starts a new paragraph unless the one before runs on into it.
    """
    blocks: list[Block] = []
    for number, line in run:
        bullet = BULLET.match(line)
        last = blocks[-1] if blocks else None
        if bullet and not is_callout(line):
            blocks.append(_block(line[bullet.end():], "list_item", number, number, line))
        elif last and last.kind == "list_item" and line.startswith((" ", "\t")):
            _extend(last, line, number)
        elif len(run) == 1 and looks_like_heading(line):
            blocks.append(_block(line, "heading", number, number, line))
        elif last and last.kind == "paragraph" and continues(last.text, line):
            _extend(last, line, number)
        elif len(run) == 1 and (run_in := split_run_in_heading(line.strip())):
            heading, rest = run_in
            blocks.append(Block(text=heading, kind="heading", line=number, line_end=number, raw=line))
            blocks.append(Block(text=rest, kind="paragraph", line=number, line_end=number, raw=line))
        else:
            blocks.append(_block(line, "paragraph", number, number, line))
    return blocks


SENTENCE_OPENERS = {"The", "This", "These", "We", "Our", "In", "A", "An", "It", "They", "There", "As",
                    "At", "For", "Over", "During", "Following", "Since", "Each", "Every"}


def split_run_in_heading(text: str) -> tuple[str, str] | None:
    """A heading run into its paragraph: "Provider forums Provider forums are ..." or
    "Future Developments at the Hub The team at the Hub ..." → (heading, paragraph)."""
    words = text.split()
    for k in range(2, min(9, len(words) // 2 + 1)):
        if [w.lower() for w in words[:k]] == [w.lower() for w in words[k:2 * k]]:
            return " ".join(words[:k]), " ".join(words[k:])
    for j in range(2, min(11, len(words) - 3)):
        prefix, previous = " ".join(words[:j]), words[j - 1]
        if words[j] in SENTENCE_OPENERS and previous[:1].isupper() and previous[-1].isalnum():
            if looks_like_heading(prefix) and _all_capitalised(prefix):
                return prefix, " ".join(words[j:])
            return None
    return None


def _all_capitalised(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’]*", text) if len(w) >= 4]
    return bool(words) and all(w[0].isupper() for w in words)


def _block(text: str, kind: str, line: int, line_end: int, raw: str) -> Block:
    return Block(text=join_lines([text]), kind=kind, line=line, line_end=line_end, raw=raw)


def _extend(block: Block, line: str, number: int) -> None:
    block.text = join_lines([block.text, line])
    block.raw = f"{block.raw}\n{line}"
    block.line_end = number


# --- raw PDF text -----------------------------------------------------------------------

PAGE_NUMBER = re.compile(r"^(page\s+)?(\d{1,3})(\s+of\s+\d{1,3})?$", re.IGNORECASE)
BREAK_END = re.compile(r"[.!?:;]['\"’”)]*$")
QUESTION = re.compile(r"^(what|how|why|who|when|where|which|is|are|do|does|did|can|could|will|would|has|have|should)\b.*\?$",
                      re.IGNORECASE)
MAX_HEADING_LINES = 3
MAX_RAW_HEADING_WORDS = 16
PROSE_LOOKAHEAD = 3
MAX_STACKED_HEADINGS = 2  # a third title-like line in a row is a list, not a heading
PROSE_WORDS = 6


class _Line:
    """One non-blank source line of a raw PDF text, with what the layout says about it."""

    def __init__(self, number: int, raw: str, gap_before: bool):
        self.number = number
        self.raw = raw.rstrip()
        self.text = raw.strip()
        self.indented = raw.startswith((" ", "\t"))
        self.gap_before = gap_before

    def __len__(self) -> int:
        return len(self.text)


def parse_raw_pdf_text(lines: list[str]) -> list[Block]:
    """Rejoin a raw PDF text dump into heading candidates, paragraphs and list items."""
    content = _content_lines(lines)
    position = {id(line): n for n, line in enumerate(content)}
    blocks: list[Block] = []
    for segment, after_colon in _segments(content):
        start, found = 0, 0
        while (start < len(segment) and found < MAX_STACKED_HEADINGS and not after_colon
               and not BULLET.match(segment[start].raw)):
            k = _heading_length(segment[start:])
            if not k:
                break
            set_apart = segment[start].indented or segment[start].text.isupper()
            if not set_apart and not _prose_follows(content, position[id(segment[start + k - 1])]):
                break
            group = segment[start:start + k]
            blocks.append(Block(text=join_lines([ln.text for ln in group]), kind="heading",
                                line=group[0].number, line_end=group[-1].number,
                                raw="\n".join(ln.raw for ln in group)))
            start += k
            found += 1
        if start < len(segment):
            _add_body(blocks, segment[start:], joins_previous=start == 0 and not segment[0].gap_before)
    return blocks


def _prose_follows(content: list[_Line], last: int) -> bool:
    """A heading leads into running text within a few lines; chart labels and legends do not."""
    for line in content[last + 1:last + 1 + PROSE_LOOKAHEAD]:
        if len(line.text.split()) >= PROSE_WORDS:
            return True
    return False


def _content_lines(lines: list[str]) -> list[_Line]:
    """Non-blank lines without page numbers; a blank line counts as a gap unless the text runs on across it."""
    out: list[_Line] = []
    gap = True
    last_page = 0
    for number, raw in enumerate(lines, start=1):
        text = raw.strip().strip("\f")
        page = PAGE_NUMBER.match(text)
        if page and last_page < int(page.group(2)) <= last_page + 10:
            last_page = int(page.group(2))  # page numbers rise through the document
            gap = True
            continue
        if not text:
            gap = True
            continue
        if gap and out and not BREAK_END.search(out[-1].text) and continues(out[-1].text, text):
            gap = False  # a blank line inside a sentence is not a break
        out.append(_Line(number, raw.replace("\f", ""), gap))
        gap = False
    return out


def _segments(lines: list[_Line]):
    """Runs of lines that may open with a heading: cut at gaps, indents, bullets and sentence ends.

    Yields (segment, after_colon); lines after a lead-in ending in ":" are a list, not headings.
    """
    segment: list[_Line] = []
    after_colon = False
    for line in lines:
        previous = segment[-1] if segment else None
        cut = previous is None or line.gap_before or line.indented or BULLET.match(line.raw) or (
            BREAK_END.search(previous.text) and not line.text[:1].islower())
        if cut and segment:
            yield segment, after_colon
            after_colon = (previous.text.endswith(":") or after_colon) and not line.gap_before
            segment = []
        segment.append(line)
    if segment:
        yield segment, after_colon


def _heading_length(segment: list[_Line]) -> int:
    """How many lines (0 to 3) at the start of ``segment`` make a heading."""
    for k in range(1, min(MAX_HEADING_LINES, len(segment)) + 1):
        if _ends_group(segment, k):
            text = join_lines([ln.text for ln in segment[:k]])
            return k if _reads_as_heading(text, segment, k) else 0
    return 0


def _ends_group(segment: list[_Line], k: int) -> bool:
    """Whether a heading of ``k`` lines could end here: the text after it starts afresh."""
    last = segment[k - 1]
    if k == len(segment) or last.text.endswith("?"):
        return True
    nxt = segment[k]
    if continues(last.text, nxt.text):
        return False
    if QUESTION.match(nxt.text) or len(last) < 0.85 * len(nxt):
        return True
    # two short titles in a row ("Mature Partnerships" / "Coventry Dementia Hub")
    return (len(last.text.split()) <= 4 and len(nxt.text.split()) >= 3
            and title_like(last.text) and title_like(nxt.text))


def _reads_as_heading(text: str, segment: list[_Line], k: int) -> bool:
    """A short title: capitalised start, no sentence end, title case or a question or standing alone."""
    words = text.split()
    if len(words) > MAX_RAW_HEADING_WORDS or is_callout(text) or too_numeric(text) or len(LETTER.findall(text)) < 2:
        return False
    if re.search(r"[.,;:]['\"’”]?$", text) and not text.endswith(("…", "….", "...")):
        return False
    first = text.lstrip("'\"‘“")[:1]
    if first.isdigit():
        return bool(NUMBERED_HEADING.match(text))
    if not first.isupper():
        return False
    if len(words) == 1 and not (segment[0].indented or text.isupper()):
        return False  # a lone word is a chart label unless set apart as a heading
    alone = k == len(segment) and len(words) <= 10 and not re.search(r"[\d£$%]", text)
    return segment[0].indented or text.endswith("?") or title_like(text) or alone


def _add_body(blocks: list[Block], lines: list[_Line], joins_previous: bool) -> None:
    """Paragraph or list item lines; they carry on the previous paragraph when nothing broke it."""
    bullet = BULLET.match(lines[0].raw)
    previous = blocks[-1] if blocks else None
    if joins_previous and not bullet and previous is not None and previous.kind in ("paragraph", "list_item"):
        previous.text = join_lines([previous.text] + [ln.text for ln in lines])
        previous.raw = "\n".join([previous.raw] + [ln.raw for ln in lines])
        previous.line_end = lines[-1].number
        return
    texts = [ln.text for ln in lines]
    if bullet:
        texts[0] = lines[0].raw[bullet.end():]
    blocks.append(Block(text=join_lines(texts), kind="list_item" if bullet else "paragraph",
                        line=lines[0].number, line_end=lines[-1].number,
                        raw="\n".join(ln.raw for ln in lines)))


def title_like(text: str) -> bool:
    """Title case or upper case: most words of four letters or more are capitalised."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’]*", text) if len(w) >= 4]
    if not words:
        return bool(re.search(r"[A-Z]", text))
    return sum(w[0].isupper() for w in words) / len(words) >= 0.6
