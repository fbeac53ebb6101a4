"""DRF permission classes by role. A Django superuser counts as a Bappeda administrator.

Use with ``permission_classes = [IsBappedaAdmin]``; ``HasRole`` subclasses name their ``roles``.
Row scope is not decided here: querysets use ``Model.objects.restrict(request.user, action)``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework.permissions import SAFE_METHODS, BasePermission

from padu.accounts.models import Role
from padu.accounts.scope import effective_role


class HasRole(BasePermission):
    """Authenticated, active, and one of ``roles``."""

    roles: ClassVar[frozenset[str]] = frozenset()
    message = "Peran Anda tidak diizinkan mengakses sumber ini."

    def has_permission(self, request: Any, view: Any) -> bool:
        return effective_role(request.user) in self.roles


class IsBappedaAdmin(HasRole):
    roles = frozenset({Role.ADMIN})


class IsBappedaStaff(HasRole):
    """Bappeda administrator or Bappeda/TKPK analyst."""

    roles = frozenset({Role.ADMIN, Role.ANALYST})


class IsOpdOperator(HasRole):
    roles = frozenset({Role.OPD_OPERATOR})


class IsRegionOperator(HasRole):
    roles = frozenset({Role.REGION_OPERATOR})


class IsOperator(HasRole):
    """OPD or kecamatan/kelurahan operator."""

    roles = frozenset({Role.OPD_OPERATOR, Role.REGION_OPERATOR})


class ReadOnlyForViewers(BasePermission):
    """Every active role may read (GET/HEAD/OPTIONS); viewers may not write."""

    message = "Pemantau hanya dapat membaca."

    def has_permission(self, request: Any, view: Any) -> bool:
        role = effective_role(request.user)
        if role is None:
            return False
        return request.method in SAFE_METHODS or role != Role.VIEWER


def role_permission(*roles: str) -> type[HasRole]:
    """A ``HasRole`` class for ``roles``: ``permission_classes = [role_permission("admin",
    "analyst")]``."""
    return type("HasRoles", (HasRole,), {"roles": frozenset(str(r) for r in roles)})
