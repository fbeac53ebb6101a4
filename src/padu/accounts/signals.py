"""Every login, failed login, lockout and logout goes to the audit log (with the client's IP)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from padu.accounts import services


@receiver(user_logged_in, dispatch_uid="padu_accounts_logged_in")
def _logged_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    if user is not None:
        services.on_login(user=user, request=request)


@receiver(user_login_failed, dispatch_uid="padu_accounts_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any] | None = None, request: Any = None, **kwargs: Any
) -> None:
    credentials = credentials or {}
    username = credentials.get("username") or ""
    services.on_login_failed(username=str(username), request=request)


@receiver(user_logged_out, dispatch_uid="padu_accounts_logged_out")
def _logged_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    services.on_logout(user=user, request=request)
