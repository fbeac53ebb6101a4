"""``padu wilayah``: load and show Kemendagri region codes and boundaries (thin over services)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from padu.wilayah import selectors, services


def region_report(result: services.RegionLoadResult) -> str:
    return (
        f"Kode wilayah / region codes: {result.total} di berkas / in file; "
        f"baru / new {result.created}, diperbarui / updated {result.updated}, "
        f"tetap / unchanged {result.unchanged}"
        + (
            f", tidak ada di berkas (dibiarkan) / not in file (kept) {result.not_in_source}"
            if result.not_in_source
            else ""
        )
        + f" ({result.seconds:.1f} s)"
    )


def boundary_report(result: services.BoundaryLoadResult) -> str:
    if not result.sources:
        return (
            f"Batas wilayah / boundaries {result.region_code}: tidak tersedia di paket, "
            f"halaman tetap berfungsi tanpa peta / none shipped, pages work without a map"
        )
    files = ", ".join(result.sources.values())
    text = (
        f"Batas wilayah / boundaries {result.region_code}: "
        f"{result.kecamatan} kecamatan, {result.kelurahan} kelurahan/desa ({files})"
    )
    if result.skipped:
        text += f"; dilewati (kode tak dikenal) / skipped (unknown code) {result.skipped}"
    return text


class Command(BaseCommand):
    help = (
        "Muat dan tampilkan kode serta batas wilayah Kemendagri. / "
        "Load and show Kemendagri region codes and boundaries."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load,boundaries,show,tree}")
        load = sub.add_parser(
            "load", help="Muat ulang kode wilayah (idempoten) / reload region codes (idempotent)"
        )
        load.add_argument(
            "--csv",
            dest="csv_path",
            default=None,
            metavar="PATH",
            help="CSV rilis Kemendagri yang lebih baru (code,name,level,type,"
            "parent_code,code_plain) / a newer Kemendagri release as CSV "
            "(default: the packaged list)",
        )
        bound = sub.add_parser(
            "boundaries",
            help="Muat batas kecamatan dan kelurahan/desa / load kecamatan and desa/kelurahan boundaries",
        )
        bound.add_argument(
            "--region",
            default=None,
            metavar="CODE",
            help="Kode kabupaten/kota, mis. 36.71 / regency/city code "
            "(default: the installation, PADU_REGION_CODE)",
        )
        show = sub.add_parser(
            "show",
            help="Tampilkan satu wilayah, rantai induk dan jumlah anak / show a region, "
            "its parent chain and its number of children",
        )
        show.add_argument("code", help="Kode wilayah, mis. 36.73.01 atau 367301 / region code")
        sub.add_parser(
            "tree",
            help="Kecamatan instalasi dan jumlah kelurahan/desanya / the installation's "
            "kecamatan and their desa/kelurahan counts",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"do_{action}")(**options)

    def do_load(self, csv_path: str | None = None, **_: Any) -> None:
        try:
            result = services.load_regions(csv_path=csv_path)
        except (OSError, services.RegionDataError) as exc:
            raise CommandError(f"Gagal memuat / failed to load: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(region_report(result)))

    def do_boundaries(self, region: str | None = None, **_: Any) -> None:
        code = region or settings.REGION_CODE
        if selectors.find_region(code) is None:
            raise CommandError(f"Kode wilayah tidak dikenal / unknown region code: {code}")
        result = services.load_boundaries(code)
        self.stdout.write(self.style.SUCCESS(boundary_report(result)))

    def do_show(self, code: str, **_: Any) -> None:
        region = selectors.find_region(code)
        if region is None:
            raise CommandError(f"Kode wilayah tidak dikenal / unknown region code: {code}")
        w = self.stdout.write
        w(f"{region.code}  {region.label}")
        w(f"  kode tanpa titik / plain code: {region.code_plain}")
        w(f"  tingkat / level: {region.level} ({region.get_level_display()}), jenis / type: {region.type}")
        chain = selectors.ancestors(region)
        w("  induk / parents: " + (" › ".join(f"{a.code} {a.label}" for a in chain) or "-"))
        child = {1: "kabupaten/kota", 2: "kecamatan", 3: "kelurahan/desa"}.get(region.level)
        if child:
            w(f"  anak / children: {region.children.count()} {child}")
        has_boundary = selectors.boundary_exists(region.code)
        w("  batas / boundary: " + ("ada / yes" if has_boundary else "tidak ada / no"))

    def do_tree(self, **_: Any) -> None:
        root = selectors.installation_region()
        if root is None:
            raise CommandError(
                f"Wilayah instalasi {settings.REGION_CODE} belum dimuat; jalankan 'padu setup' / "
                "installation region not loaded; run 'padu setup'"
            )
        kecamatan = list(selectors.kecamatan_list())
        counts = selectors.kelurahan_counts()
        self.stdout.write(f"{root.code}  {root.label}")
        width = max((len(k.name) for k in kecamatan), default=0)
        for k in kecamatan:
            n = counts.get(k.code, 0)
            self.stdout.write(f"  {k.code}  {k.name.ljust(width)}  {n:>4} kelurahan/desa")
        total = sum(counts.values())
        self.stdout.write(f"Jumlah / total: {len(kecamatan)} kecamatan, {total} kelurahan/desa")
