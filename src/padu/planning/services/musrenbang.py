"""Writes for Musrenbang proposals: entry (classified by rule unless the user overrides), edit,
status (Bappeda), and the Excel/CSV import (every row checked; saved only when all are valid)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from padu.accounts.models import Opd
from padu.accounts.scope import scope_filter
from padu.core import audit
from padu.core.models import AuditAction
from padu.planning.choices import Bidang, ProposalStatus, Strategy
from padu.planning.classify import classify
from padu.planning.models import Proposal
from padu.planning.services.priority import may_plan
from padu.wilayah.models import Level, Region

FIELDS = ("year", "kelurahan_id", "rt", "rw", "activity", "description", "volume", "unit", "bidang", "cost",
          "local_priority", "contribution", "physical", "strategy", "opd_id")  # fmt: skip
CLASS_FIELDS = ("physical", "strategy", "bidang", "opd_id")


def may_propose_in(user: Any, kelurahan_code: str) -> bool:
    """Whether ``user`` may add or change proposals of this kelurahan (own region; Bappeda: all)."""
    condition = scope_filter(user, "add", region_field="code")
    if condition is None:
        return False
    return Region.objects.filter(code=kelurahan_code, level=Level.DESA).filter(condition).exists()


def apply_classification(values: dict[str, Any], *, manual: bool) -> dict[str, Any]:
    """Fill physical/strategy/bidang/OPD from the rules unless ``manual``; note who decided."""
    if manual:
        return values | {"manual_class": True, "classified_by": "manual"}
    found = classify(f"{values.get('activity', '')} {values.get('description', '')}")
    if not found.matched:
        return values | {"manual_class": False, "classified_by": ""}
    opd = Opd.objects.filter(code=found.opd).values_list("pk", flat=True).first()
    return values | {
        "physical": found.physical,
        "strategy": found.strategy,
        "bidang": found.bidang if values.get("bidang") in (None, "", Bidang.LAINNYA) else values["bidang"],
        "opd_id": values.get("opd_id") or opd,
        "manual_class": False,
        "classified_by": f"aturan: {found.keyword}",
    }


@transaction.atomic
def proposal_create(
    *, actor: Any, values: Mapping[str, Any], manual: bool = False, source: str = ""
) -> Proposal:
    data = {k: v for k, v in values.items() if k in FIELDS}
    if actor is not None and not may_propose_in(actor, str(data.get("kelurahan_id", ""))):
        raise PermissionDenied(_("Anda tidak boleh mengajukan usulan untuk kelurahan ini."))
    data = apply_classification(data, manual=manual)
    proposal = Proposal(**data, source=source or "formulir", created_by=_user(actor))
    proposal.full_clean()
    proposal.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=proposal, after=audit.snapshot(proposal))
    return proposal


@transaction.atomic
def proposal_update(
    *, actor: Any, proposal: Proposal, values: Mapping[str, Any], manual: bool = False
) -> Proposal:
    """Change a proposal. Kelurahan operators change their own while it is still ``diajukan``;
    Bappeda any time."""
    if not may_propose_in(actor, proposal.kelurahan_id):
        raise PermissionDenied(_("Anda tidak boleh mengubah usulan ini."))
    if not may_plan(actor) and proposal.status != ProposalStatus.DIAJUKAN:
        raise PermissionDenied(_("Usulan yang sudah diproses hanya dapat diubah oleh Bappeda."))
    before = audit.snapshot(proposal)
    data = {k: v for k, v in values.items() if k in FIELDS and k != "kelurahan_id"}
    data = apply_classification(data, manual=manual)
    for key, value in data.items():
        setattr(proposal, key, value)
    proposal.full_clean()
    proposal.save()
    old, new = audit.changed(before, audit.snapshot(proposal))
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=proposal, before=old, after=new)
    return proposal


@transaction.atomic
def proposal_set_status(*, actor: Any, proposal: Proposal, status: str, reason: str = "") -> Proposal:
    if not may_plan(actor):
        raise PermissionDenied(_("Hanya Bappeda yang menetapkan status usulan."))
    if status not in ProposalStatus.values:
        raise ValidationError(_("Status tidak dikenal."))
    if status == ProposalStatus.DITOLAK and not reason.strip():
        raise ValidationError(_("Alasan penolakan wajib diisi."))
    before = {"status": proposal.status, "status_reason": proposal.status_reason}
    proposal.status, proposal.status_reason = status, reason.strip()
    proposal.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=proposal,
        before=before,
        after={"status": status, "status_reason": proposal.status_reason},
    )
    return proposal


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# -- import -----------------------------------------------------------------------------------------

HEADERS: dict[str, tuple[str, ...]] = {
    "kelurahan": ("kode_kelurahan", "kode_wilayah", "kode_desa", "kode"),
    "rt": ("rt",),
    "rw": ("rw",),
    "activity": ("jenis_kegiatan", "kegiatan", "usulan", "nama_kegiatan"),
    "description": ("uraian", "lokasi", "keterangan", "uraian_lokasi"),
    "volume": ("volume", "vol"),
    "unit": ("satuan",),
    "bidang": ("bidang",),
    "cost": ("biaya", "perkiraan_biaya", "anggaran", "pagu", "estimasi_biaya"),
    "local_priority": ("prioritas", "prioritas_kelurahan", "urutan", "ranking"),
    "contribution": ("swadaya", "swadaya_masyarakat", "kontribusi"),
    "physical": ("fisik", "fisik_nonfisik", "jenis"),
    "strategy": ("strategi",),
}
REQUIRED = ("kelurahan", "activity", "cost")


@dataclass
class ProposalImport:
    rows: int = 0
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "_", str(text).strip().lower()).strip("_")


def _score(cells: Any) -> int:
    names = {h for hs in HEADERS.values() for h in hs}
    return sum(1 for c in cells if c is not None and _slug(str(c)) in names)


def _rupiah(value: object) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0:
            raise ValueError
        return round(value)
    text = str(value or "").lower().replace("rp", "").replace(" ", "").replace(".", "").split(",")[0]
    if not text.isdigit():
        raise ValueError
    return int(text)


def _physical(value: object) -> bool | None:
    text = _slug(str(value or ""))
    if not text:
        return None
    if text in {"fisik", "ya", "y", "1", "true"}:
        return True
    if text in {"non_fisik", "nonfisik", "tidak", "t", "0", "false"}:
        return False
    raise ValueError


def _row_values(
    row: dict[str, object], columns: dict[str, str], kel: dict[str, str]
) -> tuple[dict[str, Any], bool]:
    get = {k: row.get(c) for k, c in columns.items()}
    raw_code = str(get.get("kelurahan") or "").strip()
    code = kel.get(raw_code) or kel.get(raw_code.replace(".", ""))
    if not code:
        raise ValueError(_("kode kelurahan '%(code)s' tidak dikenal") % {"code": raw_code})
    activity = str(get.get("activity") or "").strip()
    if not activity:
        raise ValueError(_("jenis kegiatan kosong"))
    try:
        cost = _rupiah(get.get("cost"))
    except ValueError:
        raise ValueError(_("biaya '%(v)s' bukan angka rupiah") % {"v": get.get("cost")}) from None
    values: dict[str, Any] = {"kelurahan_id": code, "activity": activity[:200], "cost": cost}
    values["description"] = str(get.get("description") or "").strip()
    for key in ("rt", "rw"):
        text = str(get.get(key) or "").strip()
        values[key] = text.split(".")[0].zfill(3)[:3] if text else ""
    values["unit"] = str(get.get("unit") or "").strip()[:30]
    if get.get("volume") not in (None, ""):
        try:
            values["volume"] = Decimal(str(get["volume"]).replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("volume '%(v)s' bukan angka") % {"v": get["volume"]}) from None
    for key in ("local_priority", "contribution"):
        if get.get(key) not in (None, ""):
            try:
                values[key] = _rupiah(get[key])
            except ValueError:
                raise ValueError(_("kolom %(k)s bukan angka") % {"k": columns[key]}) from None
    bidang = _slug(str(get.get("bidang") or ""))
    if bidang:
        match = next((b for b in Bidang.values if bidang.startswith(b[:5])), None)
        values["bidang"] = match or Bidang.LAINNYA
    manual = False
    try:
        physical = _physical(get.get("physical"))
    except ValueError:
        raise ValueError(_("fisik/non-fisik '%(v)s' tidak dikenal") % {"v": get.get("physical")}) from None
    strategy = _slug(str(get.get("strategy") or ""))
    if physical is not None or strategy:
        found = classify(f"{activity} {values['description']}")
        values["physical"] = physical if physical is not None else bool(found.physical)
        match_s = next((s for s in Strategy.values if strategy.startswith(s[:5]) or s in strategy), None)
        values["strategy"] = match_s or found.strategy or Strategy.KANTONG
        manual = True
    return values, manual


@transaction.atomic
def proposals_import(*, actor: Any, path: Path, year: int, file_name: str = "") -> ProposalImport:
    """Import a Musrenbang recap (CSV/XLSX, one proposal per row). Rows outside the user's region are
    errors; nothing is saved unless every row is valid."""
    from padu.ingest.engine import read_table

    report = ProposalImport()
    with read_table(path, score=_score) as table:
        slugs = {_slug(c): c for c in table.columns}
        columns = {
            k: next(slugs[h] for h in hs if h in slugs)
            for k, hs in HEADERS.items()
            if any(h in slugs for h in hs)
        }
        missing = [k for k in REQUIRED if k not in columns]
        if missing:
            report.errors.append(
                (
                    0,
                    _("Kolom wajib tidak ada: %(cols)s")
                    % {"cols": ", ".join(HEADERS[k][0] for k in missing)},
                )
            )
            return report
        rows = [(r.line, dict(r.values)) for r in table.rows]
    root = settings.REGION_CODE
    kel = {}
    for code, plain in Region.objects.within(root).filter(level=Level.DESA).values_list("code", "code_plain"):
        kel[code] = kel[plain] = code
    allowed: dict[str, bool] = {}
    parsed = []
    for line, row in rows:
        if not any(v not in (None, "") for v in row.values()):
            continue
        report.rows += 1
        try:
            values, manual = _row_values(row, columns, kel)
        except ValueError as exc:
            report.errors.append((line, str(exc)))
            continue
        code = values["kelurahan_id"]
        if code not in allowed:
            allowed[code] = may_propose_in(actor, code)
        if not allowed[code]:
            report.errors.append((line, _("kelurahan %(code)s di luar wilayah Anda") % {"code": code}))
            continue
        parsed.append((values | {"year": year}, manual))
    if report.rows == 0:
        report.errors.append((0, _("Berkas tidak berisi baris data.")))
    if report.errors:
        return report
    name = (file_name or path.name)[:180]
    for values, manual in parsed:
        data = apply_classification(values, manual=manual)
        proposal = Proposal(**data, source=f"impor: {name}", created_by=_user(actor))
        proposal.full_clean()
        proposal.save()
    report.created = len(parsed)
    audit.record(
        actor=actor,
        action=AuditAction.IMPORT,
        object_type="planning.proposal",
        object_repr=f"{name} ({year})",
        detail={"year": year, "rows": report.rows, "created": report.created},
    )
    return report
