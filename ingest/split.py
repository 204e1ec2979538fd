"""Cut a source into its logical documents: one paper, or an agenda pack and its papers.

A pack is printed as one file: the agenda front sheet, then each paper in agenda order,
each starting on a fresh page. Where one paper ends and the next begins shows in the
text: a "This page is intentionally left blank" page, a stamped "Agenda Item 4", the
opening "Minutes of the meeting of ...", a briefing note's "To: / Date: / Subject:"
header, or the title of an appendix the previous paper lists ("Appendix 1: <title>").
A file cut this way is a pack when its pieces include meeting papers (an agenda,
minutes, a report or a briefing note); otherwise it is one document, whatever blank
pages it holds.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from council_papers.model import Block, DocumentPart, Source

from .metadata import (AGENDA_ITEM_STAMP, BRIEFING_NOTE, PAGES_REF, inherit_from_pack, is_council_name, labelled, opens_minutes,
                       pack_metadata, read_metadata)

BLANK_PAGE = re.compile(
    r"(?:this )?page (?:has been |is )?(?:intentionally|deliberately) (?:left )?blank\.?", re.IGNORECASE)
STAMP_WORDS = 12  # a stamp run into the paper's first line still reads as a stamp
APPENDIX_LISTED = re.compile(r"^(?:Appendix|Annex)\s+(?:\d+|[A-Z])\b\s*[:.–—-]\s*(?P<title>.+)$",
                             re.IGNORECASE)
MEETING_PAPERS = {"agenda", "minutes", "committee_report", "briefing_note"}
MIN_WORDS = 30  # a piece shorter than this is a stray cover line, not a document
APPENDIX_MATCH = 85
FRONT_SHEET_BLOCKS = 80


def split_documents(source: Source) -> list[DocumentPart]:
    """The documents in ``source``: ``[whole]`` for one paper; for a pack, the pack
    (index 0, all blocks) followed by each paper (``parent=0``)."""
    blocks = source.blocks
    pieces = _pieces(blocks, document_starts(blocks, source.page_count))
    papers = [read_metadata(piece, in_pack=True) for piece in pieces]
    if len(pieces) < 2 or not any(m.doc_type in MEETING_PAPERS for m in papers):
        whole = _part(read_metadata(blocks), blocks)
        return [_span_whole_file(whole, source)]
    pack = _span_whole_file(_part(pack_metadata(papers, blocks), blocks), source)
    parts = [pack]
    for piece, meta in zip(pieces, papers):
        parts.append(_part(inherit_from_pack(meta, pack.meta), piece, parent=0))
    return parts


def document_starts(blocks: list[Block], page_count: int | None = None) -> list[int]:
    """Indexes of the blocks that open a new document, in order (always including the first)."""
    starts = {next((i for i, b in enumerate(blocks) if not is_blank_page(b)), 0)}
    starts.update(_agenda_page_starts(blocks, page_count))
    listed: list[tuple[int, str]] = []
    for i, block in enumerate(blocks):
        text = block.text.strip()
        if blank := BLANK_PAGE.search(text):
            if is_blank_page(block) or blank.end() == len(text):
                following = next((j for j in range(i + 1, len(blocks)) if not is_blank_page(blocks[j])), None)
                if following is not None:
                    starts.add(following)
            else:  # raw text runs the blank page into the next paper's first line
                starts.add(i)
        elif AGENDA_ITEM_STAMP.match(text) and (block.kind == "heading" or len(text.split()) <= STAMP_WORDS):
            starts.add(i)
        elif opens_minutes(block) or _opens_briefing_header(blocks, i):
            starts.add(_with_lead_in(blocks, i))
        elif (match := APPENDIX_LISTED.match(text)) and not _contents_entry(block):
            listed.append((i, match.group("title")))
    for i, title in listed:
        found = _appendix_heading(blocks, i, title, starts)
        if found is not None:
            starts.add(found)
    return sorted(starts)


def _agenda_page_starts(blocks: list[Block], page_count: int | None) -> set[int]:
    """The first block of each page the agenda sends a reader to ("(Pages 9 - 138)").

    Pack page numbers are the PDF's own when the whole pack is in the file, so this
    holds only when every page the agenda cites is there.
    """
    if not page_count:
        return set()
    cited = [(int(m.group(1)), int(m.group(2) or m.group(1)))
             for b in blocks[:FRONT_SHEET_BLOCKS] for m in PAGES_REF.finditer(b.text)]
    if len(cited) < 2 or max(end for _, end in cited) > page_count:
        return set()
    first_on_page = {}
    for i, block in enumerate(blocks):
        if block.page is not None:
            first_on_page.setdefault(block.page, i)
    return {first_on_page[start] for start, _ in cited if start in first_on_page}


def is_blank_page(block: Block) -> bool:
    """A block that is only the "This page is intentionally left blank" notice."""
    return bool(BLANK_PAGE.fullmatch(block.text.strip()))


def _with_lead_in(blocks: list[Block], i: int) -> int:
    """Step back over the lines printed above a paper's opening: the council's name, a
    "Briefing note" heading, an "Agenda Item 3" stamp."""
    while i and (is_council_name(blocks[i - 1].text) or BRIEFING_NOTE.fullmatch(blocks[i - 1].text.strip())
                 or AGENDA_ITEM_STAMP.fullmatch(blocks[i - 1].text.strip())):
        i -= 1
    return i


def _opens_briefing_header(blocks: list[Block], i: int) -> bool:
    """A memo header: "To:" with "Subject:" among the next few lines."""
    fields = labelled(blocks[i].text)
    if not fields or fields[0][0] != "to":
        return False
    return any(label == "subject" for b in blocks[i:i + 5] for label, _ in labelled(b.text))


def _contents_entry(block: Block) -> bool:
    """A contents-page line ("Appendix 2: Methodology  33") lists a part of the same document."""
    return block.kind == "table_row" or bool(re.search(r"\s\d{1,3}$", block.text.strip()))


def _appendix_heading(blocks: list[Block], listed_at: int, title: str, starts: set[int]) -> int | None:
    """The heading that opens an appendix listed at ``listed_at``, when no other boundary
    comes first (then that boundary already opens it)."""
    if len(title.split()) < 2:
        return None
    wanted = _plain(title)
    following = min((s for s in starts if s > listed_at), default=len(blocks))
    for j in range(listed_at + 1, following):
        block = blocks[j]
        if block.kind != "heading" or APPENDIX_LISTED.match(block.text.strip()):
            continue
        heading = _plain(block.text)
        if len(heading.split()) >= 2 and _names_same(heading, wanted):
            return j
    return None


def _names_same(heading: str, listed: str) -> bool:
    """The heading is the listed title or its leading words ("Because we're human too"
    for "Because We Are Human Too; Why dementia training ...")."""
    if len(heading) > len(listed):
        return fuzz.ratio(heading, listed) >= APPENDIX_MATCH
    return fuzz.ratio(heading, listed[:len(heading)]) >= APPENDIX_MATCH


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", " ", text.lower().replace("’", "'").replace("'re", " are")).strip()


def _pieces(blocks: list[Block], starts: list[int]) -> list[list[Block]]:
    """The blocks between consecutive starts, without blank-page markers; a piece too
    small to be a document joins the one before it."""
    pieces: list[list[Block]] = []
    for start, end in zip(starts, starts[1:] + [len(blocks)]):
        piece = [b for b in blocks[start:end] if not is_blank_page(b)]
        if not piece:
            continue
        if pieces and sum(len(b.text.split()) for b in piece) < MIN_WORDS:
            pieces[-1].extend(piece)
        else:
            pieces.append(piece)
    return pieces


def _part(meta, blocks: list[Block], parent: int | None = None) -> DocumentPart:
    """A part spanning its blocks' lines (text sources) or pages (PDFs)."""
    lines = [b.line for b in blocks if b.line is not None]
    ends = [b.line_end or b.line for b in blocks if b.line is not None]
    pages = [b.page for b in blocks if b.page is not None]
    return DocumentPart(
        meta=meta, blocks=blocks, parent=parent,
        line_start=min(lines) if lines else None, line_end=max(ends) if ends else None,
        page_start=min(pages) if pages else None, page_end=max(pages) if pages else None,
    )


def _span_whole_file(part: DocumentPart, source: Source) -> DocumentPart:
    """A whole-file document spans the file: line 1 (page 1) to its last line (page)."""
    if part.line_start is not None:
        part.line_start, part.line_end = 1, source.line_count or part.line_end
    if part.page_start is not None:
        part.page_start, part.page_end = 1, source.page_count or part.page_end
    return part
