"""Plain-text reader: clean paragraphs, or raw text as a PDF tool dumps it.

Two forms reach us as ``.txt``. *Clean* text has one paragraph per line run and blank
lines between them; a short stand-alone line is a heading candidate. *Raw PDF text* has
every line broken at the column width, two columns interleaved, page numbers and chart
labels inline and few blank lines; we detect it by its shape, rejoin sentences into
paragraphs, drop page furniture, mend words the PDF's letter spacing broke, and keep each
block's source lines. A raw line is a heading candidate when its layout says so: set
apart (indented as a new text block, or in capitals), or a short title leading into
running text, and not among a chart's labels, a list of names or a glossary's terms.
"""
from __future__ import annotations

import re
from collections import Counter

from council_papers.model import Block

BULLET = re.compile(r"^\s*([•●▪◦‣○■□➢✓\-–*+oz])\s+")  # "o", "z": symbol-font bullets as text
ENUMERATOR = re.compile(r"^\s*(\(?[0-9]{1,2}(?:\.[0-9]{1,2})*[.)]?|\(?[a-z]\)|[ivx]{1,4}\))\s+")
CALLOUT = re.compile(r"^[£$€]?\s?\d[\d,.]*\s?(%|[kKmMbB]n?|bn)?\+?$")
SENTENCE_END = re.compile(r"[.!;,]['\"’”)]?$")
CONNECTOR_END = re.compile(
    r"(\b(a|an|and|as|at|by|for|from|in|into|of|on|or|the|to|with|our|their|its|is|are)|[-–—,&/(])$",
    re.IGNORECASE,
)
LETTER = re.compile(r"[A-Za-z]")
ADDRESS_END = re.compile(r"(://|@|www\.)\S*\s*$")
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
    ends_on_address = bool(ADDRESS_END.search(line))  # "https://example.org/" does not run on
    return (bool(CONNECTOR_END.search(line.strip())) and not ends_on_address) or starts_lower


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
GLOSSARY = re.compile(r"(glossary( of terms)?|jargon buster|definitions|abbreviations|key terms)( continued)?",
                      re.IGNORECASE)
BROKEN_PAIR = re.compile(r"(?<![\w’'-])([A-Za-z]+) ([A-Za-z]+)(?![\w-]|[’'](?!s\b))")  # may stand before "’s"
MAX_HEADING_LINES = 3
MAX_RAW_HEADING_WORDS = 16
MAX_STACKED_HEADINGS = 2  # a third title-like line in a row is a list, not a heading
PROSE_LOOKAHEAD = 3  # a heading may stand over one or two more titles before its text
PROSE_WORDS = 8  # running text: at least this many words before a gap ...
PROSE_LINES = 8  # ... read over at most this many lines
LONG_LINE_WORDS = 10  # a line this long is running text on its own
SENTENCE_WORDS = 4  # ... or a sentence of at least this many words
LABEL_WORDS = 4  # chart labels and legends: lines of a few words
LABEL_RUN = 4  # this many label lines after a title make it a chart caption
WRAP_RATIO = 0.9  # a wrapped title's first line stops this far short of the column's width
WIDTH_LINES = 6  # lines read to measure that width
LEAD_RATIO = 0.75  # a sentence-case heading is clearly shorter than the line of text after it
SPACED_SHARE = 0.1  # share of lines after a blank line when blank lines part the text blocks


class _Line:
    """One non-blank source line of a raw PDF text, with what the layout says about it."""

    def __init__(self, number: int, raw: str, gap_before: bool):
        self.number = number
        self.raw = raw.rstrip()
        self.text = raw.strip()
        self.words = self.text.split()
        self.indented = raw.startswith((" ", "\t"))
        self.gap_before = gap_before

    def __len__(self) -> int:
        return len(self.text)


class _Layout:
    """The content lines of a raw text with what the whole document says about them."""

    def __init__(self, content: list[_Line]):
        self.content = content
        self.position = {id(line): n for n, line in enumerate(content)}
        self.pairs = Counter(pair for line in content for pair in _word_pairs(line.text))
        self.headings: set[int] = set()  # source lines made headings so far
        # blank lines part the text blocks (else a heading has nothing but its words to go by)
        self.spaced = sum(line.gap_before for line in content) >= SPACED_SHARE * len(content)

    def after(self, line: _Line) -> int:
        return self.position[id(line)] + 1

    def is_phrase(self, last: _Line, nxt: _Line) -> bool:
        """Whether the words either side of a line break stand together, as written, on one
        line elsewhere ("... Mental" / "Health Services": "Mental Health" is a phrase of this document)."""
        return (_bare(last.words[-1]), _bare(nxt.words[0])) in self.pairs

    def prose_at(self, i: int) -> bool:
        """Running text starts at ``content[i]``: a long line, or lines that make a sentence or
        run on into each other; chart labels, lists and name lists break at every line."""
        if i >= len(self.content) or is_callout(self.content[i].text):
            return False
        run = [self.content[i]]
        for line in self.content[i + 1:i + PROSE_LINES]:
            if (line.gap_before or is_callout(line.text) or BREAK_END.search(run[-1].text)
                    or sum(len(ln.words) for ln in run) >= PROSE_WORDS):
                break
            run.append(line)
        if len(run[0].words) >= LONG_LINE_WORDS:
            return True
        words = sum(len(line.words) for line in run)
        if BREAK_END.search(run[-1].text):
            return words >= SENTENCE_WORDS  # "Our aims were to:"
        soft = sum(continues(a.text, b.text) for a, b in zip(run, run[1:]))
        return words >= PROSE_WORDS and 2 * soft >= len(run) - 1

    def breaks_short(self, line: _Line) -> bool:
        """The line breaks well before the width of the lines after it: a title wrapped in a
        larger font, not a sentence wrapped at the column's edge."""
        after = self.content[self.after(line):self.after(line) + WIDTH_LINES]
        return bool(after) and len(line) < WRAP_RATIO * max(len(ln) for ln in after)

    def prose_follows(self, i: int) -> bool:
        """A heading leads into running text, perhaps under one or two more titles, within
        its own text block (a line set apart by indent starts another)."""
        for j in range(i, min(i + PROSE_LOOKAHEAD, len(self.content))):
            if BULLET.match(self.content[j].raw):
                return True
            if self.content[j].indented and j > i:
                return False
            if self.prose_at(j):
                return True
        return False

    def labels_follow(self, i: int) -> bool:
        """The next lines are fragments of a few words with no text among them: a chart's labels."""
        lines = self.content[i:i + LABEL_RUN]
        return len(lines) == LABEL_RUN and all(
            len(line.words) <= LABEL_WORDS and not BULLET.match(line.raw) and not self.prose_at(i + n)
            for n, line in enumerate(lines))

    def labels_before(self, i: int) -> bool:
        """Fragments of a few words stand just before ``content[i]`` ("Yes" / "No" / "Not
        sure"), the nearer one alone: it is one more chart label."""
        if i < 2 or not self.is_label(i - 1):
            return False
        line = self.content[i - 2]  # may run on into the label below it ("Did not" / "answer")
        return len(line.words) < LABEL_WORDS and not BREAK_END.search(line.text) and line.number not in self.headings

    def is_label(self, i: int) -> bool:
        """A fragment of a few words that runs on neither from the line before nor into the next."""
        line = self.content[i]
        neighbours = self.content[max(0, i - 1):i + 2]
        return (len(line.words) < LABEL_WORDS and not BREAK_END.search(line.text) and line.number not in self.headings
                and not any(continues(a.text, b.text) for a, b in zip(neighbours, neighbours[1:])))


def _bare(word: str) -> str:
    return word.strip(".,;:!?'\"‘’“”()[]")


def _word_pairs(text: str) -> list[tuple[str, str]]:
    words = [_bare(w) for w in text.split()]
    return list(zip(words, words[1:]))


def parse_raw_pdf_text(lines: list[str]) -> list[Block]:
    """Rejoin a raw PDF text dump into heading candidates, paragraphs and list items.

    Under a glossary heading the terms are not headings, up to the next line set apart.
    Each block's ``raw`` is its span of source lines, so a position in it maps to a line.
    """
    layout = _Layout(_content_lines(lines))
    blocks: list[Block] = []
    in_glossary = False
    for segment, after_colon in _segments(layout.content):
        in_glossary = in_glossary and not segment[0].indented
        start = 0 if after_colon or in_glossary else _add_headings(blocks, segment, layout)
        if start and GLOSSARY.fullmatch(blocks[-1].text):
            in_glossary = True
        if start < len(segment):
            _add_body(blocks, segment[start:], joins_previous=start == 0 and not segment[0].gap_before)
    numbers = {line.number for line in layout.content}
    for block in blocks:
        block.raw = _source_span(lines, block.line, block.line_end, numbers)
    mend_broken_words(blocks, layout.content)
    return blocks


def _add_headings(blocks: list[Block], segment: list[_Line], layout: _Layout) -> int:
    """Add the headings that open ``segment`` (at most two stacked); return how many lines they take."""
    start = 0
    for _ in range(MAX_STACKED_HEADINGS):
        if start >= len(segment) or BULLET.match(segment[start].raw):
            break
        k = _heading_length(segment[start:], layout)
        if not k or not _stands_as_heading(segment[start:start + k], layout):
            break
        if start == 0 and layout.spaced and not _set_apart(segment[0]) and not segment[0].gap_before \
                and k < len(segment) and not segment[k - 1].text.endswith("?"):
            break  # straight after a sentence, with text running on below: a sentence's opening words
        group = segment[start:start + k]
        blocks.append(Block(text=join_lines([ln.text for ln in group]), kind="heading",
                            line=group[0].number, line_end=group[-1].number))
        layout.headings.update(ln.number for ln in group)
        start += k
    return start


def _stands_as_heading(group: list[_Line], layout: _Layout) -> bool:
    """A title leads into text; a chart's title, labels and legend stand among more labels.

    A line set apart (indented as a new text block, or in capitals) is a heading unless
    labels stand both before and after it; any other needs running text within a few lines
    and no labels just before it.
    """
    first, after = layout.position[id(group[0])], layout.after(group[-1])
    if after < len(layout.content) and layout.content[after].text.startswith(("–", "—")):
        return False  # a run-in label: "Night Team" / "– From 10pm the team ..."
    if _set_apart(group[0]):
        return not (layout.labels_before(first) and layout.labels_follow(after))
    return not layout.labels_before(first) and layout.prose_follows(after)


def _set_apart(line: _Line) -> bool:
    """Indented as the first line of a new text block, or set in capitals."""
    return line.indented or line.text.isupper()


def _source_span(lines: list[str], first: int, last: int, content: set[int]) -> str:
    """The block's source lines as they stand, blank lines kept and dropped page numbers
    blanked, so that a position in ``raw`` falls on the same source line as in the file."""
    return "\n".join(lines[n - 1].replace("\f", "").rstrip() if n in content else ""
                     for n in range(first, last + 1))


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


def _heading_length(segment: list[_Line], layout: _Layout) -> int:
    """How many lines (0 to 3) at the start of ``segment`` make a heading."""
    for k in range(1, min(MAX_HEADING_LINES, len(segment)) + 1):
        if _ends_group(segment, k, layout):
            text = join_lines([ln.text for ln in segment[:k]])
            return k if _reads_as_heading(text, segment, k, layout) else 0
    return 0


def _ends_group(segment: list[_Line], k: int, layout: _Layout) -> bool:
    """Whether a heading of ``k`` lines could end here: the text after it starts afresh."""
    last = segment[k - 1]
    if k == len(segment) or last.text.endswith("?"):
        return True
    nxt = segment[k]
    if continues(last.text, nxt.text) or last.text.count("(") > last.text.count(")"):
        return False
    if QUESTION.match(_run_on(segment[k:])):
        return True
    if len(last) < 0.85 * len(nxt):
        return not layout.is_phrase(last, nxt)
    if _set_apart(segment[0]) and layout.prose_at(layout.after(last)):
        return not layout.is_phrase(last, nxt)  # a title set apart, then a narrow column of text
    # two titles in a row ("Working Together" / "The Memory Cafe Network"), unless the
    # break falls inside a phrase of the document ("Support for Mental" / "Health Services")
    return (len(nxt.words) >= 3 and title_like(last.text) and title_like(nxt.text)
            and not re.search(r"[,;]$", nxt.text) and not layout.is_phrase(last, nxt))


def _run_on(lines: list[_Line]) -> str:
    """The text of ``lines[0]`` and the lines it runs on into."""
    end = 1
    while end < len(lines) and continues(lines[end - 1].text, lines[end].text):
        end += 1
    return join_lines([ln.text for ln in lines[:end]])


def _reads_as_heading(text: str, segment: list[_Line], k: int, layout: _Layout) -> bool:
    """A short title: capitalised start, no sentence end, and title case, a question, a
    line standing alone, or a short line leading into a longer line of text."""
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
    leads = k < len(segment) and max(len(ln) for ln in segment[:k]) <= LEAD_RATIO * len(segment[k])
    if len(words) == 1 and not (segment[0].indented or text.isupper() or leads):
        return False  # a lone word is a chart label unless set apart or leading into text
    alone = (k == len(segment) and len(words) <= 10 and not re.search(r"[\d£$%]", text)
             and (k == 1 or title_like(text) or layout.breaks_short(segment[0])))
    return segment[0].indented or text.endswith("?") or title_like(text) or alone or leads


def _add_body(blocks: list[Block], lines: list[_Line], joins_previous: bool) -> None:
    """Paragraph or list item lines; they carry on the previous paragraph when nothing broke it."""
    bullet = BULLET.match(lines[0].raw)
    previous = blocks[-1] if blocks else None
    if joins_previous and not bullet and previous is not None and previous.kind in ("paragraph", "list_item"):
        previous.text = join_lines([previous.text] + [ln.text for ln in lines])
        previous.line_end = lines[-1].number
        return
    texts = [ln.text for ln in lines]
    if bullet:
        texts[0] = lines[0].raw[bullet.end():]
    blocks.append(Block(text=join_lines(texts), kind="list_item" if bullet else "paragraph",
                        line=lines[0].number, line_end=lines[-1].number))


def mend_broken_words(blocks: list[Block], content: list[_Line]) -> None:
    """Rejoin words a PDF's letter spacing broke apart ("Serv ices", "budg et", "N HS").

    Two neighbouring pieces are one word when the joined form stands unbroken elsewhere in
    the document and neither piece stands anywhere but next to the other: no dictionary
    needed, and real word pairs ("home care", "thank you") are left as they are.
    """
    tokens = [w for line in content for w in re.findall(r"[A-Za-z]+", line.text)]
    counts = Counter(tokens)
    pairs = Counter(zip(tokens, tokens[1:]))

    def mend(match: re.Match) -> str:
        a, b = match.group(1), match.group(2)
        joined = a + b
        if not (b[0].islower() or (a.isupper() and b.isupper())) or counts[joined] == 0:
            return match.group(0)
        only_here = counts[a] == pairs[(a, b)] == counts[b]
        return joined if only_here else match.group(0)

    for block in blocks:
        block.text = BROKEN_PAIR.sub(mend, block.text)


def title_like(text: str) -> bool:
    """Title case or upper case: most words of four letters or more are capitalised."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’]*", text) if len(w) >= 4]
    if not words:
        return bool(re.search(r"[A-Z]", text))
    return sum(w[0].isupper() for w in words) / len(words) >= 0.6
