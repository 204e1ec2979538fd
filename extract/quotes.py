"""Named quotes: passages printed as someone's own words, with who said them.

Quotes are found from the quotation marks in the blocks' clean text, scanned as one stream
so a quote may run over several blocks (paragraphs, page breaks). Raw PDF text interleaves
columns, so a quote cut off at a column end is joined to the nearest "orphan" fragment (text
that closes a quote nobody opened). Scare quotes, titles, slogans and survey statistics in
quote marks are dropped. A personal story printed wholly in the first person, with no quote
marks, is one quote in its subject's voice.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from council_papers.extract.speakers import (
    CARING,
    COPULA_TAIL,
    SPEECH_CUE,
    SPEECH_NOUN_TAIL,
    Attribution,
    Parses,
    SpeakerRegistry,
    attribute_speaker,
    caption_attribution,
    lead_to_parse,
    narrated_as_carer,
    roles_mentioned,
    speaker_kind,
)
from council_papers.model import Block, CaseStudy, DocumentPart, Quote, Section

DOUBLE_OPEN, DOUBLE_CLOSE, STRAIGHT = "“„", "”", '"'
SINGLE_OPEN, SINGLE_CLOSE = "‘", "’"
DOUBLE_MARK = re.compile(f"[{DOUBLE_OPEN}{DOUBLE_CLOSE}{STRAIGHT}]")
LOOKAHEAD_BLOCKS = 8  # how far a quote may run on without a closing mark before it is "cut off"
ORPHAN_REACH = 120  # lines (or blocks, without lines) within which a cut-off quote finds its end
# Quote marks used for a name or a title rather than for speech: "the 'one stop' hub".
NAMING_TAIL = re.compile(r"\b(called|named|entitled|titled|known as|the|a|an|our|their|its|this|"
                         r"of|as|for|on|in|to|from|and|or|with|by|via|about|into)\s*$", re.I)
SLOGAN_TAIL = re.compile(r"\b(vision|aim|objective|motto|mission|ambition|priority|strategy|pledge|"
                         r"promise|commitment|statement|principle|ethos|values?|tagline|slogan|theme|"
                         r"message|strapline|title|name|goal)s?\s+(?:is|are|was|were)\s*(?:that)?\s*[:;,]?\s*$", re.I)
FIRST_PERSON = re.compile(r"\b(I|I’m|I'm|I’ve|I've|me|my|we|we’ve|we're|we’re|us|our|you|your)\b")
STATISTIC = re.compile(r"\d+(?:\.\d+)?\s*(?:%|per ?cent)")
MIS_SET_SPLIT = re.compile(r"[’']\s*,?\s+(?:[a-z]+\s+){1,3}[‘']")  # “It’s great’ another ‘Wow!”
STORY_VOICE = re.compile(r"\b(I|I’m|I'm|I’ve|I've|my|we|we’ve|we've|our)\b")
CARER_WORD = re.compile(r"\bcar(?:ers?|ing)\b", re.I)
RELATIVE = re.compile(r"\bmy (husband|wife|partner|mum|mother|dad|father|son|daughter|brother|sister)\b", re.I)


@dataclass
class _Span:
    """A quoted passage: from (block, offset) to (block, offset), text without the marks."""

    start_block: int
    start: int
    end_block: int
    end: int
    text: str
    closed: bool = True


def _marks(text: str) -> list[tuple[int, str]]:
    """Double quotation marks in ``text`` as (offset, "open" | "close"), straight ones by context."""
    out = []
    for mark in DOUBLE_MARK.finditer(text):
        i, ch = mark.start(), mark.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch in DOUBLE_OPEN:
            kind = "close" if before.isalnum() and not after.isalnum() else "open"
        elif ch in DOUBLE_CLOSE:
            kind = "open" if before.isspace() and after.isalnum() and i else "close"
        elif (before.isspace() or before in "([{–—-*:") and not after.isspace():
            kind = "open"
        elif not before.isspace():
            kind = "close"
        else:
            continue
        out.append((i, kind))
    return out


def _line_of(block: Block, offset: int) -> int | None:
    """The source line of a character offset in a block, interpolated over its lines."""
    if block.line is None:
        return None
    if not block.line_end or block.line_end <= block.line or not block.text:
        return block.line
    return block.line + round(offset / len(block.text) * (block.line_end - block.line))


def _scan(blocks: list[Block]) -> tuple[list[_Span], list[_Span]]:
    """Find double-quoted spans over the block stream, and orphan closing fragments."""
    marks = [_marks(b.text) for b in blocks]
    spans, orphans = [], []
    bi = 0
    skip_to: dict[int, int] = {}  # block → offset already consumed by a span running into it
    while bi < len(blocks):
        text = blocks[bi].text
        pos0 = skip_to.get(bi, 0)
        ms = [m for m in marks[bi] if m[0] >= pos0]
        k = 0
        next_bi = bi + 1
        while k < len(ms):
            pos, kind = ms[k]
            if kind == "close":
                if k == 0 and pos0 == 0 and pos > 0:  # closes a quote nobody opened
                    orphans.append(_Span(bi, 0, bi, pos, text[:pos].strip()))
                k += 1
                continue
            close = next((m for m in ms[k + 1:] if m[1] == "close"), None)
            reopen = next((m for m in ms[k + 1:] if m[1] == "open"), None)
            if close and (not reopen or close[0] < reopen[0]):
                spans.append(_Span(bi, pos + 1, bi, close[0], text[pos + 1:close[0]].strip()))
                k = ms.index(close) + 1
                continue
            if reopen:  # opened and re-opened in one block: the first is cut off
                spans.append(_Span(bi, pos + 1, bi, reopen[0], text[pos + 1:reopen[0]].strip(), closed=False))
                k = ms.index(reopen)
                continue
            span = _run_on(blocks, marks, bi, pos)
            spans.append(span)
            if span.closed and span.end_block > bi:
                skip_to[span.end_block] = span.end + 1
                next_bi = span.end_block
            break
        bi = next_bi
    return spans, orphans


def _run_on(blocks: list[Block], marks: list[list[tuple[int, str]]], bi: int, pos: int) -> _Span:
    """A quote opened in block ``bi`` with no close there: find its close in the next blocks."""
    parts = [blocks[bi].text[pos + 1:].strip()]
    for bj in range(bi + 1, min(len(blocks), bi + 1 + LOOKAHEAD_BLOCKS)):
        nxt = blocks[bj]
        if nxt.kind == "heading" or (nxt.level or 0) == 1:
            break
        if marks[bj]:
            first_pos, first_kind = marks[bj][0]
            if first_kind == "open":
                break
            parts.append(nxt.text[:first_pos].strip())
            return _Span(bi, pos + 1, bj, first_pos, " ".join(p for p in parts if p))
        parts.append(nxt.text.strip())
    return _Span(bi, pos + 1, bi, len(blocks[bi].text), parts[0], closed=False)


def _join_cut_off(spans: list[_Span], orphans: list[_Span], blocks: list[Block]) -> None:
    """Give each cut-off quote the nearest unused orphan fragment (its other column's half)."""
    def where(bi: int) -> int:
        return blocks[bi].line if blocks[bi].line is not None else bi

    used: set[int] = set()
    for span in spans:
        if span.closed:
            continue
        near = [(abs(where(o.start_block) - where(span.start_block)), i) for i, o in enumerate(orphans)
                if i not in used and o.text]
        near = [n for n in near if n[0] <= ORPHAN_REACH]
        if near:
            _, i = min(near)
            used.add(i)
            span.text = f"{span.text} {orphans[i].text}"
            span.closed = True


def _single_quoted(blocks: list[Block], taken: set[int]) -> list[_Span]:
    """Single-quoted speech: a whole block in ‘...’, or ‘...’ right after "said"/"answer is"."""
    out = []
    for bi, b in enumerate(blocks):
        if bi in taken:
            continue
        text = b.text.strip()
        whole = re.fullmatch(r"[‘'](.{12,})[’'][.,]?", text, re.S)
        if whole and not re.search(r"[‘']\s*$", whole.group(1)):
            out.append(_Span(bi, 1, bi, len(text) - 1, whole.group(1).strip()))
            continue
        for m in re.finditer(r"(?:^|\s)‘([^‘’]*?(?:’\w[^‘’]*?)*)’(?!\w)", b.text):
            lead, after = b.text[:m.start()], b.text[m.end():]
            if not re.match(r"\s*(?:[.,;!?]|$)", after):
                continue
            if SPEECH_CUE.search(lead[-25:]) or SPEECH_NOUN_TAIL.search(lead[-40:]):
                out.append(_Span(bi, m.start(1), bi, m.end(1), m.group(1).strip()))
    return out


def _lead_before(blocks: list[Block], last_end: dict[int, int], bi: int) -> str:
    """The narration just before block ``bi`` (after any quote ending there).

    A lead-in broken over two blocks ("Anna Smith Carers Development" / "Officer, said")
    is joined back when its first half is a short fragment or its second half starts lower case.
    ``last_end`` maps a block to where the last quote ending in it ends.
    """
    parts: list[str] = []
    for bj in range(bi - 1, max(-1, bi - 3), -1):
        b = blocks[bj]
        end = last_end.get(bj)
        text = (b.text[end + 1:] if end is not None else b.text).strip()
        fragment = b.kind == "heading" and len(text.split()) <= 8 and not re.search(r"[.!?:;]$", text)
        if parts and not (fragment or parts[0][:1].islower()):
            break
        if not parts and b.kind == "heading" and not SPEECH_CUE.search(text):
            break
        parts.insert(0, text)
        if end is not None:
            break
    return " ".join(p for p in parts if p)


def _is_speech(text: str, lead_tail: str) -> bool:
    """False for scare quotes, titles, slogans and statistics put in quote marks."""
    words = text.split()
    if not words or not re.search(r"[A-Za-z]", text):
        return False
    cue = bool(SPEECH_CUE.search(lead_tail) or SPEECH_NOUN_TAIL.search(lead_tail))
    if not cue and (SLOGAN_TAIL.search(lead_tail) or (COPULA_TAIL.search(lead_tail) and len(words) < 40)):
        return False
    if STATISTIC.search(text) and not re.search(r"\b(I|me|my)\b", text):
        return False
    sentence_end = bool(re.search(r"[.!?]\W*$", text))
    if cue:
        return True
    if NAMING_TAIL.search(lead_tail) and not sentence_end:
        return False
    titled = sum(w[:1].isupper() for w in words if len(w) > 3) >= max(1, len([w for w in words if len(w) > 3]))
    if len(words) <= 10 and not sentence_end and (titled or not FIRST_PERSON.search(text)):
        return False
    if len(words) <= 3 and not sentence_end:
        return False
    return True


def _split_mis_set(span: _Span) -> list[_Span]:
    """“It’s brilliant’ another ‘Wow!” (one quote mark mis-set) → two quotes."""
    pieces = MIS_SET_SPLIT.split(span.text)
    if len(pieces) == 1:
        return [span]
    return [_Span(span.start_block, span.start, span.end_block, span.end, p.strip(" ’‘'"), span.closed)
            for p in pieces if p.strip()]


def _case_study_blocks(case_studies: list[CaseStudy], blocks: list[Block]) -> list[set[int]]:
    """For each story, the indices of the blocks of its body."""
    out = []
    for cs in case_studies:
        if cs.line is not None:
            end = cs.line_end or cs.line
            ids = {i for i, b in enumerate(blocks) if b.line is not None and cs.line < b.line <= end}
        else:
            ids = {i for i, b in enumerate(blocks) if b.text and b.text in cs.text
                   and (b.page is None or cs.page is None or b.page >= cs.page)}
        out.append(ids)
    return out


def _section_of(sections: list[Section]) -> dict[int, int]:
    return {id(b): si for si, s in enumerate(sections) for b in s.blocks}


def _story_voice(cs: CaseStudy, body: list[Block]) -> tuple[str, Attribution] | None:
    """A story told wholly in the first person with no quote marks: its text and its teller."""
    paras = [b for b in body if b.kind != "heading" and len(b.text.split()) > 8]
    if len(paras) < 2 or any(_marks(b.text) for b in body):
        return None
    voiced = sum(bool(STORY_VOICE.search(b.text)) for b in paras)
    if voiced < 0.6 * len(paras):
        return None
    text = " ".join(b.text.strip() for b in paras)
    names = [n for n in re.split(r"\s*(?:,|\band\b|&)\s*", cs.subject or "") if n]
    teller = [n for n in names if not re.search(rf"\b{re.escape(n)}\b", text)]
    speaker = teller[0] if len(teller) == 1 else cs.subject
    kind = "carer" if RELATIVE.search(text) else "person_supported"
    return text, Attribution(speaker, None, kind)


def _is_carer(speaker: str, story: CaseStudy | None, narration: str) -> bool:
    """A named speaker with no role looks after someone: the narration around them says so, or
    they are the one subject of a story whose title or theme is about carers and that tells of caring."""
    if narrated_as_carer(speaker, narration):
        return True
    if story is None or not story.subject or re.search(r",|\band\b|&", story.subject):
        return False
    if speaker.split()[0].lower() != story.subject.split()[0].lower():
        return False
    theme = (story.theme or "").split(",")[0]
    return bool((CARER_WORD.search(story.title) or CARER_WORD.search(theme)) and CARING.search(story.text))


def _apply_captions(blocks: list[Block], spans: list[_Span], quotes: list[Quote], cued: set[int],
                    registry: SpeakerRegistry) -> None:
    """Give a signature printed under a quote to the nearest uncued quote not in the first person."""
    in_span = {s.start_block for s in spans} | {s.end_block for s in spans}
    for bi, b in enumerate(blocks):
        if bi in in_span:
            continue
        attr = caption_attribution(b.text)
        if not attr:
            continue
        here = b.line if b.line is not None else bi
        for qi in range(len(quotes) - 1, -1, -1):
            q = quotes[qi]
            there = q.line if q.line is not None else bi
            if there > here:
                continue
            if here - there > 30 or qi in cued:
                break
            if re.search(r"\b(I|me|my)\b", q.text):
                continue
            attr = registry.remember(attr)
            q.speaker, q.speaker_role = attr.speaker, attr.role
            q.speaker_kind = speaker_kind(attr.speaker, attr.role)
            cued.add(qi)
            break


def extract_quotes(part: DocumentPart, sections: list[Section], case_studies: list[CaseStudy], nlp) -> list[Quote]:
    """Every direct quotation in the part, with speaker, role, kind, section and story."""
    blocks = [b for b in part.blocks if b.text]
    spans, orphans = _scan(blocks)
    _join_cut_off(spans, orphans, blocks)
    taken = {s.start_block for s in spans} | {s.end_block for s in spans} | {o.start_block for o in orphans}
    spans = sorted(spans + _single_quoted(blocks, taken), key=lambda s: (s.start_block, s.start))
    story_blocks = _case_study_blocks(case_studies, blocks)
    section_of = _section_of(sections)
    registry = SpeakerRegistry()
    for b in blocks:
        for attr in roles_mentioned(b.text):
            registry.remember(attr)

    story_of: dict[int, int] = {}  # block → the first story holding it
    for ci in reversed(range(len(story_blocks))):
        story_of.update(dict.fromkeys(story_blocks[ci], ci))
    # Spans by the block they end in and start in, in order, so each quote finds its
    # neighbours without a pass over all the others.
    ending_in: dict[int, list[int]] = {}
    starting_in: dict[int, list[int]] = {}
    for si, span in enumerate(spans):
        ending_in.setdefault(span.end_block, []).append(si)
        starting_in.setdefault(span.start_block, []).append(si)
    last_end = {bi: max(spans[si].end for si in ids) for bi, ids in ending_in.items()}

    # Each quote that is speech, as (span, lead, lead_in, tail, story): lead_in is the lead when it
    # is narration (else ""), read for who speaks. The lead-ins are then parsed in one batch.
    speech = []
    for si, span in enumerate(spans):
        block = blocks[span.start_block]
        here = ending_in.get(span.start_block, [])
        k = bisect_left(here, si) - 1
        while k >= 0 and spans[here[k]].end > span.start:
            k -= 1
        lead = block.text[(spans[here[k]].end + 1) if k >= 0 else 0:max(0, span.start - 1)]
        if not re.search(r"[A-Za-z]{3}", lead):
            lead = _lead_before(blocks, last_end, span.start_block)
        lead_is_narration = bool(re.search(r"[A-Za-z]{3}", lead))
        there = starting_in.get(span.end_block, [])
        k = bisect_right(there, si)
        tail = blocks[span.end_block].text[span.end + 1:(spans[there[k]].start - 1) if k < len(there) else None]
        if not _is_speech(span.text, lead[-80:]):
            continue
        ci = story_of.get(span.start_block)
        if ci is not None and lead.startswith(case_studies[ci].title):
            lead = lead[len(case_studies[ci].title):]  # a title run into the story's first paragraph
        speech.append((span, lead, lead if lead_is_narration else "", tail, ci))
    parses = Parses(nlp)
    parses.prefetch(lead_to_parse(lead_in, tail) for _, _, lead_in, tail, _ in speech)

    quotes: list[Quote] = []
    cued: set[int] = set()  # quotes whose own lead-in named the speaker
    prev: tuple[_Span, Attribution, int | None] | None = None
    for span, lead, lead_in, tail, ci in speech:
        block = blocks[span.start_block]
        subject = case_studies[ci].subject if ci is not None else None
        attr = attribute_speaker(lead_in, tail, span.text, parses, subject)
        if attr:
            cued.add(len(quotes))
        if not attr and prev and prev[2] == ci and span.start_block - prev[0].end_block <= 3:
            attr = prev[1]
        elif not attr and subject:
            attr = Attribution(subject, None, "person_supported")
        attr = registry.remember(attr)
        kind = attr.kind or speaker_kind(attr.speaker, attr.role, lead, subject)
        if kind == "person_supported" and attr.speaker and not attr.role:
            story = case_studies[ci] if ci is not None else None
            sec = section_of.get(id(block))
            narration = story.text if story else (sections[sec].text if sec is not None else lead)
            if _is_carer(attr.speaker, story, narration):
                kind = "carer"
        attr = Attribution(attr.speaker, attr.role, kind)
        prev = (span, attr, ci)
        for piece in _split_mis_set(span):
            quotes.append(Quote(
                text=piece.text, speaker=attr.speaker, speaker_role=attr.role, speaker_kind=kind,
                section=section_of.get(id(block)), case_study=ci,
                line=_line_of(block, span.start), page=block.page,
            ))
    _apply_captions(blocks, spans, quotes, cued, registry)
    for ci, cs in enumerate(case_studies):
        body = [blocks[i] for i in sorted(story_blocks[ci])]
        voice = _story_voice(cs, body) if body else None
        if voice:
            text, attr = voice
            quotes.append(Quote(text=text, speaker=attr.speaker, speaker_role=None, speaker_kind=attr.kind,
                                section=section_of.get(id(body[0])), case_study=ci,
                                line=body[0].line, page=body[0].page))
    quotes.sort(key=lambda q: (q.line or 0, q.page or 0))
    return quotes
