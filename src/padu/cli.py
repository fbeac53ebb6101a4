"""The one ``padu`` command.

``padu version`` needs no settings. Every other subcommand is a thin Django management command that calls
services; this module only maps the subcommand name to it, so ``padu nik check 3673...`` runs the ``nik``
management command with ``check 3673...``. ``padu manage ARGS`` reaches any Django command (``migrate``,
``createsuperuser``, ``shell``, ...).
"""

from __future__ import annotations

import os
import sys

# name -> one-line help (Bahasa Indonesia / English). Order is the order shown by ``padu --help``.
COMMANDS: dict[str, str] = {
    "version": "Tampilkan versi Padu. / Show the Padu version.",
    "setup": "Siapkan basis data: migrasi, kode wilayah, batas wilayah. / Prepare the database: "
             "migrations, region codes, boundaries.",
    "serve": "Jalankan server web (waitress). / Run the web server (waitress).",
    "worker": "Jalankan pekerja tugas latar belakang. / Run the background task worker.",
    "demo": "Bangun basis data demo Kota Serang dengan satu login per peran. / Build the Kota Serang "
            "demo database with one login per role.",
    "generate": "Tulis data sintetis Kota Serang dengan kebenaran dasar. / Write synthetic Kota Serang "
                "data with ground truth.",
    "import": "Impor berkas registri DTSEN/P3KE/DTKS atau daftar penerima program. / Import a "
              "DTSEN/P3KE/DTKS registry file or a programme beneficiary list.",
    "linkage": "Cocokkan daftar penerima dengan registri (train, run, evaluate, files). / Link "
               "beneficiary lists to the registry (train, run, evaluate, files).",
    "targeting": "Penargetan: salah sasaran, belum terjangkau, ganda (run, evaluate, send-checks). / "
                 "Targeting: inclusion, exclusion, double receipt (run, evaluate, send-checks).",
    "nik": "Periksa dan uraikan NIK (nik check). / Check and decode NIKs (nik check).",
    "wilayah": "Muat dan tampilkan kode serta batas wilayah. / Load and show region codes and "
               "boundaries.",
    "user": "Kelola pengguna dan peran. / Manage users and roles.",
    "audit": "Tampilkan log audit. / Show the audit log.",
    "plan": "Perencanaan: optimasi alokasi, ekspor RPKD/RAT, impor indikator sektor. / Planning: "
            "allocation optimiser, RPKD/RAT export, sector indicator import.",
    "manage": "Jalankan perintah Django apa pun (migrate, shell, ...). / Run any Django command.",
}


def _help() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [
        "usage: padu [--help] <perintah/command> [argumen/args ...]",
        "",
        "Padu — sistem informasi penanggulangan kemiskinan terpadu.",
        "Padu — integrated poverty-reduction information system.",
        "",
        "perintah / commands:",
    ]
    lines += [f"  {name.ljust(width)}  {text}" for name, text in COMMANDS.items()]
    lines += ["", "padu <perintah> --help menampilkan bantuan tiap perintah / shows each command's help."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_help())
        return 0
    name, rest = args[0], args[1:]
    if name in {"version", "--version"}:
        from padu import __version__

        print(f"padu {__version__}")
        return 0
    if name not in COMMANDS:
        print(f"padu: perintah tidak dikenal / unknown command: {name!r}\n", file=sys.stderr)
        print(_help(), file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "padu.config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    argv_django = ["padu", *rest] if name == "manage" else ["padu", name, *rest]
    if name == "manage" and not rest:
        argv_django = ["padu", "help"]
    try:
        execute_from_command_line(argv_django)
    except ImproperlyConfigured as exc:
        print(f"padu: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
