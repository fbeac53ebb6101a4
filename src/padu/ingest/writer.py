"""Write an import's chunks on a second thread, over the import's own connection and transaction.

While the main thread reads, checks and decides chunk N + 1, this thread sends chunk N to
PostgreSQL, which does its share (``COPY`` parsing, index and key checks) in the server process while
the client thread waits without the GIL. The two used to run one after the other; now they overlap.

Only for PostgreSQL (:meth:`ChunkWriter.pays_off`): SQLite runs inside this process and its module
takes the GIL back after every row it inserts, so a writer thread ping-pongs the GIL with the main
thread row by row — measured on the 100k file: +1–2 s CPU (+10–15 %) and no wall-time gain.

There is still one connection and one transaction: the thread borrows the main thread's Django
connection (``connections[alias]`` is per thread, so it is set to the same object there), and the two
threads never use it at once — the main thread calls :meth:`ChunkWriter.drain` before any query of its
own (loading the registry rows the next chunk needs), and at the end :meth:`close` waits for the last
chunk. An error in the thread is raised again in the main thread at the next ``submit``/``drain``/
``close``, so the import's ``transaction.atomic()`` rolls everything back as before; a kill ends
both threads with the process.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections

__all__ = ["ChunkWriter"]

Job = Callable[[], None]


class ChunkWriter:
    """A single background thread running write jobs in order, one chunk queued ahead at most."""

    def __init__(self, alias: str = DEFAULT_DB_ALIAS, *, ahead: int = 1) -> None:
        self.alias = alias
        self.wrapper = connections[alias]
        self._jobs: queue.Queue[Job | None] = queue.Queue(maxsize=ahead)
        self._error: BaseException | None = None
        self._closed = False
        self.wrapper.inc_thread_sharing()
        self._thread = threading.Thread(target=self._loop, name="padu-import-writer", daemon=True)
        self._thread.start()

    @staticmethod
    def pays_off(alias: str = DEFAULT_DB_ALIAS) -> bool:
        """Whether a writer thread helps on this database (see the module's docstring)."""
        return connections[alias].vendor == "postgresql"

    def _loop(self) -> None:
        connections[self.alias] = self.wrapper  # this thread's `connection` is the import's
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self._error is None:  # after a failure the rest is skipped, only drained
                    try:
                        job()
                    except BaseException as exc:  # re-raised in the main thread
                        self._error = exc
            finally:
                self._jobs.task_done()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def submit(self, job: Job) -> None:
        """Queue ``job``; blocks while a chunk is already waiting (memory stays at two chunks)."""
        assert not self._closed, "ChunkWriter is closed"
        self._raise()
        self._jobs.put(job)

    def drain(self) -> None:
        """Wait until every queued job ran (before the main thread uses the connection itself)."""
        self._jobs.join()
        self._raise()

    def close(self, *, check: bool = True) -> None:
        """Finish the queued jobs and end the thread; with ``check``, raise a job's error (without it,
        when the main thread is already failing, the thread's error is dropped). Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._jobs.put(None)
        self._thread.join()
        self.wrapper.dec_thread_sharing()
        if check:
            self._raise()
