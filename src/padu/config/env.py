"""Typed parsers for environment variables.

Every setting Padu reads from the environment goes through one of these parsers, which refuse a bad value
with a message in Bahasa Indonesia first and English second. Every variable is listed in ``VARIABLES`` so
that ``docs/settings.md`` and its test can keep the documentation complete.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Variable:
    name: str
    kind: str
    default: str
    help: str


VARIABLES: dict[str, Variable] = {}


def _declare(name: str, kind: str, default: object, help: str) -> None:
    if name in VARIABLES and not help:
        return  # a later call without help (tests, re-reads) keeps the documented entry
    VARIABLES[name] = Variable(name, kind, "" if default is None else str(default), help)


def _bad(name: str, value: str, id_msg: str, en_msg: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"Pengaturan {name}={value!r} tidak sah: {id_msg} / "
        f"Setting {name}={value!r} is invalid: {en_msg}"
    )


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    env = os.environ if environ is None else environ
    value = env.get(name)
    if value is None and f"{name}_FILE" in env:
        path = Path(env[f"{name}_FILE"])
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise _bad(f"{name}_FILE", str(path), f"berkas tidak terbaca ({exc})",
                       f"file cannot be read ({exc})") from exc
    return value


def env_str(name: str, default: str | None = None, *, help: str = "",
            environ: Mapping[str, str] | None = None) -> str | None:
    _declare(name, "teks / text", default, help)
    value = _raw(name, environ)
    return default if value is None or value == "" else value


_TRUE = {"1", "true", "yes", "on", "ya", "benar"}
_FALSE = {"0", "false", "no", "off", "tidak", "salah"}


def env_bool(name: str, default: bool, *, help: str = "",
             environ: Mapping[str, str] | None = None) -> bool:
    _declare(name, "boolean", default, help)
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    low = value.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise _bad(name, value, "harus salah satu dari 1/0, true/false, ya/tidak",
               "must be one of 1/0, true/false, yes/no")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None,
            help: str = "", environ: Mapping[str, str] | None = None) -> int:
    _declare(name, "bilangan bulat / integer", default, help)
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise _bad(name, value, "harus bilangan bulat", "must be an integer") from None
    if minimum is not None and number < minimum:
        raise _bad(name, value, f"paling kecil {minimum}", f"must be at least {minimum}")
    if maximum is not None and number > maximum:
        raise _bad(name, value, f"paling besar {maximum}", f"must be at most {maximum}")
    return number


def env_list(name: str, default: list[str], *, help: str = "",
             environ: Mapping[str, str] | None = None) -> list[str]:
    _declare(name, "daftar dipisah koma / comma-separated list", ",".join(default), help)
    value = _raw(name, environ)
    if value is None or value.strip() == "":
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise _bad(name, value, "ada butir kosong dalam daftar", "the list has an empty item")
    return items


def env_path(name: str, default: Path, *, help: str = "",
             environ: Mapping[str, str] | None = None) -> Path:
    _declare(name, "path / path", default, help)
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    path = Path(value).expanduser()
    if path.exists() and not path.is_dir():
        raise _bad(name, value, "bukan direktori", "is not a directory")
    return path.resolve()


def env_choice(name: str, default: str, choices: list[str], *, help: str = "",
               environ: Mapping[str, str] | None = None) -> str:
    _declare(name, "pilihan: " + "|".join(choices), default, help)
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    if value not in choices:
        raise _bad(name, value, "harus salah satu dari " + ", ".join(choices),
                   "must be one of " + ", ".join(choices))
    return value


def env_region_code(name: str, default: str, *, help: str = "",
                    environ: Mapping[str, str] | None = None) -> str:
    """A kabupaten/kota code such as ``36.73`` (two groups of two digits)."""
    _declare(name, "kode kabupaten/kota / regency-city code", default, help)
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    code = value.strip()
    plain = code.replace(".", "")
    if len(plain) != 4 or not plain.isdigit():
        raise _bad(name, value, "harus kode kabupaten/kota Kemendagri seperti 36.73",
                   "must be a Kemendagri regency/city code such as 36.73")
    return f"{plain[:2]}.{plain[2:]}"


def parse_database_url(url: str, name: str = "DATABASE_URL") -> dict[str, object]:
    """Turn ``sqlite:///path`` or ``postgres://user:pass@host:port/db`` into a Django DATABASES entry."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = unquote(parts.path)
        if url.startswith("sqlite:////"):
            path = "/" + path.lstrip("/")
        elif path.startswith("/"):
            path = path[1:]
        if not path:
            raise _bad(name, url, "path berkas SQLite kosong", "the SQLite file path is empty")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
            },
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname:
            raise _bad(name, url, "nama basis data kosong", "the database name is empty")
        try:
            port = parts.port
        except ValueError:
            raise _bad(name, url, "port bukan angka", "the port is not a number") from None
        options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": dbname,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
        }
    raise _bad(name, url, "skema harus sqlite:// atau postgres://",
               "the scheme must be sqlite:// or postgres://")


def env_database(name: str, default: str, *, help: str = "",
                 environ: Mapping[str, str] | None = None) -> dict[str, object]:
    _declare(name, "URL basis data / database URL", default, help)
    value = _raw(name, environ)
    return parse_database_url(value or default, name)
