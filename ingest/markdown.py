"""Markdown reader: one block per heading, paragraph, list item, table row or quote.

Converted council papers use Markdown loosely: headings as ``#`` lines but also as
bold-only lines (``**Time and Date**``) and numbered bold items (``1. **Apologies**``);
tables as tab-separated lines with HTML cells; ``<sup>``, ``<b>`` and ``<p>`` fragments;
big callout numbers set as ``# 10,564``. Blocks keep the original in ``raw`` and clean
text in ``text``; the sections extractor decides which heading candidates are real.
"""
from __future__ import annotations

import re

from council_papers.model import Block

from .text import BULLET, ENUMERATOR, title_like, colon_label_ok, continues, is_callout, join_lines

ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
QUOTE_LINE = re.compile(r"^ {0,3}>\s?")
PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
BLOCK_TAG = re.compile(r"</?(p|div|br|li|ul|ol|tr|td|th|table|h[1-6])\b[^>]*>", re.IGNORECASE)
INLINE_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
EMPHASIS = re.compile(r"\*+|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])")
LEADING_SYMBOL = re.compile(r"^[●•▪◦■□➢►▶]\s*")
HTML_BOLD = re.compile(r"^<(b|strong)>(.*)</\1>$", re.IGNORECASE | re.DOTALL)
MAX_HEADING_WORDS = 25
LONG_HEADING_WORDS = 12


def clean_inline(raw: str) -> str:
    """Markdown/HTML inline markup → plain text: link text kept, tags and markers dropped."""
    text = IMAGE.sub(r"\1", raw)
    text = LINK.sub(r"\1", text)
    text = AUTOLINK.sub(r"\1", text)
    text = BLOCK_TAG.sub(" ", text)
    text = INLINE_TAG.sub("", text)
    text = text.replace("\\\\", "\x00")
    text = EMPHASIS.sub(lambda m: "" if "\\" not in m.group() else m.group(), text)
    text = ESCAPE.sub(lambda m: "" if m.group(1) in "*_" else m.group(1), text)
    text = text.replace("\\", "").replace("\x00", "\\")
    text = text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return re.sub(r"\s+", " ", text).strip()


def whole_emphasis(raw: str) -> tuple[bool, bool]:
    """(bold, italic) when the whole of ``raw`` sits inside one emphasis span."""
    s = raw.strip()
    html = HTML_BOLD.match(s)
    if html and "<b>" not in html.group(2).lower():
        return True, False
    for marker, bold, italic in (("***", True, True), ("**", True, False), ("*", False, True),
                                 ("__", True, False), ("_", False, True)):
        if len(s) > 2 * len(marker) and s.startswith(marker) and s.endswith(marker):
            inner = s[len(marker):-len(marker)]
            if marker not in inner and not inner.startswith(marker[0]) and not inner.endswith(marker[0]):
                return bold, italic
            if marker == "***":
                continue
    return False, False


def parse_markdown(text: str) -> list[Block]:
    """Blocks of a Markdown document, each with its 1-based source lines."""
    lines = text.split("\n")
    blocks: list[Block] = []
    run: list[tuple[int, str]] = []  # the open paragraph / list item / quote
    run_kind = "paragraph"

    def flush() -> None:
        nonlocal run_kind
        if run:
            blocks.extend(b for b in _run_blocks(run, run_kind) if b.text)
            run.clear()
        run_kind = "paragraph"

    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r")
        if not line.strip():
            flush()
        elif RULE.match(line) or PIPE_SEPARATOR.match(line):
            flush()
        elif heading := ATX_HEADING.match(line):
            flush()
            block = _atx_block(heading, number, line)
            if block:
                blocks.append(block)
        elif "\t" in line or line.lstrip().startswith("|"):
            flush()
            row = _table_row(line, number)
            if row:
                blocks.append(row)
        elif QUOTE_LINE.match(line):
            if run_kind != "quote":
                flush()
                run_kind = "quote"
            run.append((number, QUOTE_LINE.sub("", line)))
        elif BULLET.match(line) or _numbered_item(line):
            flush()
            run_kind = "list_item"
            run.append((number, line))
        else:
            run.append((number, line))
    flush()
    return blocks


def _numbered_item(line: str) -> bool:
    return bool(re.match(r"^\s*\d{1,2}[.)]\s+\S", line))


def _atx_block(match: re.Match, number: int, line: str) -> Block | None:
    """A ``#`` line's block, or None when only markup follows the ``#`` (``# **``)."""
    raw_text = match.group(2)
    text = LEADING_SYMBOL.sub("", clean_inline(raw_text))
    if not text:
        return None
    bold, italic = whole_emphasis(raw_text)
    if is_callout(text):
        return Block(text=text, kind="paragraph", line=number, line_end=number, raw=line, bold=bold)
    return Block(text=text, kind="heading", line=number, line_end=number, level=len(match.group(1)),
                 bold=bold, italic=italic, raw=line)


def _table_row(line: str, number: int) -> Block | None:
    cells = [clean_inline(c) for c in re.split(r"\t|(?<!\\)\|", line.strip().strip("|"))]
    cells = [c for c in cells if c]
    if not cells:
        return None
    bold = all(whole_emphasis(c)[0] for c in re.split(r"\t|\|", line.strip().strip("|")) if c.strip())
    return Block(text=" | ".join(cells), kind="table_row", line=number, line_end=number, raw=line, bold=bold)


def _run_blocks(run: list[tuple[int, str]], kind: str) -> list[Block]:
    """One paragraph / list item / quote; a stack of wholly-bold lines splits into titles."""
    if kind == "paragraph" and len(run) > 1 and all(whole_emphasis(t)[0] for _, t in run):
        groups: list[list[tuple[int, str]]] = [[run[0]]]
        for number, line in run[1:]:
            if continues(clean_inline(groups[-1][-1][1]), clean_inline(line)):
                groups[-1].append((number, line))
            else:
                groups.append([(number, line)])
        blocks = [_block(g, kind) for g in groups]
        title = max(blocks, key=lambda b: len(b.text.split()))
        for block in blocks:  # a stack is one title with its labels: "Coventry City Council" / "Minutes of ..."
            if block is not title and block.kind == "heading":
                block.kind = "paragraph"
        return blocks
    return [_block(run, kind)]


def _block(run: list[tuple[int, str]], kind: str) -> Block:
    raw = "\n".join(t for _, t in run)
    body = [t for _, t in run]
    if kind == "list_item":
        body[0] = BULLET.sub("", body[0], count=1)
    text = join_lines([clean_inline(t) for t in body])
    emphasis = [whole_emphasis(t) for t in body]
    bold = all(b for b, _ in emphasis) or whole_emphasis(" ".join(body))[0]
    italic = all(i for _, i in emphasis) or whole_emphasis(" ".join(body))[1]
    block = Block(text=text, kind=kind, line=run[0][0], line_end=run[-1][0], raw=raw, bold=bold, italic=italic)
    if _bold_heading_candidate(body, bold, text):
        block.kind = "heading"
    return block


def _bold_heading_candidate(body: list[str], bold: bool, text: str) -> bool:
    """A short wholly-bold line, or a numbered item whose words are bold (``1. **Minutes**``)."""
    if len(text.split()) > MAX_HEADING_WORDS or is_callout(text) or not colon_label_ok(text):
        return False
    if text.endswith(".") or text[:1] in "'\"‘“":
        return False
    if len(text.split()) > LONG_HEADING_WORDS and not title_like(text):
        return False  # a bold sentence, not a title
    if bold:
        return True
    enumerator = ENUMERATOR.match(body[0])
    if enumerator and len(body) == 1:
        rest = re.sub(r"\s*\((pages?|page)\b[^)]*\)\s*$", "", body[0][enumerator.end():], flags=re.IGNORECASE)
        return whole_emphasis(rest)[0]
    return False

