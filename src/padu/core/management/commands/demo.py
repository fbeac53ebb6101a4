"""``padu demo``: build the demo database (thin wrapper over ``padu.core.demo``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from padu.core import demo


class Command(BaseCommand):
    help = (
        "Bangun basis data demo Kota Serang (idempoten): wilayah, OPD, satu login per peran, registri "
        "dari data sintetis. Tidak menjalankan server. / Build the Kota Serang demo database (idempotent): "
        "regions, OPDs, one login per role, a registry from synthetic data. Does not start the server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons",
            type=int,
            default=250_000,
            help="Jumlah penduduk registri sintetis / synthetic registry persons (250000)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Benih acak / random seed (2026)")
        parser.add_argument(
            "--from",
            dest="source",
            type=Path,
            default=None,
            help="Folder hasil 'padu generate' / a folder written by 'padu generate'",
        )

    def handle(self, *args: Any, persons: int, seed: int, source: Path | None, **options: Any) -> None:
        console = Console(no_color=bool(options.get("no_color")))
        if persons <= 0:
            raise CommandError("--persons harus positif / --persons must be positive")
        if source is not None and not (source / "manifest.json").exists():
            raise CommandError(
                f"{source}: bukan folder hasil 'padu generate' (manifest.json tidak ada) / "
                f"not a folder written by 'padu generate' (no manifest.json)"
            )
        call_command("setup", verbosity=0, stdout=self.stdout)
        logins = demo.ensure_demo_users()
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            if source is None:
                task = bar.add_task("Membuat data sintetis / generating", total=persons)
                source = demo.ensure_generated(
                    persons, seed, progress=lambda done, total: bar.update(task, completed=done, total=total)
                )
                bar.update(task, completed=persons)
            task = bar.add_task("Memuat registri / loading registry", total=None)
            result = demo.load_registry(source, progress=lambda n: bar.advance(task, n))
            bar.add_task("Memuat program dan daftar penerima / loading programmes and lists", total=None)
            programmes = demo.load_programmes(source)
            bar.add_task("Mencocokkan daftar dengan registri / linking lists to the registry", total=None)
            linked = demo.link_lists()
            bar.add_task("Penargetan / targeting", total=None)
            targeted = demo.run_targeting(programmes["period"])
            bar.add_task("Menyiapkan data perencanaan / preparing planning data", total=None)
            planning = demo.load_planning()
        if result["skipped"]:
            console.print(f"Registri sudah dimuat / registry already loaded: {result['file']}")
        else:
            console.print(
                f"Registri dimuat / registry loaded: {result['families']:,} keluarga / families, "
                f"{result['persons']:,} individu / persons ({result['file']})"
            )
        loaded = sum(1 for line in programmes["rolls"].values() if line != "skipped")
        console.print(
            f"Program / programmes: {programmes['programmes']}, daftar penerima dimuat / lists loaded: "
            f"{loaded} (periode / period {programmes['period']}, {programmes['seconds']} s)"
        )
        c = linked["counts"]
        console.print(
            f"Pencocokan / linkage: {linked['linked_now']:,} baris dicocokkan / rows linked now "
            f"({linked['seconds']} s{', model dilatih / model trained' if linked['trained'] else ''}); "
            f"otomatis / auto {c.get('auto', 0):,}, periksa / review {c.get('review', 0):,}, "
            f"diterima / accepted {c.get('accepted', 0):,}, tidak ditemukan / unmatched "
            f"{c.get('unmatched', 0) + c.get('rejected', 0):,}"
        )
        t = targeted["counts"]
        console.print(
            f"Penargetan / targeting {targeted['period']}: {targeted['total']:,} temuan / findings "
            f"(Rp{targeted['rupiah_year']:,} per tahun / a year; {targeted['seconds']} s"
            f"{', sudah ada / already there' if targeted['skipped'] else ''}); salah sasaran / inclusion "
            f"{sum(n for k, n in t.items() if k.startswith('inclusion')):,}, belum terjangkau / exclusion "
            f"{sum(n for k, n in t.items() if k.startswith('exclusion')):,}, ganda / double "
            f"{sum(n for k, n in t.items() if k.startswith('double')):,}"
        )
        console.print(
            f"Perencanaan {planning['year']} / planning: {planning['proposals']:,} usulan baru / new "
            f"proposals, {planning['ceilings']} plafon OPD / OPD ceilings, {planning['scenarios']} "
            f"skenario / scenarios, {planning['lokasi']} lokasi prioritas, {planning['rat']} kegiatan RAT / "
            "RAT activities "
            "(0 = sudah ada / already there)"
        )
        console.print(f"Data sintetis / synthetic data: {source}")
        table = Table(title=f"Login demo (kata sandi / password: {demo.DEMO_PASSWORD})")
        table.add_column("Pengguna / user")
        table.add_column("Peran / role")
        table.add_column("Cakupan / scope")
        for login in logins:
            table.add_row(login.username, login.role, login.scope or "Kota")
        console.print(table)
