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

from django.db.models import Count, Q
from django.urls import reverse

from padu.accounts.models import Role
from padu.accounts.scope import effective_role
from padu.ingest import kinds
from padu.ingest.commit import Outcome
from padu.ingest.engine import ColumnMapping, RawRow, RowResult, ValidationContext
from padu.ingest.models import BatchStatus, ImportBatch
from padu.programs.engine.roll import ROLL_FIELDS, ROLL_INDEX, map_roll_columns, validate_roll
from padu.programs.models import Programme, Roll, RollEntry

KIND = "roll"
SLICE = 900


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

    def apply(self, results: Sequence[RowResult]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        new: list[RollEntry] = []
        for result in results:
            if not result.ok:
                outcomes.append(Outcome("rejected"))
                continue
            hit = self.existing.get(str(result.values["content_hash"]))
            if hit is not None and hit[0] not in self.seen:
                self.seen.add(hit[0])
                if hit[1] != result.line:
                    self.renumber.append((hit[0], result.line))
                outcomes.append(Outcome("unchanged"))
                continue
            new.append(self._entry(result))
            outcomes.append(Outcome("accepted"))
        self.stats["entries_new"] += len(new)
        if self.write and new:
            RollEntry.objects.bulk_create(new, batch_size=1000)
            for entry in new:
                self.existing[entry.content_hash] = (entry.pk, entry.row_number)
                self.seen.add(entry.pk)
        return outcomes

    def _entry(self, result: RowResult) -> RollEntry:
        v: dict[str, Any] = result.values
        return RollEntry(
            roll=self.roll,
            row_number=result.line,
            raw={str(k): _jsonable(x) for k, x in result.raw.items()},
            nik=(v.get("nik") or v.get("nik_digits") or "")[:16],
            nik_valid=bool(v.get("nik_valid")),
            nik_damaged=bool(v.get("nik_damaged")),
            nik_issues=list(v.get("nik_issues") or []),
            kk=(v.get("kk") or "")[:16],
            kk_valid=bool(v.get("kk_valid")),
            name=(v.get("name") or "")[:150],
            birth_date=v.get("birth_date"),
            birth_place=(v.get("birth_place") or "")[:80],
            sex=v.get("sex") or "",
            address=(v.get("address") or "")[:200],
            rt=v.get("rt") or "",
            rw=v.get("rw") or "",
            kelurahan_id=v.get("kelurahan_code"),
            mother_name=(v.get("mother_name") or "")[:150],
            flags=sorted({i.code for i in result.issues}),
            flagged=bool(result.issues),
            content_hash=v["content_hash"],
            batch_id=self.batch.pk,
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
