"""The trained linkage model: Splink settings JSON plus Padu metadata; training and save/load.

Training happens once, offline (``padu`` keeps the model file); routine linking loads it and never
estimates parameters. How parameters are estimated (see docs/linkage.md):

* **u** (how often two *different* people agree at each level): counted in one SQL pass over
  ``u_pairs`` random pairs of registry rows (default 3e5, :func:`.levels.estimate_u`; Splink's own
  random sampling estimates comparison by comparison and on rare levels never stops early, which
  is most of plain Splink's cost). Levels too rare to be seen
  among a million random pairs (exact NIK or KK, NIK one digit apart) get their u from the
  registry's own value frequencies instead: for exact agreement ``sum(n_v * (n_v - 1)) / (N * (N - 1))``
  over the values ``v`` of the column, floored at ``1 / N**2``; for near-agreement levels the
  same floor times the number of near neighbours a value can have.
* **m** (how often the *same* person agrees): priors in :mod:`.comparisons`, refined by
  expectation maximisation on a sample beneficiary list linked against the registry when one is
  given (two passes, blocked on NIK and on birth date + kelurahan, so each field is estimated on
  pairs not selected by it).
* **lambda** (prior match probability) is not stored: :func:`padu.linkage.engine.link` sets it to
  ``0.9 / len(right)`` for each run.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from padu.linkage.engine.comparisons import settings as base_settings
from padu.linkage.engine.levels import estimate_u
from padu.linkage.engine.prepare import connect, prepare

FORMAT = "padu.linkage.model/1"
logger = logging.getLogger(__name__)

# Identifier columns with u taken from value frequencies: comparison -> (column, levels to fill).
_FREQUENCY_U = {"nik": ("nik_cmp", {"nik:exact": 1.0, "nik:one_digit": 150.0, "nik:transposed": 15.0,
                                    "nik:nik15": 1.0, "nik:two_digits": 4000.0}),
                "kk": ("kk", {"kk:exact": 1.0, "kk:one_digit": 150.0})}  # fmt: skip


@dataclass
class Model:
    """A Splink model (``splink``: the settings dict Splink saves) and Padu metadata (``meta``)."""

    splink: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(
            json.dumps({"format": FORMAT, "meta": self.meta, "splink": self.splink}, indent=1),
            encoding="utf-8",
        )

    @classmethod
    def load(cls, path: str | Path) -> Model:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"bukan model Padu / not a Padu linkage model: {path}")
        return cls(splink=data["splink"], meta=data.get("meta", {}))

    def settings_for(self, n_right: int, *, expected_share: float = 0.9) -> dict[str, Any]:
        """The Splink settings for a run against ``n_right`` records."""
        out = json.loads(json.dumps(self.splink))
        out["probability_two_random_records_match"] = min(0.5, expected_share / max(n_right, 1))
        out["link_type"] = "link_only"
        out["retain_intermediate_calculation_columns"] = True
        return out

    def level_labels(self) -> dict[str, dict[int, str]]:
        """comparison output name -> {gamma value: level key}."""
        return level_labels(self.splink)


def level_labels(settings: dict[str, Any]) -> dict[str, dict[int, str]]:
    out: dict[str, dict[int, str]] = {}
    for comparison in settings["comparisons"]:
        levels = comparison["comparison_levels"]
        n = sum(1 for lv in levels if not lv.get("is_null_level"))
        labels: dict[int, str] = {}
        value = n - 1
        for lv in levels:
            label = str(lv.get("label_for_charts", "")).split(":", 1)[-1]
            if lv.get("is_null_level"):
                labels[-1] = "null"
            else:
                labels[value] = label
                value -= 1
        out[comparison["output_column_name"]] = labels
    return out


def prior_model() -> Model:
    """The untrained model: m priors and flat u (only useful for tests and as a start)."""
    return Model(splink=base_settings(), meta={"trained": False})


def _frequency_u(con: Any, table: str, column: str) -> tuple[float, int]:
    n, same = con.execute(
        f"SELECT sum(c), sum(c * (c - 1)) FROM (SELECT count(*) AS c FROM {table} "
        f"WHERE {column} IS NOT NULL GROUP BY {column})"
    ).fetchall()[0]
    n = int(n or 0)
    if n < 2:
        return 1e-9, n
    return max(float(same or 0) / (n * (n - 1)), 1.0 / (n * n)), n


def train(
    registry: Any,
    *,
    sample_left: Any = None,
    u_pairs: float = 3e5,
    seed: int = 1,
    threads: int | None = None,
    cache_dir: Any = None,
    registry_key: str | None = None,
) -> Model:
    """Train on ``registry`` (canonical columns); ``sample_left``: a beneficiary list for EM on m.
    With ``cache_dir`` the cleaned registry is also stored there for routine runs (see :mod:`.cache`)."""
    from splink import DuckDBAPI, Linker, block_on

    from padu.linkage.engine.cache import prepare_cached

    started = time.perf_counter()
    con = connect(threads)
    if cache_dir is not None:
        n_right, _ = prepare_cached(con, registry, "r", cache_dir, registry_key)
    else:
        n_right = prepare(con, registry, "r")
    trained = base_settings()
    u_counts = estimate_u(con, trained, "r", int(u_pairs), seed)
    timings = {"u": time.perf_counter() - started}
    # u of rare identifier levels from value frequencies
    for comparison in trained["comparisons"]:
        spec = _FREQUENCY_U.get(comparison["output_column_name"])
        if spec is None:
            continue
        column, factors = spec
        u_exact, _ = _frequency_u(con, "r", column)
        for level in comparison["comparison_levels"]:
            factor = factors.get(level.get("label_for_charts", ""))
            if factor is not None:
                sampled = level.get("u_probability")
                level["u_probability"] = max(float(sampled or 0.0), u_exact * factor)
    if sample_left is not None:
        t0 = time.perf_counter()
        prepare(con, sample_left, "l")
        em_settings = dict(trained, link_type="link_only")
        em_settings.pop("sql_dialect", None)
        db_api = DuckDBAPI(connection=con)
        em_linker = Linker(
            [
                db_api.register("l", dataset_display_name="left"),
                db_api.register("r", dataset_display_name="right"),
            ],
            em_settings,
            log_level=None,  # leave Splink's logging to the caller: no INFO lines on the CLI
        )
        for rule in (block_on("nik_cmp"), block_on("dob", "region")):
            em_linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        trained = em_linker.misc.save_model_to_json()
        timings["em"] = time.perf_counter() - t0
    trained["link_type"] = "link_only"
    con.close()
    meta = {
        "trained": True,
        "registry_rows": n_right,
        "u_pairs": u_pairs,
        "seed": seed,
        "em": sample_left is not None,
        "u_counts": u_counts,
        "seconds": round(time.perf_counter() - started, 2),
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }
    return Model(splink=trained, meta=meta)
