"""Benchmark of padu.linkage.engine against ground truth from padu.synth, beside plain Splink 5.

    .venv/bin/python bench/bench_linkage.py --data var/bench_linkage --scales 250000:0 \
        --scales 100000:10000 --scales 1000000:100000 --plain

``--scales PERSONS:LEFT`` generates (or reuses, under ``--data``) a city of PERSONS and links LEFT rows
sampled from its CSV lists (0: every list, all twelve) to the registry. For each scale:
train once (offline), then link with the saved model in a fresh process (wall time and peak RSS of
that process, data loading included); ``--plain`` also runs a plain Splink 5 set-up on the same
data: standard comparisons on upper-cased raw columns, u by Splink's random sampling
(``--plain-u-pairs``), EM, predict, best link per left row.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

CSV_LISTS = {"pbi_jk", "bpnt", "beasiswa_kota", "umkm", "lansia"}


def ensure_city(root: Path, persons: int, seed: int) -> Path:
    out = root / f"city_{persons}_{seed}"
    if not (out / "manifest.json").exists():
        from padu.synth import generate

        generate(out, persons=persons, seed=seed)
    return out


def build_inputs(city: Path, n_left: int, seed: int) -> tuple[Path, Path, Path]:
    """Registry/left parquet and truth JSON next to the city (cached)."""
    tag = f"left{n_left}_{seed}"
    reg, left, truth = city / "registry.parquet", city / f"{tag}.parquet", city / f"{tag}.truth.json"
    if not (reg.exists() and left.exists() and truth.exists()):
        from padu.linkage.engine import load_synth

        data = load_synth(city, programmes=None if n_left == 0 else CSV_LISTS)
        lists = data.lists
        if n_left and len(lists) > n_left:
            lists = lists.sample(n=n_left, random_state=seed)
        data.registry.to_parquet(reg, index=False)
        lists.drop(columns=["programme"]).to_parquet(left, index=False)
        ids = set(lists["record_id"])
        truth.write_text(json.dumps({k: v for k, v in data.truth.items() if k in ids}))
    return reg, left, truth


def run_link(reg: Path, left: Path, model: Path, engine: str = "duckdb") -> dict[str, object]:
    """In this (fresh) process: load, link with the saved model, report time and peak RSS."""
    from padu.linkage.engine import Model, link

    t0 = time.perf_counter()
    right_df, left_df = pd.read_parquet(reg), pd.read_parquet(left)
    load = time.perf_counter() - t0
    result = link(left_df, right_df, model=Model.load(model), engine=engine, keep_candidates=True)
    result.links[["left_id", "right_id", "decision"]].to_parquet(left.with_suffix(".links.parquet"))
    result.candidates[["left_id", "right_id"]].to_parquet(left.with_suffix(".cand.parquet"))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "load_s": load,
        "link_s": result.timings["total"],
        "timings": result.timings,
        "counts": result.counts,
        "peak_rss_mb": rss,
    }


def plain_splink(reg: Path, left: Path, u_pairs: float) -> tuple[pd.DataFrame, dict[str, float]]:
    """A plain Splink 5 set-up: standard comparisons, trained from scratch, best link per left row."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    t0 = time.perf_counter()
    frames = []
    for path in (left, reg):
        df = pd.read_parquet(path)
        for col in ("name", "mother_name", "address"):
            df[col] = df[col].str.upper()
        df["birth_date"] = pd.to_datetime(df["birth_date"], errors="coerce").dt.strftime("%Y-%m-%d")
        frames.append(df)
    settings = SettingsCreator(
        link_type="link_only", unique_id_column_name="record_id",
        comparisons=[cl.JaroWinklerAtThresholds("name"),
                     cl.DateOfBirthComparison("birth_date", input_is_string=True),
                     cl.ExactMatch("sex"), cl.LevenshteinAtThresholds("id_number", [1, 2]),
                     cl.ExactMatch("kk"), cl.ExactMatch("region_code"), cl.ExactMatch("rw"),
                     cl.JaroWinklerAtThresholds("address"), cl.JaroWinklerAtThresholds("mother_name")],
        blocking_rules_to_generate_predictions=[block_on("id_number"), block_on("birth_date", "region_code"),
                                                block_on("name"), block_on("kk")],
    )  # fmt: skip
    api = DuckDBAPI()
    linker = Linker(
        [
            api.register(frames[0], dataset_display_name="list_a"),
            api.register(frames[1], dataset_display_name="registry_b"),
        ],
        settings,
    )
    t_u = time.perf_counter()
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=1)
    u_s = time.perf_counter() - t_u
    for rule in (block_on("id_number"), block_on("birth_date", "region_code")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    pred = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    best = pred.sort_values("match_weight", ascending=False).drop_duplicates("record_id_l")
    best = best.rename(columns={"record_id_l": "left_id", "record_id_r": "right_id"})
    best["decision"] = (best["match_probability"] >= 0.999).map({True: "auto", False: "review"})
    return best, {"total_s": time.perf_counter() - t0, "u_s": u_s}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="var/bench_linkage")
    parser.add_argument("--scales", action="append", default=None, help="PERSONS:LEFT (LEFT 0 = all lists)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plain", action="store_true")
    parser.add_argument("--plain-u-pairs", type=float, default=1e6)
    parser.add_argument("--engine", default="duckdb")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(
            json.dumps(run_link(Path(args.child[0]), Path(args.child[1]), Path(args.child[2]), args.child[3]))
        )
        return 0
    from padu.linkage.engine import evaluate, train

    root = Path(args.data)
    root.mkdir(parents=True, exist_ok=True)
    rows = []
    for scale in args.scales or ["250000:0"]:
        persons, n_left = (int(x) for x in scale.split(":"))
        city = ensure_city(root, persons, args.seed)
        reg, left, truth_path = build_inputs(city, n_left, args.seed)
        truth = json.loads(truth_path.read_text())
        model_path = city / "model.json"
        t = time.perf_counter()
        model = train(pd.read_parquet(reg), seed=args.seed)
        train_s = time.perf_counter() - t
        model.save(model_path)
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(reg), str(left), str(model_path), args.engine],
            check=True,
            capture_output=True,
            text=True,
        )
        stats = json.loads(proc.stdout.strip().splitlines()[-1])
        links = pd.read_parquet(left.with_suffix(".links.parquet"))
        cand = pd.read_parquet(left.with_suffix(".cand.parquet"))
        n = int(stats["counts"]["left"])
        score = evaluate(links, truth, n_left=n, candidates=cand)
        rows.append(
            {
                "setup": "padu",
                "persons": persons,
                "left": n,
                "train_s": round(train_s, 1),
                "link_s": round(stats["link_s"], 1),
                "rss_mb": round(stats["peak_rss_mb"]),
                "pairs": stats["counts"]["pairs_compared"],
                "f1": round(score["f1"], 4),
                "precision": round(score["precision"], 4),
                "recall": round(score["recall"], 4),
                "review": round(score["review_share"], 4),
                "blocking_recall": round(score["blocking_recall"], 4),
            }
        )
        print(json.dumps({"scale": scale, "timings": stats["timings"], "counts": stats["counts"]}))
        if args.plain:
            best, t_plain = plain_splink(reg, left, args.plain_u_pairs)
            score = evaluate(best, truth, n_left=n)
            rows.append(
                {
                    "setup": "plain splink",
                    "persons": persons,
                    "left": n,
                    "train_s": round(t_plain["u_s"], 1),
                    "link_s": round(t_plain["total_s"], 1),
                    "rss_mb": None,
                    "pairs": None,
                    "f1": round(score["f1"], 4),
                    "precision": round(score["precision"], 4),
                    "recall": round(score["recall"], 4),
                    "review": round(score["review_share"], 4),
                    "blocking_recall": None,
                }
            )
        print(pd.DataFrame(rows).to_string(index=False), flush=True)
    print(pd.DataFrame(rows).to_markdown(index=False) if _has_tabulate() else pd.DataFrame(rows).to_string())
    return 0


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
