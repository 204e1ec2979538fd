"""The build command end to end: real files in, a real SQLite file out."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from council_papers.db.schema import TABLES
from council_papers.pipeline import build
from dbdump import dump

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
EXAMPLE = REPO / "examples" / "example-borough-local-account-2023-24.md"
SCHEMA_MD = REPO.parent / "shared" / "SCHEMA.md"

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")


def rows(db_path, sql, args=()):
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, args)]


def test_schema_has_every_published_column(tmp_path):
    if not SCHEMA_MD.exists():
        pytest.skip(f"{SCHEMA_MD} not found")
    build([EXAMPLE], tmp_path / "x.db")
    db = sqlite_utils.Database(tmp_path / "x.db")
    text = SCHEMA_MD.read_text()
    for table in TABLES:
        block = text.split(f"## {table}\n", 1)[1].split("\n## ", 1)[0]
        published = set()
        for line in block.splitlines():
            if line.startswith("| ") and not line.startswith("| column") and not line.startswith("|---"):
                published.update(c.strip() for c in line.split("|")[1].split(","))
        assert published, table
        assert published <= set(db[table].columns_dict), (table, published - set(db[table].columns_dict))


def test_example_paper_builds_into_every_table(tmp_path):
    db_path = tmp_path / "example.db"
    report = build([EXAMPLE], db_path)
    assert (report.built, report.failed) == (1, 0)
    doc = rows(db_path, "select * from documents")[0]
    assert doc["source_file"] == EXAMPLE.name
    assert doc["source_format"] == "markdown"
    assert doc["period"] == "2023/24" and doc["year"] == 2023
    headings = [r["heading"] for r in rows(db_path, "select heading from sections order by ordinal")]
    assert "Supporting carers" in headings
    assert rows(db_path, "select * from figures where value = 96.4 and unit = '£m'")
    assert rows(db_path, "select * from quotes where speaker = 'Priya'")
    # full-text search over sections finds a word from a section body
    hits = rows(db_path, "select heading from sections where rowid in "
                         "(select rowid from sections_fts where sections_fts match 'reablement')")
    assert [h["heading"] for h in hits] == ["Our year in numbers"]


@needs_corpus
def test_rebuild_is_idempotent_and_ids_are_stable(tmp_path):
    files = [CORPUS / "000_daf31ef1ce82e922.txt", CORPUS / "003_4551bcead3bc182e.txt"]
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    report = build(files, first)
    assert (report.built, report.failed) == (2, 0)
    before = dump(first)
    assert before["sections"] and before["figures"]

    again = build(files, first)
    assert (again.built, again.replaced, again.unchanged) == (0, 0, 2)
    assert dump(first) == before

    # a second database built elsewhere from copies gets the very same ids
    copies = tmp_path / "copies"
    copies.mkdir()
    for f in files:
        shutil.copy(f, copies / f.name)
    build([copies], second)
    assert dump(second) == before


@needs_corpus
def test_changed_file_replaces_its_rows(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    paper = folder / "report.txt"
    shutil.copy(CORPUS / "003_4551bcead3bc182e.txt", paper)
    db_path = tmp_path / "p.db"
    build([folder], db_path)
    old_sha = rows(db_path, "select source_sha256 from documents")[0]["source_sha256"]
    old_figures = len(rows(db_path, "select id from figures"))

    paper.write_text(paper.read_text() + "\nWe also ran 321 training sessions for staff.\n")
    report = build([folder], db_path)
    assert (report.replaced, report.built) == (1, 0)
    docs = rows(db_path, "select * from documents")
    assert len(docs) == 1 and docs[0]["source_sha256"] != old_sha
    assert len(rows(db_path, "select id from figures")) == old_figures + 1
    assert rows(db_path, "select * from figures where value = 321")


def test_bad_file_is_reported_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "good.md")
    (folder / "junk.pdf").write_bytes(b"this is not a pdf at all\x00\x01")
    (folder / "empty.txt").write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "council_papers", "build", str(folder), "--db", str(tmp_path / "b.db")],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert result.returncode == 1
    errors = [l for l in result.stderr.splitlines() if l.startswith("error: ")]
    assert len(errors) == 2
    assert any("junk.pdf" in e for e in errors) and any("empty.txt" in e for e in errors)
    assert "1 built, 0 replaced, 0 unchanged, 2 failed" in result.stdout
    assert [d["source_file"] for d in rows(tmp_path / "b.db", "select source_file from documents")] == ["good.md"]


def test_database_from_an_earlier_version_gains_new_columns(tmp_path):
    db_path = tmp_path / "old.db"
    build([EXAMPLE], db_path)
    sqlite_utils.Database(db_path)["documents"].transform(drop={"stored_at"})  # as an older build left it
    before = rows(db_path, "select id, title from documents")

    copy = tmp_path / "second.md"
    shutil.copy(EXAMPLE, copy)
    report = build([copy], db_path)
    assert (report.built, report.failed) == (1, 0)
    after = rows(db_path, "select id, title, stored_at from documents order by stored_at is null")
    assert [r["stored_at"] is None for r in after] == [False, True]
    assert {(r["id"], r["title"]) for r in after} >= {(r["id"], r["title"]) for r in before}
