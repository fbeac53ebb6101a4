"""Targeting runs: stage Padu's data as the engine's contract, run the engine, keep the findings.

The engine (:func:`padu.targeting.engine.run_targeting`) works on Django's connection outside any
transaction of Django's (on SQLite it writes temporary tables only and the findings are written with
the run's bookkeeping in one transaction at the end), so :func:`run_targeting` must not be called
inside ``atomic()``. A failed run leaves the period's earlier findings as they were.

On PostgreSQL (findings partitioned by period) the run is built beside the live findings on two
connections at once and swapped in at the end (:mod:`padu.targeting.partitions`); the run's bookkeeping
is in the swap's transaction, so the new findings and the finished run appear together.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from padu.accounts.models import Role
from padu.accounts.scope import effective_role
from padu.core import audit
from padu.core.models import AuditAction
from padu.targeting import engine, mapping, partitions, routing
from padu.targeting.choices import RunStatus
from padu.targeting.models import Finding, FindingAggregate, TargetingRun

__all__ = ["RESULTS_TABLE", "TargetingError", "check_can_run", "run_targeting", "start_run"]

RESULTS_TABLE = Finding._meta.db_table
PERIOD = re.compile(r"\d{4}-\d{2}")
STALE = dt.timedelta(hours=2)


class TargetingError(Exception):
    """A run that cannot start; ``str()`` is bilingual."""


def check_can_run(actor: Any) -> None:
    """Bappeda (administrator, analyst) and the system (``None``: CLI, demo) start runs."""
    if actor is not None and effective_role(actor) not in (Role.ADMIN, Role.ANALYST):
        raise TargetingError(
            "hanya Bappeda yang dapat menjalankan penargetan / only Bappeda may run targeting"
        )


def _check_period(period: str) -> None:
    if not PERIOD.fullmatch(period or ""):
        raise TargetingError(f"periode {period!r} bukan YYYY-MM / period {period!r} is not YYYY-MM")


@transaction.atomic
def start_run(*, period: str, actor: Any) -> TargetingRun:
    """A queued run of ``period`` (refused while another run of it is queued or running)."""
    _check_period(period)
    check_can_run(actor)
    busy = TargetingRun.objects.filter(period=period, status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
    # A run whose process died (killed, machine restarted) never finishes: after STALE it blocks no more.
    busy.filter(created_at__lt=timezone.now() - STALE).update(
        status=RunStatus.FAILED, error="proses terhenti / process stopped", finished_at=timezone.now()
    )
    if busy.exists():
        raise TargetingError(
            f"penargetan {period} sedang berjalan / a targeting run of {period} is already under way"
        )
    return TargetingRun.objects.create(period=period, actor=actor if getattr(actor, "pk", None) else None)


def run_targeting(*, period: str, actor: Any, run: TargetingRun | None = None) -> TargetingRun:
    """Run the engine over ``period``'s rolls, store its findings and the run; audited."""
    if connection.in_atomic_block:
        raise TargetingError(
            "penargetan tidak boleh dijalankan di dalam transaksi / "
            "targeting must not run inside a transaction"
        )
    run = run or start_run(period=period, actor=actor)
    started = time.perf_counter()
    TargetingRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, error="")
    if partitions.is_partitioned():
        _run_partitioned(run=run, period=period, actor=actor, started=started)
    else:
        _run_in_place(run=run, period=period, actor=actor, started=started)
    run.refresh_from_db()
    return run


def _run_in_place(*, run: TargetingRun, period: str, actor: Any, started: float) -> None:
    """On Django's connection. SQLite: the engine stages and finds into temporary tables, then the
    findings are written with the run's bookkeeping in one transaction (they appear together, and
    other connections keep writing during the run). PostgreSQL without the CREATE privilege: the
    engine's own transaction, then the bookkeeping."""
    reference = engine.reference_date_for(period)
    deferred = connection.vendor == "sqlite"
    try:
        staged = mapping.stage(period=period)
        staging_seconds = time.perf_counter() - started
        result = engine.run_targeting(
            connection.connection,
            staged.schema,
            period,
            RESULTS_TABLE,
            reference_date=reference,
            packages=True,
            constants={"run_id": run.pk},
            write=not deferred,
        )
        packages = result.packages or []
    except Exception as exc:
        _failed(run, exc)
        raise
    finally:
        mapping.drop_staging()
    try:
        with transaction.atomic():
            if deferred:
                written = engine.write_findings(connection.connection, RESULTS_TABLE, period)
                result.timings.update({k: round(v, 4) for k, v in written.items()})
            _finish(run=run, period=period, actor=actor, result=result, staged=staged, started=started,
                    staging_seconds=staging_seconds, packages=packages)  # fmt: skip
    except Exception as exc:  # the run must not stay "running" for ever
        _failed(run, exc)
        raise
    finally:
        if deferred:
            engine.discard_findings(connection.connection)


def _run_partitioned(*, run: TargetingRun, period: str, actor: Any, started: float) -> None:
    """PostgreSQL: built in the run's own table on two connections, then swapped in with the run's
    bookkeeping in one transaction (:mod:`padu.targeting.partitions`)."""
    reference = engine.reference_date_for(period)
    try:
        running = set(
            TargetingRun.objects.filter(status=RunStatus.RUNNING)
            .exclude(pk=run.pk)
            .values_list("pk", flat=True)
        )
        partitions.clean_stale(running=running)
        with partitions.workspace(run_id=run.pk, period=period) as ws:
            staged = mapping.stage(period=period, shared=True)
            staging_seconds = time.perf_counter() - started
            result = engine.run_targeting(
                connection.connection,
                staged.schema,
                period,
                ws.table,
                reference_date=reference,
                packages=True,
                constants={"run_id": run.pk},
                helpers=[ws.helper],
            )
            step = time.perf_counter()
            partitions.build_indexes(ws)
            result.timings["indexes"] = round(time.perf_counter() - step, 4)
            with transaction.atomic():
                step = time.perf_counter()
                partitions.swap(ws, period=period)
                result.timings["swap"] = round(time.perf_counter() - step, 4)
                _finish(run=run, period=period, actor=actor, result=result, staged=staged, started=started,
                        staging_seconds=staging_seconds, packages=result.packages or [])  # fmt: skip
    except Exception as exc:
        _failed(run, exc)
        raise
    # Each run replaces the period's aggregates: without autovacuum (off on some servers) their dead
    # rows would pile up run after run and slow the dashboard, which reads nothing else.
    with connection.cursor() as cur:
        cur.execute(f"VACUUM ANALYZE {FindingAggregate._meta.db_table}")


def _failed(run: TargetingRun, exc: Exception) -> None:
    TargetingRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
    )


def _finish(*, run: TargetingRun, period: str, actor: Any, result: Any, staged: Any, started: float,
            staging_seconds: float, packages: list[Any]) -> None:  # fmt: skip
    with transaction.atomic():  # (inside the swap's transaction on PostgreSQL)
        tasks = routing.link_tasks(period=period)
        aggregate(period=period, run=run)
        TargetingRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE,
            reference_date=result.reference_date,
            counts=result.counts,
            rupiah_month=result.rupiah_month,
            rupiah_year=result.rupiah_year,
            total=result.total,
            total_rupiah_year=sum(result.rupiah_year.values()),
            inputs={
                **{k: result.staged[k] for k in ("persons", "families", "entries") if k in result.staged},
                **staged.inputs,
            },
            packages=packages,
            timings={"staging.django": round(staging_seconds, 4), **result.timings},
            seconds=round(time.perf_counter() - started, 3),
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        audit.record(
            actor=actor if getattr(actor, "pk", None) else None,
            action=AuditAction.CREATE,
            obj=run,
            object_repr=f"penargetan {period}: {run.total} temuan",
            detail={
                "period": period,
                "counts": result.counts,
                "total_rupiah_year": run.total_rupiah_year,
                "field_tasks": tasks,
            },
        )


def aggregate(*, period: str, run: TargetingRun) -> None:
    """Replace ``period``'s aggregates by those of its findings (one ``INSERT … SELECT … GROUP BY``)."""
    FindingAggregate.objects.filter(period=period).delete()
    dims = "finding_type, category, programme_id, kelurahan_code, desil, strategy"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FindingAggregate._meta.db_table} (run_id, period, {dims}, n, rupiah_month,"
            f" rupiah_year) SELECT %s, period, {dims}, COUNT(*), COALESCE(SUM(rupiah_month), 0),"
            f" COALESCE(SUM(rupiah_year), 0) FROM {RESULTS_TABLE} WHERE period = %s GROUP BY period, {dims}",
            [run.pk, period],
        )


def export_corrections(
    *, actor: Any, period: str, opd: Any, request: Any = None
) -> tuple[str, bytes, dict[str, int]]:
    """The correction list (XLSX) of ``opd``'s programmes for ``period``, within ``actor``'s export
    scope (OPD operators: their own OPD); audited as a personal-data export."""
    from padu.targeting.exports import correction_workbook, with_head

    rows = with_head(
        Finding.objects.restrict(actor, "export")
        .filter(period=period, programme__opd=opd)
        .select_related("programme", "person", "roll_entry", "kelurahan")
        .order_by("programme__code", "finding_type", "roll_entry__row_number", "id")
    )
    title = f"Daftar koreksi {opd.short_name} — penargetan {period}"
    content, counts = correction_workbook(rows.iterator(chunk_size=2000), title=title)
    audit.record_personal_data_access(
        actor=actor,
        what="targeting.finding",
        count=sum(counts.values()),
        request=request,
        export=True,
        detail={"period": period, "opd": opd.code, "list": "koreksi", **counts},
    )
    return f"koreksi-{opd.code}-{period}.xlsx", content, counts
