"""``padu nik check [--json] NIK...``: validate and decode NIKs.

Thin: the rules live in :mod:`padu.lib.nik`; this only reads arguments and prints results.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from padu.lib.nik import NikResult, parse_nik
from padu.lib.regions import region_label

EXIT_HELP = (
    "Status keluar / exit status: 0 = semua NIK sah / all NIKs valid; 1 = ada NIK tidak sah / "
    "at least one NIK invalid; 2 = argumen salah / bad arguments. Peringatan (mis. kode wilayah "
    "tidak dikenal) tidak membuat NIK tidak sah / warnings (e.g. unknown region code) do not make "
    "a NIK invalid."
)

SEX_TEXT = {"L": "L (laki-laki / male)", "P": "P (perempuan / female)"}


def _values(args: Iterable[str]) -> Iterator[str]:
    """The NIKs given; ``-`` stands for standard input, one NIK per line (blank lines skipped)."""
    for arg in args:
        if arg == "-":
            for line in sys.stdin:
                if line.strip():
                    yield line.rstrip("\r\n")
        else:
            yield arg


def _text(result: NikResult) -> list[str]:
    shown = result.nik or repr(result.input)
    status = "SAH / VALID" if result.valid else "TIDAK SAH / INVALID"
    lines = [f"{shown}  {status}"]
    if result.nik is not None and result.nik != result.input:
        lines.append(f"  masukan / input: {result.input!r}")
    if result.sex:
        lines.append(f"  jenis kelamin / sex: {SEX_TEXT[result.sex]}")
    if result.birth_date:
        lines.append(f"  tanggal lahir / birth date: {result.birth_date.isoformat()}")
    if result.region_code:
        label = region_label(result.region_code) if result.region_name else None
        lines.append(f"  wilayah / region: {result.region_code} {label or '(tidak dikenal / unknown)'}")
    lines += [f"  galat / error [{i.code}]: {i.message}" for i in result.errors]
    lines += [f"  peringatan / warning [{i.code}]: {i.message}" for i in result.warnings]
    return lines


class Command(BaseCommand):
    help = (
        "Periksa dan uraikan NIK: wilayah, tanggal lahir, jenis kelamin, kerusakan oleh Excel. / "
        "Check and decode NIKs: region, birth date, sex, damage by Excel."
    )
    requires_system_checks: list[str] = []  # pure parsing: no database, no checks needed

    def add_arguments(self, parser: CommandParser) -> None:
        parser.epilog = EXIT_HELP
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="<perintah/command>", title="perintah / commands"
        )
        check = actions.add_parser(
            "check",
            help="Periksa satu atau lebih NIK. / Check one or more NIKs.",
            description=(
                "Periksa satu atau lebih NIK dan tampilkan NIK yang dinormalkan, sah/tidak sah, "
                "galat dan peringatan, jenis kelamin, tanggal lahir dan wilayah. / Check one or "
                "more NIKs and show the normalised NIK, valid/invalid, errors and warnings, sex, "
                "birth date and region."
            ),
            epilog=EXIT_HELP,
        )
        check.add_argument(
            "niks",
            nargs="+",
            metavar="NIK",
            help="NIK yang diperiksa; '-' membaca dari stdin, satu NIK per baris. / NIKs to check; "
            "'-' reads standard input, one NIK per line.",
        )
        check.add_argument(
            "--json",
            dest="as_json",
            action="store_true",
            help="Keluaran JSON: satu objek per NIK. / JSON output: one object per NIK.",
        )

    def handle(self, *args: Any, action: str, niks: list[str], as_json: bool, **options: Any) -> None:
        results = [parse_nik(value) for value in _values(niks)]
        if as_json:
            self.stdout.write(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join("\n".join(_text(r)) for r in results))
        if not all(r.valid for r in results):
            raise SystemExit(1)
