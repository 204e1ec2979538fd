"""A build killed at any moment leaves a whole database; running it again completes it.

Readers served while a build writes see each document whole or not at all.
"""
from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import free_port
from dbdump import content_columns

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SMALL = ["000_daf31ef1ce82e922.txt", "003_4551bcead3bc182e.txt"]
PUBLISHED = ["documents", "sections", "figures", "quotes", "case_studies"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}"),
]


def build_command(folder, db, jobs=1):
    return [sys.executable, "-m", "council_papers", "build", str(folder), "--db", str(db), "--jobs", str(jobs)]


def per_file_rows(db_path) -> dict[str, dict[str, list]]:
    """Every published row, grouped by the file it came from (ids included)."""
    out: dict[str, dict[str, list]] = {}
    with sqlite3.connect(db_path) as conn:
        keys = dict(conn.execute("select id, source_key from documents"))
        for key in set(keys.values()):
            out[key] = {"documents": sorted(conn.execute(
                f"select {content_columns('documents')} from documents where source_key = ?", [key]).fetchall())}
        for table in PUBLISHED[1:]:
            for row in conn.execute(f"select document_id, * from {table} order by id"):
                out[keys[row[0]]].setdefault(table, []).append(row[1:])
    return out


@pytest.fixture(scope="module")
def papers(tmp_path_factory):
    """Ten small papers under distinct names, and the database a clean build makes of them."""
    folder = tmp_path_factory.mktemp("papers")
    for i in range(5):
        for name in SMALL:
            shutil.copy(CORPUS / name, folder / f"p{i}-{name}")
    reference = folder.parent / "reference.db"
    subprocess.run(build_command(folder, reference), check=True, capture_output=True)
    return folder, per_file_rows(reference)


def test_killed_builds_leave_whole_documents_and_rerun_completes(papers, tmp_path):
    folder, reference = papers
    db = tmp_path / "killed.db"
    rng = random.Random(2026)
    counts = []
    for attempt in range(3):
        process = subprocess.Popen(build_command(folder, db), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(2.0, 6.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        with sqlite3.connect(db) as conn:
            assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        stored = per_file_rows(db)
        counts.append(len(stored))
        for key, rows in stored.items():  # every file stored is stored whole
            assert rows == reference[key], (attempt, key)

    assert counts[0] < len(reference)  # the first kill really did interrupt the build
    result = subprocess.run(build_command(folder, db), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert per_file_rows(db) == reference  # completed, nothing duplicated


def test_datasette_reading_during_a_build_sees_whole_documents(papers, tmp_path):
    folder, reference = papers
    db = tmp_path / "live.db"
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(next(folder.glob("p0-*")), first)
    subprocess.run(build_command(first, db), check=True, capture_output=True)

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "council_papers", "serve", str(db), "--port", str(port),
                               "--live"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/{db.stem}"
    sql = ("select d.source_key, count(distinct s.id) as sections, count(distinct f.id) as figures "
           "from documents d left join sections s on s.document_id = d.id "
           "left join figures f on f.document_id = d.id group by d.source_key")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + ".json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        build = subprocess.Popen(build_command(folder, db, jobs=2), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        seen_keys, responses = set(), 0
        stop = time.monotonic() + 120
        while time.monotonic() < stop and responses < 2000:
            finished = build.poll() is not None
            for url, params in [(base + ".json", {"sql": sql, "_shape": "array"}),
                                (base + "/sections.json", {"_search": "care", "_shape": "array"})]:
                response = httpx.get(url, params=params, timeout=30)
                responses += 1
                assert response.status_code == 200, response.text[:300]
                if "sql" in params:
                    for row in response.json():
                        seen_keys.add(row["source_key"])
                        expected = reference[row["source_key"]]
                        assert row["sections"] == len(expected.get("sections", [])), row
                        assert row["figures"] == len(expected.get("figures", [])), row
            if finished:
                break
        assert build.wait(timeout=300) == 0
        assert len(seen_keys) > 1  # the reader really did see documents arrive
    finally:
        server.terminate()
        server.wait(timeout=30)
