"""``padu targeting``: run the targeting engine over a period, score stored findings against truth
(thin wrapper over ``padu.targeting.services`` and ``padu.targeting.evaluation``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Penargetan: salah sasaran, belum terjangkau, penerimaan ganda (run | evaluate | send-checks). / "
        "Targeting: inclusion, exclusion and double-receipt findings (run | evaluate | send-checks)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{run,evaluate,send-checks}")
        run = sub.add_parser("run", help="Jalankan penargetan satu periode / run targeting for a period")
        run.add_argument("--period", required=True, help="periode / period YYYY-MM")
        ev = sub.add_parser("evaluate", help="Nilai temuan tersimpan / score stored findings against truth")
        ev.add_argument("--truth", type=Path, required=True, help="folder truth/ dari 'padu generate'")
        ev.add_argument("--period", default=None, help="periode / period YYYY-MM (default: proses terakhir)")
        ev.add_argument("--json", action="store_true", help="satu objek JSON / one JSON object")
        send = sub.add_parser(
            "send-checks",
            help="Kirim temuan cek lapangan ke kelurahan sebagai tugas verivali / send field checks to the "
            "kelurahan as verivali tasks",
        )
        send.add_argument("--period", required=True, help="periode / period YYYY-MM")
        send.add_argument(
            "--kelurahan", default="", help="kode kelurahan (default: semua) / code (default: all)"
        )
        send.add_argument(
            "--as",
            dest="username",
            required=True,
            help="pengguna Bappeda yang mengirim / sending Bappeda user",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from padu.targeting import evaluation, services

        if action == "send-checks":
            self._send_checks(**options)
            return
        if action == "run":
            try:
                run = services.run_targeting(period=options["period"], actor=None)
            except services.TargetingError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"penargetan / targeting {run.period}: {run.total:,} temuan / findings, "
                f"Rp{run.total_rupiah_year:,} per tahun / a year, {run.seconds:.1f} s"
            )
            for code, n in run.counts.items():
                if n:
                    self.stdout.write(f"  {code:<26} {n:>9,}  Rp{run.rupiah_year.get(code, 0):>16,}")
            return
        truth = options["truth"]
        if not (truth / "list_faults.csv").exists() or not (truth / "exclusion.csv").exists():
            raise CommandError(f"{truth}: list_faults.csv/exclusion.csv tidak ada / not found")
        scores = evaluation.evaluate_stored(truth_dir=truth, period=options["period"])
        if options["json"]:
            out = {k: {"recall": v["recall"], "precision": v["precision"]} for k, v in scores.items()}
            self.stdout.write(json.dumps(out, sort_keys=True))
            return
        for fault, s in scores.items():
            self.stdout.write(
                f"{fault:>15}: recall {s['recall']:.4f}  precision {s['precision']:.4f}  "
                f"(truth {s['truth']:,}, found {s['found']:,}, hits {s['hits']:,})"
            )

    def _send_checks(self, *, period: str, kelurahan: str, username: str, **_: Any) -> None:
        from django.contrib.auth import get_user_model
        from django.core.exceptions import PermissionDenied

        from padu.targeting import routing

        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(
                f"pengguna {username!r} tidak ada atau tidak aktif / no active user {username!r}"
            )
        try:
            created = routing.send_field_checks(actor=actor, period=period, kelurahan=kelurahan)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"tugas cek lapangan / field-check tasks {period} ({kelurahan or 'semua / all'}): "
            f"{created:,} dibuat / created"
        )
