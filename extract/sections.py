"""Sections: choose the real headings among the reader's candidates and nest them.

Readers mark every block that *could* be a heading; here we keep those a reader would
navigate by and drop the rest: callout numbers, page furniture, bold form labels with
their one-line answers ("Ward(s) affected:" / "All"), web addresses, signatures, the
role line under a name and the entries of a contact directory. Each kept heading gets a
level (1 = title or chapter), a parent, a path of headings joined with " > " and the
blocks under it up to the next heading.
"""
from __future__ import annotations

import re

from council_papers.extract.speakers import COUNCILLOR, ROLE_WORDS, STAFF, caption_attribution
from council_papers.ingest.text import colon_label_ok, is_callout
from council_papers.model import Block, DocumentPart, Section

PAGE_REFERENCE = re.compile(r"\s*\((?:pages?|pp?\.?)\s*[\d\s\-–—,]+\)\s*$", re.IGNORECASE)
FURNITURE = re.compile(
    r"^(this page (is )?(intentionally|deliberately) (left )?blank|page \d+( of \d+)?|\d{1,3})$",
    re.IGNORECASE,
)
NUMBERING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+\S")
ADDRESS = re.compile(r"@|://|\bwww\.", re.IGNORECASE)
PHONE = re.compile(r"(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b")
PERSON_NAME = re.compile(
    r"(?:(?:Councillor|Cllr|Dr|Mr|Mrs|Ms)\s+)?([A-Z][a-z]+(?:[\s-]+(?:Mc|Mac|O[’'])?[A-Z][a-z’'-]+){1,2})")
AFFILIATION = re.compile(r"\b(group|board|forum|network|partnership|team)$", re.IGNORECASE)
MAX_LEVEL = 4
SHORT_VALUE_WORDS = 12
ENTRY_WORDS = 60  # a directory entry: a name, a line or two about it and a phone number
DIRECTORY_NUMBERS = 3  # phone numbers under one heading that make it a directory's entries


def build_sections(part: DocumentPart) -> list[Section]:
    """The part's sections in order; text before the first heading joins the first section."""
    blocks = part.blocks
    keep: list[int] = []
    for i, block in enumerate(blocks):
        if block.kind == "heading" and is_heading(blocks, i):
            if keep and heading_text(blocks[keep[-1]].text) == heading_text(block.text):
                continue  # the same heading again with no other between: a running header
            if keep and keep[-1] == i - 1 and is_byline(blocks[i - 1].text, block.text):
                continue
            keep.append(i)
    keep = drop_directory_entries(blocks, keep)
    if not keep:
        return []
    levels = assign_levels([blocks[i] for i in keep])
    sections: list[Section] = []
    for n, (i, level) in enumerate(zip(keep, levels)):
        end = keep[n + 1] if n + 1 < len(keep) else len(blocks)
        body = blocks[i + 1:end]
        if n == 0:
            body = blocks[:i] + body
        head = blocks[i]
        parent = next((p for p in range(len(sections) - 1, -1, -1) if sections[p].level < level), None)
        heading = heading_text(head.text)
        path = f"{sections[parent].path} > {heading}" if parent is not None else heading
        sections.append(Section(heading=heading, level=level, ordinal=n + 1, blocks=body, parent=parent,
                                path=path, line=head.line, page=head.page))
    return sections


def heading_text(text: str) -> str:
    """The heading as a reader sees it: without an agenda's trailing "(Pages 9 - 138)"."""
    return PAGE_REFERENCE.sub("", text).strip()


def is_heading(blocks: list[Block], i: int) -> bool:
    """Whether candidate ``blocks[i]`` is a heading a reader would navigate by."""
    text = heading_text(blocks[i].text)
    if not re.search(r"[A-Za-z]", text) or is_callout(text) or FURNITURE.match(text):
        return False
    if ADDRESS.search(text) or ("," in text and caption_attribution(text)):
        return False  # a web or mail address; a signature ("Jo Bloggs Social Worker, Team")
    if blocks[i].level is None and not colon_label_ok(text):
        return False  # "RESOLVED that the Board:" leads into a list; it is not a title
    return not is_form_label(blocks, i)


def is_byline(heading: str, text: str) -> bool:
    """The line under a person's name that gives their role or body ("Jo Bloggs" / "Director
    of Housing"): part of the name's heading, not a heading of its own."""
    if caption_attribution(f"{heading}, {text}"):
        return True
    name = PERSON_NAME.fullmatch(heading.strip())
    return bool(name and not ROLE_WORDS.search(name.group(1))
                and (STAFF.match(text) or COUNCILLOR.match(text) or AFFILIATION.search(text)))


def drop_directory_entries(blocks: list[Block], keep: list[int]) -> list[int]:
    """Headings of a contact directory's entries are not sections: a short entry with a
    phone number next to another, or a heading over a run of phone numbers. Headings the
    source marks itself (a markdown ``#``, a font-size rank) stay."""
    bodies = [" ".join(b.text for b in blocks[i + 1:j]) for i, j in zip(keep, keep[1:] + [len(blocks)])]
    numbers = [len(PHONE.findall(body)) for body in bodies]
    short = [n == 1 and len(body.split()) <= ENTRY_WORDS for n, body in zip(numbers, bodies)]

    def is_entry(n: int) -> bool:
        neighbours = [m for m in (n - 1, n + 1) if 0 <= m < len(keep)]
        if blocks[keep[n]].level is not None:
            return False
        return numbers[n] >= DIRECTORY_NUMBERS or (short[n] and any(numbers[m] for m in neighbours))

    return [i for n, i in enumerate(keep) if not is_entry(n)]


def is_form_label(blocks: list[Block], i: int) -> bool:
    """A bold label whose answer is one short line followed by the next label ("Place" / "Council House")."""
    head = blocks[i]
    if not head.bold or head.level is not None or NUMBERING.match(head.text) or i + 1 >= len(blocks):
        return False
    value = blocks[i + 1]
    if value.kind == "heading" and re.search(r"[A-Za-z]", value.text):
        return False
    if value.bold and head.line_end is not None and value.line == head.line_end + 1:
        return True  # stacked bold label and value: "By Phone" / "024 7683 3003"
    after = blocks[i + 2] if i + 2 < len(blocks) else None
    return (len(value.text.split()) <= SHORT_VALUE_WORDS and not value.text.endswith(".")
            and after is not None and (after.kind == "heading" or after.bold))


def assign_levels(heads: list[Block]) -> list[int]:
    """Levels from the source's hints (``#`` count, font rank), else from numbering and nesting."""
    hinted = [h.level for h in heads if h.level is not None]
    top = min(hinted) if hinted else 1
    levels: list[int] = []
    numbered_base: int | None = None  # level of the heading that numbered items sit under
    for n, head in enumerate(heads):
        numbering = NUMBERING.match(head.text)
        if head.level is not None:
            level = head.level - top + 1
        elif numbering:
            if numbered_base is None:
                numbered_base = levels[-1] if levels else 0
            level = numbered_base + numbering.group(1).count(".") + 1
        elif not levels:
            level = 1
        else:
            level = min(levels[-1] + 1, 2) if n == 1 else levels[-1]
        if not numbering:
            numbered_base = None
        levels.append(max(1, min(level, MAX_LEVEL)))
    return levels
