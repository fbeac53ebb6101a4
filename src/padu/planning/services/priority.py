"""Writes for the kelurahan priority: sector indicator upload (validated, per-row errors, atomic) and
the lokasi prioritas chosen for a plan year (saved with the analysis that produced it, audited)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from padu.core import audit
from padu.core.decorators import has_role
from padu.core.models import AuditAction
from padu.planning.models import LokasiPrioritas, PriorityAnalysis, SectorIndicator
from padu.wilayah.models import Level, Region

PLANNERS = ("admin", "analyst")
CODE_HEADERS = {"kode", "kode_wilayah", "kode_kelurahan", "kode_desa", "kode_kel", "kelurahan_code", "code"}
NAME_HEADERS = {
    "nama",
    "kelurahan",
    "nama_kelurahan",
    "desa",
    "nama_desa",
    "kecamatan",
    "nama_kecamatan",
    "no",
}
PERIOD_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


def may_plan(user: Any) -> bool:
    """Bappeda administrators and analysts set weights, import indicators and run the optimiser."""
    return has_role(user, PLANNERS)


def _require_planner(actor: Any) -> None:
    if actor is not None and not may_plan(actor):
        raise PermissionDenied(_("Hanya Bappeda (admin/analis) yang boleh mengubah data perencanaan."))


@dataclass
class SectorImport:
    rows: int = 0
    values: int = 0
    keys: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def _slug(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def _number(value: object) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("%", "").replace(" ", "")
        if "," in text:  # Indonesian decimals: 1.234,5
            text = text.replace(".", "").replace(",", ".")
        number = float(text)
    if not math.isfinite(number):
        raise ValueError
    return number


def _score(cells: Sequence[object]) -> int:
    return sum(1 for c in cells if c is not None and _slug(str(c)) in CODE_HEADERS)


def read_sector_file(path: Path) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    """Columns and rows of a CSV/XLSX sector file (the intake readers find the header row)."""
    from padu.ingest.engine import read_table

    with read_table(path, score=_score) as table:
        return list(table.columns), [(r.line, dict(r.values)) for r in table.rows]


def check_sector_rows(
    columns: Sequence[str], rows: Iterable[tuple[int, dict[str, object]]]
) -> tuple[SectorImport, list[tuple[str, str, float]]]:
    """Validate a wide table (a kelurahan code column, one column per indicator): every problem is
    reported with its line; values are returned only when there is none."""
    report = SectorImport()
    by_slug = {_slug(c): c for c in columns}
    code_col = next((by_slug[s] for s in by_slug if s in CODE_HEADERS), None)
    if code_col is None:
        report.errors.append((0, _("Kolom kode kelurahan (kode_wilayah) tidak ditemukan.")))
        return report, []
    value_cols = {c: _slug(c) for c in columns if c != code_col and _slug(c) and _slug(c) not in NAME_HEADERS}
    if not value_cols:
        report.errors.append((0, _("Tidak ada kolom indikator.")))
        return report, []
    report.keys = sorted(set(value_cols.values()))
    root = settings.REGION_CODE
    kelurahan = dict(Region.objects.within(root).filter(level=Level.DESA).values_list("code_plain", "code"))
    known = set(kelurahan.values())
    seen: dict[str, int] = {}
    values: list[tuple[str, str, float]] = []
    for line, row in rows:
        raw_code = str(row.get(code_col) or "").strip()
        if not raw_code and not any(row.get(c) not in (None, "") for c in value_cols):
            continue  # blank line
        report.rows += 1
        code = raw_code if raw_code in known else kelurahan.get(raw_code.replace(".", ""), "")
        if not code:
            report.errors.append(
                (line, _("Kode kelurahan '%(code)s' tidak dikenal di wilayah ini.") % {"code": raw_code})
            )
            continue
        if code in seen:
            report.errors.append(
                (
                    line,
                    _("Kelurahan %(code)s sudah ada di baris %(line)s.") % {"code": code, "line": seen[code]},
                )
            )
            continue
        seen[code] = line
        for col, key in value_cols.items():
            try:
                number = _number(row.get(col))
            except (TypeError, ValueError):
                report.errors.append(
                    (
                        line,
                        _("Kolom '%(col)s': '%(value)s' bukan angka.") % {"col": col, "value": row.get(col)},
                    )
                )
                continue
            if number is not None:
                values.append((code, key, number))
    if report.rows == 0:
        report.errors.append((0, _("Berkas tidak berisi baris data.")))
    report.values = len(values)
    return report, ([] if report.errors else values)


@transaction.atomic
def import_sector_indicators(
    *, actor: Any, path: Path, period: str, source: str, file_name: str = ""
) -> SectorImport:
    """Read, validate and (only when every row is valid) save a sector indicator file for ``period``;
    values already imported for the same kelurahan, period and indicator are replaced."""
    _require_planner(actor)
    if not PERIOD_RE.match(period or ""):
        raise ValidationError(_("Periode harus YYYY atau YYYY-MM."))
    if not (source or "").strip():
        raise ValidationError(_("Sumber data wajib diisi."))
    columns, rows = read_sector_file(path)
    report, values = check_sector_rows(columns, rows)
    if not report.ok:
        return report
    name = (file_name or path.name)[:200]
    user = actor if getattr(actor, "is_authenticated", False) else None
    for code, key, number in values:
        SectorIndicator.objects.update_or_create(
            kelurahan_id=code,
            period=period,
            key=key,
            defaults={
                "value": number,
                "source": source.strip()[:120],
                "imported_from": name,
                "imported_by": user,
            },
        )
    audit.record(
        actor=actor,
        action=AuditAction.IMPORT,
        object_type="planning.sectorindicator",
        object_repr=f"{name} ({period})",
        detail={
            "period": period,
            "source": source,
            "rows": report.rows,
            "values": report.values,
            "indicators": report.keys,
        },
    )
    return report


@transaction.atomic
def choose_lokasi_prioritas(
    *,
    actor: Any,
    year: int,
    registry_period: str,
    indicator_period: str,
    method: str,
    weights: Mapping[str, float],
    result: list[dict[str, Any]],
    explanation: str,
    chosen: Sequence[str],
) -> PriorityAnalysis:
    """Save the analysis (weights, method, ranking) and make ``chosen`` the lokasi prioritas of
    ``year``, replacing any earlier choice for that year."""
    _require_planner(actor)
    ranked = {r["code"]: r for r in result}
    unknown = [c for c in chosen if c not in ranked]
    if unknown:
        raise ValidationError(
            _("Kelurahan tidak ada dalam peringkat: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    if not chosen:
        raise ValidationError(_("Pilih minimal satu kelurahan."))
    analysis = PriorityAnalysis.objects.create(
        year=year,
        registry_period=registry_period,
        indicator_period=indicator_period,
        method=method,
        weights=dict(weights),
        result=result,
        explanation=explanation,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    before = sorted(LokasiPrioritas.objects.filter(year=year).values_list("kelurahan_id", flat=True))
    LokasiPrioritas.objects.filter(year=year).delete()
    LokasiPrioritas.objects.bulk_create(
        LokasiPrioritas(
            year=year,
            kelurahan_id=c,
            analysis=analysis,
            rank=ranked[c].get("rank"),
            composite=ranked[c].get("composite"),
        )
        for c in chosen
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if not before else AuditAction.UPDATE,
        obj=analysis,
        object_repr=f"Lokasi prioritas {year}",
        before={"lokasi": before} if before else None,
        after={"lokasi": sorted(chosen), "method": method, "weights": dict(weights)},
    )
    return analysis
