"""Writing the audit log. Services call ``record``; nothing else writes ``AuditLog`` rows."""

from __future__ import annotations

import datetime as dt
import decimal
import ipaddress
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from padu.core.models import AuditAction, AuditLog

# Fields never copied into before/after snapshots.
_SECRET_FIELDS = {"password"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of ``obj`` (foreign keys by id), safe to store as JSON."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in _SECRET_FIELDS:
            continue
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    return data


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's IP address: ``REMOTE_ADDR``, or behind the HTTPS reverse proxy (``PADU_HTTPS``)
    the address that proxy appended to ``X-Forwarded-For`` (the rightmost one; earlier ones are
    client-made)."""
    if request is None:
        return None
    candidates = []
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            candidates.append(forwarded.split(",")[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for value in candidates:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return None


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
    request: HttpRequest | None = None,
    actor_username: str = "",
) -> AuditLog:
    """Append one audit entry. ``actor`` is a user or ``None`` (system, CLI); ``request`` supplies
    the IP; ``actor_username`` names an actor that is no user (a failed login's unknown user
    name)."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    if ip_address is None:
        ip_address = client_ip(request)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditLog.objects.create(
        actor=user,
        actor_username=(actor_username or getattr(actor, "username", "") or "")[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        before=before,
        after=after,
        detail=detail or {},
        ip_address=ip_address,
    )


def record_personal_data_access(
    *,
    actor: Any,
    what: str,
    count: int,
    request: HttpRequest | None = None,
    export: bool = False,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Record a bulk view or an export of personal data (UU PDP): who, what (e.g.
    ``"registry.person"``), how many rows, from where. ``detail`` adds context (filters, kelurahan,
    whether NIK was unmasked)."""
    return record(
        actor=actor,
        action=AuditAction.EXPORT if export else AuditAction.VIEW,
        object_type=what,
        object_repr=f"{what} ×{count}",
        detail={"count": int(count), **(detail or {})},
        request=request,
    )


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, for compact update entries."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
