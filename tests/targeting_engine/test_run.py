"""Runs: rupiah arithmetic, idempotence, periods, validation, aggregations, the package matrix."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import pytest

from padu.targeting.engine import (
    AGGREGATIONS,
    FINDING_TYPES,
    TargetingSchema,
    aggregate,
    package_matrix,
    reference_date_for,
    run_targeting,
    rupiah,
)
from padu.targeting.engine.schema import quote_name
from tests.targeting_engine.helpers import World


@pytest.mark.parametrize(
    ("value", "frequency", "per_year", "month", "year"),
    [
        (300_000, "monthly", None, 300_000, 3_600_000),
        (2_400_000, "annual", None, 200_000, 2_400_000),
        (20_000_000, "once", None, 1_666_667, 20_000_000),  # a twelfth, rounded half up
        (15_000, "daily", 90, 112_500, 1_350_000),  # PMT: 90 feeding days
        (750_000, "quarterly", None, 250_000, 3_000_000),
        (42_000, "monthly", None, 42_000, 504_000),
    ],
)
def test_it_values_a_benefit_per_month_and_year(
    value: int, frequency: str, per_year: int | None, month: int, year: int
) -> None:
    assert rupiah(value, frequency, per_year) == (month, year)


def test_it_writes_the_same_rupiah_in_sql(world: World) -> None:
    cases = [
        (300_000, "monthly", None),
        (20_000_000, "once", None),
        (15_000, "daily", 90),
        (2_400_000, "annual", None),
    ]
    fam = world.family(1, desil=9)
    world.person(1, fam)
    for i, (value, frequency, per_year) in enumerate(cases, start=1):
        world.programme(i, f"p{i}", value=value, frequency=frequency, per_year=per_year)
        world.entry(i, person=1)
    result = world.run()
    found = {
        f["programme_id"]: (f["rupiah_month"], f["rupiah_year"])
        for f in world.findings()
        if f["finding_type"] == "inclusion_graduated"
    }
    assert found == {i: rupiah(*case) for i, case in enumerate(cases, start=1)}
    assert result.rupiah_year["inclusion_graduated"] == sum(y for _, y in found.values())


def test_it_is_idempotent_per_period(world: World) -> None:
    prog = world.programme(1, "bpnt", max_desil=2)
    world.person(1, world.family(1, desil=9))
    world.entry(prog, person=1)
    world.entry(prog, person=1, period="2025-05")
    first = world.run()
    may = world.run("2025-05")
    second = world.run()
    assert first.counts == second.counts
    assert first.counts["inclusion_graduated"] == 1
    assert len(world.findings()) == first.total
    assert len(world.findings(period="2025-05")) == may.total == 1  # the other period is left alone


def test_it_reports_counts_and_timings(world: World) -> None:
    world.programme(1, "bpnt")
    result = world.run()
    assert set(result.counts) == set(FINDING_TYPES)
    assert result.reference_date == dt.date(2025, 6, 30)
    assert {"staging.persons", "staging.entries", "inclusion_graduated"} <= set(result.timings)
    assert result.dialect in ("sqlite", "postgresql")


def test_it_refuses_programme_rules_it_cannot_read(world: World) -> None:
    world.programme(1, "x", frequency="fortnightly")
    world.programme(2, "y", categories="orphan", statuses="aktif, mampu")
    with pytest.raises(ValueError, match="fortnightly") as err:
        world.run()
    assert "'orphan'" in str(err.value) and "' mampu'" in str(err.value)


def test_it_takes_the_reference_date_from_the_period() -> None:
    assert reference_date_for("2024-02") == dt.date(2024, 2, 29)
    assert reference_date_for("2025") == dt.date(2025, 12, 31)
    assert reference_date_for("2025-06-17") == dt.date(2025, 6, 17)
    with pytest.raises(ValueError, match="reference_date"):
        reference_date_for("tahap-2")


def test_it_refuses_unsafe_names_and_unknown_connections() -> None:
    with pytest.raises(ValueError):
        quote_name('x"; DROP TABLE y; --')
    with pytest.raises(ValueError):
        quote_name("a.b.c")
    with pytest.raises(TypeError, match="sqlite3 or psycopg"):
        run_targeting(object(), TargetingSchema(), "2025-06")


def test_it_aggregates_findings(world: World) -> None:
    a = world.programme(1, "bpnt", max_desil=2, opd="dinsos", value=200_000)
    b = world.programme(
        2,
        "umkm",
        max_desil=2,
        opd="disperindag",
        strategy="peningkatan_pendapatan",
        value=1_200_000,
        frequency="once",
    )
    world.person(1, world.family(1, desil=7, kel="36.73.01.1001"))
    world.person(2, world.family(2, desil=8, kel="36.73.02.1003"))
    world.entry(a, person=1)
    world.entry(a, person=2)
    world.entry(b, person=2)
    world.run()
    rows = aggregate(world.conn, world.schema, "2025-06", by="programme")
    graduated = {
        r["key"]: (r["findings"], r["rupiah_month"])
        for r in rows
        if r["finding_type"] == "inclusion_graduated"
    }
    assert graduated == {"bpnt": (2, 400_000), "umkm": (1, 100_000)}
    by_kec = aggregate(world.conn, world.schema, "2025-06", by="kecamatan")
    assert {r["key"] for r in by_kec if r["finding_type"] == "inclusion_graduated"} == {
        "36.73.01",
        "36.73.02",
    }
    for by in AGGREGATIONS:
        assert aggregate(world.conn, world.schema, "2025-06", by=by)
    with pytest.raises(ValueError):
        aggregate(world.conn, world.schema, "2025-06", by="nik")


def test_it_builds_the_package_matrix(world: World) -> None:
    food = world.programme(1, "bpnt", unit="family")
    work = world.programme(2, "umkm", strategy="peningkatan_pendapatan", max_desil=6)
    world.programme(3, "rtlh", unit="family", strategy="kantong_kemiskinan")
    full = world.family(1, desil=1)
    part = world.family(2, desil=2)
    none = world.family(3, desil=3, extreme_poor=True)
    world.family(4, desil=5)  # not a priority family
    other_kel = world.family(5, desil=1, kel="36.73.02.1001")
    for pid, fam in ((1, full), (2, part), (3, none), (4, 4), (5, other_kel)):
        world.person(pid, fam)
    world.entry(food, person=1, family=full)
    world.entry(work, person=1)
    world.entry(3, person=1, family=full)
    world.entry(food, person=2, family=part)
    world.conn.commit()
    matrix = package_matrix(world.conn, world.schema, "2025-06")
    assert matrix == [
        {
            "kelurahan_code": "36.73.01.1001",
            "families": 3,
            "full": 1,
            "part": 1,
            "nothing": 1,
            "strategies": {"kantong_kemiskinan": 1, "peningkatan_pendapatan": 1, "pengurangan_beban": 2},
        },
        {
            "kelurahan_code": "36.73.02.1001",
            "families": 1,
            "full": 0,
            "part": 0,
            "nothing": 1,
            "strategies": {"kantong_kemiskinan": 0, "peningkatan_pendapatan": 0, "pengurangan_beban": 0},
        },
    ]
    # The run computes the same matrix from its staged tables (what the service stores).
    assert run_targeting(world.conn, world.schema, "2025-06", packages=True).packages == matrix
    assert run_targeting(world.conn, world.schema, "2025-06").packages is None


def test_it_imports_without_django() -> None:
    code = (
        "import sys, padu.targeting, padu.targeting.engine, padu.targeting.engine.synthload; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_on_sqlite_other_connections_write_while_the_rules_run(tmp_path, monkeypatch) -> None:
    import sqlite3

    from padu.targeting.engine.dialect import Db

    path = tmp_path / "city.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    world = World(conn)
    programme = world.programme(1, "bpnt", max_desil=4)
    world.person(11, world.family(1, desil=8))
    world.entry(programme, person=11)
    world.run()  # the period has findings the next run replaces
    other = sqlite3.connect(path, timeout=0, isolation_level=None)  # no waiting for a lock
    other.execute("CREATE TABLE other_work (x INTEGER)")
    wrote: list[str] = []
    real = Db.execute

    def spy(self: Db, sql: str, params: Any = (), *, step: str | None = None) -> int:
        if step == "staging.families" and not wrote:  # persons staged, entries not yet
            other.execute(  # a new list row meanwhile: not in this run's snapshot
                "INSERT INTO tg_roll_entry (id, programme_id, period, row_number, person_id, link_status)"
                " VALUES (99, 1, '2025-06', 99, 11, 'matched')"
            )
            wrote.append(step)
        if step == "double_family":  # a rule, halfway through the run
            other.execute("INSERT INTO other_work VALUES (1)")  # "database is locked" if the run held it
            wrote.append(step)
        return real(self, sql, params, step=step)

    monkeypatch.setattr(Db, "execute", spy)
    result = world.run()
    assert wrote == ["staging.families", "double_family"] and result.counts["inclusion_graduated"] == 1
    assert result.staged["entries"] == 1 and result.counts["double_in_programme"] == 0  # one snapshot
    assert len(world.findings("inclusion_graduated")) == 1  # replaced, not doubled
    assert conn.execute("SELECT name FROM sqlite_temp_master").fetchall() == []  # nothing left
    other.close()
    conn.close()


def test_on_sqlite_the_caller_may_write_the_findings_in_its_own_transaction(world: World) -> None:
    import sqlite3

    from padu.targeting.engine import discard_findings, write_findings

    if not isinstance(world.conn, sqlite3.Connection):
        with pytest.raises(ValueError, match="SQLite"):
            world.run(write=False)
        return
    programme = world.programme(1, "bpnt", max_desil=4)
    world.person(11, world.family(1, desil=8))
    world.entry(programme, person=11)
    world.run()
    before = world.findings()
    world.db.execute("UPDATE tg_family SET desil = 2")  # no longer graduated
    world.conn.commit()
    result = world.run(write=False)
    assert result.counts["inclusion_graduated"] == 0 and world.findings() == before  # nothing written yet
    world.conn.execute("BEGIN")
    write_findings(world.conn, "tg_finding", "2025-06")
    world.conn.commit()
    assert world.findings("inclusion_graduated") == [] and len(before) == 1
    discard_findings(world.conn)  # nothing left to drop: no error
    assert world.conn.execute("SELECT name FROM sqlite_temp_master").fetchall() == []
