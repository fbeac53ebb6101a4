"""``padu linkage``: train the model, link the lists, score stored links, link two files (thin wrapper
over ``padu.linkage.services``; ``files`` is the Django-free ``engine.cli.files_main``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

SUBCOMMANDS = ("train", "run", "evaluate", "files")


class Command(BaseCommand):
    help = (
        "Pencocokan daftar penerima dengan registri: train | run | evaluate | files. / Record linkage of "
        "beneficiary lists to the registry: train | run | evaluate | files."
    )

    def run_from_argv(self, argv: list[str]) -> None:
        # ``files`` has its own (Django-free) parser: hand it every argument untouched.
        if len(argv) > 2 and argv[2] == "files":
            from padu.linkage.engine.cli import files_main

            raise SystemExit(files_main(argv[3:]))
        super().run_from_argv(argv)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{train,run,evaluate,files}")
        sub.add_parser("train", help="Latih model dari registri / train the model on the registry")
        run = sub.add_parser("run", help="Cocokkan daftar penerima / link beneficiary lists")
        run.add_argument("--programme", default=None, help="kode program / programme code (default: all)")
        run.add_argument("--period", default=None, help="periode / period YYYY-MM")
        ev = sub.add_parser("evaluate", help="Nilai tautan tersimpan / score stored links against truth")
        ev.add_argument("--truth", type=Path, required=True, help="folder truth/ dari 'padu generate'")
        ev.add_argument("--period", default=None, help="periode / period YYYY-MM")
        ev.add_argument("--json", action="store_true", help="satu objek JSON / one JSON object")
        sub.add_parser(
            "files",
            help="Cocokkan dua berkas tanpa basis data / link two files (padu linkage files --help)",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from padu.linkage import evaluation, services
        from padu.programs.models import Roll

        if action == "train":
            model = services.train_model(actor=None)
            self.stdout.write(
                f"model {model.meta['version']}: {model.meta.get('registry_rows', 0):,} individu / persons, "
                f"{model.meta.get('seconds', 0)} s -> {services.model_path()}"
            )
        elif action == "run":
            rolls = Roll.objects.all()
            if options["programme"]:
                rolls = rolls.filter(programme__code=options["programme"])
            if options["period"]:
                rolls = rolls.filter(period=options["period"])
            if not rolls.exists():
                raise CommandError("tidak ada daftar penerima yang cocok / no matching beneficiary list")
            if options["programme"] or options["period"]:
                for roll in rolls.select_related("programme"):
                    self._report(services.link_roll(actor=None, roll=roll))
            else:
                self._report(services.link_all(actor=None))
        elif action == "evaluate":
            truth = options["truth"]
            if not (truth / "list_identities.csv").exists():
                raise CommandError(f"{truth}: list_identities.csv tidak ada / not found")
            scores = evaluation.evaluate_stored(truth_dir=truth, period=options["period"])
            if options["json"]:
                self.stdout.write(json.dumps(scores, sort_keys=True))
            else:
                for key in ("precision", "recall", "f1", "review_share", "auto_links", "review_links",
                            "left_rows", "truth_pairs"):  # fmt: skip
                    self.stdout.write(f"{key:>14}: {scores.get(key)}")
        else:  # "files" is handled in run_from_argv; reached only through call_command
            sys.exit(2)

    def _report(self, run: Any) -> None:
        c = run.counts
        self.stdout.write(
            f"{run.roll or 'semua daftar / all lists'}: left={c.get('left', 0)} auto={c.get('auto', 0)} "
            f"review={c.get('review', 0)} accepted={c.get('accepted', 0)} unmatched={c.get('unmatched', 0)} "
            f"rejected={c.get('rejected', 0)} findings={c.get('findings', 0)} "
            f"seconds={run.timings.get('total', 0)}"
        )
