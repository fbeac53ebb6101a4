"""``padu import registry FILE`` and ``padu import roll --programme CODE --period YYYY-MM FILE``: the
intake without the web pages (thin wrapper over ``padu.ingest.services`` and, for beneficiary lists,
``padu.programs.services``). The last line of stdout is ``rows=N accepted=A rejected=R unchanged=U``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from padu.ingest import services
from padu.ingest.engine import IngestError
from padu.ingest.mapping import MappingIncomplete
from padu.ingest.models import ImportBatch
from padu.ingest.progress import estimate_rows
from padu.ingest.reports import write_batch_report


def _mapping(value: str | None) -> dict[str, str] | None:
    if not value:
        return None
    text = value
    if not value.lstrip().startswith("{"):
        path = Path(value)
        if not path.is_file():
            raise CommandError(f"--mapping: berkas tidak ditemukan / file not found: {value}")
        text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"--mapping: JSON tidak sah / invalid JSON: {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise CommandError(
            '--mapping harus objek JSON {"field": "KOLOM"} / '
            '--mapping must be a JSON object {"field": "COLUMN"}'
        )
    return data


class Command(BaseCommand):
    help = (
        "Impor berkas registri (DTSEN/P3KE/DTKS) ke registri sosial, atau daftar penerima program OPD "
        "(roll --programme KODE), CSV atau XLSX, dalam satu transaksi; baris terakhir: rows=N accepted=A "
        "rejected=R unchanged=U. / Import a registry file (DTSEN/P3KE/DTKS) into the social registry, or "
        "an OPD programme's beneficiary list (roll --programme CODE), CSV or XLSX, in one transaction; "
        "last line: rows=N accepted=A rejected=R unchanged=U."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind",
            choices=["registry", "roll"],
            help="Jenis data / kind of data: registry (registri) atau roll (daftar penerima / "
            "beneficiary list)",
        )
        parser.add_argument("file", type=Path, help="Berkas CSV atau XLSX / CSV or XLSX file")
        parser.add_argument(
            "--source",
            choices=["auto", "dtsen", "p3ke", "dtks"],
            default="auto",
            help="Sumber berkas / source of the file (default: %(default)s = deteksi / detect)",
        )
        parser.add_argument("--period", required=True, help="Periode data / data period, YYYY-MM")
        parser.add_argument(
            "--programme",
            default=None,
            help="Kode program (wajib untuk roll) / programme code (required for roll), e.g. pkh",
        )
        parser.add_argument(
            "--report",
            type=Path,
            default=None,
            help="Tulis laporan validasi XLSX / write the XLSX report here",
        )
        parser.add_argument(
            "--mapping",
            default=None,
            help='Pemetaan kolom, JSON atau berkas JSON: {"nik": "NO KTP"} / '
            "column mapping, JSON or a JSON file",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        period: str = options["period"]
        try:
            services.check_period(period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan / file not found: {path}")
        mapping = _mapping(options["mapping"])
        programme = self._programme(options) if options["kind"] == "roll" else None
        console = Console(stderr=True, no_color=bool(options.get("no_color")))
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("Mengimpor / importing", total=None)

            def before_commit(batch: ImportBatch) -> None:
                bar.update(task, total=estimate_rows(batch))

            def progress(n: int, total: int | None) -> None:
                bar.advance(task, n)

            try:
                if programme is not None:
                    from padu.programs import services as programs

                    batch = programs.roll_import(
                        actor=None,
                        programme=programme,
                        period=period,
                        path=path,
                        mapping=mapping,
                        progress=progress,
                    )
                else:
                    batch = services.import_file(
                        actor=None,
                        path=path,
                        source=options["source"],
                        period=period,
                        mapping=mapping,
                        progress=progress,
                        before_commit=before_commit,
                    )
            except (IngestError, MappingIncomplete) as exc:
                raise CommandError(str(exc)) from exc
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            except Exception as exc:
                what = (
                    "daftar penerima tidak berubah / the list is unchanged"
                    if programme is not None
                    else "registri tidak berubah / the registry is unchanged"
                )
                raise CommandError(f"Impor gagal; {what}: {exc}") from exc
        label = f"{programme.code}" if programme is not None else batch.get_source_display()
        self.stdout.write(
            f"Impor / import #{batch.pk}: {batch.original_name} "
            f"({label}, {batch.period}) "
            f"header baris / line {batch.header_line}"
        )
        stats = ", ".join(f"{k}={v}" for k, v in sorted(batch.stats.items()))
        if stats:
            self.stdout.write(f"Perubahan / changes: {stats}")
        if options["report"] is not None:
            issues = write_batch_report(batch=batch, path=options["report"])
            self.stdout.write(f"Laporan / report: {options['report']} ({issues} temuan / findings)")
        self.stdout.write(batch.counts_line)

    def _programme(self, options: dict[str, Any]) -> Any:
        from padu.programs.models import Programme

        code = options.get("programme")
        if not code:
            raise CommandError("roll: --programme KODE wajib / --programme CODE is required")
        programme = Programme.objects.filter(code=code).first()
        if programme is None:
            known = ", ".join(Programme.objects.order_by("code").values_list("code", flat=True)[:40]) or "-"
            raise CommandError(
                f"Program '{code}' tidak ada; yang ada: {known} / no programme '{code}'; known: {known}"
            )
        return programme
