"""``padu plan``: planning from the command line (thin over ``padu.planning.services``).

padu plan optimise --year YYYY [--scenario NAME]
padu plan export rpkd --year YYYY --out FILE(.docx|.pdf)
padu plan export rat --year YYYY [--format xlsx|pdf] [--opd CODE] --out FILE
padu plan import-indicators FILE --period YYYY[-MM] --source TEXT [--indicator CODE] [--report FILE]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from padu.planning.engine.text import percent, rupiah


class Command(BaseCommand):
    help = (
        "Perencanaan: jalankan pengoptimal alokasi, ekspor dokumen RPKD dan RAT. / Planning: run the "
        "allocation optimiser, export the RPKD and RAT documents."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBPERINTAH/SUBCOMMAND")
        opt = sub.add_parser(
            "optimise",
            help="Jalankan skenario alokasi tahun itu; cetak total per kecamatan dan OPD. / Run the year's "
            "allocation scenarios; print totals per kecamatan and OPD.",
        )
        opt.add_argument("--year", type=int, required=True, help="Tahun rencana / plan year")
        opt.add_argument("--scenario", default=None, help="Nama skenario (semua) / scenario name (all)")
        imp = sub.add_parser(
            "import-indicators",
            help="Impor indikator sektor per kelurahan (CSV/XLSX); baris terakhir: rows=N accepted=A "
            "rejected=R unchanged=U. / Import sector indicators per kelurahan (CSV/XLSX); last line: "
            "rows=N accepted=A rejected=R unchanged=U.",
        )
        imp.add_argument("file", type=Path, help="Berkas CSV atau XLSX / CSV or XLSX file")
        imp.add_argument("--period", required=True, help="Periode data / data period, YYYY atau/or YYYY-MM")
        imp.add_argument("--source", required=True, help="Sumber data / data source, e.g. 'e-PPGBM Dinkes'")
        imp.add_argument(
            "--indicator",
            default="",
            help="Kode indikator (satu kolom nilai); kosong: setiap kolom lain satu indikator / indicator "
            "code (one value column); empty: every other column is an indicator",
        )
        imp.add_argument(
            "--report", type=Path, default=None, help="Tulis laporan XLSX / write the XLSX check report here"
        )
        exp = sub.add_parser("export", help="Ekspor dokumen. / Export a document.")
        exp.add_argument(
            "document",
            choices=["rpkd", "rat"],
            help="rpkd (DOCX/PDF) atau rat (XLSX/PDF) / rpkd (DOCX/PDF) or rat (XLSX/PDF)",
        )
        exp.add_argument("--year", type=int, required=True, help="Tahun rencana / plan year")
        exp.add_argument(
            "--out",
            type=Path,
            required=True,
            help="Berkas keluaran (.docx/.pdf untuk rpkd, .xlsx/.pdf untuk rat) / output file "
            "(.docx/.pdf for rpkd, .xlsx/.pdf for rat)",
        )
        exp.add_argument(
            "--format",
            choices=["docx", "xlsx", "pdf"],
            default=None,
            help="Format (bawaan: dari akhiran --out) / format (default: from the --out suffix)",
        )
        exp.add_argument("--opd", default="", help="rat: hanya satu OPD (kode) / rat: one OPD only (code)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "optimise":
                self.optimise(options["year"], options["scenario"])
            elif options["subcommand"] == "import-indicators":
                self.import_indicators(options)
            elif options["document"] == "rat":
                self.export_rat(options["year"], options["out"], options["format"], options["opd"])
            else:
                self.export(options["year"], options["out"], options["format"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def optimise(self, year: int, name: str | None) -> None:
        from padu.planning.models import AllocationScenario
        from padu.planning.services import allocation

        scenarios = AllocationScenario.objects.filter(year=year).order_by("name")
        if name:
            scenarios = scenarios.filter(name=name)
        if not scenarios.exists():
            what = f"'{name}' " if name else ""
            raise CommandError(
                f"Skenario {what}untuk tahun {year} tidak ada; buat di halaman Alokasi. / "
                f"No scenario {what}for {year}; create one on the Allocation page."
            )
        for scenario in scenarios:
            run = allocation.run_scenario(actor=None, scenario=scenario)
            self.stdout.write(f"== {scenario.name} ({year}): {run.status}")
            self.stdout.write(f"   {run.message} / {run.message_en}")
            for c in run.conflicts:
                self.stdout.write(f"   ! {c['text']} / {c['text_en']}")
            if run.status not in {"optimal", "gap"}:
                continue
            self.stdout.write(
                f"   Total didanai / funded: {rupiah(run.total)} ({run.funded_count}/{run.item_count} "
                f"usulan / proposals, non-fisik / non-physical {percent(run.nonphysical_share)})"
            )
            self.stdout.write("   Per kecamatan:")
            for key, value in sorted(run.by_kecamatan.items()):
                self.stdout.write(f"     {key:<32} {rupiah(value):>14}")
            self.stdout.write("   Per OPD:")
            for key, value in sorted(run.by_opd.items()):
                self.stdout.write(f"     {key:<32} {rupiah(value):>14}")

    def export(self, year: int, out: Path, fmt: str | None) -> None:
        from padu.planning.rpkd import export as export_rpkd

        fmt = fmt or out.suffix.lower().lstrip(".")
        if fmt not in {"docx", "pdf"}:
            raise CommandError("rpkd: format harus docx atau pdf / format must be docx or pdf")
        data = export_rpkd(actor=None, year=year, fmt=fmt)
        out.write_bytes(data)
        self.stdout.write(f"RPKD {year} ditulis ke / written to {out} ({len(data):,} bytes)")

    def export_rat(self, year: int, out: Path, fmt: str | None, opd: str) -> None:
        from padu.planning.rat_report import export as export_rat

        fmt = fmt or out.suffix.lower().lstrip(".")
        if fmt not in {"xlsx", "pdf"}:
            raise CommandError("rat: --format harus xlsx atau pdf / --format must be xlsx or pdf")
        if opd:
            from padu.accounts.models import Opd

            if not Opd.objects.filter(code=opd).exists():
                known = ", ".join(Opd.objects.order_by("code").values_list("code", flat=True)) or "-"
                raise CommandError(
                    f"OPD '{opd}' tidak ada; yang ada: {known} / no OPD '{opd}'; known: {known}"
                )
        if not out.parent.is_dir():
            raise CommandError(f"Folder tidak ada / no such folder: {out.parent}")
        data = export_rat(actor=None, year=year, fmt=fmt, opd=opd)
        out.write_bytes(data)
        self.stdout.write(f"RAT {year} ({fmt}) ditulis ke / written to {out} ({len(data):,} bytes)")

    def import_indicators(self, options: dict[str, Any]) -> None:
        from padu.ingest.engine import IngestError
        from padu.planning.services import sector

        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan / file not found: {path}")
        try:
            batch = sector.import_indicators(
                actor=None,
                path=path,
                period=options["period"],
                source=options["source"],
                indicator=options["indicator"],
            )
        except IngestError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Impor / import #{batch.pk}: {batch.file_name} ({batch.period}, {batch.source}); "
            f"indikator / indicators: {', '.join(batch.keys) or '-'}"
        )
        for issue in batch.file_errors:
            self.stderr.write(f"{batch.file_name}: {issue['id']} / {issue['en']}")
        for row in batch.rejected_rows.all():
            for issue in row.issues:
                where = f"{batch.file_name}, baris/row {row.line}, {issue['field'] or '-'}"
                self.stderr.write(f"{where}: {issue['id']} / {issue['en']}")
        if options["report"] is not None:
            options["report"].write_bytes(sector.batch_report_xlsx(batch))
            self.stdout.write(f"Laporan / report: {options['report']}")
        self.stdout.write(batch.counts_line)
        if batch.file_errors:
            raise CommandError(
                "Berkas tidak dapat dipakai; tidak ada nilai yang disimpan. / The file cannot be used; no "
                "value was saved."
            )
