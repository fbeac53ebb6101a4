"""The label-free calibration of a run: pi by EM, the record-level posterior, m from the NIK links."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd

from padu.linkage.engine import link
from padu.linkage.engine.comparisons import LEVELS
from padu.linkage.engine.posterior import M_FLOOR_FACTOR, estimate_pi, record_posteriors


def test_it_estimates_the_share_of_rows_with_a_partner_without_labels() -> None:
    rng = np.random.default_rng(5)
    n = 20_000
    has_partner = rng.random(n) < 0.7
    # a row with a partner: its partner's q = BF / N is large; without one only chance candidates
    sums = np.where(has_partner, 2.0 ** rng.uniform(2, 20, n), 2.0 ** rng.uniform(-20, -3, n))
    with_candidates = rng.random(n) < 0.9  # rows with no candidate at all are not in ``sums``
    rows = np.where(has_partner, True, with_candidates)
    assert abs(estimate_pi(sums[rows], n) - 0.7) < 0.02
    assert estimate_pi(np.array([]), 0) > 0  # no rows: the floor, not a division by zero


def test_the_record_posterior_weighs_a_candidate_against_the_others() -> None:
    con = duckdb.connect()
    n = 1_000_000
    lam = 0.9 / n
    prior_weight = math.log2(lam / (1 - lam))
    bf = 2.0**25  # name, birth date and sex agree
    pairs = [
        ("alone", "A", prior_weight + 25),  # the only candidate
        ("twins", "B", prior_weight + 25),  # two registry persons equally close
        ("twins", "C", prior_weight + 25),
        ("weak", "D", prior_weight + 25),  # a far stronger candidate beside it
        ("weak", "E", prior_weight + 40),
    ]
    frame = pd.DataFrame(pairs, columns=["left_id", "right_id", "match_weight"])
    frame["match_probability"] = 1 / (1 + 2.0**-frame.match_weight)
    con.register("frame", frame)
    con.execute("CREATE TABLE scored AS SELECT * FROM frame")
    settings = {"probability_two_random_records_match": lam}
    table, pi = record_posteriors(con, "scored", settings, n_rows=4)  # one row without candidates
    got = {r[0]: r[1:] for r in con.execute(f"SELECT left_id, right_id, posterior FROM {table}").fetchall()}
    q = bf / n
    assert got["alone"][0] == "A"
    assert math.isclose(got["alone"][1], pi * q / ((1 - pi) + pi * q), rel_tol=1e-6)
    assert got["alone"][1] > 1 / (1 + 2.0**-prior_weight * 2.0**-25)  # above the pairwise one
    assert got["twins"][1] < 0.5
    assert got["weak"][0] == "E" and got["weak"][1] > 0.999


def _registry(n_persons: int) -> pd.DataFrame:
    rows = []
    for i in range(n_persons):
        day, month, year = i % 28 + 1, i % 9 + 1, 80 + i % 20
        rows.append(
            {
                "record_id": f"R{i}",
                "name": f"PERSON {chr(65 + i % 26)}{chr(65 + i // 26 % 26)} NUMBER{i}",
                "id_number": f"367301{day:02d}{month:02d}{year:02d}{i + 1:04d}",  # region, date, serial
                "birth_date": f"19{year}-{month:02d}-{day:02d}",
                "sex": "L" if i % 2 else "P",
                "address": f"JALAN {i % 50}",
                "rt": str(i % 7 + 1),
                "rw": str(i % 5 + 1),
                "region_code": f"36.73.0{i % 3 + 1}.100{i % 4 + 1}",
            }
        )
    return pd.DataFrame(rows)


def test_m_is_counted_on_the_lists_own_nik_links_and_floored() -> None:
    registry = _registry(400)
    left = registry.head(300).copy()
    left["record_id"] = [f"L{i}" for i in range(len(left))]
    # every second recipient moved to another kecamatan and street since the registry was written
    moved = left.index % 2 == 0
    left.loc[moved, "region_code"] = left.loc[moved, "region_code"].str.replace("36.73.0", "36.73.9")
    left.loc[moved, "address"] = "GANG BARU"
    no_nik = registry.iloc[300:320].assign(id_number=None, record_id=lambda d: "X" + d.record_id)
    left = pd.concat([left, no_nik], ignore_index=True)  # stage 2 has rows to score
    result = link(left, registry)
    assert result.counts["nik_links"] == 300
    m = result.calibration["m"]
    prior = dict(LEVELS["region"])
    assert m["region:else"] > 0.3 > prior["else"]  # half moved: counted, smoothed towards the prior
    assert m["birth_date:exact"] > dict(LEVELS["birth_date"])["exact"]
    # no level falls below its prior / M_FLOOR_FACTOR (then renormalised), so nothing becomes a veto
    assert m["birth_date:else"] >= 0.9 * dict(LEVELS["birth_date"])["else"] / M_FLOOR_FACTOR
    assert math.isclose(sum(v for k, v in m.items() if k.startswith("region:")), 1.0, rel_tol=1e-6)
    untouched = link(left, registry, calibrate=False)
    assert "m" not in untouched.calibration
