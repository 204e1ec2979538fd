"""One PDF page through PDFium: its words with size and weight, and the shapes that matter.

PDFium hands out characters one call at a time, and a call costs about a microsecond, so
the page's text comes in one ``FPDFText_GetText`` call and is cut into words at the spaces
and line breaks PDFium reports; each word then costs a handful of calls (the boxes of its
first and last character, the style of its first). A word whose two ends do not sit on
one line (PDFium joins a line-end hyphen to the next line) is measured character by
character and split. Styles are read from the font (weight, italic angle, name) and the
text matrix (size in points; a slanted matrix is synthetic italic; a fill-and-stroke
render mode is synthetic bold). Page objects are scanned once for small round or square
paths (list bullets drawn as shapes), thin ruling lines (tables) and images (scans).
"""
from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c

from .pdf_layout import Word

SEPARATORS = {" ", "\r", "\n", "\t", "\xa0", "\u2002", "\u2003", "\u2009", "\u200b", "\ufeff"}
LINE_END_HYPHEN = "\x02"  # PDFium's mark for a hyphen that ends a line
BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demibold", "extrabold")
ITALIC_NAMES = ("italic", "oblique")
FONT_FLAG_ITALIC = 1 << 6
FONT_FLAG_FORCE_BOLD = 1 << 18


@dataclass
class Shapes:
    """What a page draws besides text."""

    dots: list[tuple[float, float, float, float]] = field(default_factory=list)  # bullet marks
    horizontal_rules: int = 0
    vertical_rules: int = 0
    image_area: float = 0.0

    @property
    def ruled(self) -> bool:
        """Enough ruling lines in both directions to hold a table."""
        return self.horizontal_rules >= 2 and self.vertical_rules >= 2


class PageReader:
    """Reads words and shapes from PDFium pages; caches font styles across the document."""

    def __init__(self) -> None:
        self._styles: dict[tuple[int | None, float], tuple[float, bool, bool] | None] = {}
        self._rect = pdfium_c.FS_RECTF()
        self._rect2 = pdfium_c.FS_RECTF()
        self._matrix = pdfium_c.FS_MATRIX()

    def words(self, textpage, page_top: float) -> list[Word]:
        """The page's words, top-left origin, in PDFium's order."""
        tp = textpage.raw
        count = pdfium_c.FPDFText_CountChars(tp)
        if count <= 0:
            return []
        text = _page_text(tp, count)
        out: list[Word] = []
        i = 0
        while i < count:
            if text[i] in SEPARATORS:
                i += 1
                continue
            start = i
            while i < count and text[i] not in SEPARATORS and text[i] != LINE_END_HYPHEN:
                i += 1
            if i < count and text[i] == LINE_END_HYPHEN:
                i += 1  # the hyphen ends its word
            out += self._word(tp, text, start, i - 1, page_top)
        return out

    def _word(self, tp, text: str, start: int, end: int, page_top: float) -> list[Word]:
        style = self._style(tp, start)
        if style is None:  # rotated text: chart labels, stamps
            return []
        size, bold, italic = style
        a, b = self._rect, self._rect2
        pdfium_c.FPDFText_GetLooseCharBox(tp, start, a)
        pdfium_c.FPDFText_GetLooseCharBox(tp, end, b)
        height = min(a.top - a.bottom, b.top - b.bottom)
        overlap = min(a.top, b.top) - max(a.bottom, b.bottom)
        span = b.right - a.left
        if overlap >= 0.5 * height and 0 <= span <= (end - start + 2) * size:
            return [Word(_clean(text[start : end + 1]), a.left, page_top - max(a.top, b.top),
                         b.right, page_top - min(a.bottom, b.bottom), size, bold, italic)]
        return self._split_word(tp, text, start, end, page_top, size, bold, italic)

    def _split_word(self, tp, text, start, end, page_top, size, bold, italic) -> list[Word]:
        """Character by character: cut where the next character leaves the line."""
        rect = self._rect
        out: list[Word] = []
        chars: list[str] = []
        box: list[float] = []
        for i in range(start, end + 1):
            pdfium_c.FPDFText_GetLooseCharBox(tp, i, rect)
            x0, top, x1, bottom = rect.left, page_top - rect.top, rect.right, page_top - rect.bottom
            if chars and (x0 < box[2] - size or x0 - box[2] > 0.6 * size
                          or min(bottom, box[3]) - max(top, box[1]) < 0.5 * (bottom - top)):
                out.append(Word(_clean("".join(chars)), *box, size, bold, italic))
                chars, box = [], []
            chars.append(text[i])
            box = [x0, top, x1, bottom] if not box else [
                min(box[0], x0), min(box[1], top), max(box[2], x1), max(box[3], bottom)]
        if chars:
            out.append(Word(_clean("".join(chars)), *box, size, bold, italic))
        return [w for w in out if w.text]

    def _style(self, tp, index: int) -> tuple[float, bool, bool] | None:
        """(size in points, bold, italic) of one character; None when the text is rotated.

        Cached by font and nominal size: the matrix and render mode are read once for each.
        """
        obj = pdfium_c.FPDFText_GetTextObject(tp, index)
        font = ctypes.cast(pdfium_c.FPDFTextObj_GetFont(obj), ctypes.c_void_p).value if obj else None
        key = (font, pdfium_c.FPDFText_GetFontSize(tp, index))
        style = self._styles.get(key, False)
        if style is False:
            style = self._styles[key] = self._measure_style(tp, index, obj, key[1])
        return style

    def _measure_style(self, tp, index: int, obj, size: float) -> tuple[float, bool, bool] | None:
        m = self._matrix
        slanted = False
        if pdfium_c.FPDFText_GetMatrix(tp, index, m):
            if abs(m.b) > 0.2 * abs(m.a) or m.a <= 0:
                return None
            size *= math.sqrt(abs(m.a * m.d - m.b * m.c))
            slanted = abs(m.c) > 0.1 * abs(m.d)
        bold = italic = False
        if obj:
            bold, italic = _font_style(pdfium_c.FPDFTextObj_GetFont(obj))
            bold = bold or pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE
        return size, bold, italic or slanted

    def shapes(self, page, page_top: float) -> Shapes:
        """Bullet dots, ruling lines and image area drawn on the page (top-level objects)."""
        raw = page.raw
        found = Shapes()
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        get_object, get_type, text = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDF_PAGEOBJ_TEXT
        for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
            obj = get_object(raw, i)
            kind = get_type(obj)
            if kind == text:
                continue
            pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            width, height = right.value - left.value, top.value - bottom.value
            if kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM):
                found.image_area += max(width, 0) * max(height, 0)
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                if 1.0 <= width <= 8 and 1.0 <= height <= 8 and abs(width - height) < 1.5:
                    found.dots.append((left.value, page_top - top.value, right.value, page_top - bottom.value))
                elif height <= 2 and width >= 10:
                    found.horizontal_rules += 1
                elif width <= 2 and height >= 8:
                    found.vertical_rules += 1
                elif width > 10 and height > 8 and _is_rectangle(obj):
                    found.horizontal_rules += 2  # a cell's border drawn as one rectangle
                    found.vertical_rules += 2
        return found


def _is_rectangle(path) -> bool:
    """A path of one closed four-sided figure (how many tools draw a table cell)."""
    return pdfium_c.FPDFPath_CountSegments(path) in (4, 5)


def _page_text(tp, count: int) -> str:
    """All characters in one call; per character only if UTF-16 pairs would misalign them."""
    buffer = (ctypes.c_ushort * (count + 1))()
    pdfium_c.FPDFText_GetText(tp, 0, count, buffer)
    units = buffer[:count]
    if any(0xD800 <= u <= 0xDFFF for u in units):
        return "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, i) or 32) for i in range(count))
    return "".join(map(chr, units))


def _clean(text: str) -> str:
    return text.replace(LINE_END_HYPHEN, "-").replace("\xad", "-").replace("\ufffe", "-")


def _font_style(font) -> tuple[bool, bool]:
    """(bold, italic) from the font's weight, flags, italic angle and name."""
    if not font:
        return False, False
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    name = ""
    if size:
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
        name = buffer.value.decode("latin-1").split("+")[-1].lower()
    weight = pdfium_c.FPDFFont_GetWeight(font)
    flags = max(pdfium_c.FPDFFont_GetFlags(font), 0)
    angle = ctypes.c_int(0)
    pdfium_c.FPDFFont_GetItalicAngle(font, ctypes.byref(angle))
    bold = weight >= 600 or bool(flags & FONT_FLAG_FORCE_BOLD) or any(n in name for n in BOLD_NAMES)
    italic = angle.value != 0 or bool(flags & FONT_FLAG_ITALIC) or any(n in name for n in ITALIC_NAMES)
    return bold, italic
