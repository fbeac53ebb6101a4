"""Packing validated rows for the trip from the reading process (``padu.ingest.engine.packing``): every
row comes back field by field as it was, whether its family's shared values travelled with it or with
an earlier member."""

from __future__ import annotations

import datetime as dt
import pickle
from collections import Counter
from pathlib import Path

import pytest

from padu.ingest.engine import RowResult
from padu.ingest.engine.packing import Layout, fields, pack, unpack
from padu.synth import generate
from tests.ingest_engine.helpers import DTKS, DTSEN, P3KE, run


def _trip(rows: list[RowResult], layout: Layout, size: int) -> tuple[list[RowResult], Counter[int]]:
    out: list[RowResult] = []
    kinds: Counter[int] = Counter()
    for start in range(0, len(rows), size):
        packed = pickle.loads(pickle.dumps(pack(rows[start : start + size], layout)))
        kinds.update(row[2] for row in packed[3])
        out.extend(unpack(packed))
    return out, kinds


def _family(n: int, kk: str, address: str, members: int) -> list[RowResult]:
    """Rows as the validator makes them: the members' dicts are copies of one family dict."""
    shared = {"kk": kk, "address": address, "desil": 1, "kk_issues": [], "name": None, "nik": None}
    rows = []
    for i in range(members):
        values = shared.copy()
        values.update(name=f"Anggota {n}-{i}", nik=f"3673{n:06d}{i:06d}", nik_issues=[])
        raw = {"KK": kk, "ALAMAT": address, "NAMA": values["name"], "NIK": values["nik"]}
        rows.append(RowResult(10 * n + i, raw, values, [], True, f"kk:{kk}", values["nik"]))
    return rows


def test_members_after_the_first_travel_without_the_shared_values():
    rows = [r for n in range(40) for r in _family(n, f"367301{n:010d}", f"Jl. Damai {n}", 4)]
    back, kinds = _trip(rows, Layout(learn_pairs=3), size=20)
    assert [fields(r) for r in back] == [fields(r) for r in rows]
    # Learnt in the first batch; from the second on, three members of four go as "same family".
    assert kinds[1] >= 3 * (len(rows) - 20) // 4 - 2
    layout_keys = list(rows[0].values)
    shared_keys = {layout_keys[i] for i in _shared_positions(rows)}
    assert shared_keys == {"kk", "address", "desil"}  # the list stays with each row


def _shared_positions(rows: list[RowResult]) -> tuple[int, ...]:
    layout = Layout(learn_pairs=3)
    pack(rows[:20], layout)
    (split,) = layout.fixed.values()
    assert split is not None
    return split[0]


def test_a_member_whose_shared_values_differ_goes_whole():
    rows = [r for n in range(10) for r in _family(n, f"367301{n:010d}", "Jl. A", 3)]
    odd = rows[25]
    odd.values = {**odd.values, "address": "Jl. Lain", "desil": 2}  # same family key, other values
    back, kinds = _trip(rows, Layout(learn_pairs=2), size=12)
    assert [fields(r) for r in back] == [fields(r) for r in rows]
    assert back[25].values["address"] == "Jl. Lain" and back[26].values["address"] == "Jl. A"
    assert kinds[0] > 10  # the first rows of each family and the odd one


def test_rows_come_back_as_their_own_dicts():
    rows = [r for n in range(10) for r in _family(n, f"367301{n:010d}", "Jl. A", 3)]
    back, _kinds = _trip(rows, Layout(learn_pairs=2), size=30)
    back[4].values["address"] = "changed"
    back[4].values["nik_issues"].append({"code": "x"})
    assert back[3].values["address"] == "Jl. A" and back[5].values["address"] == "Jl. A"
    assert back[3].values["nik_issues"] == [] and back[5].values["nik_issues"] == []


@pytest.mark.parametrize("path", [DTSEN, DTKS, P3KE], ids=lambda p: p.name)
def test_fixtures_round_trip(path: Path):
    rows = run(path)
    back, _kinds = _trip(rows, Layout(learn_pairs=2), size=5)
    assert [fields(r) for r in back] == [fields(r) for r in rows]


def test_generated_registry_round_trips_with_families_sent_once(tmp_path: Path):
    generate(tmp_path / "city", persons=3000, seed=11)
    rows = run(tmp_path / "city" / "registry" / "dtsen_registry.csv")
    assert len(rows) == 3000
    back, kinds = _trip(rows, Layout(learn_pairs=20), size=500)
    assert [fields(r) for r in back] == [fields(r) for r in rows]
    assert kinds[1] > len(rows) // 2  # most members travel without their family's values
    assert back[0].values["birth_date"] is None or isinstance(back[0].values["birth_date"], dt.date)
