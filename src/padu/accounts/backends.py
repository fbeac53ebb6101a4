"""Authentication backend that refuses locked accounts, even with the right password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from padu.accounts.models import User


class LockoutModelBackend(ModelBackend):
    """Django's model backend, plus the login lockout (``padu.accounts.services.locked_until``).

    A refusal raises ``PermissionDenied``: ``authenticate()`` then stops trying other backends and
    sends ``user_login_failed``, which the audit log records.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        from padu.accounts.services import locked_until

        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is not None and locked_until(str(username)) is not None:
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)  # type: ignore[return-value]
