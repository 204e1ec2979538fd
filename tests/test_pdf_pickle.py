"""A PDF page's lines cross a process boundary intact: worker processes read pages and send
their lines (in reading order) back to the parent by pickle.

Runs on a page of a sample PDF in ../shared/corpus/pdf (two columns, headings, lists).
"""
from __future__ import annotations

import pickle
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from council_papers.ingest.pdf_layout import PICKLE_SEPARATOR, Line, Word, fragments, reading_order
from council_papers.ingest.pdf_page import PageReader

SAMPLE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "pdf" / \
    "scrutiny-board-2025-09-17-agenda-minutes-report.pdf"
WORD_FIELDS = ("text", "x0", "top", "x1", "bottom", "size", "bold", "italic", "mid")
LINE_FIELDS = ("bullet", "kind", "x0", "x1", "top", "bottom", "text", "size", "bold", "italic")

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason=f"sample PDF not found: {SAMPLE}")


def page_lines(index: int) -> list[Line]:
    """One page's lines in reading order, as a worker reads them."""
    document = pdfium.PdfDocument(SAMPLE)
    try:
        page = document[index]
        top = page.get_bbox()[3]
        textpage = page.get_textpage()
        words = PageReader().words(textpage, top)
        textpage.close()
        page.close()
    finally:
        document.close()
    return reading_order(fragments(words))


def fields(line: Line) -> tuple:
    words = tuple(tuple((getattr(w, f), type(getattr(w, f))) for f in WORD_FIELDS) for w in line.words)
    return words, tuple((getattr(line, f), type(getattr(line, f))) for f in LINE_FIELDS)


@pytest.mark.parametrize("protocol", [pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL])
def test_page_lines_survive_a_pickle_round_trip(protocol):
    lines = page_lines(0)
    assert len(lines) > 20 and any(line.bold for line in lines)
    restored = pickle.loads(pickle.dumps(lines, protocol=protocol))
    assert [type(line) for line in restored] == [Line] * len(lines)
    assert [fields(line) for line in restored] == [fields(line) for line in lines]


def test_an_unpickled_line_keeps_what_was_worked_out():
    """Loading restores the stored box, text and style; it does not lay the words out again."""
    line = page_lines(0)[0]
    line.text, line.size, line.bullet = "stored text", 99.5, True
    restored = pickle.loads(pickle.dumps(line))
    assert (restored.text, restored.size, restored.bullet) == ("stored text", 99.5, True)
    assert [w.text for w in restored.words] == [w.text for w in line.words]


def test_a_word_holding_the_pickle_separator_survives():
    """Word texts travel joined by a separator; a text that holds it travels apart."""
    words = [Word("a" + PICKLE_SEPARATOR + "b", 10, 20, 30, 30, 10.0), Word("c", 34, 20, 40, 30, 10.0, True)]
    line = Line(words)
    restored = pickle.loads(pickle.dumps(line))
    assert fields(restored) == fields(line)
    assert [w.text for w in restored.words] == ["a" + PICKLE_SEPARATOR + "b", "c"]
