"""Statements of one run on several PostgreSQL connections at once (``run_targeting(helpers=...)``).

A PostgreSQL backend uses one core per statement; the engine's statements are independent once the
staging is built (every rule reads the staged tables and appends to the results table), and the roll
entries can be staged while the persons and families are. :class:`Pool` runs such jobs on a thread per
connection: the database does the work, the Python threads wait on the socket without the GIL.

Each statement commits on its own connection (autocommit), so a pooled run is not one transaction:
its caller writes into a table of its own and swaps it in once everything succeeded
(``padu.targeting.services`` does, with a partition per period). The staged tables are ``UNLOGGED``
tables in the schema first on the connections' ``search_path`` (temporary tables are private to one
connection).
"""

from __future__ import annotations

import functools
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any

from padu.targeting.engine.dialect import Db

__all__ = ["Pool"]

Job = Callable[[Db], Any]


def statement(sql: str, params: tuple[Any, ...] = (), *, step: str | None = None) -> Job:
    """A job running one SQL statement on whichever connection takes it."""
    return functools.partial(execute, sql=sql, params=params, step=step)


def execute(db: Db, *, sql: str, params: tuple[Any, ...] = (), step: str | None = None) -> int:
    return db.execute(sql, params, step=step)


class Pool:
    """The run's connections (``dbs[0]`` is the caller's) and a way to run jobs on all of them."""

    def __init__(self, dbs: Sequence[Db]) -> None:
        if not dbs:
            raise ValueError("a pool needs at least one connection")
        self.dbs = list(dbs)

    @property
    def size(self) -> int:
        return len(self.dbs)

    @property
    def main(self) -> Db:
        return self.dbs[0]

    def queue(self, jobs: Sequence[Job], *, pinned: bool = False) -> list[Any]:
        """Run ``jobs`` (in order, each on the next free connection; with ``pinned``, job ``i`` on
        connection ``i``); return their results in the jobs' order. After a failure no new job starts;
        the first error is raised once the running ones ended."""
        results: list[Any] = [None] * len(jobs)
        if self.size == 1 or len(jobs) <= 1:
            for i, job in enumerate(jobs):
                results[i] = job(self.dbs[0 if not pinned else i])
            return results
        todo: queue.Queue[int] = queue.Queue()
        for i in range(len(jobs)):
            todo.put(i)
        errors: list[BaseException] = []

        def worker(slot: int) -> None:
            db = self.dbs[slot]
            while not errors:
                if pinned:
                    if slot >= len(jobs):
                        return
                    i = slot
                else:
                    try:
                        i = todo.get_nowait()
                    except queue.Empty:
                        return
                try:
                    results[i] = jobs[i](db)
                except BaseException as exc:  # re-raised in the caller's thread
                    errors.append(exc)
                if pinned:
                    return

        threads = [
            threading.Thread(target=worker, args=(slot,), name=f"padu-targeting-{slot}", daemon=True)
            for slot in range(1, self.size)
        ]
        for thread in threads:
            thread.start()
        worker(0)
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        return results
