"""Region/OPD scoping applied in the query layer.

Every read path (pages, API, exports, counts) goes through ``Model.objects.restrict(user)``; every
write path checks the object is in ``Model.objects.restrict(user, "change")`` (or
``"add"``/``"delete"``). A model says how it is scoped by naming, on its queryset class, the lookup
to its region code (``region_field``) and, optionally, to its owning OPD (``opd_field``);
``admin_only = True`` marks administrative objects (users, OPDs) that only administrators change.
The rules of who may see what live in ``padu.accounts.scope``; this class only applies them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from padu.accounts.models import User


class RestrictedQuerySet(models.QuerySet[Any]):
    region_field: str | None = None  # lookup to a dotted Kemendagri code, e.g. "kelurahan__code"
    opd_field: str | None = None  # lookup to an Opd foreign key, e.g. "programme__opd"
    admin_only: bool = False  # administrative objects: only Bappeda administrators write them

    def restrict(self, user: User | None, action: str = "view") -> Self:
        """Only the rows ``user`` may ``action`` (view, aggregate, export, add, change, delete)."""
        from padu.accounts.scope import scope_filter

        condition = scope_filter(
            user,
            action,
            region_field=self.region_field,
            opd_field=self.opd_field,
            admin_only=self.admin_only,
        )
        if condition is None:
            return self.none()
        return self.filter(condition)
