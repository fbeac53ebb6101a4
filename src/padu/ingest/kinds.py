"""Kinds of intake: what a batch's rows are checked against and where they are written.

The intake machinery (upload, header detection, column mapping, validation report, atomic commit,
corrections, background tasks, ``padu import``) is the same for every kind; a kind supplies its
canonical fields and aliases, its row validation and its *diff* (what a chunk of valid rows changes in
its target tables). ``registry`` (the social registry) is defined here; other apps register theirs in
``AppConfig.ready()`` (``padu.programs`` registers ``roll``: beneficiary lists).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from padu.ingest.engine import (
    FIELDS,
    ColumnMapping,
    FieldSpec,
    RawRow,
    RowResult,
    ValidationContext,
    map_columns,
    validate_rows,
)
from padu.ingest.engine.layouts import header_score

if TYPE_CHECKING:
    from padu.ingest.commit import Outcome
    from padu.ingest.models import ImportBatch

__all__ = ["Diff", "IntakeKind", "get", "kinds", "register"]


class Diff(Protocol):
    """Decides (and with ``write`` applies) what each chunk of validated rows changes."""

    stats: Counter[str]

    def apply(self, results: Sequence[RowResult]) -> list[Outcome]: ...


@dataclass(frozen=True)
class IntakeKind:
    name: str
    label: str  # Bahasa Indonesia, e.g. "registri sosial"
    fields: Mapping[str, FieldSpec]
    required_note: str  # shown on the mapping page: which fields are required
    map_columns: Callable[..., ColumnMapping]  # (columns, *, saved=None, source="auto") -> mapping
    validate: Callable[[Iterable[RawRow], ColumnMapping, ValidationContext, ImportBatch], Iterator[RowResult]]
    make_diff: Callable[..., Diff]  # (*, batch, write, actor, full) -> Diff
    may_import: Callable[[Any], bool]
    header_score: Callable[[Sequence[object]], int] = header_score
    report_title: str = "Laporan pemeriksaan berkas"
    summary: Callable[[ImportBatch], dict[str, int]] | None = None
    result_url: Callable[[ImportBatch], str | None] | None = None
    layouts: frozenset[str] = field(default_factory=frozenset)  # sources that fix the layout
    required_marks: frozenset[str] = field(default_factory=frozenset)  # starred on the mapping page
    # Tables a large first load fills: their secondary indexes are rebuilt once at the end (tuning.py).
    bulk_tables: tuple[str, ...] = ()
    # ``validate`` without the batch: Django-free and picklable (a module-level function), so that a
    # large file is read and validated in a second process (padu.ingest.engine.parallel). None: never.
    engine_validate: (
        Callable[[Iterable[RawRow], ColumnMapping, ValidationContext], Iterator[RowResult]] | None
    ) = None


_KINDS: dict[str, IntakeKind] = {}


def register(kind: IntakeKind) -> None:
    _KINDS[kind.name] = kind


def get(name: str) -> IntakeKind:
    if name not in _KINDS:
        raise KeyError(f"jenis impor tidak dikenal / unknown intake kind: {name!r}")
    return _KINDS[name]


def kinds() -> list[IntakeKind]:
    return list(_KINDS.values())


# -- the social registry -------------------------------------------------------------------------------


def _registry_validate(
    rows: Iterable[RawRow], mapping: ColumnMapping, context: ValidationContext, batch: ImportBatch
) -> Iterator[RowResult]:
    return validate_rows(rows, mapping, context)


def _registry_diff(*, batch: ImportBatch, write: bool, actor: Any, full: bool = True) -> Diff:
    from padu.ingest.commit import RegistryDiff
    from padu.ingest.models import BatchSource

    layouts = {"dtsen", "p3ke", "dtks"}
    return RegistryDiff(
        period=batch.period,
        source=batch.source if batch.source in layouts else BatchSource.OTHER,
        label=f"{batch.original_name} (impor #{batch.pk}, {batch.period})",
        author_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
        write=write,
        nik_column=batch.mapping.get("nik", ""),
    )


def _registry_may_import(user: Any) -> bool:
    from padu.ingest.models import may_import

    return may_import(user)


def _registry_summary(batch: ImportBatch) -> dict[str, int]:
    return {
        "Baris dibaca": batch.rows,
        "Diterima (baru atau berubah)": batch.accepted,
        "Ditolak": batch.rejected,
        "Tidak berubah": batch.unchanged,
        "Baris dengan peringatan": batch.warnings,
        "Keluarga baru": int(batch.stats.get("families_new", 0)),
        "Individu baru": int(batch.stats.get("persons_new", 0)),
        "Catatan riwayat": int(batch.stats.get("status_changes", 0)),
    }


REGISTRY = IntakeKind(
    name="registry",
    label="registri sosial",
    fields=FIELDS,
    required_note="Wajib: nama; NIK atau nomor KK; kelurahan.",
    map_columns=map_columns,
    validate=_registry_validate,
    make_diff=_registry_diff,
    may_import=_registry_may_import,
    report_title="Laporan pemeriksaan berkas registri",
    summary=_registry_summary,
    layouts=frozenset({"dtsen", "p3ke", "dtks"}),
    required_marks=frozenset({"name", "nik", "kelurahan_code"}),
    bulk_tables=(
        "registry_family",
        "registry_person",
        "registry_membership",
        "registry_welfarerecord",
        "registry_kkhistory",
        "registry_statuschange",
    ),
    engine_validate=validate_rows,
)
register(REGISTRY)
