"""Readers: format detection, decoding, clean blocks and their source lines, on the real corpus."""
import re
from pathlib import Path

import pytest

from council_papers.ingest import decode, read_source
from gold import gold_rows

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"

AGENDA_PACK = "001_4dab42d7330c5b9d.txt"  # Markdown named .txt
CLEAN_TEXT = "000_daf31ef1ce82e922.txt"
RAW_PDF_TEXT = "002_f441da0c6d574aa3.txt"


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {path} is absent (the shared corpus is not checked out)")
    return path


def source_lines(name: str) -> list[str]:
    return corpus_file(name).read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def pack():
    return read_source(corpus_file(AGENDA_PACK), CORPUS)


@pytest.fixture(scope="module")
def raw():
    return read_source(corpus_file(RAW_PDF_TEXT), CORPUS)


def test_markdown_named_txt_is_read_as_markdown(pack):
    assert pack.format == "markdown"
    assert pack.source_file == AGENDA_PACK
    assert pack.source_key == AGENDA_PACK
    assert len(pack.sha256) == 64


def test_plain_text_is_read_as_text():
    assert read_source(corpus_file(CLEAN_TEXT), CORPUS).format == "text"


def test_root_may_be_the_file_itself():
    path = corpus_file(CLEAN_TEXT)
    assert read_source(path, path).source_key == path.name


def test_markdown_block_text_is_clean_and_raw_is_kept(pack):
    for block in pack.blocks:
        assert "**" not in block.text and "<sup>" not in block.text and "<b>" not in block.text
        assert not block.text.startswith("#")
    marked_up = [b for b in pack.blocks if "<sup>" in b.raw]
    assert marked_up and all("<sup>" not in b.text for b in marked_up)


def test_markdown_blocks_start_on_their_source_line(pack):
    lines = source_lines(AGENDA_PACK)
    for block in (b for b in pack.blocks if re.search(r"\w", b.text)):
        first_word = re.search(r"\w+", block.text).group()
        assert first_word in lines[block.line - 1], (block.line, block.text[:60])


def test_markdown_headings_keep_their_level(pack):
    lines = source_lines(AGENDA_PACK)
    headings = [b for b in pack.blocks if b.kind == "heading" and b.level]
    assert headings
    for block in headings:
        assert lines[block.line - 1].startswith("#" * block.level + " ")


def test_bold_only_lines_and_numbered_bold_items_are_heading_candidates(pack):
    """Gold headings set as bold lines in the Markdown are offered as candidates."""
    lines = source_lines(AGENDA_PACK)
    candidates = {b.line for b in pack.blocks if b.kind == "heading"}
    bold_gold = [g for g in gold_rows(AGENDA_PACK, "sections") if not lines[g["line"] - 1].startswith("#")]
    assert bold_gold
    assert all(g["line"] in candidates for g in bold_gold)


def test_callout_numbers_are_not_heading_candidates(pack):
    lines = source_lines(AGENDA_PACK)
    callouts = [n for n, line in enumerate(lines, start=1) if line.startswith("# ") and line[2:3].isdigit()
                and "." not in line[2:].split()[0][-1:] and len(line.split()) == 2]
    assert callouts, "the pack sets callout numbers as '# 10,564'"
    by_line = {b.line: b for b in pack.blocks}
    for n in callouts:
        assert by_line[n].kind == "paragraph"


def test_tab_separated_lines_are_table_rows(pack):
    lines = source_lines(AGENDA_PACK)
    tabbed = [n for n, line in enumerate(lines, start=1) if "\t" in line and line.strip()]
    rows = {b.line for b in pack.blocks if b.kind == "table_row"}
    assert tabbed and set(tabbed) <= rows


def test_raw_pdf_text_joins_lines_broken_mid_sentence(raw):
    lines = source_lines(RAW_PDF_TEXT)
    paragraphs = [b for b in raw.blocks if b.kind == "paragraph" and b.line_end - b.line >= 3]
    assert paragraphs
    for block in paragraphs:
        assert "\n" not in block.text
        assert block.text.startswith(lines[block.line - 1].strip()[:20])
    # the first paragraph of the report runs over several source lines and becomes one block
    assert max(b.line_end - b.line for b in paragraphs) >= 8


def test_raw_pdf_text_joins_a_heading_broken_over_two_lines(raw):
    lines = source_lines(RAW_PDF_TEXT)
    first = gold_rows(RAW_PDF_TEXT, "sections")[0]
    heading = next(b for b in raw.blocks if b.kind == "heading")
    assert heading.line == first["line"]
    assert heading.text == first["heading"]
    assert heading.line_end > heading.line and first["heading"] != lines[first["line"] - 1].strip()


def test_raw_pdf_text_drops_page_numbers(raw):
    """The first lone number in the report is a page number: no block holds it, no text includes it."""
    lines = source_lines(RAW_PDF_TEXT)
    page_line = next(n for n, line in enumerate(lines, start=1) if re.fullmatch(r"\s*\d{1,3}\s*", line))
    page = lines[page_line - 1].strip()
    assert all(b.line != page_line for b in raw.blocks)
    around = [b for b in raw.blocks if b.line < page_line < b.line_end]
    assert all(not re.search(rf"\b{page}\b", b.text) for b in around)


def test_decoding_fallbacks_and_rejections():
    assert decode("\ufeffCare Act".encode("utf-8")) == "Care Act"
    assert decode("Care Act £5".encode("utf-16")) == "Care Act £5"
    assert decode("caf\xe9 £5".encode("cp1252")) == "café £5"
    with pytest.raises(ValueError, match="empty"):
        decode(b"   \n")
    with pytest.raises(ValueError, match="binary"):
        decode(bytes(range(256)) * 4)


LETTER_SPACED = "004_42c5a85ede2cd3a6.txt"  # raw PDF text whose letter spacing broke words apart


def test_raw_pdf_text_blocks_keep_their_source_lines_in_raw(raw):
    """``raw`` holds every source line the block spans, blank lines too, so a position in it
    maps to an exact line (page numbers dropped from the text are blanked)."""
    lines = source_lines(RAW_PDF_TEXT)
    spanning_blanks = 0
    for block in raw.blocks:
        rows = block.raw.split("\n")
        assert len(rows) == block.line_end - block.line + 1
        for number, row in enumerate(rows, start=block.line):
            assert row in ("", lines[number - 1].rstrip())
        spanning_blanks += "" in rows
    assert spanning_blanks, "some paragraphs run on across blank lines"


def test_words_broken_by_letter_spacing_are_mended():
    """A word printed as two pieces ("Aw" / "ards") is joined when the document spells it whole
    elsewhere; the reader never makes a word the document does not hold."""
    path = corpus_file(LETTER_SPACED)
    text = path.read_text(encoding="utf-8")
    blocks = read_source(path, CORPUS).blocks
    broken = next(n for n, line in enumerate(text.split("\n"), start=1) if line.strip() == "Aw")
    block = next(b for b in blocks if b.line <= broken <= b.line_end)
    assert "Awards" in block.text and "Aw ards" not in block.text
    source_words = set(re.findall(r"[A-Za-z]+", text))
    for block in blocks:
        assert set(re.findall(r"[A-Za-z]+", block.text)) <= source_words


def test_glossary_terms_are_not_heading_candidates(raw):
    """Under a glossary heading each term leads its definition; it is not a heading."""
    expected = gold_rows(RAW_PDF_TEXT, "sections")
    at = next(n for n, g in enumerate(expected) if g["heading"].lower() == "glossary")
    start, end = expected[at]["line"], expected[at + 1]["line"]
    assert end - start > 20, "the glossary runs over many lines"
    assert not [b.text for b in raw.blocks if b.kind == "heading" and start < b.line < end]
