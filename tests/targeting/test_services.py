"""Targeting service on a hand-made town: mapping of links, the stored run and findings, audit."""

from __future__ import annotations

import pytest
from django.db import transaction

from padu.core.models import AuditLog
from padu.targeting import services
from padu.targeting.models import Finding, TargetingRun
from tests.conftest import KEL_B1
from tests.targeting.conftest import PERIOD


def _types(entry) -> set[str]:
    return set(Finding.objects.filter(roll_entry=entry).values_list("finding_type", flat=True))


def test_it_maps_links_onto_matched_unregistered_and_left_out(town, analyst):
    run = services.run_targeting(period=PERIOD, actor=analyst)
    e = town["entries"]
    assert _types(e["ok"]) == set()
    assert _types(e["rich"]) == {"inclusion_graduated"}
    assert _types(e["unmatched"]) == {"inclusion_unregistered"}
    assert _types(e["review"]) == set()  # waiting for a reviewer: neither matched nor unregistered
    assert _types(e["dead"]) == {"inclusion_deceased"}
    assert run.inputs["links"] == {"auto": 4, "accepted": 1, "unmatched": 1, "review": 1}
    assert run.inputs["entries"] == 6


def test_it_finds_the_missed_eligible_family_with_rupiah(town, analyst):
    services.run_targeting(period=PERIOD, actor=analyst)
    missed = Finding.objects.get(finding_type="exclusion_programme", family=town["families"]["missed"],
                                 programme=town["programmes"]["blt"])  # fmt: skip
    assert (missed.rupiah_month, missed.rupiah_year) == (300_000, 3_600_000)
    assert missed.severity == "high" and missed.kelurahan_id == KEL_B1
    lansia = Finding.objects.get(finding_type="exclusion_programme", programme=town["programmes"]["lansia"])
    assert lansia.person_id == town["persons"]["missed"].pk


def test_it_stores_the_run_with_counts_rupiah_and_audit(town, analyst):
    run = services.run_targeting(period=PERIOD, actor=analyst)
    assert run.status == "done" and run.actor == analyst
    assert run.total == Finding.objects.filter(run=run).count() == Finding.objects.count()
    assert run.counts["inclusion_graduated"] == 1
    assert run.total_rupiah_year == sum(Finding.objects.values_list("rupiah_year", flat=True))
    assert "staging.django" in run.timings
    entry = AuditLog.objects.filter(object_type="targeting.targetingrun", object_id=str(run.pk)).get()
    assert entry.actor == analyst and entry.detail["period"] == PERIOD


def test_it_is_idempotent_per_period(town, analyst):
    first = services.run_targeting(period=PERIOD, actor=analyst)
    second = services.run_targeting(period=PERIOD, actor=None)
    assert second.total == first.total
    assert Finding.objects.count() == first.total
    assert set(Finding.objects.values_list("run_id", flat=True)) == {second.pk}
    assert TargetingRun.objects.count() == 2


def test_it_refuses_to_run_inside_a_transaction(town, analyst):
    with pytest.raises(services.TargetingError), transaction.atomic():
        services.run_targeting(period=PERIOD, actor=analyst)


def test_it_refuses_other_roles_and_bad_periods(town, opd_operator, analyst):
    with pytest.raises(services.TargetingError):
        services.run_targeting(period=PERIOD, actor=opd_operator)
    with pytest.raises(services.TargetingError):
        services.run_targeting(period="Juni 2025", actor=analyst)
    assert not TargetingRun.objects.exists()


def test_it_runs_from_the_task_queue(town, analyst):
    from padu.targeting import tasks

    run = tasks.enqueue(user=analyst, period=PERIOD)
    run.refresh_from_db()
    assert run.status == "done" and run.task_id and run.total > 0


def test_it_runs_from_the_command_line(town, capsys):
    from padu.cli import main

    assert main(["targeting", "run", "--period", PERIOD]) == 0
    out = capsys.readouterr().out
    assert "inclusion_graduated" in out and TargetingRun.objects.get().actor is None


def test_it_keeps_the_package_matrix_of_priority_families(town, analyst):
    run = services.run_targeting(period=PERIOD, actor=analyst)
    by_kel = {row["kelurahan_code"]: row for row in run.packages}
    assert by_kel[KEL_B1]["families"] == 2 and by_kel[KEL_B1]["nothing"] == 1


def test_every_finding_carries_its_run_and_the_run_its_staged_counts(town, analyst):
    run = services.run_targeting(period=PERIOD, actor=analyst)
    assert Finding.objects.filter(period=PERIOD).count() == run.total > 0
    assert not Finding.objects.filter(period=PERIOD).exclude(run=run).exists()
    assert run.inputs["persons"] > 0 and run.inputs["families"] > 0


def test_a_failure_after_the_engine_marks_the_run_failed_not_running(town, analyst, monkeypatch):
    def broken(**_kwargs):
        raise RuntimeError("routing broke")

    monkeypatch.setattr(services.routing, "link_tasks", broken)
    with pytest.raises(RuntimeError):
        services.run_targeting(period=PERIOD, actor=analyst)
    run = TargetingRun.objects.get(period=PERIOD)
    assert run.status == "failed" and "routing broke" in run.error
    monkeypatch.undo()
    assert services.run_targeting(period=PERIOD, actor=analyst).status == "done"  # not "already under way"


def test_an_amount_written_on_the_list_values_the_finding(town, analyst):
    rich, dead = town["entries"]["rich"], town["entries"]["dead"]
    rich.benefit_rp = 450_000  # BLT is monthly: Rp450,000 a month on this row instead of Rp300,000
    rich.save(update_fields=["benefit_rp"])
    services.run_targeting(period=PERIOD, actor=analyst)
    found = Finding.objects.get(roll_entry=rich, finding_type="inclusion_graduated")
    assert (found.rupiah_month, found.rupiah_year) == (450_000, 5_400_000)
    deceased = Finding.objects.get(roll_entry=dead, finding_type="inclusion_deceased")
    assert (deceased.rupiah_month, deceased.rupiah_year) == (200_000, 2_400_000)  # the programme's


def test_a_failure_in_the_bookkeeping_keeps_the_previous_findings(town, analyst, monkeypatch):
    """SQLite and PostgreSQL alike: the findings are written with the run's bookkeeping, or not at all."""
    first = services.run_targeting(period=PERIOD, actor=analyst)
    before = sorted(
        Finding.objects.filter(period=PERIOD).values_list("run_id", "finding_type", "roll_entry_id")
    )

    def broken(**_kwargs):
        raise RuntimeError("aggregates broke")

    monkeypatch.setattr(services, "aggregate", broken)
    with pytest.raises(RuntimeError, match="aggregates broke"):
        services.run_targeting(period=PERIOD, actor=analyst)
    after = sorted(
        Finding.objects.filter(period=PERIOD).values_list("run_id", "finding_type", "roll_entry_id")
    )
    assert after == before and {r[0] for r in after} == {first.pk}
    assert TargetingRun.objects.filter(status="failed").count() == 1
