"""``padu setup``: migrate, then make sure region codes and the installation's boundaries are
loaded. Idempotent: running it again changes nothing and says so."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from padu.core.management.commands.wilayah import boundary_report, region_report
from padu.wilayah import selectors, services


class Command(BaseCommand):
    help = (
        "Siapkan basis data: migrasi, kode wilayah Kemendagri, batas wilayah instalasi. "
        "Aman dijalankan berulang. / Prepare the database: migrations, Kemendagri region codes, "
        "the installation's boundaries. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--skip-boundaries",
            action="store_true",
            help="Jangan muat batas wilayah / do not load boundaries",
        )

    def handle(self, *args: Any, skip_boundaries: bool = False, **options: Any) -> None:
        verbosity = int(options.get("verbosity", 1))
        self.stdout.write("1/3 Migrasi basis data / database migrations ...")
        call_command(
            "migrate",
            interactive=False,
            verbosity=max(0, verbosity - 1),
            stdout=self.stdout,
            stderr=self.stderr,
        )
        self.stdout.write("2/3 Kode wilayah / region codes ...")
        self.stdout.write("    " + region_report(services.load_regions()))
        self.stdout.write("3/3 Batas wilayah / boundaries ...")
        if skip_boundaries:
            self.stdout.write("    dilewati / skipped")
        else:
            self.stdout.write("    " + boundary_report(services.load_boundaries()))
        summary = selectors.installation_summary()
        region = summary["region"]
        name = region.label if region else "?"
        self.stdout.write(
            self.style.SUCCESS(
                f"Siap / ready: {settings.REGION_CODE} {name} — {summary['kecamatan']} kecamatan, "
                f"{summary['kelurahan']} kelurahan/desa"
            )
        )
