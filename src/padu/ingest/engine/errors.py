"""Errors of the intake engine. Django-free.

:class:`IngestError` is raised when a file cannot be read at all (missing, empty, an unsupported or
corrupt format). Problems in single values are not exceptions: they become
:class:`~padu.ingest.engine.validate.FieldIssue` entries of a row. :class:`ValueProblem` is the
exception the value parsers of :mod:`padu.ingest.engine.values` raise; validation turns it into a
``FieldIssue``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["IngestError", "ValueProblem"]


class IngestError(Exception):
    """A file that cannot be read at all. ``str()`` is ``"pesan / message"`` and names the file.

    ``code`` is stable (``file.empty``, ``file.unsupported_xls``, ...); ``message_id`` and
    ``message_en`` are the two halves of the text; ``line`` is set when the problem was found while
    streaming the rows.
    """

    def __init__(
        self,
        path: str | Path,
        code: str,
        message_id: str,
        message_en: str,
        *,
        line: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.code = code
        self.line = line
        where = f"baris {line}: " if line is not None else ""
        where_en = f"line {line}: " if line is not None else ""
        self.message_id = f"Berkas '{self.path.name}': {where}{message_id}"
        self.message_en = f"File '{self.path.name}': {where_en}{message_en}"
        super().__init__(f"{self.message_id} / {self.message_en}")

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuilt with the same text in another process (padu.ingest.engine.parallel).
        return (_rebuild_ingest_error, (str(self.path), self.code, self.message_id, self.message_en,
                                        self.line, getattr(self, "__notes__", None)))  # fmt: skip

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.path.name,
            "code": self.code,
            "line": self.line,
            "message": str(self),
            "message_id": self.message_id,
            "message_en": self.message_en,
        }


def _rebuild_ingest_error(
    path: str, code: str, message_id: str, message_en: str, line: int | None, notes: list[str] | None
) -> IngestError:
    error = IngestError.__new__(IngestError)
    Exception.__init__(error, f"{message_id} / {message_en}")
    error.path, error.code, error.line = Path(path), code, line
    error.message_id, error.message_en = message_id, message_en
    if notes:
        error.__notes__ = list(notes)
    return error


class ValueProblem(ValueError):
    """One value that cannot be used (or can, with a warning). ``str()`` is ``"pesan / message"``.

    ``kind`` is the second half of the issue code (``invalid``, ``unreadable``, ``unknown``, ...);
    validation prefixes the field: ``birth_date.invalid``. ``value`` is the usable value that goes
    with a warning (e.g. a default), ``None`` for errors.
    """

    def __init__(
        self,
        kind: str,
        message_id: str,
        message_en: str,
        *,
        severity: str = "error",
        value: object = None,
    ) -> None:
        self.kind = kind
        self.message_id = message_id
        self.message_en = message_en
        self.severity = severity
        self.value = value
        super().__init__(f"{message_id} / {message_en}")
