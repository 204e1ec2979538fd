"""Where parsing runs: in this process, in a pool of local worker processes, or on Dask.

Parsing and extraction are pure functions of a file, so they can run anywhere; writing
stays in the one process that owns the database. Every executor yields
``(item, outcome)`` pairs as files finish, ``outcome`` being the parsed result or the
exception that stopped that file.
"""
from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from typing import Any


class FileTimeout(Exception):
    """A file took longer than the per-file time limit."""


@contextmanager
def time_limit(seconds: float | None):
    """Raise FileTimeout after ``seconds`` of wall time.

    Signals reach only the main thread, so elsewhere (a Dask worker's task thread) the
    limit is left to the cluster.
    """
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise FileTimeout(f"took longer than the {seconds:g}s per-file time limit")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def default_jobs() -> int:
    """The machine's cores (those this process may use)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _call(task: Callable, item: Any):
    try:
        return task(item)
    except Exception as exc:  # reported per file by the caller
        return exc


def run_serial(task: Callable, items: list) -> Iterator[tuple[Any, Any]]:
    for item in items:
        yield item, _call(task, item)


def run_processes(task: Callable, items: list, jobs: int) -> Iterator[tuple[Any, Any]]:
    """Run ``task`` over ``items`` in ``jobs`` worker processes, yielding as each finishes.

    At most ``2 * jobs`` files are in flight, so results (which hold whole documents) do
    not pile up in memory while the writer catches up.
    """
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending = {}
        queue = iter(items)
        for item in queue:
            pending[pool.submit(_call, task, item)] = item
            if len(pending) >= 2 * jobs:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                item = pending.pop(future)
                yield item, future.result()
                nxt = next(queue, None)
                if nxt is not None:
                    pending[pool.submit(_call, task, nxt)] = nxt


def run_dask(task: Callable, items: list, address: str) -> Iterator[tuple[Any, Any]]:
    """Run ``task`` on a Dask cluster at ``address`` (``tcp://HOST:PORT``)."""
    from dask.distributed import Client, as_completed

    with Client(address) as client:
        futures = {client.submit(_call, task, item, pure=False): item for item in items}
        for future in as_completed(futures):
            yield futures[future], future.result()
