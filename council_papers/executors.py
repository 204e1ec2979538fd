"""Where parsing runs: in this process, in a pool of local worker processes, or on Dask.

Parsing and extraction are pure functions of a file, so they can run anywhere; writing
stays in the one process that owns the database. Every executor takes its items from the
left of a deque, to which the caller may add (a task's result can call for more tasks),
and yields ``(item, outcome)`` pairs as items finish, ``outcome`` being whatever the task
returned, or an exception when the task could not run to an answer (its worker died).
"""
from __future__ import annotations

import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any


class FileTimeout(Exception):
    """A file took longer than the per-file time limit."""


class WorkerDied(Exception):
    """The worker process parsing a file died (crashed, or was killed for its memory)."""


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


def run_serial(task: Callable, queue: deque) -> Iterator[tuple[Any, Any]]:
    while queue:
        item = queue.popleft()
        yield item, task(item)


def run_processes(task: Callable, queue: deque, jobs: int) -> Iterator[tuple[Any, Any]]:
    """Run ``task`` over the items in ``queue`` in ``jobs`` worker processes, yielding as each finishes.

    At most ``2 * jobs`` items are in flight, so results (which hold whole documents) do
    not pile up in memory while the writer catches up. When a worker dies, the pool is
    replaced and the items that were in flight are tried again one at a time, so only
    the item that kills its worker is reported.
    """
    suspects: list = []  # in flight when a worker died: retried alone
    while queue or suspects:
        alone = bool(suspects)
        with ProcessPoolExecutor(max_workers=1 if alone else jobs) as pool:
            pending = {}

            def refill():
                source = suspects if alone else queue
                while source and len(pending) < (1 if alone else 2 * jobs):
                    item = suspects.pop() if alone else queue.popleft()
                    try:
                        pending[pool.submit(task, item)] = item
                    except BrokenProcessPool:
                        if alone:
                            suspects.append(item)
                        else:
                            queue.appendleft(item)
                        raise

            try:
                refill()
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        outcome = future.result()  # raises BrokenProcessPool if a worker died
                        yield pending.pop(future), outcome
                    refill()
            except BrokenProcessPool:
                if alone:
                    for item in pending.values():
                        yield item, WorkerDied("the worker process parsing it died")
                else:
                    suspects.extend(pending.values())


def run_dask(task: Callable, queue: deque, address: str) -> Iterator[tuple[Any, Any]]:
    """Run ``task`` over the items in ``queue`` on a Dask cluster at ``address`` (``tcp://HOST:PORT``)."""
    from dask.distributed import Client, as_completed

    with Client(address) as client:
        futures = {}
        running = as_completed()

        def submit_queued():
            while queue:
                item = queue.popleft()
                future = client.submit(task, item, pure=False)
                futures[future] = item
                running.add(future)

        submit_queued()
        for future in running:
            try:
                outcome = future.result()
            except Exception as exc:  # the worker died or the task could not be shipped
                outcome = exc
            yield futures.pop(future), outcome
            submit_queued()
