"""``padu generate``: write a synthetic Kota Serang with ground truth (thin wrapper of ``padu.synth``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from padu.synth import (
    DEFAULT_PERSONS,
    DEFAULT_SEED,
    NOISE_PROFILES,
    GenerateError,
    check_arguments,
    generate,
)


class Command(BaseCommand):
    help = (
        "Tulis data sintetis Kota Serang: registri bergaya DTSEN/P3KE, daftar penerima 12 program OPD "
        "(CSV/XLSX, dengan kesalahan realistis) dan folder truth/ berisi kebenaran dasar. / "
        "Write synthetic Kota Serang data: a DTSEN/P3KE-style registry, the beneficiary lists of 12 OPD "
        "programmes (CSV/XLSX, with realistic faults) and a truth/ folder with the ground truth."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons",
            type=int,
            default=DEFAULT_PERSONS,
            help="Jumlah penduduk dalam registri / number of registry persons (default: %(default)s)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Benih acak; benih dan jumlah yang sama menghasilkan berkas identik / random seed; the "
            "same seed and size give identical files (default: %(default)s)",
        )
        parser.add_argument(
            "--out",
            type=Path,
            default=Path("var/synth"),
            help="Folder keluaran / output directory (default: %(default)s)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Timpa keluaran lama di folder itu / overwrite an earlier run in that directory",
        )
        parser.add_argument(
            "--noise",
            choices=sorted(NOISE_PROFILES),
            default="default",
            help="Tingkat kesalahan data pada daftar; 'hard' = 35%% NIK kosong, 25%% alamat pindah, 30%% "
            "salah ketik nama / data-entry noise of the lists; 'hard' = 35%% NIK missing, 25%% moved "
            "address, 30%% name typos (default: %(default)s)",
        )
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="Tanpa bilah kemajuan / no progress bar",
        )

    def handle(
        self,
        *args: Any,
        persons: int,
        seed: int,
        out: Path,
        force: bool,
        no_progress: bool,
        noise: str = "default",
        **options: Any,
    ) -> None:
        rates = NOISE_PROFILES[noise]
        try:
            check_arguments(persons, out, force)
        except GenerateError as exc:
            raise CommandError(str(exc)) from exc
        if no_progress or options.get("verbosity", 1) == 0:
            result = generate(out, persons, seed, overwrite=force, rates=rates)
        else:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(
                TextColumn("[bold]Membuat penduduk / generating persons"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                transient=True,
            ) as bar:
                task = bar.add_task("persons", total=persons)
                result = generate(
                    out,
                    persons,
                    seed,
                    overwrite=force,
                    rates=rates,
                    progress=lambda done, total: bar.update(task, completed=done),
                )
        counts = result.manifest["counts"]
        self.stdout.write(
            f"Selesai / done in {result.seconds:.1f} s: {out}\n"
            f"  registri / registry: {counts['persons']:,} orang / persons, "
            f"{counts['families']:,} keluarga / families\n"
            f"  daftar / lists: {len(result.manifest['programmes'])} program, "
            f"{counts['list_rows']:,} baris / rows, "
            f"{sum(counts['faults_by_type'].values()):,} kesalahan / faults\n"
            f"  lihat / see {out / 'manifest.json'}"
        )
