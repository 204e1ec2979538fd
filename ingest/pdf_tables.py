"""Tables on ruled PDF pages, by pdfplumber's table finder.

pdfplumber parses a page in pure Python (about a third of a second a page), so it is asked
only about pages whose drawing holds ruling lines in both directions (see
:class:`~council_papers.ingest.pdf_page.Shapes`); each table row comes back as a
:class:`Line` of kind "table_row" with its cells joined by " | " (as the Markdown reader
writes them) and the row's box, so it takes its place in the page's reading order.
"""
from __future__ import annotations

import re
from pathlib import Path

from .pdf_layout import Line, Word


def table_rows(path: Path, page_number: int, body_size: float) -> list[Line]:
    """Table rows on a 1-based page, top-left origin like PDFium words after conversion.

    pdfplumber is opened for this one page, so a malformed page elsewhere in the file
    (which pdfplumber refuses when it builds its page list) cannot spoil this one.
    """
    import pdfplumber

    with pdfplumber.open(path, pages=[page_number]) as pdf:
        page = pdf.pages[0]
        out: list[Line] = []
        for table in page.find_tables():
            if len(table.rows) < 2 or len(table.columns) < 2:
                continue  # a box around text, not a table
            for row, cells in zip(table.rows, table.extract()):
                texts = [re.sub(r"\s+", " ", c).strip() for c in cells if c and c.strip()]
                if not texts:
                    continue
                x0, top, x1, bottom = row.bbox
                top, bottom = top - page.bbox[1], bottom - page.bbox[1]
                text = " | ".join(texts)
                out.append(Line([Word(text, x0, top, x1, bottom, body_size)], kind="table_row", text=text))
        return out
