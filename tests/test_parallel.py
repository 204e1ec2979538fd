"""Parallel and distributed builds give exactly the database a serial build gives."""
from __future__ import annotations

from pathlib import Path

import pytest

from council_papers.pipeline import build
from dbdump import dump

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
FILES = ["000_daf31ef1ce82e922.txt", "003_4551bcead3bc182e.txt", "004_42c5a85ede2cd3a6.txt"]

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")


@pytest.fixture(scope="module")
def serial_db(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("serial") / "serial.db"
    report = build([CORPUS / f for f in FILES], db_path, jobs=1)
    assert report.built == len(FILES) and not report.failures
    return db_path


@pytest.mark.slow
def test_two_jobs_give_the_same_database(serial_db, tmp_path):
    report = build([CORPUS / f for f in FILES], tmp_path / "p.db", jobs=2)
    assert report.built == len(FILES) and not report.failures
    assert dump(tmp_path / "p.db") == dump(serial_db)


@pytest.mark.slow
def test_dask_cluster_gives_the_same_database(serial_db, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None, processes=True) as cluster:
        report = build([CORPUS / f for f in FILES], tmp_path / "d.db", scheduler=cluster.scheduler_address)
    assert report.built == len(FILES) and not report.failures
    assert dump(tmp_path / "d.db") == dump(serial_db)


def test_second_build_skips_unchanged_files(serial_db):
    again = build([CORPUS / f for f in FILES], serial_db, jobs=2)
    assert (again.built, again.replaced, again.unchanged, again.failed) == (0, 0, len(FILES), 0)
