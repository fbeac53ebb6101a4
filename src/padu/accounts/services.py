"""Accounts services: users, OPDs, logins. Keyword-only, transactional, audited.

Only Bappeda administrators (or Django superusers) manage users and OPDs; ``actor=None`` means the
system itself (the ``padu`` CLI, migrations, the demo builder). Refusals raise ``PermissionDenied``;
bad values raise ``ValidationError`` whose messages are keyed by field (``role``, ``opd``,
``region_code``, ``password``, ...) and written in Bahasa Indonesia (English through the catalogue).

Audit entries carry before/after snapshots of the user without the password hash.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as django_login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from padu.accounts.models import Opd, Role, User
from padu.core import audit
from padu.core.models import AuditAction, AuditLog

# The usual OPDs of a Kota Serang installation: (code, name, short name).
DEFAULT_OPDS: list[tuple[str, str, str]] = [
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("dinsos", "Dinas Sosial", "Dinsos"),
    ("dinkes", "Dinas Kesehatan", "Dinkes"),
    ("dindikbud", "Dinas Pendidikan dan Kebudayaan", "Dindikbud"),
    ("disperkim", "Dinas Perumahan dan Kawasan Permukiman", "Disperkim"),
    ("pupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR"),
    ("disperindagkop", "Dinas Perindustrian, Perdagangan, Koperasi dan UKM", "Disperindagkop"),
    ("disnaker", "Dinas Ketenagakerjaan", "Disnaker"),
    ("dp3akb", "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga Berencana", "DP3AKB"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("kecamatan", "Kecamatan se-Kota Serang", "Kecamatan"),
]

USER_FIELDS = {"full_name", "email", "role", "opd", "region_code", "is_active"}

MSG_ADMIN_ONLY = gettext_lazy("Hanya administrator Bappeda yang dapat mengelola pengguna dan OPD.")
MSG_BAD_LOGIN = gettext_lazy("Nama pengguna atau kata sandi salah.")


# --------------------------------------------------------------------------------------------------
# Permissions and value checks


def _require_admin(actor: Any) -> None:
    """``actor`` may manage users and OPDs (``None`` is the system itself)."""
    if actor is None:
        return
    if not getattr(actor, "is_bappeda_admin", False):
        raise PermissionDenied(MSG_ADMIN_ONLY)


def _require_may_touch(actor: Any, user: User) -> None:
    if actor is not None and user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(gettext_lazy("Hanya superuser yang dapat mengubah akun superuser."))


def clean_role(role: Any) -> str:
    value = str(role or "").strip()
    if value not in Role.values:
        raise ValidationError(
            {
                "role": ValidationError(
                    gettext_lazy("Peran %(role)s tidak dikenal. Pilihan: %(choices)s."),
                    code="unknown",
                    params={"role": repr(value), "choices": ", ".join(Role.values)},
                )
            }
        )
    return value


def resolve_opd(opd: Opd | str | int | None) -> Opd | None:
    """An ``Opd`` from an instance, its code (``"dinsos"``) or its id; ``None`` stays ``None``."""
    if opd is None or opd == "":
        return None
    if isinstance(opd, Opd):
        return opd
    found = (
        Opd.objects.filter(pk=opd).first()
        if isinstance(opd, int)
        else Opd.objects.filter(code=str(opd).strip().lower()).first()
    )
    if found is None:
        raise ValidationError(
            {
                "opd": ValidationError(
                    gettext_lazy("OPD %(opd)s tidak dikenal."),
                    code="unknown",
                    params={"opd": repr(opd)},
                )
            }
        )
    return found


def resolve_region_code(code: str | None) -> str | None:
    """A region code for a region operator: dotted (``36.73.01``) or plain (``367301``), existing,
    inside the installation (``PADU_REGION_CODE``), and a kecamatan or desa/kelurahan."""
    from padu.wilayah.models import Level, Region

    if code is None or str(code).strip() == "":
        return None
    text = str(code).strip()
    region = (
        Region.objects.filter(code=text).first()
        if "." in text
        else Region.objects.filter(code_plain=text).first()
    )
    if region is None:
        raise ValidationError(
            {
                "region_code": ValidationError(
                    gettext_lazy("Wilayah %(code)s tidak dikenal."),
                    code="unknown",
                    params={"code": text},
                )
            }
        )
    installation = settings.REGION_CODE
    if not (region.code == installation or region.code.startswith(installation + ".")):
        raise ValidationError(
            {
                "region_code": ValidationError(
                    gettext_lazy(
                        "Wilayah %(code)s berada di luar wilayah instalasi (%(installation)s)."
                    ),
                    code="outside",
                    params={"code": region.code, "installation": installation},
                )
            }
        )
    if region.level not in {Level.KECAMATAN, Level.DESA}:
        raise ValidationError(
            {
                "region_code": ValidationError(
                    gettext_lazy(
                        "Operator wilayah ditugaskan pada satu kecamatan atau kelurahan/desa."
                    ),
                    code="level",
                )
            }
        )
    return region.code


def _merge(errors: dict[str, list[Any]], exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, items in exc.error_dict.items():
            errors.setdefault(field, []).extend(items)
    else:
        errors.setdefault(NON_FIELD_ERRORS, []).extend(exc.error_list)


def _validate_user(user: User, *, password: str | None = None) -> None:
    """Field, uniqueness and role-binding checks, with the messages on the right fields."""
    errors: dict[str, list[Any]] = {}
    if user.role == Role.OPD_OPERATOR and user.opd_id is None:
        errors["opd"] = [
            ValidationError(
                gettext_lazy("Operator OPD harus terikat pada satu OPD."), code="required"
            )
        ]
    if user.role == Role.REGION_OPERATOR and not user.region_id:
        errors["region_code"] = [
            ValidationError(
                gettext_lazy("Operator wilayah harus terikat pada satu wilayah."), code="required"
            )
        ]
    try:
        # Constraints are checked just above with field-level messages (and by the database below).
        user.full_clean(exclude=["password", "region", "opd"], validate_constraints=False)
    except ValidationError as exc:
        _merge(errors, exc)
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.error_list)
    if errors:
        raise ValidationError(errors)


# --------------------------------------------------------------------------------------------------
# Users


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    opd: Opd | str | int | None = None,
    region_code: str | None = None,
    email: str = "",
    request: HttpRequest | None = None,
) -> User:
    """Create a user with a role (and the OPD or region it needs). Administrators only."""
    _require_admin(actor)
    errors: dict[str, list[Any]] = {}
    values: dict[str, Any] = {}
    checks: list[tuple[str, Callable[[Any], Any], Any]] = [
        ("role", clean_role, role),
        ("opd", resolve_opd, opd),
        ("region_code", resolve_region_code, region_code),
    ]
    for key, func, raw in checks:
        try:
            values[key] = func(raw)
        except ValidationError as exc:
            _merge(errors, exc)
    if errors:
        raise ValidationError(errors)
    user = User(
        username=(username or "").strip(),
        email=(email or "").strip(),
        role=values["role"],
        first_name=(full_name or "").strip(),
        opd=values["opd"],
        region_id=values["region_code"],
    )
    _validate_user(user, password=password)
    user.set_password(password)
    user.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=user,
        after=audit.snapshot(user),
        request=request,
    )
    return user


@transaction.atomic
def user_update(
    *, actor: Any, user: User, request: HttpRequest | None = None, **changes: Any
) -> User:
    """Change ``full_name``, ``email``, ``role``, ``opd``, ``region_code`` or ``is_active``.

    Administrators only; nobody changes their own role or deactivates themselves (so the last
    administrator cannot lock everybody out).
    """
    unknown = set(changes) - USER_FIELDS
    if unknown:
        raise TypeError(f"user_update() got unexpected fields: {sorted(unknown)}")
    _require_admin(actor)
    _require_may_touch(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if (
        actor is not None
        and actor.pk == user.pk
        and (
            ("role" in changes and changes["role"] != user.role)
            or ("is_active" in changes and not changes["is_active"])
        )
    ):
        raise PermissionDenied(
            gettext_lazy("Anda tidak dapat mengubah peran atau menonaktifkan akun Anda sendiri.")
        )
    before = audit.snapshot(user)
    errors: dict[str, list[Any]] = {}
    try:
        if "role" in changes:
            user.role = clean_role(changes["role"])
        if "opd" in changes:
            user.opd = resolve_opd(changes["opd"])
        if "region_code" in changes:
            user.region_id = resolve_region_code(changes["region_code"])
    except ValidationError as exc:
        _merge(errors, exc)
    if errors:
        raise ValidationError(errors)
    if "full_name" in changes:
        user.first_name = (changes["full_name"] or "").strip()
        user.last_name = ""
    if "email" in changes:
        user.email = (changes["email"] or "").strip()
    if "is_active" in changes:
        user.is_active = bool(changes["is_active"])
    _validate_user(user)
    user.save()
    old, new = audit.changed(before, audit.snapshot(user))
    if new:
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=user, before=old, after=new, request=request
        )
    return user


def user_set_role(
    *,
    actor: Any,
    user: User,
    role: str,
    opd: Opd | str | int | None = None,
    region_code: str | None = None,
    request: HttpRequest | None = None,
) -> User:
    """Give ``user`` a new role, with the OPD or region that role needs."""
    changes: dict[str, Any] = {"role": role}
    if opd is not None:
        changes["opd"] = opd
    if region_code is not None:
        changes["region_code"] = region_code
    return user_update(actor=actor, user=user, request=request, **changes)


@transaction.atomic
def user_set_password(
    *, actor: Any, user: User, password: str, request: HttpRequest | None = None
) -> User:
    """Set a new password (checked against the password rules). Administrators, or users
    themselves."""
    if actor is not None and getattr(actor, "pk", None) != user.pk:
        _require_admin(actor)
        _require_may_touch(actor, user)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        detail={"password_changed": True},
        request=request,
    )
    return user


def user_deactivate(*, actor: Any, user: User, request: HttpRequest | None = None) -> User:
    """Deactivate ``user`` (rows are kept for the audit trail; the account can no longer log in)."""
    return user_update(actor=actor, user=user, is_active=False, request=request)


@transaction.atomic
def user_unlock(*, actor: Any, user: User, request: HttpRequest | None = None) -> User:
    """Lift a login lockout and reset the failure counter."""
    _require_admin(actor)
    _require_may_touch(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {
        "failed_logins": user.failed_logins,
        "locked_until": audit.snapshot(user)["locked_until"],
    }
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        before=before,
        after={"failed_logins": 0, "locked_until": None},
        detail={"event": "unlock"},
        request=request,
    )
    return user


# --------------------------------------------------------------------------------------------------
# OPDs


@transaction.atomic
def opd_create(
    *, actor: Any, code: str, name: str, short_name: str, request: HttpRequest | None = None
) -> Opd:
    _require_admin(actor)
    opd = Opd(
        code=(code or "").strip().lower(),
        name=(name or "").strip(),
        short_name=(short_name or "").strip(),
    )
    opd.full_clean()
    opd.save()
    audit.record(
        actor=actor, action=AuditAction.CREATE, obj=opd, after=audit.snapshot(opd), request=request
    )
    return opd


@transaction.atomic
def ensure_default_opds(*, actor: Any = None) -> list[Opd]:
    """The usual Kota Serang OPDs, created where missing (idempotent; existing ones are left as they
    are)."""
    _require_admin(actor)
    result = []
    for code, name, short_name in DEFAULT_OPDS:
        opd = Opd.objects.filter(code=code).first()
        if opd is None:
            opd = opd_create(actor=actor, code=code, name=name, short_name=short_name)
        result.append(opd)
    return result


# --------------------------------------------------------------------------------------------------
# Logins: lockout after LOGIN_MAX_FAILURES consecutive failures for LOGIN_LOCKOUT_MINUTES.
#
# Known user names count on ``User.failed_logins``/``locked_until``. Unknown user names count the
# same way on their audit entries, so that the answers (and the lockout) never tell whether a name
# exists.


class LoginRefused(Exception):
    """Login failed; ``message`` is safe to show (it never says whether the user name exists)."""

    def __init__(self, message: str, *, locked_until: dt.datetime | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.locked_until = locked_until


@dataclass(frozen=True)
class _Lock:
    until: dt.datetime | None
    failures: int


def _unknown_user_state(username: str) -> _Lock:
    base = AuditLog.objects.filter(
        actor_username=username[:150], object_type="accounts.user", object_id=""
    )
    last_lock = base.filter(action=AuditAction.LOCKED).order_by("-id").first()
    until = None
    failures = base.filter(action=AuditAction.LOGIN_FAILED, detail__reason="unknown_user")
    if last_lock is not None:
        failures = failures.filter(id__gt=last_lock.id)
        try:
            until = dt.datetime.fromisoformat(str(last_lock.detail.get("until")))
        except (TypeError, ValueError):
            until = None
    return _Lock(until=until, failures=failures.count())


def locked_until(username: str, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the lockout of ``username`` ends, or ``None`` when it may try to log in now."""
    now = now or timezone.now()
    user = User.objects.filter(username=username).only("locked_until").first()
    until = user.locked_until if user is not None else _unknown_user_state(username).until
    return until if until is not None and until > now else None


def lockout_message(until: dt.datetime, *, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    local = timezone.localtime(until)
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    when = local.strftime("%H.%M")
    if local.date() != timezone.localtime(now).date():
        when = local.strftime("%d-%m-%Y %H.%M")
    if local.tzname():
        when = f"{when} {local.tzname()}"
    return ngettext(
        "Terlalu banyak percobaan masuk yang gagal; akun ini dikunci sementara. "
        "Coba lagi setelah pukul %(time)s (%(minutes)d menit lagi).",
        "Terlalu banyak percobaan masuk yang gagal; akun ini dikunci sementara. "
        "Coba lagi setelah pukul %(time)s (%(minutes)d menit lagi).",
        minutes,
    ) % {"time": when, "minutes": minutes}


def login_attempt(*, request: HttpRequest, username: str, password: str) -> User:
    """Check the credentials and log the user in; raise ``LoginRefused`` with a message otherwise.

    The lockout itself lives in the authentication backend and the ``user_login_failed`` signal, so
    the Django admin's login obeys it too.
    """
    username = (username or "").strip()
    user = authenticate(request, username=username, password=password)
    if user is None:
        until = locked_until(username)
        if until is not None:
            raise LoginRefused(lockout_message(until), locked_until=until)
        raise LoginRefused(str(MSG_BAD_LOGIN))
    django_login(request, user)
    return user  # type: ignore[return-value]


def on_login_failed(*, username: str, request: HttpRequest | None) -> None:
    """Count one failed login for ``username``; lock it after ``LOGIN_MAX_FAILURES``. Audited."""
    username = (username or "").strip()[:150]
    now = timezone.now()
    maximum = settings.LOGIN_MAX_FAILURES
    lock_for = dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            state = _unknown_user_state(username)
            if state.until is not None and state.until > now:
                _record_failure(None, username, "locked", request)
                return
            _record_failure(None, username, "unknown_user", request)
            if state.failures + 1 >= maximum:
                until = now + lock_for
                audit.record(
                    actor=None,
                    actor_username=username,
                    action=AuditAction.LOCKED,
                    object_type="accounts.user",
                    object_repr=username,
                    detail={"until": until.isoformat(), "failures": state.failures + 1},
                    request=request,
                )
            return
        if user.is_locked(now):
            _record_failure(user, username, "locked", request)
            return
        if user.locked_until is not None:  # an earlier lockout has run out: count afresh
            user.locked_until = None
            user.failed_logins = 0
        user.failed_logins += 1
        _record_failure(
            user,
            username,
            "inactive" if not user.is_active else "bad_password",
            request,
            failures=user.failed_logins,
        )
        if user.failed_logins >= maximum:
            user.locked_until = now + lock_for
            audit.record(
                actor=user,
                action=AuditAction.LOCKED,
                obj=user,
                detail={"until": user.locked_until.isoformat(), "failures": user.failed_logins},
                request=request,
            )
        user.save(update_fields=["failed_logins", "locked_until"])


def _record_failure(
    user: User | None, username: str, reason: str, request: HttpRequest | None, **extra: Any
) -> None:
    audit.record(
        actor=user,
        actor_username=username,
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_id=str(user.pk) if user else "",
        object_repr=username,
        detail={"reason": reason, **extra},
        request=request,
    )


def on_login(*, user: User, request: HttpRequest | None) -> None:
    """A successful login resets the failure counter. Audited."""
    if user.failed_logins or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        user.failed_logins, user.locked_until = 0, None
    audit.record(actor=user, action=AuditAction.LOGIN, obj=user, request=request)


def on_logout(*, user: User | None, request: HttpRequest | None) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return
    audit.record(actor=user, action=AuditAction.LOGOUT, obj=user, request=request)
