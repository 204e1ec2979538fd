"""Robustness under random input: readers and extractors never crash on odd text.

Property-based tests (hypothesis) feed the text and Markdown readers random text, random
bytes and mutated corpus text (slices, shuffled lines, stray quote marks, ``#``, ``**``,
numbers, £ and % signs, lost newlines), then run the whole extraction on what they read.
The only error a reader may raise is ``ValueError`` for a file that holds no readable
text. The extractors are also fed hand-built blocks (empty, punctuation only, huge
numbers, unbalanced quotes, any unicode, letters such as "ſ" that case-blind patterns take
for ASCII) directly. Example counts are bounded so the file runs in well under a minute on
two cores; ``COUNCIL_PAPERS_FUZZ_EXAMPLES`` raises them for a deeper hunt.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from council_papers.extract.case_studies import find_case_studies
from council_papers.extract.figures import extract_figures
from council_papers.extract.quotes import extract_quotes
from council_papers.extract.sections import build_sections
from council_papers.extract.speakers import attribute_speaker, caption_attribution, roles_mentioned, split_name_role
from council_papers.ingest import read_source
from council_papers.ingest.metadata import read_metadata
from council_papers.ingest.split import split_documents
from council_papers.model import Block, DocumentPart, Source
from council_papers.nlp import load_nlp
from council_papers.parsing import parse_source

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SUFFIXES = (".txt", ".md")
# Characters that drive the readers' and extractors' decisions.
TRICKY = [
    '"', "“", "”", "‘", "’", "'", "#", "# ", "## ", "**", "*", "_", "__", "|", "\t", "> ", "- ", "• ",
    "£", "%", "£1.5m", "12%", "1e400", "9" * 400, "0.", ",", "2024/25", "(", ")", "[", "](", "<b>",
    "</b>", "<sup>", ":", "said:", " said ", "Agenda Item 4", "Minutes of the meeting of", "’s story",
    "\n", "\n\n", "\f", "\u00a0", "\u200b", "é", "中", "🙂", "\ufeff", "²", "½", "①", "٣",
    "17 September 2025", "Sept 2024", "31/02/2024", "six", "first", "twenty-five",
    "This page is intentionally left blank", "(Pages 3 - 10)", "Appendix 1: ", "To:", "Subject:",
    "Briefing note", "Case Study 1 - ", "# **", "[](x)",
]
EXAMPLES = int(os.environ.get("COUNCIL_PAPERS_FUZZ_EXAMPLES", "150"))
FIELDS = dict(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@lru_cache(maxsize=None)
def corpus_texts() -> tuple[str, ...]:
    files = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
    return tuple(f.read_text(encoding="utf-8") for f in files)


def needs_corpus() -> tuple[str, ...]:
    texts = corpus_texts()
    if not texts:
        pytest.skip(f"corpus text files not found in {CORPUS} (the shared corpus sits beside the repository)")
    return texts


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_or_reject(path: Path) -> Source | None:
    """The reader's result, or None when it rejects the file with its designed ValueError."""
    try:
        return read_source(path, path.parent)
    except ValueError as exc:
        assert path.name in str(exc) and str(exc).rstrip().split(":")[-1].strip(), f"unclear rejection: {exc}"
        return None


def check_read(source: Source) -> None:
    """A reader's blocks all hold text, and their lines lie inside the file."""
    assert source.blocks
    for block in source.blocks:
        assert block.text.strip(), f"empty block at line {block.line}"
        assert block.line is not None and 1 <= block.line <= (block.line_end or block.line) <= source.line_count


def source_of(blocks: list[Block]) -> Source:
    """A source as a reader would return it, around hand-built blocks."""
    return Source(path="input.txt", source_file="input.txt", source_key="input.txt", sha256="0" * 64,
                  format="text", blocks=blocks, line_count=max((b.line_end or 0 for b in blocks), default=0),
                  page_count=max((b.page or 0 for b in blocks), default=0) or None)


def check_parsed(source: Source, nlp) -> None:
    """Run the whole extraction and check the rows point where they should."""
    docs = parse_source(source, nlp)
    assert docs, "a readable source yields at least one document"
    for doc in docs:
        assert doc.part.blocks
        n = len(doc.sections)
        assert all(s.parent is None or 0 <= s.parent < n for s in doc.sections)
        assert all(f.section is None or 0 <= f.section < n for f in doc.figures)
        assert all(q.case_study is None or 0 <= q.case_study < len(doc.case_studies) for q in doc.quotes)
        assert all(q.text for q in doc.quotes)


@st.composite
def mutated_corpus(draw) -> str:
    """A slice of a corpus file, then a few random edits of the kinds readers must survive."""
    texts = needs_corpus()
    text = draw(st.sampled_from(texts))
    start = draw(st.integers(0, len(text) - 1))
    text = text[start:start + draw(st.integers(1, 2500))]
    for _ in range(draw(st.integers(0, 8))):
        edit = draw(st.sampled_from(["insert", "insert", "prefix", "shuffle", "join", "drop", "duplicate"]))
        lines = text.split("\n")
        if edit == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(TRICKY)) + text[at:]
        elif edit == "prefix":  # markup at a line start: headings, bullets, quotes, table rows
            at = draw(st.integers(0, len(lines) - 1))
            lines[at] = draw(st.sampled_from(TRICKY)) + lines[at]
            text = "\n".join(lines)
        elif edit == "shuffle":
            text = "\n".join(draw(st.permutations(lines)))
        elif edit == "join":  # delete some newlines
            keep = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
            text = "".join(line + ("\n" if k else " ") for line, k in zip(lines, keep))
        elif edit == "drop":
            at = draw(st.integers(0, len(lines) - 1))
            text = "\n".join(lines[:at] + lines[at + 1:])
        else:
            at = draw(st.integers(0, len(lines) - 1))
            text = "\n".join(lines[:at + 1] + lines[at:])
    return text


# Letters a case-blind pattern takes for ASCII ones: long s, dotless i, dotted capital I, Kelvin sign.
LOOKALIKES = {"s": "ſ", "S": "ſ", "i": "ı", "I": "İ", "k": "K", "K": "K"}


@st.composite
def lookalike_text(draw, text: str) -> str:
    """``text`` with some letters swapped for the Unicode letters that fold to them."""
    chars = list(text)
    spots = [i for i, c in enumerate(chars) if c in LOOKALIKES]
    for i in draw(st.lists(st.sampled_from(spots), max_size=40, unique=True)) if spots else []:
        chars[i] = LOOKALIKES[chars[i]]
    return "".join(chars)


random_text = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(min_size=1, max_size=30)),
                       max_size=60).map("".join)
# Mostly text in some encoding, with stray bytes: what a mis-saved or truncated file holds.
text_like_bytes = st.lists(st.one_of(
    st.binary(min_size=1, max_size=3),
    st.tuples(random_text, st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16"])).map(
        lambda t: t[0].encode(t[1], errors="replace")),
), max_size=8).map(b"".join)


@settings(**FIELDS)
@given(data=st.binary(max_size=2000) | text_like_bytes, suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_are_read_or_rejected(tmp_path, nlp, data, suffix):
    source = read_or_reject(write(tmp_path, "input" + suffix, data))
    if source is not None:
        check_read(source)
        check_parsed(source, nlp)


@settings(**FIELDS)
@given(text=random_text, suffix=st.sampled_from(SUFFIXES),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_random_text_is_read_and_parsed(tmp_path, nlp, text, suffix, encoding):
    source = read_or_reject(write(tmp_path, "input" + suffix, text.encode(encoding)))
    if source is not None:
        check_read(source)
        check_parsed(source, nlp)


@settings(**FIELDS)
@given(text=mutated_corpus(), suffix=st.sampled_from(SUFFIXES))
def test_mutated_corpus_text_is_read_and_parsed(tmp_path, nlp, text, suffix):
    source = read_or_reject(write(tmp_path, "input" + suffix, text.encode("utf-8")))
    if source is not None:
        check_read(source)
        check_parsed(source, nlp)


@st.composite
def corpus_line(draw) -> str:
    """A line of a corpus file, maybe with a tricky piece put in it."""
    lines = draw(st.sampled_from(needs_corpus())).split("\n")
    line = draw(st.sampled_from(lines))
    at = draw(st.integers(0, len(line)))
    return line[:at] + draw(st.just("") | st.sampled_from(TRICKY)) + line[at:]


PAPER_BREAKS = ["This page is intentionally left blank", "Agenda Item 5", "Briefing note",
                "Minutes of the meeting of the Scrutiny Board held on 2 April 2025"]


@st.composite
def corpus_window(draw) -> list[str]:
    """Runs of consecutive corpus lines, so real structure (agenda items, stories) comes along,
    sometimes several runs set apart the way papers in a pack are."""
    window = []
    for _ in range(draw(st.integers(1, 3))):
        lines = [ln for ln in draw(st.sampled_from(needs_corpus())).split("\n") if ln.strip()]
        start = draw(st.integers(0, len(lines) - 1))
        window += [draw(st.sampled_from(PAPER_BREAKS))] * draw(st.booleans())
        window += lines[start:start + draw(st.integers(1, 40))]
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(window) - 1))
        cut = draw(st.integers(0, len(window[at])))
        window[at] = window[at][:cut] + draw(st.sampled_from(TRICKY)) + window[at][cut:]
    return window


block_text = st.one_of(
    st.just(""), st.text(alphabet=".,;:!?-–—()[]\"'“”‘’*#|", max_size=20), st.sampled_from(TRICKY),
    random_text, st.text(max_size=80), corpus_line(), corpus_line(),
)


@st.composite
def block_stream(draw, texts=block_text) -> list[Block]:
    """Blocks as a reader might yield them: lines in order (text files), pages only (PDFs),
    or no position at all (built by hand)."""
    placed = draw(st.sampled_from(["line", "line", "page", "page", "none"]))
    by_page = placed == "page"
    blocks, where = [], 1
    for text in draw(st.lists(texts, max_size=25) | corpus_window()):
        span = draw(st.integers(0, 4))
        level = draw(st.none() | st.integers(1, 6))
        kind = draw(st.sampled_from(["heading", "paragraph", "list_item", "table_row", "quote"]))
        blocks.append(Block(
            text=text, kind=kind, level=level, bold=draw(st.booleans()), italic=draw(st.booleans()),
            line=where if placed == "line" else None, line_end=where + span if placed == "line" else None,
            page=where if by_page else None, font_size=draw(st.none() | st.floats(1, 72)),
        ))
        where += span + draw(st.integers(0 if by_page else 1, 2))
    return blocks


@settings(**FIELDS)
@given(blocks=block_stream())
def test_extractors_survive_hand_built_blocks(nlp, blocks):
    assume(any(b.text for b in blocks))
    part = DocumentPart(meta=read_metadata(blocks), blocks=blocks)
    sections = build_sections(part)
    stories = find_case_studies(part, sections, nlp)
    extract_figures(part, sections, nlp)
    extract_quotes(part, sections, stories, nlp)


@settings(**FIELDS)
@given(blocks=block_stream())
def test_splitting_survives_hand_built_blocks(nlp, blocks):
    assume(any(b.text for b in blocks))
    source = source_of(blocks)
    parts = split_documents(source)
    assert parts and parts[0].parent is None
    assert all(p.parent in (None, 0) for p in parts)
    check_parsed(source, nlp)


@settings(**FIELDS)
@given(lead=block_text, tail=block_text, quote=block_text, subject=st.none() | block_text)
def test_speaker_attribution_survives_any_words(nlp, lead, tail, quote, subject):
    attr = attribute_speaker(lead, tail, quote, nlp, subject)
    assert attr.speaker is None or attr.speaker.strip()
    split_name_role(lead, nlp)
    caption_attribution(tail)
    roles_mentioned(quote)


@settings(**FIELDS)
@given(blocks=block_stream(corpus_line().flatmap(lookalike_text)))
def test_lookalike_letters_do_not_break_metadata_stories_quotes_or_figures(nlp, blocks):
    """Case-blind patterns match "ſeptember" and "ſix"; what reads the match must cope with it."""
    assume(any(b.text for b in blocks))
    for part in split_documents(source_of(blocks)):
        sections = build_sections(part)
        extract_quotes(part, sections, find_case_studies(part, sections, nlp), nlp)
        extract_figures(part, sections, nlp)
