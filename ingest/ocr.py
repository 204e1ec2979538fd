"""OCR of image-only (scanned) PDF pages with the Tesseract command-line tool.

A page with no text layer but an image is rendered by PDFium at 300 dpi and read by
``tesseract ... hocr``, which gives every word with its box and every line with its
estimated text size (``x_size``: the same for a line with or without descenders); the
words go through the same layout as PDF text, so columns, headings and paragraphs come
out the same way (bold and italic are not known). Tesseract is a system program
(``apt-get install tesseract-ocr``), not a Python package: when it is missing the reader
says so in the source's warnings instead of failing.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

from .pdf_layout import Word

DPI = 300
TIMEOUT = 120  # seconds for one page
SIZE_NOISE = 0.12
LINE_CLASSES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"}


def tesseract_path() -> str | None:
    """The tesseract executable, if installed."""
    return shutil.which("tesseract")


def ocr_page(page, language: str = "eng") -> list[Word]:
    """Words of a PDFium page, in points with the origin top left."""
    scale = DPI / 72
    image = page.render(scale=scale, grayscale=True).to_pil()
    png = io.BytesIO()
    image.save(png, format="PNG")
    result = subprocess.run(
        [tesseract_path() or "tesseract", "stdin", "stdout", "-l", language, "hocr"],
        input=png.getvalue(), capture_output=True, timeout=TIMEOUT, check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    return words_from_hocr(result.stdout.decode("utf-8", "replace"), scale)


def words_from_hocr(hocr: str, scale: float) -> list[Word]:
    """hOCR → words; each takes its line's box (top, bottom) and text size.

    Tesseract's size estimates wander by a tenth from line to line; sizes that close to
    the page's median are set to it, so body text reads as one size.
    """
    parser = _HocrWords(scale)
    parser.feed(hocr)
    sizes = sorted(w.size for w in parser.words)
    if sizes:
        median = sizes[len(sizes) // 2]
        for word in parser.words:
            if abs(word.size - median) <= SIZE_NOISE * median:
                word.size = median
    return parser.words


class _HocrWords(HTMLParser):
    def __init__(self, scale: float) -> None:
        super().__init__()
        self.scale = scale
        self.words: list[Word] = []
        self.line: tuple[float, float, float] | None = None  # top, bottom, size in points
        self.word_box: list[float] | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        kind, title = attributes.get("class") or "", attributes.get("title") or ""
        box = re.search(r"bbox (\d+) (\d+) (\d+) (\d+)", title)
        if not box:
            return
        x0, top, x1, bottom = (int(v) / self.scale for v in box.groups())
        if kind in LINE_CLASSES:
            size = re.search(r"x_size ([\d.]+)", title)
            self.line = (top, bottom, float(size.group(1)) / self.scale if size else bottom - top)
        elif kind == "ocrx_word":
            self.word_box, self.text = [x0, top, x1, bottom], ""

    def handle_data(self, data: str) -> None:
        if self.word_box is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.word_box is not None:
            text = self.text.strip()
            if text:
                x0, top, x1, bottom = self.word_box
                if self.line:
                    top, bottom, size = self.line
                else:
                    size = bottom - top
                self.words.append(Word(text, x0, top, x1, bottom, round(size, 1)))
            self.word_box = None
