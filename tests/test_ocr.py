"""Scanned (image-only) PDF pages: detected, reported by file and page, read by Tesseract.

The scan is made here: a sample page rendered by PDFium to an image and saved back as an
image-only PDF, so the OCR text can be compared with the same page's text layer.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from rapidfuzz import fuzz

from council_papers.ingest.pdf import read_pdf

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLE = SHARED / "corpus" / "pdf" / "scrutiny-board-2025-09-17-agenda-minutes-report.pdf"

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason=f"sample PDF not found: {SAMPLE}")


def scanned_copy(folder: Path, page_index: int = 0, dpi: int = 200) -> Path:
    """An image-only PDF of one sample page (no text layer)."""
    image = pdfium.PdfDocument(SAMPLE)[page_index].render(scale=dpi / 72, grayscale=True).to_pil()
    path = folder / "scanned.pdf"
    image.save(path, "PDF", resolution=dpi)
    return path


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.mark.skipif(shutil.which("tesseract") is None,
                    reason="Tesseract is not installed (apt-get install tesseract-ocr): OCR cannot run")
def test_scanned_page_is_read_by_ocr_in_reading_order(tmp_path):
    scan = scanned_copy(tmp_path)
    assert pdfium.PdfDocument(scan)[0].get_textpage().count_chars() == 0  # really image-only
    source = read_pdf(scan, tmp_path)
    assert len(source.warnings) == 1
    assert source.warnings[0].startswith("page 1 ")  # the build prefixes the file's path
    assert "OCR" in source.warnings[0]
    assert all(b.page == 1 for b in source.blocks)

    original = read_pdf(SAMPLE, SAMPLE.parent)
    expected = words(" ".join(b.text for b in original.blocks if b.page == 1))
    found = words(" ".join(b.text for b in source.blocks))
    # same words in the same order: the two columns were not interleaved
    assert fuzz.ratio(expected, found) >= 90
    left, right = found.find("private business"), found.find("membership:")
    assert 0 <= left < right


def test_scanned_page_without_tesseract_is_reported(tmp_path, monkeypatch):
    """With no tesseract on PATH the file fails with a reason that says how to fix it."""
    scan = scanned_copy(tmp_path, dpi=72)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(ValueError, match="Tesseract is not installed") as error:
        read_pdf(scan, tmp_path)
    assert "scanned.pdf" in str(error.value)
