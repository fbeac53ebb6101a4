"""Role checks for views: ``@role_required("admin", "analyst")`` or ``RoleRequiredMixin``.

Anonymous users go to the login page; logged-in users with another role get 403. A Django superuser
counts as a Bappeda administrator. Row scope is not decided here: selectors use ``restrict(user)``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ClassVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def has_role(user: Any, roles: frozenset[str] | set[str] | tuple[str, ...]) -> bool:
    from padu.accounts.scope import effective_role

    return effective_role(user) in {str(r) for r in roles}


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Only users with one of ``roles`` reach the view."""
    if not roles:
        raise ValueError("role_required() needs at least one role")

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin:
    """Class-based views: ``required_roles = ("admin",)``."""

    required_roles: ClassVar[tuple[str, ...]] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_role(request.user, self.required_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
