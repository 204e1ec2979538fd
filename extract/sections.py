"""Sections: choose the real headings among the reader's candidates and nest them.

Readers mark every block that *could* be a heading; here we keep those a reader would
navigate by and drop the rest: callout numbers, page furniture, bold form labels with
their one-line answers ("Ward(s) affected:" / "All"). Each kept heading gets a level
(1 = title or chapter), a parent, a path of headings joined with " > " and the blocks
under it up to the next heading.
"""
from __future__ import annotations

import re

from council_papers.ingest.text import colon_label_ok, is_callout
from council_papers.model import Block, DocumentPart, Section

PAGE_REFERENCE = re.compile(r"\s*\((?:pages?|pp?\.?)\s*[\d\s\-–—,]+\)\s*$", re.IGNORECASE)
FURNITURE = re.compile(
    r"^(this page (is )?(intentionally|deliberately) (left )?blank|page \d+( of \d+)?|\d{1,3})$",
    re.IGNORECASE,
)
NUMBERING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+\S")
MAX_LEVEL = 4
SHORT_VALUE_WORDS = 12


def build_sections(part: DocumentPart) -> list[Section]:
    """The part's sections in order; text before the first heading joins the first section."""
    blocks = part.blocks
    keep: list[int] = []
    for i, block in enumerate(blocks):
        if block.kind == "heading" and is_heading(blocks, i):
            if keep and heading_text(blocks[keep[-1]].text) == heading_text(block.text):
                continue  # the same heading again with no other between: a running header
            keep.append(i)
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
    if "@" in text or "://" in text:
        return False
    if blocks[i].level is None and not colon_label_ok(text):
        return False  # "RESOLVED that the Board:" leads into a list; it is not a title
    return not is_form_label(blocks, i)


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
