"""Parallel and distributed builds give exactly the database a serial build gives,
including a long PDF whose pages and papers are spread over the workers; a worker that
dies costs only its own item."""
from __future__ import annotations

import os
import sqlite3
from collections import deque
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from council_papers.executors import WorkerDied, run_processes
from council_papers.parsing import InputFile
from council_papers.pipeline import RANGE_PAGES, SpreadFile, build
from dbdump import dump

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
FILES = ["000_daf31ef1ce82e922.txt", "003_4551bcead3bc182e.txt", "004_42c5a85ede2cd3a6.txt"]
PDFS = sorted((CORPUS / "pdf").glob("*.pdf"))


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory) -> Path:
    """The sample PDFs twice over in one file, as an agenda pack holds its papers."""
    if not PDFS:
        pytest.skip(f"corpus PDFs not found in {CORPUS / 'pdf'}")
    pack = pdfium.PdfDocument.new()
    for _ in range(2):
        for path in PDFS:
            pack.import_pages(pdfium.PdfDocument(path))
    target = tmp_path_factory.mktemp("long") / "pack.pdf"
    pack.save(target)
    return target


@pytest.fixture(scope="module")
def inputs(long_pdf) -> list[Path]:
    return [CORPUS / f for f in FILES] + [long_pdf]


@pytest.fixture(scope="module")
def serial_db(tmp_path_factory, inputs):
    db_path = tmp_path_factory.mktemp("serial") / "serial.db"
    report = build(inputs, db_path, jobs=1)
    assert report.built == len(inputs) and not report.failures
    return db_path


def test_a_long_pdf_is_read_in_page_ranges(long_pdf):
    pages = len(pdfium.PdfDocument(long_pdf))
    spread = SpreadFile.plan(InputFile(long_pdf, long_pdf.parent), None, None)
    assert spread is not None and spread.range_count == -(-pages // RANGE_PAGES) >= 3
    assert SpreadFile.plan(InputFile(long_pdf, long_pdf.parent), None, RANGE_PAGES) is None  # one range: whole
    assert SpreadFile.plan(InputFile(CORPUS / FILES[0], CORPUS), None, None) is None


@pytest.mark.slow
def test_two_jobs_give_the_same_database(serial_db, inputs, tmp_path):
    report = build(inputs, tmp_path / "p.db", jobs=2)
    assert report.built == len(inputs) and not report.failures
    assert dump(tmp_path / "p.db") == dump(serial_db)


@pytest.mark.slow
def test_dask_cluster_gives_the_same_database(serial_db, inputs, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None, processes=True) as cluster:
        report = build(inputs, tmp_path / "d.db", scheduler=cluster.scheduler_address)
    assert report.built == len(inputs) and not report.failures
    assert dump(tmp_path / "d.db") == dump(serial_db)


def test_second_build_skips_unchanged_files(serial_db, inputs):
    again = build(inputs, serial_db, jobs=2)
    assert (again.built, again.replaced, again.unchanged, again.failed) == (0, 0, len(inputs), 0)


@pytest.mark.slow
def test_a_spread_pdf_keeps_the_page_limit(long_pdf, tmp_path):
    pages = len(pdfium.PdfDocument(long_pdf))
    limit = RANGE_PAGES + 8
    serial = build([long_pdf], tmp_path / "serial.db", jobs=1, max_pages=limit)
    spread = build([long_pdf], tmp_path / "spread.db", jobs=2, max_pages=limit)
    assert spread.warnings == serial.warnings
    assert f"{long_pdf}: only the first {limit} of {pages} pages read (the page limit)" in spread.warnings
    assert dump(tmp_path / "spread.db") == dump(tmp_path / "serial.db")
    with sqlite3.connect(tmp_path / "spread.db") as conn:
        assert conn.execute("select max(page) from sections").fetchone()[0] <= limit


def test_a_spread_pdf_that_fails_is_reported_once_and_stores_nothing(long_pdf, tmp_path):
    report = build([long_pdf], tmp_path / "t.db", jobs=2, time_limit=0.01)
    assert report.failures == [f"{long_pdf}: took longer than the 0.01s per-file time limit"]
    assert report.built == 0
    with sqlite3.connect(tmp_path / "t.db") as conn:
        assert conn.execute("select count(*) from documents").fetchone()[0] == 0


def square_or_die(item: int) -> int:
    """A task for the executor tests: item 13 kills its worker process outright."""
    if item == 13:
        os._exit(1)
    return item * item


def test_worker_death_fails_only_its_item_and_added_items_run():
    queue = deque([1, 2, 13, 3])
    seen = {}
    for item, outcome in run_processes(square_or_die, queue, jobs=2):
        seen[item] = outcome
        if item == 1:
            queue.append(4)  # a result that calls for more work, as a long PDF's ranges do
    assert isinstance(seen.pop(13), WorkerDied)
    assert seen == {1: 1, 2: 4, 3: 9, 4: 16}


def test_a_spread_pdf_that_cannot_be_joined_fails_as_a_whole_one_would(tmp_path, monkeypatch):
    """Forty blank pages: every range reads, and joining finds no text at all."""
    blank = pdfium.PdfDocument.new()
    for _ in range(RANGE_PAGES + 8):
        blank.new_page(595, 842)
    path = tmp_path / "blank.pdf"
    blank.save(path)
    whole = build([path], tmp_path / "whole.db", jobs=1)
    monkeypatch.setattr("council_papers.pipeline.SPREAD_BYTES", 0)  # small as it is, spread it
    assert SpreadFile.plan(InputFile(path, path.parent), None, None) is not None
    spread = build([path], tmp_path / "spread.db", jobs=2)
    assert spread.failures == whole.failures == [f"{path}: no text found"]


def test_progress_moves_with_each_page_range_of_a_long_pdf(long_pdf, tmp_path):
    steps: list[int] = []
    shown: list[str] = []

    def progress(outcomes, length):
        steps.append(length)
        for item, outcome in outcomes:
            shown.append(item.path.name)
            yield item, outcome

    report = build([long_pdf, CORPUS / FILES[0]], tmp_path / "p.db", jobs=2, progress=progress)
    assert report.built == 2 and not report.failures
    ranges = -(-len(pdfium.PdfDocument(long_pdf)) // RANGE_PAGES)
    assert steps == [ranges + 2] == [len(shown)]
    assert shown.count(long_pdf.name) == ranges + 1 and shown.count(FILES[0]) == 1
