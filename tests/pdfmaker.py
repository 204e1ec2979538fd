"""Small PDFs written byte by byte, for tests that need a PDF with a given flaw."""
from __future__ import annotations

from pathlib import Path


def text_at(x: float, y: float, text: str, size: int = 10) -> bytes:
    """A content-stream line that sets ``text`` in Helvetica at (x, y)."""
    return b"BT /F1 %d Tf %g %g Td (%s) Tj ET\n" % (size, x, y, text.encode())


def write_pdf(path: Path, *contents: bytes, media_boxes: list[bytes] | None = None,
              extra_trailer: bytes = b"", extra_objects: list[bytes] = ()) -> Path:
    """A PDF with one page per content stream, Helvetica as F1.

    ``media_boxes`` gives each page's /MediaBox as written (A4 by default), so a test can
    make a page that a strict reader refuses.
    """
    boxes = media_boxes or [b"[0 0 595 842]"] * len(contents)
    first_page = 4 + len(extra_objects)
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(len(contents)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra_objects,
    ]
    for i, (content, box) in enumerate(zip(contents, boxes)):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % (box, first_page + 2 * i + 1))
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, extra_trailer, xref)
    path.write_bytes(bytes(out))
    return path
