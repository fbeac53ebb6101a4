"""Who may see or change which rows: the one place the scope rules live (applied by
RestrictedQuerySet).

Actions: ``"view"`` (read), ``"aggregate"`` (read for counts only; same rows as ``"view"`` here),
``"export"`` (take personal data out of Padu), and the writes ``"add"``, ``"change"``, ``"delete"``.

- Bappeda administrator (and Django superuser): everything.
- Bappeda/TKPK analyst: reads and exports everything; writes domain data; read-only on
  administrative objects (users, OPDs: querysets with ``admin_only = True``).
- OPD operator: rows owned by their OPD when the model has an owning OPD (``opd_field``); otherwise
  the whole installation's reference data. Read-only on administrative objects.
- Kecamatan/kelurahan operator: rows whose region code lies in their subtree (``region_field``).
  Read-only on administrative objects.
- Viewer: reads only — no writes, no exports, and no administrative objects at all.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, ExpressionWrapper, F, Q
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext as _

from padu.accounts.models import Role

READ_ACTIONS = frozenset({"view", "aggregate", "export"})
WRITE_ACTIONS = frozenset({"add", "change", "delete"})
ACTIONS = READ_ACTIONS | WRITE_ACTIONS


def region_q(field: str, code: str) -> Q:
    """Rows whose dotted region code at ``field`` is ``code`` or lies under it.

    ``field`` may be a plain code column (``code``), a foreign key's column (``kelurahan_id``) or
    a path (``family__kelurahan_id``): the prefix test compares the stored code as text, so it
    needs no join and no ``startswith`` lookup on the relation itself.
    """
    as_text = ExpressionWrapper(F(field), output_field=CharField())
    return Q(**{field: code}) | Q(StartsWith(as_text, code + "."))


def effective_role(user: Any) -> str | None:
    """The role the rules apply to ``user``, or ``None`` for anonymous or deactivated users."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return str(Role.ADMIN) if user.is_superuser else str(user.role)


def scope_filter(
    user: Any,
    action: str = "view",
    *,
    region_field: str | None = None,
    opd_field: str | None = None,
    admin_only: bool = False,
) -> Q | None:
    """A ``Q`` limiting rows to ``user``'s scope for ``action``, or ``None`` when nothing is
    allowed.

    ``region_field`` is the lookup to a dotted Kemendagri code, ``opd_field`` the lookup to an
    owning ``Opd``; ``admin_only`` marks administrative objects (users, OPDs) that only
    administrators change.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown scope action {action!r}; expected one of {sorted(ACTIONS)}")
    role = effective_role(user)
    if role is None:
        return None
    write = action in WRITE_ACTIONS
    if role == Role.ADMIN:
        return Q()
    if admin_only and write:
        return None
    if role == Role.ANALYST:
        return Q()
    if role == Role.VIEWER:
        return Q() if action in {"view", "aggregate"} and not admin_only else None
    if role == Role.OPD_OPERATOR:
        if not user.opd_id:
            return None
        if opd_field is None:
            # Reference data everyone in the installation reads; operators never write it.
            return None if write else Q()
        return Q(**{opd_field: user.opd_id})
    if role == Role.REGION_OPERATOR:
        if not user.region_id:
            return None
        if region_field is None:
            return None if write else Q()
        return region_q(region_field, str(user.region_id))
    return None


def can(user: Any, action: str, *, admin_only: bool = False) -> bool:
    """Whether ``user`` may perform ``action`` on at least some rows (for showing buttons, API
    checks)."""
    return (
        scope_filter(user, action, admin_only=admin_only, region_field="x", opd_field="x")
        is not None
    )


def describe_scope(user: Any) -> dict[str, Any]:
    """What ``user`` is scoped to, for the profile page and ``/api/akun/me/``."""
    role = effective_role(user)
    kind = "none"
    if role in {Role.ADMIN, Role.ANALYST, Role.VIEWER}:
        kind = "installation"
    elif role == Role.OPD_OPERATOR:
        kind = "opd"
    elif role == Role.REGION_OPERATOR:
        kind = "region"
    opd = getattr(user, "opd", None) if role == Role.OPD_OPERATOR else None
    region_code = str(user.region_id) if role == Role.REGION_OPERATOR and user.region_id else None
    return {
        "kind": kind,
        "opd": opd.code if opd is not None else None,
        "region": region_code,
        "read_only": role == Role.VIEWER,
        "label": scope_label(user),
    }


def scope_label(user: Any) -> str:
    """One sentence in the active language describing ``user``'s scope."""
    role = effective_role(user)
    if role is None:
        return _("Tidak ada akses.")
    if role == Role.ADMIN:
        return _("Seluruh wilayah instalasi; dapat mengelola pengguna dan membaca log audit.")
    if role == Role.ANALYST:
        return _("Seluruh wilayah instalasi.")
    if role == Role.VIEWER:
        return _("Seluruh wilayah instalasi, hanya baca; NIK dan KK selalu disamarkan.")
    if role == Role.OPD_OPERATOR:
        opd = getattr(user, "opd", None)
        return _("Data milik OPD %(opd)s.") % {"opd": opd.short_name if opd else "—"}
    if role == Role.REGION_OPERATOR:
        region = _region_label(str(user.region_id)) if user.region_id else "—"
        return _("Wilayah %(region)s dan wilayah di bawahnya.") % {"region": region}
    return _("Tidak ada akses.")


def _region_label(code: str) -> str:
    from padu.wilayah.models import Region

    region = Region.objects.filter(code=code).first()
    return f"{region.label} ({code})" if region is not None else code


def catalogue_filter(user: Any, action: str = "view", *, opd_field: str) -> Q | None:
    """Catalogue objects owned by an OPD (programmes, their beneficiary lists as a whole): every role
    reads all of them — coordination needs each OPD to see the others' programmes — while writes follow
    the owning OPD (OPD operators: their own; Bappeda: all; region operators and viewers: none)."""
    return scope_filter(user, action, opd_field=None if action in READ_ACTIONS else opd_field)


def listed_personal_data_filter(
    user: Any, action: str = "view", *, region_field: str, opd_field: str
) -> Q | None:
    """Rows of personal data on an OPD's own lists (beneficiary list entries): OPD operators see their
    own OPD's rows, region operators the rows of their region, Bappeda all; viewers none by name (with
    ``action="aggregate"`` they get rows for counts only)."""
    if action == "aggregate":
        action = "view"
    elif effective_role(user) == Role.VIEWER:
        return None
    return scope_filter(user, action, region_field=region_field, opd_field=opd_field)
