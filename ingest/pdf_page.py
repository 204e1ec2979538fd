"""One PDF page through PDFium: its words with size and weight, and the shapes that matter.

PDFium hands out characters one call at a time, and a call through ctypes costs a good part
of a microsecond, so the page's text comes in one ``FPDFText_GetText`` call and is cut into
words at the spaces and line breaks PDFium reports; each word then costs a handful of calls
(the boxes of its first and last character, the style of its first), made without ctypes'
argument checks (:func:`_unchecked`). A word whose two ends do not sit on one line (PDFium
joins a line-end hyphen to the next line) is measured character by character and split.
Styles are read from the font (weight, italic angle, name) and the text matrix (size in
points; a slanted matrix is synthetic italic; a fill-and-stroke render mode is synthetic
bold). Page objects are scanned once for small round or square paths (list bullets drawn
as shapes), thin ruling lines (tables) and images (scans).
"""
from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, field
from itertools import compress, repeat

import pypdfium2.raw as pdfium_c

from .pdf_layout import Word

SEPARATORS = {" ", "\r", "\n", "\t", "\xa0", "\u2002", "\u2003", "\u2009", "\u200b", "\ufeff"}
LINE_END_HYPHEN = "\x02"  # PDFium's mark for a hyphen that ends a line
BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demibold", "extrabold")
ITALIC_NAMES = ("italic", "oblique")
FONT_FLAG_ITALIC = 1 << 6
FONT_FLAG_FORCE_BOLD = 1 << 18
# a run of characters up to a separator; a line-end hyphen ends the word it closes
WORD = re.compile("[^%s]+%s?|%s" % (re.escape("".join(sorted(SEPARATORS)) + LINE_END_HYPHEN),
                                    LINE_END_HYPHEN, LINE_END_HYPHEN))
SURROGATE = re.compile("[\ud800-\udfff]")  # half of a UTF-16 pair
_UNKNOWN = object()  # not yet in a style cache (None there means rotated text)


class _Handle(ctypes.c_void_p):
    """A PDFium handle returned by an unchecked call: kept a ctypes value, so that it can be
    passed on unchecked (a plain ``c_void_p`` result turns into an int, which cannot)."""


def _unchecked(function):
    """``function`` called without ctypes' argument conversion, at about two thirds the cost.

    A page can hold thousands of text objects (one a glyph) and words, and these calls are
    then most of the reader's time. ctypes checks nothing here: callers pass handles as
    ctypes values (``page.raw``, ``textpage.raw``, a returned ``_Handle``), indices as ints
    and out-parameters with ``ctypes.byref``; a handle result comes back as ``_Handle``.
    """
    restype = function.restype
    opaque = issubclass(restype, ctypes._Pointer) and ctypes.sizeof(restype._type_) == 0
    unchecked = ctypes.CFUNCTYPE(_Handle if opaque else restype)(ctypes.cast(function, ctypes.c_void_p).value)
    unchecked.argtypes = None
    return unchecked


_text_object = _unchecked(pdfium_c.FPDFText_GetTextObject)
_font_size = _unchecked(pdfium_c.FPDFText_GetFontSize)
_loose_char_box = _unchecked(pdfium_c.FPDFText_GetLooseCharBox)
_char_matrix = _unchecked(pdfium_c.FPDFText_GetMatrix)
_text_font = _unchecked(pdfium_c.FPDFTextObj_GetFont)
_render_mode = _unchecked(pdfium_c.FPDFTextObj_GetTextRenderMode)
_page_object = _unchecked(pdfium_c.FPDFPage_GetObject)
_object_type = _unchecked(pdfium_c.FPDFPageObj_GetType)
_object_bounds = _unchecked(pdfium_c.FPDFPageObj_GetBounds)
_path_segments = _unchecked(pdfium_c.FPDFPath_CountSegments)


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
        """The page's words, top-left origin, in PDFium's order.

        Five calls a word at most: its first character's text object, the object's font
        and size (not again while words share a text object) and the boxes of its first
        and last characters. Styles are cached by font and nominal size, so the matrix and
        render mode are read once for each.
        """
        tp = textpage.raw
        count = pdfium_c.FPDFText_CountChars(tp)
        if count <= 0:
            return []
        text = _page_text(tp, count)
        clean = _clean(text)  # one character for one: indices still match PDFium's
        known = self._styles  # (font, nominal size) → style, the document
        last_object, style = None, None  # the last word's text object and its style
        a, b = self._rect, self._rect2
        a_ref, b_ref = ctypes.byref(a), ctypes.byref(b)
        out: list[Word] = []
        for match in WORD.finditer(text):
            start, end = match.span()
            end -= 1
            obj = _text_object(tp, start)
            if not obj or obj.value != last_object:
                key = (_text_font(obj).value if obj else None, _font_size(tp, start))
                style = known.get(key, _UNKNOWN)
                if style is _UNKNOWN:
                    style = known[key] = self._measure_style(tp, start, obj, key[1])
                last_object = obj.value
            if style is None:  # rotated text: chart labels, stamps
                continue
            size, bold, italic = style
            _loose_char_box(tp, start, a_ref)
            _loose_char_box(tp, end, b_ref)
            # min and max written out: this loop runs for every word of the document
            a_top, a_bottom, b_top, b_bottom = a.top, a.bottom, b.top, b.bottom
            a_height, b_height = a_top - a_bottom, b_top - b_bottom
            top = b_top if b_top > a_top else a_top
            bottom = b_bottom if b_bottom < a_bottom else a_bottom
            overlap = (b_top if b_top < a_top else a_top) - (b_bottom if b_bottom > a_bottom else a_bottom)
            left, right = a.left, b.right
            if (overlap >= 0.5 * (b_height if b_height < a_height else a_height)
                    and 0 <= right - left <= (end - start + 2) * size):
                out.append(Word(clean[start : end + 1], left, page_top - top, right, page_top - bottom,
                                size, bold, italic))
            else:
                out += self._split_word(tp, clean, start, end, page_top, size, bold, italic)
        return out

    def _split_word(self, tp, text, start, end, page_top, size, bold, italic) -> list[Word]:
        """Character by character: cut where the next character leaves the line."""
        rect = self._rect
        rect_ref = ctypes.byref(rect)
        out: list[Word] = []
        chars: list[str] = []
        box: list[float] = []
        for i in range(start, end + 1):
            _loose_char_box(tp, i, rect_ref)
            x0, top, x1, bottom = rect.left, page_top - rect.top, rect.right, page_top - rect.bottom
            if chars and (x0 < box[2] - size or x0 - box[2] > 0.6 * size
                          or min(bottom, box[3]) - max(top, box[1]) < 0.5 * (bottom - top)):
                out.append(Word("".join(chars), *box, size, bold, italic))
                chars, box = [], []
            chars.append(text[i])
            box = [x0, top, x1, bottom] if not box else [
                min(box[0], x0), min(box[1], top), max(box[2], x1), max(box[3], bottom)]
        if chars:
            out.append(Word("".join(chars), *box, size, bold, italic))
        return [w for w in out if w.text]

    def _measure_style(self, tp, index: int, obj: _Handle, size: float) -> tuple[float, bool, bool] | None:
        """(size in points, bold, italic) of one character; None when the text is rotated."""
        m = self._matrix
        slanted = False
        if _char_matrix(tp, index, ctypes.byref(m)):
            if abs(m.b) > 0.2 * abs(m.a) or m.a <= 0:
                return None
            size *= math.sqrt(abs(m.a * m.d - m.b * m.c))
            slanted = abs(m.c) > 0.1 * abs(m.d)
        bold = italic = False
        if obj:
            bold, italic = _font_style(_text_font(obj))
            bold = bold or _render_mode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE
        return size, bold, italic or slanted

    def shapes(self, page, page_top: float) -> Shapes:
        """Bullet dots, ruling lines and image area drawn on the page (top-level objects).

        Pages can hold thousands of text objects (one a glyph), so the kinds of all objects
        are fetched by ``map`` and only the other objects are looked at in Python. (Their
        handles are not kept meanwhile: thousands of live ctypes objects cost the garbage
        collector more than fetching the few again.)
        """
        raw = page.raw
        found = Shapes()
        left, bottom, right, top = corners = [ctypes.c_float() for _ in range(4)]
        corner_refs = [ctypes.byref(c) for c in corners]
        count = pdfium_c.FPDFPage_CountObjects(raw)
        kinds = list(map(_object_type, map(_page_object, repeat(raw), range(count))))
        for index in compress(range(count), map(pdfium_c.FPDF_PAGEOBJ_TEXT.__ne__, kinds)):
            obj, kind = _page_object(raw, index), kinds[index]
            _object_bounds(obj, *corner_refs)
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


def _is_rectangle(path: _Handle) -> bool:
    """A path of one closed four-sided figure (how many tools draw a table cell)."""
    return _path_segments(path) in (4, 5)


def _page_text(tp, count: int) -> str:
    """All characters in one call; per character only if UTF-16 pairs would misalign them."""
    buffer = (ctypes.c_ushort * (count + 1))()
    pdfium_c.FPDFText_GetText(tp, 0, count, buffer)
    text = ctypes.string_at(buffer, 2 * count).decode("utf-16-le", "surrogatepass")  # PDFium writes UTF-16LE
    if len(text) == count and not SURROGATE.search(text):
        return text
    return "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, i) or 32) for i in range(count))


def _clean(text: str) -> str:
    return text.replace(LINE_END_HYPHEN, "-").replace("\xad", "-").replace("\ufffe", "-")


def _font_style(handle: _Handle) -> tuple[bool, bool]:
    """(bold, italic) from the font's weight, flags, italic angle and name."""
    if not handle:
        return False, False
    font = ctypes.cast(handle, pdfium_c.FPDF_FONT)
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
