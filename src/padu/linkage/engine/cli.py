"""``padu linkage files LEFT RIGHT --out OUT.csv`` without Django: :func:`files_main`.

Reads two CSV/XLSX files, links LEFT (a beneficiary list) to RIGHT (the registry or another list)
and writes one row per accepted pair: ``left_row``, ``right_row`` (the input row ids: spreadsheet row or
CSV line, or the mapped ``record_id`` column), ``probability``, ``decision``, ``stage``, ``evidence``.
``--review`` also writes pairs that need review. Columns are guessed from header names unless
``--map`` / ``--map-right`` say ``role=HEADER`` or ``role=HEADER1+HEADER2`` (joined with a space).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from padu.linkage.engine.io import ROLES, parse_map, read_records
from padu.linkage.engine.link import Thresholds, link
from padu.linkage.engine.model import Model


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="padu linkage files",
        description="Cocokkan dua berkas data orang (CSV/XLSX) / link two files of person records.",
    )
    parser.add_argument("left", help="daftar penerima / beneficiary list (CSV or XLSX)")
    parser.add_argument("right", help="registri atau daftar lain / registry or another list")
    parser.add_argument("--out", required=True, help="CSV keluaran / output CSV")
    parser.add_argument(
        "--map",
        dest="map_left",
        default=None,
        help=f"kolom kiri / left columns: role=COL[+COL],... roles: {', '.join(ROLES)}",
    )
    parser.add_argument("--map-right", default=None, help="kolom kanan / right columns (default: --map)")
    parser.add_argument(
        "--model", default=None, help="model tersimpan / saved model JSON (padu linkage train)"
    )
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument(
        "--lower",
        type=float,
        default=Thresholds.lower,
        help="ambang bawah: peluang baris ada di registri / lower threshold: P(row has a partner)",
    )
    parser.add_argument(
        "--upper",
        type=float,
        default=Thresholds.upper,
        help="ambang atas: peluang calon terbaik orang yang sama / upper threshold: P(best is the partner)",
    )
    parser.add_argument(
        "--review",
        action="store_true",
        help="tulis juga pasangan perlu diperiksa / also write pairs to review",
    )
    parser.add_argument("--region", default="36.73", help="kode kab/kota untuk nama kelurahan / region code")
    return parser


def files_main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 2 bad input)."""
    args = build_parser().parse_args(argv)
    try:
        left_map = parse_map(args.map_left) or None
        right_map = parse_map(args.map_right) if args.map_right else left_map
        left = read_records(args.left, left_map, region=args.region)
        right = read_records(args.right, right_map, region=args.region)
        model = Model.load(args.model) if args.model else None
        thresholds = Thresholds(lower=args.lower, upper=args.upper)
    except (ValueError, OSError) as exc:
        sys.stderr.write(f"padu linkage files: {exc}\n")
        return 2
    if left["record_id"].duplicated().any() or right["record_id"].duplicated().any():
        sys.stderr.write("padu linkage files: record_id ganda / duplicate record_id\n")
        return 2
    result = link(left, right, model=model, thresholds=thresholds, engine=args.engine)
    links = result.links if args.review else result.accepted
    out = links.rename(columns={"left_id": "left_row", "right_id": "right_row"})[
        ["left_row", "right_row", "probability", "decision", "stage", "evidence_text"]
    ].rename(columns={"evidence_text": "evidence"})
    out.to_csv(args.out, index=False)
    c = result.counts
    sys.stdout.write(
        f"{c['left']} baris kiri / left rows, {c['right']} kanan / right; "
        f"{c['auto']} cocok otomatis / auto, {c['review']} perlu diperiksa / review, "
        f"{c['unmatched']} tidak cocok / unmatched; {len(result.findings)} temuan / findings; "
        f"{result.timings['total']:.1f} s -> {args.out}\n"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(files_main())
