"""Read and validate a file in a second process while the importing process decides and writes.
Django-free.

The reading process is a fresh interpreter (``python -m padu.ingest.engine.parallel``; nothing is
inherited from the importing process — no database connection, no threads, and unlike
``multiprocessing`` it never re-runs the caller's main script). It gets its job (a pickled
:class:`ReadJob`) on stdin, opens the file itself, validates every row (the in-file duplicate check
included) and sends the results on stdout in length-prefixed frames of ``BATCH_ROWS`` rows; a thread
writes them while the next batch is validated, at most ``QUEUE_BATCHES`` batches ahead (a full pipe
blocks it), so memory does not grow with the file.

A batch is packed as compact tuples (:mod:`padu.ingest.engine.packing`: the values' keys once per
batch, a family's shared values once per family); the receiving side rebuilds equal
:class:`RowResult` objects, in file order.

Failures: an exception in the reading process (an unreadable or corrupt file, a bad default
kelurahan) is sent to the importing process and raised there with its type and message; a reading
process that dies (killed, out of memory) raises :class:`ReaderDied` there; either way the caller's
transaction rolls back. The importing process kills the reading process when it fails itself or stops
early; when the importing process dies, the reading process's next write fails (broken pipe) and it
ends.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import queue as queue_module
import signal
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from padu.ingest.engine.layouts import ColumnMapping
from padu.ingest.engine.packing import LEARN_PAIRS, Layout, PackedRow, fields, pack, unpack
from padu.ingest.engine.readers import RawRow, read_table
from padu.ingest.engine.results import RowResult, ValidationContext

__all__ = [
    "BATCH_ROWS",
    "QUEUE_BATCHES",
    "PackedRow",
    "ReadJob",
    "ReaderDied",
    "fields",
    "pack",
    "parallel_results",
    "unpack",
]

BATCH_ROWS = 2000
QUEUE_BATCHES = 4
_LENGTH = struct.Struct("<Q")
_GC_YOUNG = 200_000  # as padu.ingest.tuning.quiet_gc: the validator allocates millions of short-lived objects

Validate = Callable[[Iterable[RawRow], ColumnMapping, ValidationContext], Iterator[RowResult]]


@dataclass(frozen=True)
class ReadJob:
    """What the reading process needs; every part must pickle (module-level functions, plain data)."""

    path: str
    sheet: str | None
    score: Callable[[Sequence[object]], int]
    mapping: ColumnMapping
    context: ValidationContext
    validate: Validate
    batch_rows: int = BATCH_ROWS
    learn_pairs: int = LEARN_PAIRS


class ReaderDied(RuntimeError):
    """The reading process ended without finishing the file (killed, out of memory)."""

    def __init__(self, exitcode: int | None) -> None:
        self.exitcode = exitcode
        super().__init__(
            f"Proses pembaca berkas berhenti sebelum selesai (kode keluar {exitcode}); tidak ada yang "
            f"disimpan / the file-reading process stopped before the end (exit code {exitcode}); "
            "nothing was saved"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (ReaderDied, (self.exitcode,))


# -- the reading process ------------------------------------------------------------------------------


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling with its type and message, else a RuntimeError with its message."""
    try:
        copy = pickle.loads(pickle.dumps(exc))
        if type(copy) is type(exc) and str(copy) == str(exc):
            return exc
    except Exception:  # any failure: send the message instead
        pass
    return RuntimeError(str(exc) or type(exc).__name__)


class _Sender:
    """Writes frames on a thread, ``QUEUE_BATCHES`` ahead at most; a broken pipe (the importing
    process is gone) ends this process."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.frames: queue_module.Queue[bytes | None] = queue_module.Queue(maxsize=QUEUE_BATCHES)
        self.thread = threading.Thread(target=self._loop, name="padu-reader-sender", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        try:
            while (frame := self.frames.get()) is not None:
                self.out.write(_LENGTH.pack(len(frame)))
                self.out.write(frame)
                self.out.flush()
        except (BrokenPipeError, OSError):
            os._exit(3)  # nobody reads any more

    def send(self, kind: str, data: Any) -> None:
        self.frames.put(pickle.dumps((kind, data), protocol=pickle.HIGHEST_PROTOCOL))

    def close(self) -> None:
        self.frames.put(None)
        self.thread.join()


def _read(job: ReadJob, sender: _Sender) -> None:
    rows = 0
    try:
        with read_table(job.path, sheet=job.sheet, score=job.score) as table:
            batch: list[RowResult] = []
            layout = Layout(job.learn_pairs)
            for result in job.validate(table.rows, job.mapping, job.context):
                batch.append(result)
                if len(batch) >= job.batch_rows:
                    sender.send("rows", pack(batch, layout))
                    rows += len(batch)
                    batch = []
            if batch:
                sender.send("rows", pack(batch, layout))
                rows += len(batch)
    except Exception as exc:
        exc.add_note("".join(traceback.format_exception(exc)))  # for the importing process's log
        sender.send("error", _portable(exc))
        return
    sender.send("end", rows)


def main() -> int:
    """The reading process: job on stdin, frames on stdout (anything printed goes to stderr)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the importing process, which ends this one
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    job = pickle.loads(sys.stdin.buffer.read())
    gc.freeze()
    gc.set_threshold(_GC_YOUNG, *gc.get_threshold()[1:])
    sender = _Sender(out)
    _read(job, sender)
    sender.close()
    return 0


# -- the importing process ----------------------------------------------------------------------------


def _frames(process: subprocess.Popen[bytes]) -> Iterator[tuple[str, Any]]:
    assert process.stdout is not None
    read = process.stdout.read
    while True:
        head = read(_LENGTH.size)
        if len(head) < _LENGTH.size:
            break
        (size,) = _LENGTH.unpack(head)
        frame = read(size)
        if len(frame) < size:
            break
        yield pickle.loads(frame)
    raise ReaderDied(process.wait())


@contextlib.contextmanager
def parallel_results(job: ReadJob) -> Iterator[Iterator[RowResult]]:
    """Start the reading process for ``job``; yields the stream of its results, in file order. Leaving
    the block (at the end, on an error, or early) stops the process."""
    # The child finds this package (and the job's functions) where this process found them, even
    # when they are on a path added at run time rather than installed.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    process = subprocess.Popen(
        [sys.executable, "-m", "padu.ingest.engine.parallel"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    try:
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # it died at once: _frames says so
            process.stdin.write(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
            process.stdin.close()

        def stream() -> Iterator[RowResult]:
            for kind, data in _frames(process):
                if kind == "rows":
                    yield from unpack(data)
                elif kind == "end":
                    return
                else:
                    raise data

        yield stream()
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()


if __name__ == "__main__":
    raise SystemExit(main())
