"""Writes of the programme catalogue: programmes and the intake of their beneficiary lists.

Keyword-only, transactional, audited. ``actor=None`` is the system itself (CLI, demo). A refusal raises
``PermissionDenied``; bad values raise ``ValidationError`` keyed by field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from padu.accounts.models import Opd
from padu.accounts.scope import scope_filter
from padu.core import audit
from padu.core.models import AuditAction
from padu.ingest import services as ingest
from padu.ingest.models import ImportBatch
from padu.programs.engine.eligibility import RuleError, clean_rule
from padu.programs.intake import KIND
from padu.programs.models import Programme

PROGRAMME_FIELDS = (
    "opd",
    "code",
    "name",
    "description",
    "funding_source",
    "strategy",
    "group",
    "unit",
    "eligibility",
    "benefit_value_rp",
    "benefit_frequency",
    "benefit_note",
    "quota",
    "start_date",
    "end_date",
    "sipd_code",
    "is_active",
)
MSG_NOT_YOURS = (
    "Anda hanya dapat mengelola program milik OPD Anda / you may only manage your own OPD's programmes"
)


def may_manage(actor: Any, opd: Opd) -> bool:
    """Whether ``actor`` may add or change programmes (and their lists) owned by ``opd``: the scope
    rule for writes on OPD-owned rows, applied to the OPD itself."""
    if actor is None:
        return True
    condition = scope_filter(actor, "change", opd_field="pk")
    return condition is not None and Opd.objects.filter(pk=opd.pk).filter(condition).exists()


def _require(actor: Any, opd: Opd) -> None:
    if not may_manage(actor, opd):
        raise PermissionDenied(MSG_NOT_YOURS)


def _resolve_opd(opd: Opd | str | int) -> Opd:
    if isinstance(opd, Opd):
        return opd
    found = (
        Opd.objects.filter(code=opd).first() if isinstance(opd, str) else Opd.objects.filter(pk=opd).first()
    )
    if found is None:
        raise ValidationError({"opd": f"OPD '{opd}' tidak dikenal / unknown OPD"})
    return found


def _clean(programme: Programme, exclusive_of: Iterable[Programme] | None) -> None:
    try:
        programme.eligibility = clean_rule(programme.eligibility)
    except RuleError as exc:
        raise ValidationError({"eligibility": str(exc)}) from exc
    programme.full_clean(exclude=["exclusive_of"])
    if exclusive_of is not None and any(p.pk == programme.pk and p.pk is not None for p in exclusive_of):
        raise ValidationError(
            {
                "exclusive_of": "Program tidak bisa menyingkirkan dirinya sendiri / a "
                "programme cannot exclude itself"
            }
        )


@transaction.atomic
def programme_create(
    *,
    actor: Any,
    opd: Opd | str | int,
    exclusive_of: Iterable[Programme] = (),
    request: Any = None,
    **values: Any,
) -> Programme:
    """Create a programme owned by ``opd`` (an OPD operator: only their own OPD)."""
    unknown = set(values) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    owner = _resolve_opd(opd)
    _require(actor, owner)
    programme = Programme(opd=owner, **values)
    excluded = list(exclusive_of)
    _clean(programme, excluded)
    programme.save()
    programme.exclusive_of.set(excluded)
    audit.record(
        actor=actor, action=AuditAction.CREATE, obj=programme, after=_snapshot(programme), request=request
    )
    return programme


@transaction.atomic
def programme_update(
    *,
    actor: Any,
    programme: Programme,
    exclusive_of: Iterable[Programme] | None = None,
    request: Any = None,
    **changes: Any,
) -> Programme:
    """Change a programme; moving it to another OPD needs the right to manage both."""
    unknown = set(changes) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _require(actor, programme.opd)
    before = _snapshot(programme)
    if "opd" in changes:
        changes["opd"] = _resolve_opd(changes["opd"])
        _require(actor, changes["opd"])
    for key, value in changes.items():
        setattr(programme, key, value)
    excluded = list(exclusive_of) if exclusive_of is not None else None
    _clean(programme, excluded)
    programme.save()
    if excluded is not None:
        programme.exclusive_of.set(excluded)
    old, new = audit.changed(before, _snapshot(programme))
    if old or new:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=programme, before=old, after=new, request=request
        )
    return programme


def _snapshot(programme: Programme) -> dict[str, Any]:
    data = audit.snapshot(programme)
    data.pop("updated_at", None)
    data.pop("created_at", None)
    if programme.pk is not None:
        data["exclusive_of"] = sorted(programme.exclusive_of.values_list("code", flat=True))
    return data


# -- beneficiary lists ----------------------------------------------------------------------------------


def _target(programme: Programme) -> dict[str, Any]:
    return {"programme": programme.pk, "programme_code": programme.code}


def roll_upload(
    *, actor: Any, programme: Programme, period: str, file: IO[bytes] | Path, original_name: str = ""
) -> ImportBatch:
    """Store an uploaded list and map its columns; the web pages of ``padu.ingest`` take it from there
    (mapping, preview, validation report, commit)."""
    _require(actor, programme.opd)
    batch = ingest.store_batch(
        actor=actor, file=file, original_name=original_name, period=period, kind=KIND,
        target=_target(programme), opd=programme.opd,
    )  # fmt: skip
    audit.record(
        actor=actor,
        action=AuditAction.IMPORT,
        obj=batch,
        detail={"stage": "uploaded", "programme": programme.code, "period": period},
    )
    ingest.detect_columns(batch=batch)
    return batch


def roll_import(
    *,
    actor: Any,
    programme: Programme,
    period: str,
    path: Path,
    mapping: dict[str, str] | None = None,
    progress: ingest.Progress | None = None,
) -> ImportBatch:
    """The whole intake in one call (``padu import roll``, the demo): store, map, validate, commit."""
    _require(actor, programme.opd)
    ingest.check_period(period)
    return ingest.import_file(
        actor=actor, path=path, period=period, mapping=mapping, progress=progress, kind=KIND,
        target=_target(programme), opd=programme.opd,
    )  # fmt: skip


def period_of(date: dt.date) -> str:
    return date.strftime("%Y-%m")
