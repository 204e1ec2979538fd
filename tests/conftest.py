"""Session fixtures: a real database built once from corpus files, and the real server on it."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold"
BIN = Path(sys.executable).parent

# A small paper whose text holds markup: published pages must show it as text.
MARKUP_PAPER = """\
Supplier markup review

The supplier's appendix quoted <script>alert("markup-test")</script> in its text, and \
the board asked for <b>all</b> such tags to be shown as written & never run.
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Site:
    """A running Datasette: its base URL and the name of the database it serves."""

    base: str
    database: str

    def get(self, path: str, **params) -> httpx.Response:
        return httpx.get(self.base + path.format(db=self.database), params=params, timeout=30)

    def json(self, path: str, **params):
        response = self.get(path, **params)
        assert response.status_code == 200, (response.status_code, response.text[:500])
        return response.json()

    def rows(self, path: str, **params) -> list[dict]:
        return self.json(path, _shape="objects", **params)["rows"]


def start_server(args: list[str], log_path: Path, base: str, database: str):
    """Start a server process and wait until it answers; return (process, Site)."""
    log = open(log_path, "wb")
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.close()
            pytest.fail(f"server exited with {process.returncode}: {log_path.read_text()[-2000:]}")
        try:
            if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                return process, Site(base, database)
        except httpx.HTTPError:
            time.sleep(0.3)
    process.terminate()
    log.close()
    pytest.fail(f"server did not answer within 60s: {log_path.read_text()[-2000:]}")


def stop_server(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> Path:
    """A database built by ``council-papers build`` from the corpus folder and a markup paper."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    folder = tmp_path_factory.mktemp("corpus_db")
    markup_paper = folder / "inputs" / "supplier-markup-review.txt"
    markup_paper.parent.mkdir()
    markup_paper.write_text(MARKUP_PAPER, encoding="utf-8")
    db_path = folder / "research.db"
    result = subprocess.run(
        [str(BIN / "council-papers"), "build", str(CORPUS), str(markup_paper),
         "--db", str(db_path)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert db_path.exists(), result.stderr[-3000:]
    return db_path


@pytest.fixture(scope="session")
def site(corpus_db, tmp_path_factory):
    """``council-papers serve`` on the corpus database (named research.db, not council-papers)."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    process, running = start_server(
        [str(BIN / "council-papers"), "serve", str(corpus_db), "--port", str(port)],
        log_path, f"http://127.0.0.1:{port}", corpus_db.stem,
    )
    yield running
    stop_server(process)
