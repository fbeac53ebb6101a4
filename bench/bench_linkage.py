"""Benchmark of padu.linkage.engine against ground truth from padu.synth, beside plain Splink 5.

    .venv/bin/python bench/bench_linkage.py --data var/bench_linkage --scales 250000:0 \
        --scales 100000:10000 --scales 1000000:100000 --plain

``--scales PERSONS:LEFT`` generates (or reuses, under ``--data``) a city of PERSONS and links LEFT rows
sampled from its CSV lists (0: every list, all twelve) to the registry. For each scale:
train once (offline), then link with the saved model in a fresh process (wall time and peak RSS of
that process, data loading included): first "cold" (the registry is cleaned and the cleaned table
cached under the city's ``cache/``), then "routine" (a fresh process that finds the cache and cleans
only the list); ``--no-cache`` runs once without the cache. ``--noise hard`` uses a city made with
``padu generate --noise hard`` (under ``--data``/hard/). ``--plain`` also runs a plain Splink 5
set-up on the same data: standard comparisons on upper-cased raw columns, u by Splink's random sampling
(``--plain-u-pairs``), EM, predict, best link per left row.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

CSV_LISTS = {"pbi_jk", "bpnt", "beasiswa_kota", "umkm", "lansia"}


def ensure_city(root: Path, persons: int, seed: int, noise: str = "default") -> Path:
    out = (root if noise == "default" else root / noise) / f"city_{persons}_{seed}"
    if not (out / "manifest.json").exists():
        from padu.synth import NOISE_PROFILES, generate

        generate(out, persons=persons, seed=seed, rates=NOISE_PROFILES[noise])
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


def run_link(
    reg: Path,
    left: Path,
    model: Path,
    engine: str = "duckdb",
    cache: str = "",
    mode: str = "plain",
    version: str = "",
) -> dict[str, object]:
    """In this (fresh) process: load, link with the saved model, report time, CPU time and peak RSS.

    ``mode``: "plain" (no cache), "cold" (registry loaded, cleaned and cached under ``cache`` by its
    content key), "routine" (the caller kept that key as the registry's version, ``version``: the
    cached cleaned registry is used and the raw registry is not loaded) or "digest" (the registry is
    loaded again and recognised by its content)."""
    from padu.linkage.engine import Model, link
    from padu.linkage.engine.cache import lookup

    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    right: object
    if mode == "routine":
        right = lookup(cache, version)
        if right is None:
            raise SystemExit(f"no cached registry {version} under {cache}: run cold first")
    else:
        right = pd.read_parquet(reg)
    left_df = pd.read_parquet(left)
    load = time.perf_counter() - t0
    result = link(
        left_df,
        right,
        model=Model.load(model),
        engine=engine,
        keep_candidates=True,
        cache_dir=cache if mode in {"cold", "digest"} else None,
    )
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    result.links[["left_id", "right_id", "decision"]].to_parquet(left.with_suffix(".links.parquet"))
    assert result.candidates is not None  # keep_candidates=True
    result.candidates[["left_id", "right_id"]].to_parquet(left.with_suffix(".cand.parquet"))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "load_s": load,
        "link_s": result.timings["total"],
        "timings": result.timings,
        "counts": result.counts,
        "peak_rss_mb": rss,
        "cpu_s": (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime),
        "calibration": {k: v for k, v in result.calibration.items() if k != "m"},
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
    parser.add_argument("--noise", default="default", choices=["default", "hard"])
    parser.add_argument(
        "--no-cache", action="store_true", help="link without the cleaned-registry cache (one run)"
    )
    parser.add_argument(
        "--digest", action="store_true", help="also a routine run that loads the registry and digests it"
    )
    parser.add_argument("--child", nargs=7, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        reg, left, model, engine, cache, mode, version = args.child
        print(json.dumps(run_link(Path(reg), Path(left), Path(model), engine, cache, mode, version)))
        return 0
    from padu.linkage.engine import evaluate, train
    from padu.linkage.engine.cache import key_of

    root = Path(args.data)
    root.mkdir(parents=True, exist_ok=True)
    rows = []
    for scale in args.scales or ["250000:0"]:
        persons, n_left = (int(x) for x in scale.split(":"))
        city = ensure_city(root, persons, args.seed, args.noise)
        reg, left, truth_path = build_inputs(city, n_left, args.seed)
        truth = json.loads(truth_path.read_text())
        model_path = city / "model.json"
        registry = pd.read_parquet(reg)
        t = time.perf_counter()
        model = train(registry, seed=args.seed)
        train_s = time.perf_counter() - t
        version = key_of(registry)  # what a caller keeps as the registry's version
        del registry
        model.save(model_path)
        cache = city / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        # cold: the first run after the registry changed (cleans it and writes the cache);
        # routine: a later list against the same registry version (cleans only the list);
        # digest: like routine, but the caller has no version: the registry is loaded and recognised
        runs = (
            [("padu, no cache", "plain")]
            if args.no_cache
            else [("padu cold", "cold"), ("padu routine", "routine")]
        )
        if args.digest and not args.no_cache:
            runs.append(("padu routine (digest)", "digest"))
        for setup, mode in runs:
            print(f"# load average before {setup}: {_loadavg()}", flush=True)
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    str(reg),
                    str(left),
                    str(model_path),
                    args.engine,
                    str(cache),
                    mode,
                    version,
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            print(f"# load average after {setup}: {_loadavg()}", flush=True)
            stats = json.loads(proc.stdout.strip().splitlines()[-1])
            links = pd.read_parquet(left.with_suffix(".links.parquet"))
            cand = pd.read_parquet(left.with_suffix(".cand.parquet"))
            n = int(stats["counts"]["left"])
            score = evaluate(links, truth, n_left=n, candidates=cand)
            rows.append(
                {
                    "setup": setup,
                    "noise": args.noise,
                    "persons": persons,
                    "left": n,
                    "train_s": round(train_s, 1),
                    "link_s": round(stats["link_s"], 1),
                    "cpu_s": round(stats["cpu_s"], 1),
                    "load_s": round(stats["load_s"], 1),
                    "rss_mb": round(stats["peak_rss_mb"]),
                    "pairs": stats["counts"]["pairs_compared"],
                    "f1": round(score["f1"], 4),
                    "precision": round(score["precision"], 4),
                    "recall": round(score["recall"], 4),
                    "review": round(score["review_share"], 4),
                    "blocking_recall": round(score["blocking_recall"], 4),
                    # label-free (engine.posterior): share of stage-2 rows with a partner; expected
                    # false stage-2 auto links from the posteriors, beside the measured false ones
                    "pi": stats["calibration"].get("pi"),
                    "exp_fp": stats["calibration"].get("expected_false_auto"),
                    "fp": score["false_positives"],
                }
            )
            timings = {k: round(v, 2) for k, v in stats["timings"].items()}
            print(json.dumps({"scale": scale, "setup": setup, "timings": timings, "counts": stats["counts"]}))
        if args.plain:
            cpu0 = resource.getrusage(resource.RUSAGE_SELF)
            best, t_plain = plain_splink(reg, left, args.plain_u_pairs)
            cpu1 = resource.getrusage(resource.RUSAGE_SELF)
            score = evaluate(best, truth, n_left=n)
            rows.append(
                {
                    "setup": "plain splink",
                    "noise": args.noise,
                    "persons": persons,
                    "left": n,
                    "train_s": round(t_plain["u_s"], 1),
                    "link_s": round(t_plain["total_s"], 1),
                    "cpu_s": round(cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime, 1),
                    "load_s": None,
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


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
