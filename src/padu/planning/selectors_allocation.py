"""Reads for allocation pages: ceilings, scenarios with their latest run, side-by-side comparison."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from padu.accounts.models import Opd
from padu.planning.models import AllocationRun, AllocationScenario, OpdCeiling


def ceilings(*, year: int) -> dict[int, int]:
    return dict(OpdCeiling.objects.filter(year=year).values_list("opd_id", "amount"))


def opds() -> list[Opd]:
    return list(Opd.objects.exclude(code__in=["bappeda", "kecamatan"]).order_by("short_name"))


def scenarios(*, user: Any, year: int) -> list[AllocationScenario]:
    return list(AllocationScenario.objects.restrict(user, "view").filter(year=year).order_by("name"))


def scenario_get(*, user: Any, pk: int) -> AllocationScenario:
    scenario = AllocationScenario.objects.restrict(user, "view").filter(pk=pk).first()
    if scenario is None:
        raise Http404
    return scenario


def latest_run(scenario: AllocationScenario) -> AllocationRun | None:
    return scenario.runs.order_by("-created_at", "-id").first()


def comparison(runs: list[AllocationRun]) -> dict[str, Any]:
    """Rows (metric, one cell per run) for the side-by-side table; kecamatan and OPD rows are the
    union over the runs."""
    kec = sorted({k for r in runs for k in r.by_kecamatan})
    opd = sorted({k for r in runs for k in r.by_opd})
    return {
        "runs": runs,
        "kecamatan": [(k, [r.by_kecamatan.get(k, 0.0) for r in runs]) for k in kec],
        "opd": [(k, [r.by_opd.get(k, 0.0) for r in runs]) for k in opd],
    }
