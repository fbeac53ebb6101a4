"""PostgreSQL: a run is built beside the live findings on two connections and swapped in
(``padu.targeting.partitions``); a failed run leaves the live findings and no debris behind."""

from __future__ import annotations

import pytest
from django.db import connection

from padu.targeting import partitions, services
from padu.targeting.engine import parallel
from padu.targeting.models import Finding, TargetingRun
from tests.targeting.conftest import PERIOD

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitioned findings exist on PostgreSQL only"
)


def _rows(sql: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params or [])
        return list(cur.fetchall())


def _partitions() -> dict[str, str]:
    """{partition name: bound} of the findings table."""
    return dict(
        _rows(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'targeting_finding'::regclass"
        )
    )


def _debris() -> list[str]:
    schemas = [s for (s,) in _rows("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tgw%%'")]
    tables = [
        t
        for (t,) in _rows(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND NOT relispartition "
            "AND relname LIKE 'targeting_finding_r%%'"
        )
    ]
    return schemas + tables


def test_the_table_is_partitioned_by_period_after_migrating(db):
    assert partitions.is_partitioned()
    assert "targeting_finding_default" in _partitions()
    (pk,) = _rows(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'targeting_finding'::regclass AND contype = 'p'"
    )
    assert pk[0] == "PRIMARY KEY (id, period)"


def test_a_run_becomes_the_periods_partition_and_a_rerun_replaces_it(town, analyst):
    first = services.run_targeting(period=PERIOD, actor=analyst)
    own = [name for name, bound in _partitions().items() if bound == f"FOR VALUES IN ('{PERIOD}')"]
    assert len(own) == 1 and own[0].startswith(f"targeting_finding_r{first.pk}_")
    second = services.run_targeting(period=PERIOD, actor=analyst)
    own2 = [name for name, bound in _partitions().items() if bound == f"FOR VALUES IN ('{PERIOD}')"]
    assert len(own2) == 1 and own2[0].startswith(f"targeting_finding_r{second.pk}_")
    assert Finding.objects.filter(period=PERIOD).count() == second.total > 0
    assert set(Finding.objects.values_list("run_id", flat=True)) == {second.pk}
    assert _debris() == []
    # the partition carries the parent's indexes (adopted at the attach, not rebuilt)
    (n,) = _rows("SELECT COUNT(*) FROM pg_indexes WHERE tablename = %s", [own2[0]])
    (parent,) = _rows("SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'targeting_finding'")
    assert n == parent
    # analysed before the swap (the pages' plans need statistics; autovacuum may be off)
    (analysed,) = _rows("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s", [own2[0]])
    assert analysed[0] is not None


def test_orm_rows_of_the_period_in_the_default_partition_give_way_to_the_run(town, analyst):
    stray = Finding.objects.create(
        period=PERIOD, finding_type="inclusion_graduated", category="inclusion", severity="low"
    )
    other = Finding.objects.create(
        period="2024-01", finding_type="inclusion_graduated", category="inclusion", severity="low"
    )
    run = services.run_targeting(period=PERIOD, actor=analyst)
    assert not Finding.objects.filter(pk=stray.pk).exists()
    assert Finding.objects.filter(pk=other.pk).exists()  # another period: untouched
    assert Finding.objects.filter(period=PERIOD).count() == run.total


def test_a_failing_run_keeps_the_live_findings_and_leaves_no_debris(town, analyst, monkeypatch):
    first = services.run_targeting(period=PERIOD, actor=analyst)
    before = sorted(Finding.objects.filter(period=PERIOD).values_list("id", flat=True))
    original = parallel.execute

    def broken(db, *, sql, params=(), step=None):
        if step == "double_family":
            raise RuntimeError("rule broke")
        return original(db, sql=sql, params=params, step=step)

    monkeypatch.setattr(parallel, "execute", broken)
    with pytest.raises(RuntimeError, match="rule broke"):
        services.run_targeting(period=PERIOD, actor=analyst)
    failed = TargetingRun.objects.exclude(pk=first.pk).get()
    assert failed.status == "failed" and "rule broke" in failed.error
    assert sorted(Finding.objects.filter(period=PERIOD).values_list("id", flat=True)) == before
    assert _debris() == []
    assert _rows("SHOW search_path") != [] and "tgw" not in _rows("SHOW search_path")[0][0]


def test_a_failure_in_the_bookkeeping_rolls_the_swap_back(town, analyst, monkeypatch):
    first = services.run_targeting(period=PERIOD, actor=analyst)

    def broken(**_kwargs):
        raise RuntimeError("routing broke")

    monkeypatch.setattr(services.routing, "link_tasks", broken)
    with pytest.raises(RuntimeError):
        services.run_targeting(period=PERIOD, actor=analyst)
    assert set(Finding.objects.filter(period=PERIOD).values_list("run_id", flat=True)) == {first.pk}
    assert _debris() == []


def test_the_next_run_removes_what_a_killed_run_left(town, analyst):
    dead = TargetingRun.objects.create(period=PERIOD, status="failed")
    with connection.cursor() as cur:
        cur.execute(f"CREATE SCHEMA tgw_{dead.pk}_abcdef")
        cur.execute(f"CREATE TABLE targeting_finding_r{dead.pk}_abcdef (LIKE targeting_finding)")
    assert len(_debris()) == 2
    services.run_targeting(period=PERIOD, actor=analyst)
    assert _debris() == []


def test_without_the_create_privilege_the_run_writes_in_place(town, analyst, monkeypatch):
    first = services.run_targeting(period=PERIOD, actor=analyst)
    monkeypatch.setattr(partitions, "is_partitioned", lambda: False)  # as for a user without CREATE
    second = services.run_targeting(period=PERIOD, actor=analyst)
    assert second.status == "done" and second.total == first.total
    assert set(Finding.objects.filter(period=PERIOD).values_list("run_id", flat=True)) == {second.pk}
    own = [name for name, bound in _partitions().items() if bound == f"FOR VALUES IN ('{PERIOD}')"]
    assert len(own) == 1  # the rows went into the period's partition
