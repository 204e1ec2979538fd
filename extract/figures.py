"""Statistics: every number that states a quantity, with what it measures, where and when.

:mod:`.numbers` finds candidate numbers in a block's text; this module reads each one in
its sentence (spaCy parse, noun chunks, place entities) to decide whether it is a
statistic and to give it a unit, label, period and place. Three layouts are read:
prose sentences, callouts (a big number alone in its block, its caption in the next
block) and table rows (one figure per numeric cell, labelled by row and column header).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from council_papers.extract.pipe import pipe
from council_papers.model import Block, DocumentPart, Figure, Section

from .numbers import DURATION_UNITS, MONTH, Mention, duration_unit, find_mentions, is_timeframe, search_before

# Nouns that count people: figures of them take the unit "people".
PEOPLE_NOUNS = set(
    "people person persons resident residents adult adults carer carers staff student students "
    "attendee attendees apprentice apprentices patient patients volunteer volunteers child children "
    "inpatient inpatients seeker seekers practitioner practitioners professional professionals "
    "subscriber subscribers individual individuals user users client clients citizen citizens "
    "worker workers employee employees man men woman women learner learners participant participants "
    "member members leaver leavers starter starters recruit recruits nurse nurses officer officers "
    "visitor visitors population family families household households friend friends "
    "graduate graduates trainee trainees manager managers assessor assessors therapist therapists "
    "young older them they".split()
)
# Things counted that the gold keeps as their own unit.
OWN_UNITS = {"bed": "beds", "beds": "beds", "unit": "units", "units": "units", "post": "posts",
             "posts": "posts", "job": "jobs", "jobs": "jobs", "ward": "wards", "wards": "wards",
             "councillor": "councillors", "councillors": "councillors"}
# "one" is a statistic only before a counted thing, not in "one thing", "one of", "one example".
ONE_STOP_NOUNS = set("thing things way ways example examples another time times point place side "
                     "hand day stop off".split())
# Numbers of these describe the document or a plan's shape ("four themes"), not the service.
STRUCTURE_NOUNS = set("theme themes statement statements pathway pathways area areas priority priorities "
                      "level levels model option options initiative initiatives principle principles step "
                      "steps stage stages quadrant quadrants part parts section sections element elements "
                      "strand strands pillar pillars objective objectives ambition ambitions outcome "
                      "outcomes question questions domain domains chapter chapters".split())
# Verbs whose bare-number subject or object is people ("21,600 are employed", "supported 221").
PEOPLE_VERBS = set("live commute employ attend work support help reach assist identify transition "
                   "visit volunteer".split())
# Labels that only point back at the measure just named ("the region average of 26.7%").
# Prepositions before a number that state the earlier value of the measure just named ("up from 3,980").
COMPARED_FROM = ("from", "than", "with", "to")
# "Of the people who left reablement, 81.5% ...": prepositions naming the group a share is taken from.
GROUP_PREPS = ("of", "among", "amongst")
# Units of time and distance: numbers counting them define a measure ("within 28 days") and stay in labels.
SPAN_UNITS = set(DURATION_UNITS) | set("mile miles km kilometre kilometres metre metres".split())
GENERIC_LABELS = set("average region regional national nationally england rate figure total "
                     "comparator comparators year last previous this that it same".split())
ENGLISH_REGIONS = ["North East", "North West", "Yorkshire and the Humber", "East Midlands",
                   "West Midlands", "East of England", "London", "South East", "South West"]
NATIONAL_WORDS = re.compile(r"\b(?:England|national(?:ly)?|country)\b")
REGION_WORDS = re.compile(r"\b(?:region(?:al|ally)?)\b")
UK_WORDS = re.compile(r"\b(?:United Kingdom|UK|Britain|GB)\b")
COMPARATOR_WORDS = re.compile(r"\b(?:comparators?|statistical neighbours?|similar (?:councils|authorities))\b", re.I)
BOTH_PLACES = re.compile(r"\bregion(?:al)?\s+and\s+national\b|\bnational\s+and\s+region(?:al)?\b", re.I)
LAST_YEAR = re.compile(r"\b(?:last|previous|preceding|prior)\s+year'?s?\b", re.I)
PERIOD_RE = re.compile(
    r"(?P<fy>\b(?:19|20)\d\d\s?/\s?(?:(?:19|20)\d\d|\d\d)\b)"
    r"|(?P<short_fy>(?<![\d/])\d\d/\d\d(?![\d/]))"
    r"|(?P<range>\b(?:19|20)\d\d\s?[-–]\s?(?:(?:19|20)\d\d|\d\d)\b)"
    rf"|(?P<date>\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{MONTH}\s+(?:19|20)\d\d"
    rf"(?:\s?[-–]\s?{MONTH}\s+(?:19|20)\d\d)?)"
    r"|(?P<mid>\b(?:mid|early|late|end)-(?:19|20)\d\d\b)"
    r"|(?P<year>(?<![\d/£,.])\b(?:19|20)\d\d\b(?![\d/%,]|\.\d))",
    re.I,
)
QUOTED = re.compile(r"[“\"]([^”\"]{25,})[”\"]")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9£“\"‘(])|\n")
SELECTION_AFTER = re.compile(r"\s+(?:most|least|biggest|largest|smallest|top)\b")
THE_BEFORE = re.compile(r"\bthe\s+$", re.I)
HYPHEN_AFTER = re.compile(r"\s?-")
TIMES_AFTER = re.compile(r"\s+times\b")
RATE = re.compile(r"\brates?\b|\bper\s+\d", re.I)
REGION_NAMES = [(region, re.compile(rf"\b{region}\b")) for region in ENGLISH_REGIONS]
# A bibliography entry: its numbers are volumes, pages and years of other works.
CITATION = re.compile(r"\bet al\b.*\(\s*(?:19|20)\d\d[a-z]?\s*\)|\(\s*(?:19|20)\d\d[a-z]?\s*\)\.?.*\b(?:Vol\.|pp\.|Journal|doi)", re.I)
MAX_CONTEXT = 200
# Blocks are parsed a sentence at a time, and only the sentences that hold a number: the rest
# need no parse (about 40% of the text), and spaCy refuses texts over nlp.max_length. Text running
# MAX_RUN characters with no sentence end is cut at a space, so that no parse tree, nor any walk
# over one, grows with the length of the block.
MAX_RUN = 2_000
MAX_PARSED = 1_000_000  # characters of one block to parse: about half a minute of spaCy


@dataclass
class _Found:
    """A mention accepted as a figure, before it becomes a :class:`Figure`."""

    mention: Mention
    unit: str
    label: str
    sentence: tuple[int, int]


def council_place(council: str | None) -> str | None:
    """``Coventry City Council`` → ``Coventry``: the default place of a council's figures."""
    if not council:
        return None
    place = re.sub(r"\b(?:City|County|Borough|District|Metropolitan|Council|of|London Borough of)\b", " ", council)
    place = re.sub(r"\s+", " ", place).strip()
    return place or None


def document_region(part: DocumentPart) -> str | None:
    """The English region the document names most: what "the region" means in it."""
    text = " ".join(b.text for b in part.blocks)
    counts = {region: len(rx.findall(text)) if region in text else 0 for region, rx in REGION_NAMES}
    best = max(counts, key=counts.get)
    return best if counts[best] else None


def previous_period(period: str | None) -> str | None:
    """``2020/21`` → ``2019/20``; the period "last year" means in a report for ``period``."""
    m = re.fullmatch(r"((?:19|20)\d\d)\s?/\s?(\d\d|\d{4})", period or "")
    if not m:
        return None
    start = int(m.group(1)) - 1
    end = str(start + 1)
    return f"{start}/{end[-2:] if len(m.group(2)) == 2 else end}"


def normalise_period(text: str) -> str:
    """Tidy a period as written: ``2024/ 25`` → ``2024/25``, ``19/20`` → ``2019/20``."""
    text = re.sub(r"\s*/\s*", "/", text.strip())
    if re.fullmatch(r"\d\d/\d\d", text):
        return f"20{text}"
    return text


def extract_figures(part: DocumentPart, sections: list[Section], nlp) -> list[Figure]:
    """All statistics in ``part``: prose, callouts and table cells, in reading order.

    Each block's numbers are found once and its sentences with numbers parsed once;
    every figure then looks up what it needs in them, so the time taken grows with the length
    of the text, not with its square.
    """
    section_of = {id(b): i for i, s in enumerate(sections) for b in s.blocks}
    reader = _Reader(part)
    figures: list[Figure] = []
    candidates = [(i, b, reader.mentions(b.text)) for i, b in enumerate(part.blocks)
                  if b.text and b.kind != "quote" and not CITATION.search(b.text)]
    candidates = [(i, b, ms) for i, b, ms in candidates if ms]
    ner = nlp.get_pipe("ner") if "ner" in nlp.pipe_names else None
    parses = _parse_blocks(nlp, ner, [(b, ms) for _, b, ms in candidates])
    read = []
    for (i, block, mentions), parse in zip(candidates, parses):
        here = _BlockText(block, mentions, parse)
        read.append((here, reader.table_cells(i, here) if block.kind == "table_row" else reader.prose(i, here)))
    if ner:
        _recognise_places(ner, [(here.parse, a, b) for here, found in read for f in found
                                for a, b in reader.place_windows(here, f)])
    for here, found in read:
        for f in found:
            figures.extend(reader.figures(here, f, section_of.get(id(here.block))))
    return figures


def _piece_starts(text: str) -> list[int]:
    """Where the pieces of ``text`` given to spaCy start: after each sentence end, and at a space
    in any run of over ``MAX_RUN`` characters with no sentence end."""
    starts = [0]
    for end in [m.end() for m in SENTENCE_BREAK.finditer(text)] + [len(text)]:
        while end - starts[-1] > MAX_RUN:
            space = text.rfind(" ", starts[-1] + 1, starts[-1] + MAX_RUN)
            starts.append(space if space > starts[-1] else starts[-1] + MAX_RUN)
        if starts[-1] < end < len(text):
            starts.append(end)
    return starts


def _parse_blocks(nlp, ner, blocks: list[tuple[Block, list[Mention]]]) -> Iterator[_Parse]:
    """The parse of each block with numbers: its pieces that hold a number, all given to one
    ``nlp.pipe`` without the entity recogniser ``ner``; a piece without numbers is not parsed
    (its doc is None).

    Raises ValueError for a block with more text to parse than ``MAX_PARSED`` (a file
    without line breaks), rather than spend many minutes on it.
    """
    cuts = []
    for block, mentions in blocks:
        starts = _piece_starts(block.text)
        ends = starts[1:] + [len(block.text)]
        numbered = {bisect_right(starts, m.start) - 1 for m in mentions}
        pieces = [(a, b, k in numbered) for k, (a, b) in enumerate(zip(starts, ends))]
        parsed = sum(b - a for a, b, numbered in pieces if numbered)
        if parsed > MAX_PARSED:
            where = f"line {block.line}" if block.line is not None else f"page {block.page}"
            raise ValueError(f"{where}: one paragraph holds {parsed:,} characters of text with numbers, "
                             f"more than the {MAX_PARSED:,} read for figures; does the file lack line breaks?")
        cuts.append(pieces)
    docs = pipe(nlp, (block.text[a:b] for (block, _), pieces in zip(blocks, cuts)
                       for a, b, numbered in pieces if numbered), skip=["ner"] if ner else [])
    for (block, _), pieces in zip(blocks, cuts):
        yield _Parse([a for a, _, _ in pieces], [next(docs) if numbered else None for _, _, numbered in pieces],
                     len(block.text), ner)


def _recognise_places(ner, stretches: list[tuple[_Parse, int, int]]) -> None:
    """Run the entity recogniser ``ner``, in one batch, on the pieces that :meth:`_Parse.places`
    will read for the given stretches (parse, start, end) of text: those where the stretch holds
    a proper noun. Pieces with a proper noun only outside the stretches are left alone, as the
    recogniser costs as much as the rest of the parse."""
    wanted = {}
    for parse, a, b in stretches:
        for k, _, doc in parse.named_pieces(a, b):
            if k not in parse.recognised:
                parse.recognised.add(k)
                wanted[id(doc)] = doc
    list(ner.pipe(wanted.values()))  # sets each doc's entities


@dataclass
class _Parse:
    """A block's parse: one spaCy doc per piece (None for a piece without numbers), ``starts``
    their offsets in the block's text.

    The entity recogniser, as costly as the rest of the parse, is left out of it and run only
    on pieces where a figure's place is sought among proper nouns (see :meth:`places`).
    """

    starts: list[int]
    docs: list
    length: int
    ner: Callable | None = None
    recognised: set[int] = field(default_factory=set)  # pieces the recogniser has read

    def piece(self, start: int) -> tuple[int, int, int]:
        """The piece holding the block's character ``start``: its index, start and end."""
        k = bisect_right(self.starts, start) - 1
        return k, self.starts[k], self.starts[k + 1] if k + 1 < len(self.starts) else self.length

    def span(self, start: int, end: int):
        """The tokens of the block's characters [start, end) and the offset of their piece."""
        k, offset, piece_end = self.piece(start)
        return self.docs[k].char_span(start - offset, min(end, piece_end) - offset, alignment_mode="expand"), offset

    def named_pieces(self, a: int, b: int) -> list[tuple[int, int, object]]:
        """The pieces (index, offset, doc) whose part of characters [a, b) holds a proper noun."""
        out = []
        k, offset, piece_end = self.piece(a)
        while offset < b:
            doc = self.docs[k]
            window = doc.char_span(max(a, offset) - offset, min(b, piece_end) - offset,
                                   alignment_mode="contract") if doc else None
            if window is not None and any(t.pos_ == "PROPN" for t in window):
                out.append((k, offset, doc))
            if piece_end >= self.length:
                break
            k, offset, piece_end = self.piece(piece_end)
        return out

    def places(self, a: int, b: int) -> list[tuple[int, str]]:
        """The places (GPE and LOC entities) wholly inside characters [a, b), as (start, name),
        from the pieces where the stretch holds a proper noun."""
        if not self.ner:
            return []
        out = []
        for k, offset, doc in self.named_pieces(a, b):
            if k not in self.recognised:
                self.ner(doc)
                self.recognised.add(k)
            out += [(offset + e.start_char, e.text) for e in doc.ents
                    if e.label_ in ("GPE", "LOC") and a <= offset + e.start_char and offset + e.end_char <= b]
        return out


@dataclass
class _BlockText:
    """A block being read for figures, with its numbers and parse, and indexes over them."""

    block: Block
    mentions: list[Mention]
    parse: _Parse
    starts: list[int] = field(init=False)
    _periods: list[re.Match] | None = None
    _period_ends: list[int] = field(default_factory=list)
    _newlines: list[int] | None = None
    _occurrences: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)

    def __post_init__(self):
        self.starts = [m.start for m in self.mentions]

    @property
    def text(self) -> str:
        return self.block.text

    def numbers_in(self, a: int, b: int) -> list[Mention]:
        """The numbers that start in characters [a, b)."""
        return self.mentions[bisect_left(self.starts, a): bisect_left(self.starts, b)]

    def between(self, m: Mention, s0: int, s1: int) -> tuple[int, int]:
        """The stretch around ``m`` up to its neighbouring numbers in its sentence [s0, s1)."""
        k = bisect_left(self.starts, m.start)
        before = self.mentions[k - 1] if k else None
        after = self.mentions[k + 1] if k + 1 < len(self.mentions) else None
        before_start = before.end if before and before.start >= s0 and before.end <= m.start else s0
        after_end = after.start if after and after.end <= s1 else s1
        return before_start, after_end

    def last_period(self, a: int, b: int) -> str | None:
        """The last period (year, financial year, date) written wholly in characters [a, b)."""
        if self._periods is None:
            self._periods = list(PERIOD_RE.finditer(self.text))
            self._period_ends = [p.end() for p in self._periods]
        k = bisect_right(self._period_ends, b) - 1
        return self._periods[k].group() if k >= 0 and self._periods[k].start() >= a else None

    def line_of(self, m: Mention) -> int | None:
        """The source line of a figure: the block's first line plus the line breaks in ``raw``
        before the same number written as often before it as in ``text``."""
        block = self.block
        if block.line is None or not block.raw:
            return block.line
        if self._newlines is None:
            self._newlines = [x.start() for x in re.finditer("\n", block.raw)]
        if not self._newlines:
            return block.line
        if m.value_text not in self._occurrences:
            self._occurrences[m.value_text] = (_ends(self.text, m.value_text), _starts(block.raw, m.value_text))
        text_ends, raw_starts = self._occurrences[m.value_text]
        nth = bisect_right(text_ends, m.start)
        if nth >= len(raw_starts):
            return block.line
        row = bisect_left(self._newlines, raw_starts[nth])
        rows = len(self._newlines)
        span = (block.line_end or block.line) - block.line
        if span > rows:  # the reader left blank lines out of raw: spread rows over the span
            return block.line + round(row * span / rows)
        return block.line + row


def _ends(text: str, word: str) -> list[int]:
    """Where the occurrences of ``word`` in ``text`` end, counted as ``str.count`` does."""
    out, pos = [], text.find(word)
    while pos >= 0:
        out.append(pos + len(word))
        pos = text.find(word, pos + len(word))
    return out


def _starts(text: str, word: str) -> list[int]:
    """Where ``word`` starts in ``text``, overlapping occurrences included."""
    out, pos = [], text.find(word)
    while pos >= 0:
        out.append(pos)
        pos = text.find(word, pos + 1)
    return out


class _Reader:
    """Reads the figures of one document; holds what the whole document tells (period, places)."""

    def __init__(self, part: DocumentPart):
        self.part = part
        self.period = part.meta.period
        self.home = council_place(part.meta.council)
        self.region = document_region(part)
        self._mentions: dict[str, list[Mention]] = {}

    def mentions(self, text: str) -> list[Mention]:
        """The numbers in ``text``, found once per document (callouts and tables look back and ahead)."""
        if text not in self._mentions:
            self._mentions[text] = find_mentions(text)
        return self._mentions[text]

    # --- prose and callouts ---------------------------------------------------------------

    def prose(self, index: int, here: _BlockText) -> list[_Found]:
        text = here.text
        quoted = [m.span() for m in QUOTED.finditer(text)]
        quoted_starts = [a for a, _ in quoted]
        callout = _is_callout(text, here.mentions)
        caption = self._caption(index) if callout else None
        found: list[_Found] = []
        by_sentence: dict[tuple[int, int], list[_Found]] = {}
        seen_values: set[float] = set()
        for mention in here.mentions:
            k = bisect_right(quoted_starts, mention.start) - 1
            if k >= 0 and mention.start < quoted[k][1]:
                continue
            span, offset = here.parse.span(mention.start, mention.end)
            if span is None:
                continue
            sent = span.sent
            anchor = _number_token(span)
            if _is_repeat(text, mention, seen_values):
                continue
            sentence = (offset + sent.start_char, offset + sent.end_char)
            same_sentence = by_sentence.setdefault(sentence, [])
            unit = self._unit(text, mention, anchor, sent, caption, same_sentence)
            if unit is None:
                continue
            seen_values.add(mention.value)
            label, generic = (caption, False) if caption else _label(mention, span, sent)
            if (generic or _is_generic(label)) and same_sentence:  # the measure last named, in this unit if any
                label = next((f.label for f in reversed(same_sentence) if f.unit == unit), same_sentence[-1].label)
            same_sentence.append(_Found(mention, unit, label, sentence))
            found.append(same_sentence[-1])
        return found

    def _caption(self, index: int) -> str | None:
        """The words under a callout number: the next non-number block(s), shortened."""
        for block in self.part.blocks[index + 1: index + 3]:
            text = re.sub(r"\[[^\]]*\]", "", block.text).strip()
            mentions = self.mentions(text)
            if text and not _is_callout(text, mentions):
                words = text[: mentions[0].start] if mentions and mentions[0].start > 10 else text
                return _shorten(words, 12)
        return None

    def _unit(self, text: str, mention: Mention, anchor, sent, caption: str | None,
              same_sentence: list[_Found]) -> str | None:
        """The unit of a figure, or None when the number is not a statistic."""
        if mention.kind == "ordinal":
            return "rank" if _is_rank(anchor) else None
        if SELECTION_AFTER.match(text, mention.end) and search_before(THE_BEFORE, text, mention.start):
            return None  # "the three most popular languages": a selection, not a count
        if mention.unit:
            return mention.unit
        duration = duration_unit(text, mention.end)
        if duration:
            hyphenated = bool(HYPHEN_AFTER.match(text, mention.end))
            if hyphenated and mention.kind == "word":
                return None  # a five-year plan
            if is_timeframe(text, mention.start, mention.end) and not hyphenated:
                return None
            return duration
        after = text[mention.end:mention.end + 12].lower()
        if TIMES_AFTER.match(after):
            return "times"
        noun = _counted_noun(anchor)
        if noun is None and RATE.search(sent.text):
            return "rate"
        if noun is not None and noun.lower_ in STRUCTURE_NOUNS:
            return None
        if mention.kind == "word":
            if noun is None and anchor.dep_ not in ("nsubj", "conj", "dobj", "attr", "appos", "advmod"):
                return None
            if mention.value == 1 and (noun is None or noun.i != _next_word(anchor).i
                                       or noun.lower_ in ONE_STOP_NOUNS):
                return None
            if anchor.i + 1 < len(anchor.doc) and anchor.doc[anchor.i + 1].lower_ == "of":
                return None
        if noun is None and caption:
            words = caption.lower().split()
            noun_text = next((w for w in words if w in PEOPLE_NOUNS or w in OWN_UNITS), None)
            return _unit_for_noun(noun_text) if noun_text else "count"
        if noun is None:
            if anchor.head.lemma_ in PEOPLE_VERBS and anchor.dep_ in ("nsubj", "nsubjpass", "dobj"):
                return "people"
            earlier = [f.unit for f in same_sentence if f.unit not in ("%", "£", "£m", "£bn", "£k", "rank", "1 in")]
            if earlier:
                return earlier[-1]
        return _unit_for_noun(noun.lower_ if noun is not None else None)

    # --- tables ---------------------------------------------------------------------------

    def table_cells(self, index: int, here: _BlockText) -> list[_Found]:
        """One figure per numeric cell, labelled ``row header – column header``."""
        cells = _cells(here.text)
        if len(cells) < 2 or self._is_contents_row(index, cells):
            return []
        header = self._header_cells(index)
        found = []
        offset = 0
        for col, cell in enumerate(cells):
            start = here.text.find(cell, offset)
            offset = start + len(cell)
            if col == 0:
                continue
            for mention in here.numbers_in(start, start + len(cell)):
                if mention.kind not in ("word", "ordinal") and len(cell) <= 40:
                    column = header[col] if header and col < len(header) else ""
                    label = " – ".join(x for x in (_shorten(cells[0], 10), _shorten(column, 8)) if x)
                    unit = mention.unit or _unit_for_noun(
                        next((w for w in column.lower().split() if w in PEOPLE_NOUNS or w in OWN_UNITS), None))
                    found.append(_Found(mention, unit, label, (0, len(here.text))))
        return found

    def _is_contents_row(self, index: int, cells: list[str]) -> bool:
        """A table of contents: two-cell rows ending in page numbers that never go down."""
        def page(i):
            if not 0 <= i < len(self.part.blocks) or self.part.blocks[i].kind != "table_row":
                return None
            c = _cells(self.part.blocks[i].text)
            return int(c[-1]) if len(c) == 2 and c[-1].isdecimal() else None  # not "²"
        here = page(index)
        if here is None:
            return False
        before, after = page(index - 1), page(index + 1)
        return (before is not None and before <= here) or (after is not None and here <= after)

    def _header_cells(self, index: int) -> list[str] | None:
        """The nearest table row above without numbers: the column headers."""
        for block in reversed(self.part.blocks[max(0, index - 40): index]):
            if block.kind != "table_row":
                return None
            cells = _cells(block.text)
            if not any(self.mentions(c) for c in cells[1:]):
                return cells
        return None

    # --- the row --------------------------------------------------------------------------

    def figures(self, here: _BlockText, found: _Found, section: int | None) -> list[Figure]:
        """The figure's row; two rows when one number is stated for two places ("the region and
        national average of 40")."""
        m = found.mention
        text = here.text
        s0, s1 = found.sentence
        before_start, after_end = here.between(m, s0, s1)
        place = self._place(here, self._place_windows(m, before_start, after_end))
        places = [place]
        if place == "England" and BOTH_PLACES.search(text[max(s0, m.start - 60): m.start]):
            places = [self.region or "region", "England"]
        return [Figure(
            value=m.value,
            value_text=m.value_text,
            unit=found.unit,
            label=found.label,
            context=_context(text, s0, s1, m),
            section=section,
            period=self._period(here, s0, m, before_start, after_end),
            place=p,
            line=here.line_of(m),
            page=here.block.page,
        ) for p in places]

    def _period(self, here: _BlockText, s0: int, m: Mention, before_start: int, after_end: int) -> str | None:
        """The period stated nearest the figure in its sentence, else the document's."""
        text = here.text
        after = next(PERIOD_RE.finditer(text, m.end, after_end), None)
        before = list(PERIOD_RE.finditer(text, before_start, m.start))
        if after and before_start > s0:
            before = []  # "from 41.5% in 2015/16, to 28% in 2021/22": what follows is this figure's
        near = [(m.start - h.end(), h) for h in before[-1:]]
        if after:
            near.insert(0, (after.start() - m.end, after))
        if near:
            return normalise_period(min(near, key=lambda x: x[0])[1].group())
        last_year = LAST_YEAR.search(text, m.end, after_end)
        if (last_year and last_year.start() - m.end <= 16) or LAST_YEAR.search(text, before_start, m.start):
            return previous_period(self.period) or self.period  # "44 last year", "last year's 7%"
        earlier = here.last_period(s0, m.start)
        if earlier:
            return normalise_period(earlier)
        return self.period

    def place_windows(self, here: _BlockText, found: _Found) -> list[tuple[int, int]]:
        """The stretches of text where the figure's place is sought (see :meth:`_place`)."""
        return self._place_windows(found.mention, *here.between(found.mention, *found.sentence))

    @staticmethod
    def _place_windows(m: Mention, before_start: int, after_end: int) -> list[tuple[int, int]]:
        """Before the figure, up to the number before it; first after it for a rank ("ninth largest
        in the North West")."""
        return [(m.end, after_end), (before_start, m.start)] if m.kind == "ordinal" else [(before_start, m.start)]

    def _place(self, here: _BlockText, windows: list[tuple[int, int]]) -> str | None:
        """The place named in the first of ``windows`` that names one, else the council's area."""
        for a, b in windows:
            place = self._place_in(here, a, b)
            if place:
                return place
        return self.home

    def _place_in(self, here: _BlockText, a: int, b: int) -> str | None:
        window = here.text[a:b]
        cues = [(start - a, name) for start, name in here.parse.places(a, b)]
        for rx, name in ((NATIONAL_WORDS, "England"), (REGION_WORDS, self.region or "region"),
                         (UK_WORDS, "United Kingdom"), (COMPARATOR_WORDS, "comparators")):
            for hit in rx.finditer(window):
                cues.append((hit.start(), name))
        for region, rx in REGION_NAMES:
            for hit in rx.finditer(window):
                cues.append((hit.start(), region))
        if not cues:
            return None
        name = max(cues)[1]
        return "England" if name in ("England", "English") else name


# --- helpers over the parse ---------------------------------------------------------------

def _number_token(span):
    """The token holding the digits of a mention (not the ``%`` or ``£``)."""
    for tok in span:
        if tok.like_num or tok.pos_ == "NUM":
            return tok
    return span.root


def _next_word(tok):
    """The next token that is not white space (or the token itself at the end)."""
    for nxt in tok.doc[tok.i + 1:]:
        if not nxt.is_space:
            return nxt
    return tok


def _is_callout(text: str, mentions: list[Mention]) -> bool:
    """A block that is little more than one number: a callout's big figure."""
    if len(mentions) != 1:
        return False
    rest = (text[: mentions[0].start] + text[mentions[0].end:]).strip(" .,*()[]-–")
    return len(rest.split()) <= 1


def _is_rank(tok) -> bool:
    """``ninth largest``, ``second in the region``, ``3rd highest``: an ordinal that ranks."""
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is None:
        return False
    if nxt.tag_ == "JJS" or re.fullmatch(r"\w+est", nxt.lower_):
        return True
    if nxt.lower_ in ("in", "out", "place", "among", "amongst"):
        return tok.i == 0 or doc[tok.i - 1].lower_ in ("is", "was", "are", "were", "came", "ranked", "ranks", "placed", "-", "–", ",", "safeguards", ")")
    return False


def _is_repeat(text: str, mention: Mention, seen: set[float]) -> bool:
    """``The 2 café co-ordinators`` after ``2 café-coordinators``: the same figure named again."""
    return mention.value in seen and bool(search_before(THE_BEFORE, text, mention.start))


def _counted_noun(tok):
    """The noun a number counts: the last noun of the compound after it ("219 Young Carers Needs
    Assessments"), else the noun it quantifies through "of" ("a population of 345,325") or, as the
    complement of "is", the subject ("the number of children ... is 646")."""
    doc = tok.doc
    last = None
    for nxt in doc[tok.i + 1: tok.i + 8]:
        if nxt.is_space:
            continue
        if nxt.pos_ in ("NOUN", "PROPN") and nxt.lower_ != "%":
            last = nxt
            continue
        if last is None and (nxt.lower_ == "of" or nxt.pos_ in ("ADJ", "DET") or nxt.dep_ == "amod"
                             or (nxt.pos_ == "PUNCT" and nxt.text in "-‐‘’'")):
            continue
        if last is not None and (nxt.text in "-‐" or nxt.tag_ == "POS"):
            continue  # "1,145 carer's assessments": the possessor modifies the noun counted after it
        break
    if last is not None:
        return last
    if tok.dep_ == "nummod" and tok.head.pos_ == "NOUN" and tok.head.i > tok.i and tok.head.lower_ != "%":
        return tok.head
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN":
        return tok.head.head
    if tok.dep_ == "attr" and tok.head.lemma_ == "be":
        subj = [c for c in tok.head.children if c.dep_ == "nsubj"]
        if subj:
            of = [c for c in subj[0].children if c.dep_ == "prep" and c.lower_ == "of"]
            objs = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
            return objs[0] if objs and subj[0].lower_ == "number" else None
    return None


def _unit_for_noun(noun: str | None) -> str:
    if noun is None:
        return "count"
    if noun in OWN_UNITS:
        return OWN_UNITS[noun]
    if noun in PEOPLE_NOUNS:
        return "people"
    return "count"


def _label(mention: Mention, figure, sent) -> tuple[str, bool]:
    """What a number measures, in plain words from its sentence; and whether the words only point
    back at a measure already named ("the region average of 26.7%", "up from 3,980").

    ``figure`` is the span of the number's tokens (``£``, digits, ``m``, ``%``), kept out of the label.
    """
    label, generic = _own_label(mention, figure, sent)
    value = _value_token(mention, _number_token(figure))
    return label, generic or _is_earlier_value(mention, value)


def _is_earlier_value(mention: Mention, value) -> bool:
    """``3,980`` in "4,210 requests, up from 3,980", ``5%`` in "(a decline from 7%)", "compared to
    96%": a number given for comparison, measuring what the sentence has already named. Not so
    after a verb with a subject of its own ("spend on homecare increased from £13.5m")."""
    prep = value.head
    return (value.dep_ == "pobj" and prep.lower_ in COMPARED_FROM
            and (prep.head.pos_ != "VERB" or prep.head.lemma_ == "compare")
            and (mention.unit is not None or _counted_noun(value) is None))


def _value_token(mention: Mention, tok):
    """The token standing for the whole quantity in the parse: the ``%`` or ``m`` of a share or
    sum, else the number."""
    if mention.kind in ("percent", "money"):
        return tok.head if tok.head.lower_ in ("%", "£") or tok.dep_ == "nummod" else tok
    return tok


def _own_label(mention: Mention, figure, sent) -> tuple[str, bool]:
    """The label from the words about this number alone (see :func:`_label`)."""
    tok = _number_token(figure)
    target = None
    if mention.kind in ("percent", "money"):
        pct = _value_token(mention, tok)
        share = _share_label(pct, figure) if pct.dep_ in ("nsubj", "nsubjpass") else None
        if share:
            return share, False
        of = [c for c in pct.children if c.dep_ == "prep" and c.lower_ in ("of", "for", "on")]
        pobj = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
        if pobj:
            target = pobj[0]
        elif pct.dep_ == "pobj" and pct.head.lower_ in ("of", "for", "at") and pct.head.head.pos_ == "NOUN":
            target = pct.head.head  # investment of £900,000; funding for more than £280,000
        elif pct.dep_ == "compound" and pct.head.pos_ == "NOUN":
            target = pct.head
        elif pct.dep_ in ("attr", "acomp", "dobj", "pobj") :
            verb = pct.head if pct.dep_ != "pobj" else pct.head.head
            while verb.dep_ in ("prep", "pobj") and verb.head is not verb:
                verb = verb.head
            subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            obj = [c for c in verb.children if c.dep_ == "dobj" and c.i != pct.i and not c.like_num]
            if pct.dep_ == "dobj" and verb.pos_ == "VERB":
                preps = [t for c in verb.children if c.dep_ == "prep" and c.i > pct.i for t in c.subtree]
                words = _words(preps, None, figure)
                if words:  # spending £130m on capital projects
                    return _clean_label(" ".join([verb.text] + [t.text for t in words[:10]])), False
            if pct.dep_ == "pobj" and obj:
                target = obj[0]  # awarded funding ... for more than £280,000
            elif subj and subj[0].pos_ != "PRON":
                target = subj[0]
            elif pct.dep_ == "pobj" and pct.head.head.pos_ == "NOUN":
                target = pct.head.head
    else:
        target = _counted_noun(tok)
        if target is not None and target.lower_ in DURATION_UNITS and target.dep_ in ("nmod", "compound", "amod"):
            target = target.head  # a 6-week course: the course
        if target is None and tok.dep_ in ("nsubj", "nsubjpass"):
            share = _share_label(tok, figure)
            if share:
                return share, False
    if target is not None:
        generic = target.lower_ in GENERIC_LABELS
        label = _phrase(target, exclude=figure)
        if len(label.split()) > 1 or (label and label.lower() not in DURATION_UNITS and label.lower() != "times"):
            return label, generic
    subj = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN")
            and not t.like_num and t.i < tok.i]
    if subj:
        return _phrase(subj[-1], exclude=figure), subj[-1].lower_ in GENERIC_LABELS
    chunks = [c for c in sent.noun_chunks if not any(t.like_num for t in c) and c.root.pos_ != "PRON"]
    before = [c for c in chunks if c.end <= tok.i]
    after = [c for c in chunks if c.start > tok.i]
    pick = after[0] if after else (before[-1] if before else None)
    if pick is None:
        return _shorten(sent.text, 10), True
    return _clean_label(pick.text), pick.root.lower_ in GENERIC_LABELS


def _phrase(head, exclude) -> str:
    """A noun with its modifiers, and what the sentence says it did or had ("people supported in
    discharge"), without numbers, determiners or dates; at most 14 words."""
    keep = _words(head.subtree, head, exclude)
    verb = head.head
    if head.dep_ in ("nsubj", "nsubjpass") and verb.pos_ in ("VERB", "AUX"):
        keep += _predicate(verb, exclude)
    elif head.dep_ == "dobj" and verb.tag_ in ("VBD", "VBN"):
        keep.append(verb)
    return _join(keep)


def _share_label(subject, exclude) -> str | None:
    """"Of the people who left reablement, 81.5% were still at home", "23% of residents are
    satisfied": the group a share or count (the subject) is taken from, with the relative clause
    that defines it, and what the sentence says of it; None when the sentence names no group."""
    verb = subject.head
    group = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ in GROUP_PREPS and c.i > subject.i),
                 None) or next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in GROUP_PREPS
                                and c.i < subject.i), None)
    members = [c for c in group.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")] if group else []
    if not members or verb.pos_ not in ("VERB", "AUX"):
        return None
    return _join(_words(members[0].subtree, members[0], exclude, clauses=True) + _predicate(verb, exclude)) or None


def _predicate(verb, exclude) -> list:
    """What a clause says of its subject: the verb (unless "be") and its complements."""
    rest = [t for c in verb.children if c.i > verb.i and c.dep_ in
            ("dobj", "prep", "prt", "xcomp", "acomp", "attr", "agent", "advmod", "oprd")
            for t in c.subtree]
    return [verb] * (verb.lemma_ != "be") + _words(rest, None, exclude)


def _join(tokens) -> str:
    """The words of a label, spaced as written where they were neighbours ("carer's", "'White'
    category", "review/assessment"), else by one space; at most 14 tokens."""
    tokens = tokens[:14]
    text = "".join(t.text + (t.whitespace_ if k + 1 < len(tokens) and tokens[k + 1].i == t.i + 1 else " ")
                   for k, t in enumerate(tokens))
    return _clean_label(text)


def _words(tokens, head, exclude, clauses: bool = False) -> list:
    """The tokens of a phrase worth keeping in a label: no clauses of their own (unless ``clauses``),
    none of the figure's own tokens ``exclude``, no other numbers or dates, and no prepositional
    phrase that only says when or how much ("in 2021/22", "from 31.7%"). A number measuring a span
    of time or distance stays: "within 28 days", "91 days later" define what is measured."""
    tokens = list(tokens)
    skip: set[int] = set()
    own = range(exclude.start, exclude.end)
    for t in tokens:
        if t is head:
            continue
        if t.dep_ in (("appos", "parataxis", "advcl") if clauses else ("relcl", "appos", "parataxis", "advcl")):
            skip.update(x.i for x in t.subtree)
        elif t.dep_ == "npadvmod" and not _measures_span(t):
            skip.update(x.i for x in t.subtree)
        if t.dep_ == "prep" and any(x.like_num and (x.i in own or not _counts_span(x)) for x in t.subtree):
            skip.update(x.i for x in t.subtree)
    keep = []
    for t in tokens:
        if t.i in skip or t.i in own:
            continue
        if t.text in ",;:(" and keep:
            break
        if head is not None and t.i < head.i and (t.dep_ in ("det", "nummod", "quantmod", "advmod", "predet")
                                                  or (t.dep_ == "poss" and t.pos_ in ("PRON", "DET"))):
            continue
        if t.dep_ == "punct" and t.text not in "-‐/’'":
            continue
        if (t.like_num and not _counts_span(t)) or t.lower_ in ("%", "£"):
            continue
        keep.append(t)
    return keep


def _counts_span(tok) -> bool:
    """``28`` in "within 28 days", "91 days later": a number counting units of time or distance that
    bound a measure (a timeframe, see :func:`.numbers.is_timeframe`), not a figure of its own."""
    return (tok.dep_ == "nummod" and tok.head.lower_ in SPAN_UNITS and tok.i < tok.head.i
            and is_timeframe(tok.doc.text, tok.idx, tok.idx + len(tok)))


def _measures_span(tok) -> bool:
    """``91 days`` in "91 days later": a length of time or distance modifying a word."""
    return tok.lower_ in SPAN_UNITS and any(_counts_span(c) for c in tok.children)


def _clean_label(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,.;:()-–'’\"")
    while True:  # no dangling small words at the end ("concerns a", "subscribe as of")
        cut = re.sub(r"\s+(?:a|an|the|of|in|and|or|with|to|by|at|as|which|who|from|for|than|on|over|is|was)$", "", text, flags=re.I)
        if cut == text:
            break
        text = cut
    text = re.sub(r"^(?:the|a|an|of|over|around|approximately|about|almost|nearly|just|some)\s+", "", text, flags=re.I)
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def _is_generic(label: str) -> bool:
    words = [w for w in re.findall(r"[a-z]+", label.lower())]
    return not words or all(w in GENERIC_LABELS for w in words)


def _shorten(text: str, words: int) -> str:
    parts = re.sub(r"\s+", " ", text).strip().split(" ")
    return _clean_label(" ".join(parts[:words]))


def _cells(text: str) -> list[str]:
    sep = "\t" if "\t" in text else "|"
    return [c.strip() for c in text.strip().strip("|").split(sep) if c.strip()]


def _context(text: str, s0: int, s1: int, m: Mention) -> str:
    """The sentence holding the figure, cut to at most 200 characters around it."""
    s0, s1 = min(s0, m.start), max(s1, m.end)
    if s1 - s0 <= MAX_CONTEXT:
        return text[s0:s1].strip()
    a = max(s0, m.start - MAX_CONTEXT // 2)
    b = min(s1, a + MAX_CONTEXT)
    a = max(s0, b - MAX_CONTEXT)
    return text[a:b].strip()
