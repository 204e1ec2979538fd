"""Readers: every input format becomes the same typed blocks.

``read_source`` is the one entry point: it reads the file's bytes, decides the format
from the content (a ``.txt`` holding Markdown is read as Markdown), decodes the text
and hands it to the reader for that format.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from council_papers.model import Source, UnreadableFile

from .markdown import parse_markdown
from .text import parse_text

MARKDOWN_SIGNS = (
    re.compile(r"^#{1,6}\s+\S", re.MULTILINE),  # ATX headings
    re.compile(r"\*\*[^*\n]+\*\*"),  # bold
    re.compile(r"\[[^\]\n]+\]\([^)\n]+\)"),  # links
    re.compile(r"</?(b|i|sup|sub|p|br|strong|em)>", re.IGNORECASE),  # HTML fragments
    re.compile(r"^\s*\|.*\|\s*$", re.MULTILINE),  # pipe tables
)
MARKDOWN_SUFFIXES = {".md", ".markdown"}


def read_source(path: Path, root: Path, max_pages: int | None = None) -> Source:
    """Read one input file into a :class:`Source`; raise ``UnreadableFile`` if it is not readable text or PDF.

    ``max_pages`` bounds the pages read from a PDF (None: all).
    """
    path = Path(path)
    data = path.read_bytes()
    if data.startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        from .pdf import read_pdf  # pdf libraries load only when a PDF comes

        return read_pdf(path, root, max_pages)
    text = decode(data, path)
    fmt = detect_format(text, path)
    blocks = parse_markdown(text) if fmt == "markdown" else parse_text(text)
    if not blocks:
        raise UnreadableFile(path, "no text found")
    return make_source(path, root, data, fmt, blocks,
                       line_count=text.count("\n") + (0 if text.endswith("\n") else 1))


def make_source(path: Path, root: Path, data: bytes, fmt: str, blocks: list, **extra) -> Source:
    """A reader's result: its blocks with the file's name, identity and hash."""
    return Source(path=str(path), source_file=path.name, source_key=source_key(path, root),
                  sha256=hashlib.sha256(data).hexdigest(), format=fmt, blocks=blocks, **extra)


def source_key(path: Path, root: Path) -> str:
    """The file's path relative to the build root (its base name when root is the file)."""
    path, root = Path(path).resolve(), Path(root).resolve()
    if path == root or not path.is_relative_to(root):
        return path.name
    return path.relative_to(root).as_posix()


def decode(data: bytes, name="input") -> str:
    """Bytes → text: UTF-8 (BOM allowed), UTF-16 with a BOM, else cp1252; reject binary junk."""
    if not data.strip():
        raise UnreadableFile(name, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")  # a cut-off last byte is junk, judged below
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\t\f")
    if "\x00" in text or controls > len(text) * 0.01 or text.count("\ufffd") > len(text) * 0.01:
        raise UnreadableFile(name, "not a text file (binary content)")
    if not text.strip():
        raise UnreadableFile(name, "the file holds no text")
    return text


def detect_format(text: str, path: Path | None = None) -> str:
    """``markdown`` when Markdown markup is common in the text (or the name says so), else ``text``."""
    if path is not None and path.suffix.lower() in MARKDOWN_SUFFIXES:
        return "markdown"
    hits = sum(len(sign.findall(text)) for sign in MARKDOWN_SIGNS)
    lines = max(1, text.count("\n"))
    return "markdown" if hits >= 3 and hits / lines >= 0.01 else "text"
