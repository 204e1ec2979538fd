"""Bad input: one clear line per file, the batch goes on, and what was stored stays."""
from __future__ import annotations

import io
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from dbdump import dump

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLE_PDF = SHARED / "corpus" / "pdf" / "scrutiny-board-2025-09-17-agenda-minutes-report.pdf"
EXAMPLE = REPO / "examples" / "example-borough-local-account-2023-24.md"

needs_pdf = pytest.mark.skipif(not SAMPLE_PDF.exists(), reason=f"sample PDF not found at {SAMPLE_PDF}")


def run_build(*args, env=None):
    return subprocess.run([sys.executable, "-m", "council_papers", "build", *map(str, args)],
                          capture_output=True, text=True, env=env)


def errors(result):
    return sorted(l[len("error: "):] for l in result.stderr.splitlines() if l.startswith("error: "))


def image_only_pdf(path: Path) -> Path:
    """A one-page PDF that is only a picture of a page (as a scanner makes)."""
    import pypdfium2

    page = pypdfium2.PdfDocument(str(SAMPLE_PDF))[0]
    image = page.render(scale=1).to_pil().convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PDF")
    path.write_bytes(buffer.getvalue())
    return path


@needs_pdf
def test_each_bad_file_gets_one_line_and_good_rows_survive(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(EXAMPLE, good / "report.md")
    db = tmp_path / "papers.db"
    first = run_build(good, "--db", db)
    assert first.returncode == 0, first.stderr
    before = dump(db)
    assert before["documents"] and before["figures"]

    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(4000))
    (good / "empty.txt").write_bytes(b"")
    (good / "junk.txt").write_bytes(junk)
    (good / "junk.md").write_bytes(junk)
    (good / "junk.pdf").write_bytes(junk)
    (good / "truncated.pdf").write_bytes(SAMPLE_PDF.read_bytes()[:40000])
    (good / "notes.pdf").write_text("<html>not a PDF</html>\n" * 40)
    image_only_pdf(good / "scan.pdf")
    # another encoding: read, not rejected
    (good / "cp1252.txt").write_bytes("Annual Report 2023/24\n\nWe opened a caf\u00e9 \u2013 and "
                                      "supported 1,234 people in 2023/24.\n".encode("cp1252"))
    (good / "utf16.txt").write_bytes("Annual Report 2023/24\n\nWe supported 2,345 carers in 2023/24.\n"
                                     .encode("utf-16"))
    # no tesseract on PATH: the scanned page cannot be read, and the message says why
    env = {"PATH": str(tmp_path / "no-tools"), "HOME": str(tmp_path)}
    result = run_build(good, "--db", db, "--jobs", "2", env=env)

    assert result.returncode == 1
    lines = errors(result)
    expected = {
        "empty.txt": "the file is empty",
        "junk.txt": "not a text file",
        "junk.md": "not a text file",
        "junk.pdf": "not a PDF file",
        "notes.pdf": "not a PDF file",
        "truncated.pdf": "truncated PDF",
        "scan.pdf": "Tesseract is not installed",
    }
    assert len(lines) == len(expected), lines
    for line in lines:
        name = Path(line.split(": ", 1)[0]).name
        assert expected[name] in line, line
        assert "\n" not in line and "Traceback" not in line
    assert result.stdout.strip().endswith("2 built, 0 replaced, 1 unchanged, 7 failed")

    after = dump(db)
    for table in before:  # every row stored before is still there, unchanged
        assert set(before[table]) <= set(after[table]), table
    with sqlite3.connect(db) as conn:
        texts = [r[0] for r in conn.execute("select context from figures where value in (1234, 2345)")]
    assert any("café –" in t for t in texts) and len(texts) == 2


def test_a_broken_new_version_keeps_the_old_rows(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    paper = folder / "report.md"
    shutil.copy(EXAMPLE, paper)
    db = tmp_path / "p.db"
    assert run_build(folder, "--db", db).returncode == 0
    before = dump(db)
    paper.write_bytes(b"\x00\x01\x02" * 500)
    result = run_build(folder, "--db", db)
    assert result.returncode == 1
    assert errors(result) == [f"{paper}: not a text file (binary content)"]
    assert dump(db) == before


def test_strict_stops_at_the_first_failure(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a-empty.txt").write_bytes(b"")
    shutil.copy(EXAMPLE, folder / "b-report.md")
    result = run_build(folder, "--db", tmp_path / "s.db", "--strict", "--jobs", "1")
    assert result.returncode == 1
    assert len(errors(result)) == 1
    assert "0 built, 0 replaced, 0 unchanged, 1 failed" in result.stdout


@needs_pdf
def test_time_limit_and_page_limit(tmp_path):
    result = run_build(SAMPLE_PDF, "--db", tmp_path / "t.db", "--time-limit", "0.01", "--jobs", "1")
    assert result.returncode == 1
    assert errors(result) == [f"{SAMPLE_PDF}: took longer than the 0.01s per-file time limit"]

    result = run_build(SAMPLE_PDF, "--db", tmp_path / "p.db", "--max-pages", "2")
    assert result.returncode == 0, result.stderr
    assert f"warning: {SAMPLE_PDF}: only the first 2 of 9 pages read (the page limit)" in result.stderr
    with sqlite3.connect(tmp_path / "p.db") as conn:
        pages = {r[0] for r in conn.execute("select page from sections")}
    assert pages and max(pages) <= 2


def test_a_page_the_table_reader_refuses_keeps_its_text(tmp_path):
    """pdfplumber refuses a page with a malformed box; PDFium reads it: text kept, page named."""
    from pdfmaker import text_at, write_pdf

    ruled = bytearray(text_at(72, 760, "Care market summary", 16))
    ruled += text_at(80, 680, "We commissioned 321 beds in the year.")
    for r in range(4):
        ruled += b"72 %d m 522 %d l S\n" % (700 - r * 24, 700 - r * 24)
    for c in range(4):
        ruled += b"%d 700 m %d 628 l S\n" % (72 + c * 150, 72 + c * 150)
    paper = write_pdf(tmp_path / "odd-page.pdf",
                      text_at(72, 760, "Annual Report", 16) + text_at(72, 700, "We supported 1,234 people."),
                      bytes(ruled), media_boxes=[b"[0 0 595 842]", b"[0 0 595 (x)]"])
    result = run_build(paper, "--db", tmp_path / "o.db")
    assert result.returncode == 0, result.stderr
    warnings = [l for l in result.stderr.splitlines() if l.startswith("warning: ")]
    assert len(warnings) == 1 and f"{paper}: page 2: tables not read" in warnings[0]
    with sqlite3.connect(tmp_path / "o.db") as conn:
        figures = dict(conn.execute("select value, page from figures"))
    assert figures == {1234.0: 1, 321.0: 2}
