"""The ``roll`` intake kind: beneficiary lists through the registry intake's machinery.

``padu.ingest`` reads the file, finds the header, maps columns (``ROLL_FIELDS`` aliases or the manual
mapping screen), validates (``validate_roll``), keeps rows with findings, writes the XLSX report and
commits in one transaction; :class:`RollDiff` decides what each chunk changes in the programme's roll
for the period. A roll is the list as last sent: rows whose content (``content_hash``) is already there
are ``unchanged``, new content is inserted, and after a full file the rows no longer sent are removed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from padu.accounts.models import Role
from padu.accounts.scope import effective_role
from padu.ingest import kinds
from padu.ingest.commit import Outcome, bulk_insert, db_value
from padu.ingest.engine import ColumnMapping, RawRow, RowResult, ValidationContext
from padu.ingest.models import BatchStatus, ImportBatch
from padu.programs.engine.roll import ROLL_FIELDS, ROLL_INDEX, map_roll_columns, validate_roll
from padu.programs.models import Programme, Roll, RollEntry

KIND = "roll"
SLICE = 900
ENTRY_COLUMNS = (
    "roll_id", "row_number", "raw", "nik", "nik_valid", "nik_damaged", "nik_issues", "kk", "kk_valid", "name",
    "birth_date", "birth_place", "sex", "address", "rt", "rw", "kelurahan_id", "mother_name", "flags",
    "flagged", "content_hash", "batch_id", "created_at", "benefit_rp",
)  # fmt: skip


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e17 else value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


class RollDiff:
    """Compare a chunk of validated rows with the roll of ``batch.target["programme"]`` and period."""

    def __init__(self, *, batch: ImportBatch, write: bool, actor: Any = None, full: bool = True) -> None:
        self.batch, self.write, self.full = batch, write, full
        self.stats: Counter[str] = Counter()
        self.programme = Programme.objects.get(pk=batch.target["programme"])
        self.roll = Roll.objects.filter(programme=self.programme, period=batch.period).first()
        if self.roll is None and write:
            self.roll = Roll.objects.create(programme=self.programme, period=batch.period)
        self.existing: dict[str, tuple[int, int]] = {}
        if self.roll is not None:
            rows = RollEntry.objects.filter(roll=self.roll).values_list("content_hash", "id", "row_number")
            self.existing = {h: (pk, row) for h, pk, row in rows.iterator(chunk_size=5000)}
        self.seen: set[int] = set()
        self.renumber: list[tuple[int, int]] = []
        self.now = db_value(timezone.now(), connection.vendor)

    def apply(self, results: Sequence[RowResult]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        new: list[tuple[Any, ...]] = []
        for result in results:
            if not result.ok:
                outcomes.append(Outcome("rejected"))
                continue
            content = str(result.values["content_hash"])
            hit = self.existing.get(content)
            if hit is not None and hit[0] not in self.seen:
                self.seen.add(hit[0])
                if hit[1] != result.line:
                    self.renumber.append((hit[0], result.line))
                outcomes.append(Outcome("unchanged"))
                continue
            outcomes.append(Outcome("accepted"))
            self.stats["entries_new"] += 1
            if self.write:
                new.append(self._entry(result))
        if new:
            bulk_insert(RollEntry, ENTRY_COLUMNS, new)  # raw executemany / COPY: no model instances
        return outcomes

    def _entry(self, result: RowResult) -> tuple[Any, ...]:
        """One row of ``ENTRY_COLUMNS`` in database form (a content hash is unique within a file)."""
        v: dict[str, Any] = result.values
        vendor = connection.vendor
        assert self.roll is not None
        return (
            self.roll.pk,
            result.line,
            db_value({str(k): _jsonable(x) for k, x in result.raw.items()}, vendor),
            (v.get("nik") or v.get("nik_digits") or "")[:16],
            bool(v.get("nik_valid")),
            bool(v.get("nik_damaged")),
            db_value(list(v.get("nik_issues") or []), vendor),
            (v.get("kk") or "")[:16],
            bool(v.get("kk_valid")),
            (v.get("name") or "")[:150],
            db_value(v.get("birth_date"), vendor),
            (v.get("birth_place") or "")[:80],
            v.get("sex") or "",
            (v.get("address") or "")[:200],
            v.get("rt") or "",
            v.get("rw") or "",
            v.get("kelurahan_code"),
            (v.get("mother_name") or "")[:150],
            db_value(sorted({i.code for i in result.issues}), vendor),
            bool(result.issues),
            v["content_hash"],
            self.batch.pk,
            self.now,
            v.get("benefit_rp"),
        )

    def finish(self) -> None:
        """After a whole file: drop the rows no longer sent, renumber moved rows, refresh the counts."""
        gone = [pk for pk, _row in self.existing.values() if pk not in self.seen] if self.full else []
        self.stats["entries_removed"] += len(gone)
        if not self.write or self.roll is None:
            return
        for start in range(0, len(gone), SLICE):
            RollEntry.objects.filter(pk__in=gone[start : start + SLICE]).delete()
        if self.renumber:
            moved = [RollEntry(pk=pk, row_number=row) for pk, row in self.renumber]
            RollEntry.objects.bulk_update(moved, ["row_number"], batch_size=1000)
        refresh_counts(self.roll, batch=self.batch)


def refresh_counts(roll: Roll, *, batch: ImportBatch | None = None) -> None:
    counts = RollEntry.objects.filter(roll=roll).aggregate(
        n=Count("id"),
        valid=Count("id", filter=Q(nik_valid=True)),
        flagged=Count("id", filter=Q(flagged=True)),
    )
    roll.entries_count, roll.nik_valid_count, roll.flagged_count = (
        counts["n"],
        counts["valid"],
        counts["flagged"],
    )
    fields = ["entries_count", "nik_valid_count", "flagged_count", "updated_at"]
    if batch is not None:
        roll.batch = batch
        fields.append("batch")
    roll.save(update_fields=fields)


def _validate(
    rows: Iterable[RawRow], mapping: ColumnMapping, context: ValidationContext, batch: ImportBatch
) -> Iterator[RowResult]:
    return validate_roll(rows, mapping, context)


def may_import_rolls(user: Any) -> bool:
    """Bappeda administrators and analysts (any programme), OPD operators (their OPD's programmes)."""
    role = effective_role(user)
    return role in {Role.ADMIN, Role.ANALYST} or (role == Role.OPD_OPERATOR and bool(user.opd_id))


def _summary(batch: ImportBatch) -> dict[str, int]:
    return {
        "Baris dibaca": batch.rows,
        "Diterima (baris baru)": batch.accepted,
        "Ditolak": batch.rejected,
        "Tidak berubah": batch.unchanged,
        "Baris dengan peringatan (diterima, bertanda)": batch.warnings,
        "Baris lama yang tidak dikirim lagi (dihapus)": int(batch.stats.get("entries_removed", 0)),
    }


def _result_url(batch: ImportBatch) -> str | None:
    code = batch.target.get("programme_code")
    if batch.status != BatchStatus.COMMITTED or not code:
        return None
    return reverse("programs:roll", kwargs={"code": code, "period": batch.period})


def register_kind() -> None:
    kinds.register(
        kinds.IntakeKind(
            name=KIND,
            label="daftar penerima program",
            fields=ROLL_FIELDS,
            required_note="Wajib: nama atau NIK.",
            map_columns=map_roll_columns,
            validate=_validate,
            make_diff=RollDiff,
            may_import=may_import_rolls,
            header_score=ROLL_INDEX.score,
            report_title="Laporan pemeriksaan daftar penerima program",
            summary=_summary,
            result_url=_result_url,
            required_marks=frozenset({"name", "nik"}),
        )
    )
