"""``padu user``: manage users and roles from the command line (thin over
``padu.accounts.services``).

padu user create USERNAME --role ROLE [--opd CODE] [--region CODE] [--name NAME] [--email E]
                          [--password-stdin | --password P]
padu user list [--role ROLE] [--all] [--json]
padu user set-role USERNAME ROLE [--opd CODE] [--region CODE]
padu user set-password USERNAME [--password-stdin | --password P]
padu user unlock USERNAME
padu user deactivate USERNAME
padu user opds [--ensure-defaults]
"""

from __future__ import annotations

import getpass
import json
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from padu.accounts import selectors, services
from padu.accounts.models import Opd, Role, User

ROLE_HELP = ", ".join(Role.values)


def _bilingual(message: Any) -> str:
    """A (lazy) message in Bahasa Indonesia and, once the catalogue has it, English."""
    with translation.override("id"):
        text_id = str(message)
    with translation.override("en"):
        text_en = str(message)
    return text_id if text_id == text_en else f"{text_id} / {text_en}"


def _render(error: ValidationError) -> str:
    """One ``ValidationError`` (message + params) in both languages, where its message is still
    lazy."""
    texts = []
    for lang in ("id", "en"):
        with translation.override(lang):
            text = str(error.message)
            if error.params:
                text = text % error.params
        texts.append(text)
    return texts[0] if texts[0] == texts[1] else f"{texts[0]} / {texts[1]}"


def _field_name(field: str) -> str:
    return {
        "region_code": "--region",
        "opd": "--opd",
        "role": "--role",
        "password": "--password",
        "username": "USERNAME",
        "email": "--email",
        "first_name": "--name",
        NON_FIELD_ERRORS: "",
    }.get(field, field)


def validation_message(exc: ValidationError) -> str:
    lines = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = _field_name(field)
            for error in errors:
                lines.append(f"{name}: {_render(error)}" if name else _render(error))
    else:
        lines = [_render(error) for error in exc.error_list]
    return "\n".join(lines)


def check_password(password: str, user: User) -> None:
    """The password rules, reported in both languages (Django's own messages are not lazy)."""
    try:
        validate_password(password, user)
    except ValidationError as exc_id:
        with translation.override("en"):
            try:
                validate_password(password, user)
            except ValidationError as exc_en:
                english = exc_en.messages
            else:  # pragma: no cover - same rules, same outcome
                english = []
        lines = []
        for i, text in enumerate(exc_id.messages):
            other = english[i] if i < len(english) else text
            lines.append(f"--password: {text}" + ("" if other == text else f" / {other}"))
        raise CommandError("\n".join(lines)) from exc_id


class Command(BaseCommand):
    help = "Kelola pengguna dan peran. / Manage users and roles."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="SUBPERINTAH/SUBCOMMAND"
        )

        create = sub.add_parser("create", help="Buat pengguna. / Create a user.")
        create.add_argument("username", metavar="USERNAME")
        create.add_argument("--role", required=True, help=f"Peran / role: {ROLE_HELP}")
        self._scope_arguments(create)
        create.add_argument("--name", default="", help="Nama lengkap. / Full name.")
        create.add_argument("--email", default="", help="Surel. / E-mail.")
        self._password_arguments(create)

        listing = sub.add_parser("list", help="Daftar pengguna. / List users.")
        listing.add_argument("--role", help=f"Hanya peran ini / only this role: {ROLE_HELP}")
        listing.add_argument(
            "--all",
            action="store_true",
            help="Termasuk akun nonaktif. / Include deactivated accounts.",
        )
        listing.add_argument("--json", action="store_true", help="Keluaran JSON. / JSON output.")

        set_role = sub.add_parser("set-role", help="Ganti peran pengguna. / Change a user's role.")
        set_role.add_argument("username", metavar="USERNAME")
        set_role.add_argument("role", nargs="?", metavar="ROLE", help=f"{ROLE_HELP}")
        set_role.add_argument(
            "--role", dest="role_option", metavar="ROLE", help="Sama dengan ROLE. / Same as ROLE."
        )
        self._scope_arguments(set_role)

        set_password = sub.add_parser(
            "set-password", help="Ganti kata sandi. / Set a user's password."
        )
        set_password.add_argument("username", metavar="USERNAME")
        self._password_arguments(set_password)

        unlock = sub.add_parser(
            "unlock",
            help="Buka kunci akun setelah gagal masuk berulang. / "
            "Unlock an account locked after failed logins.",
        )
        unlock.add_argument("username", metavar="USERNAME")

        deactivate = sub.add_parser("deactivate", help="Nonaktifkan akun. / Deactivate an account.")
        deactivate.add_argument("username", metavar="USERNAME")

        opds = sub.add_parser("opds", help="Daftar OPD. / List OPDs.")
        opds.add_argument(
            "--ensure-defaults",
            action="store_true",
            help="Buat OPD baku Kota Serang yang belum ada. / Create the usual Kota "
            "Serang OPDs where missing.",
        )

    @staticmethod
    def _scope_arguments(parser: CommandParser) -> None:
        parser.add_argument(
            "--opd",
            help="Kode OPD (mis. dinsos), wajib untuk opd_operator. / OPD "
            "code (e.g. dinsos), required for opd_operator.",
        )
        parser.add_argument(
            "--region",
            help="Kode wilayah (36.73.01 atau 367301), wajib untuk "
            "region_operator. / Region code, required for "
            "region_operator.",
        )

    @staticmethod
    def _password_arguments(parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--password-stdin",
            action="store_true",
            help="Baca kata sandi dari stdin. / Read the password from stdin.",
        )
        group.add_argument(
            "--password",
            help="Kata sandi (terlihat di riwayat shell; lebih baik "
            "--password-stdin). / Password (visible in shell "
            "history; prefer --password-stdin).",
        )

    # ----------------------------------------------------------------------------------------------

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, "do_" + options["subcommand"].replace("-", "_"))
        try:
            handler(**options)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        except PermissionDenied as exc:
            raise CommandError(
                _bilingual(exc.args[0]) if exc.args else "permission denied"
            ) from exc

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"USERNAME: pengguna {username!r} tidak ada / no such user")
        return user

    @staticmethod
    def _check_role(role: str | None) -> str:
        if role not in Role.values:
            raise CommandError(
                f"--role: peran {role!r} tidak dikenal / unknown role "
                f"(pilihan/choices: {ROLE_HELP})"
            )
        return str(role)

    @staticmethod
    def _check_opd(code: str | None) -> str | None:
        if code and not Opd.objects.filter(code=code.strip().lower()).exists():
            known = ", ".join(Opd.objects.order_by("code").values_list("code", flat=True)) or "—"
            raise CommandError(
                f"--opd: OPD {code!r} tidak dikenal / unknown OPD "
                f"(ada/known: {known}; padu user opds --ensure-defaults)"
            )
        return code

    @staticmethod
    def _check_region(code: str | None) -> str | None:
        if not code:
            return None
        try:
            return services.resolve_region_code(code)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc

    def _password(self, options: dict[str, Any], *, confirm: bool = True) -> str:
        if options.get("password") is not None:
            return str(options["password"])
        if options.get("password_stdin"):
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("--password-stdin: stdin kosong / stdin is empty")
            return password
        if not sys.stdin.isatty():
            raise CommandError(
                "--password: berikan --password-stdin atau --password / give "
                "--password-stdin or --password"
            )
        password = getpass.getpass("Kata sandi / password: ")
        if confirm and getpass.getpass("Ulangi / again: ") != password:
            raise CommandError("--password: kata sandi tidak sama / passwords do not match")
        return password

    def do_create(
        self,
        *,
        username: str,
        role: str,
        opd: str | None,
        region: str | None,
        name: str,
        email: str,
        **options: Any,
    ) -> None:
        role = self._check_role(role)
        self._check_opd(opd)
        region_code = self._check_region(region)
        password = self._password(options)
        check_password(password, User(username=username, first_name=name, email=email))
        user = services.user_create(
            actor=None,
            username=username,
            password=password,
            role=role,
            full_name=name,
            opd=opd or None,
            region_code=region_code,
            email=email,
        )
        self.stdout.write(
            self.style.SUCCESS(f"Pengguna {user.username} dibuat ({user.role}) / user created")
        )

    def do_list(self, *, role: str | None, all: bool, json: bool, **options: Any) -> None:
        qs = User.objects.select_related("opd").order_by("username")
        if role:
            qs = qs.filter(role=self._check_role(role))
        if not all:
            qs = qs.filter(is_active=True)
        rows = [
            {
                "username": u.username,
                "full_name": u.get_full_name(),
                "role": u.role,
                "superuser": u.is_superuser,
                "opd": u.opd.code if u.opd else None,
                "region": u.region_id,
                "active": u.is_active,
                "locked": u.is_locked(),
                "last_login": u.last_login.isoformat() if u.last_login else None,
            }
            for u in qs
        ]
        if json:
            self.stdout.write(_json_dumps(rows))
            return
        if not rows:
            self.stdout.write("Tidak ada pengguna / no users")
            return
        header = ("USERNAME", "PERAN/ROLE", "OPD", "WILAYAH/REGION", "STATUS")
        table = [header] + [
            (
                r["username"],
                r["role"] + (" (superuser)" if r["superuser"] else ""),
                r["opd"] or "-",
                r["region"] or "-",
                "nonaktif/inactive"
                if not r["active"]
                else ("dikunci/locked" if r["locked"] else "aktif"),
            )
            for r in rows
        ]
        widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
        for row in table:
            self.stdout.write(
                "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            )

    def do_set_role(
        self,
        *,
        username: str,
        role: str | None,
        role_option: str | None,
        opd: str | None,
        region: str | None,
        **options: Any,
    ) -> None:
        user = self._user(username)
        new_role = self._check_role(role or role_option)
        self._check_opd(opd)
        region_code = self._check_region(region)
        services.user_set_role(
            actor=None, user=user, role=new_role, opd=opd or None, region_code=region_code
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Peran {username} sekarang {new_role} / role of {username} is now {new_role}"
            )
        )

    def do_set_password(self, *, username: str, **options: Any) -> None:
        user = self._user(username)
        password = self._password(options)
        check_password(password, user)
        services.user_set_password(actor=None, user=user, password=password)
        self.stdout.write(
            self.style.SUCCESS(f"Kata sandi {username} diganti / password of {username} changed")
        )

    def do_unlock(self, *, username: str, **options: Any) -> None:
        user = self._user(username)
        services.user_unlock(actor=None, user=user)
        self.stdout.write(self.style.SUCCESS(f"Kunci {username} dibuka / {username} unlocked"))

    def do_deactivate(self, *, username: str, **options: Any) -> None:
        user = self._user(username)
        services.user_deactivate(actor=None, user=user)
        self.stdout.write(self.style.SUCCESS(f"{username} dinonaktifkan / {username} deactivated"))

    def do_opds(self, *, ensure_defaults: bool, **options: Any) -> None:
        if ensure_defaults:
            services.ensure_default_opds(actor=None)
        for opd in selectors.opd_list().order_by("code"):
            self.stdout.write(f"{opd.code:<16} {opd.short_name:<16} {opd.name}")


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
