"""``padu plan``: planning from the command line (thin over ``padu.planning.services``).

padu plan optimise --year YYYY [--scenario NAME]
padu plan export rpkd --year YYYY --out FILE(.docx|.pdf)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from padu.planning.engine.text import percent, rupiah


class Command(BaseCommand):
    help = (
        "Perencanaan: jalankan pengoptimal alokasi, ekspor dokumen RPKD. / Planning: run the allocation "
        "optimiser, export the RPKD document."
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
        exp = sub.add_parser("export", help="Ekspor dokumen. / Export a document.")
        exp.add_argument("document", choices=["rpkd"], help="rpkd")
        exp.add_argument("--year", type=int, required=True, help="Tahun rencana / plan year")
        exp.add_argument("--out", type=Path, required=True, help="Berkas .docx/.pdf / .docx/.pdf file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "optimise":
                self.optimise(options["year"], options["scenario"])
            else:
                self.export(options["year"], options["out"])
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

    def export(self, year: int, out: Path) -> None:
        from padu.planning.rpkd import export as export_rpkd

        suffix = out.suffix.lower()
        if suffix not in {".docx", ".pdf"}:
            raise CommandError("--out harus .docx atau .pdf / --out must be .docx or .pdf")
        data = export_rpkd(actor=None, year=year, fmt=suffix[1:])
        out.write_bytes(data)
        self.stdout.write(f"RPKD {year} ditulis ke / written to {out} ({len(data):,} bytes)")
