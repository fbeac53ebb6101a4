"""Reads of the targeting app: periods and runs, aggregations of a period's findings (scoped), finding
rows for drill-down and exports, the package matrix and the history across periods."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Count, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.db.models.lookups import Exact

from padu.accounts.models import Opd
from padu.accounts.scope import effective_role, region_q
from padu.programs.choices import Strategy
from padu.programs.models import Programme
from padu.targeting.choices import FIELD_CHECK_TYPES, Category, FindingType
from padu.targeting.models import Finding, FindingAggregate, TargetingRun
from padu.wilayah.models import Region

__all__ = [
    "BREAKDOWNS",
    "breakdown",
    "field_checks",
    "findings",
    "findings_count",
    "history",
    "latest_run",
    "latest_runs",
    "packages",
    "periods",
    "totals",
]

KECAMATAN_LENGTH = 8  # "36.73.01" of "36.73.01.1001"
CHECK_STATES = ("unsent", "open", "decided", "closed")
BREAKDOWNS = ("type", "programme", "opd", "kecamatan", "kelurahan", "desil", "strategy")


def periods() -> list[str]:
    return list(
        TargetingRun.objects.filter(status="done")
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )


def latest_run(*, period: str | None = None) -> TargetingRun | None:
    runs = TargetingRun.objects.filter(status="done")
    if period:
        runs = runs.filter(period=period)
    return runs.order_by("-period", "-created_at", "-id").first()


def _scoped(user: Any, period: str, action: str = "aggregate") -> QuerySet[Finding]:
    return Finding.objects.restrict(user, action).filter(period=period)


def _aggregates(user: Any, period: str) -> QuerySet[FindingAggregate]:
    """The period's precomputed aggregates (``services.aggregate``), in ``user``'s scope."""
    return FindingAggregate.objects.restrict(user, "aggregate").filter(period=period)


def totals(*, user: Any, period: str) -> dict[str, Any]:
    """Findings, rupiah a month and a year: overall and per category, within ``user``'s scope."""
    rows = (
        _aggregates(user, period)
        .values("category")
        .annotate(n=Sum("n"), month=Sum("rupiah_month"), year=Sum("rupiah_year"))
        .order_by()
    )
    by_category = {r["category"]: r for r in rows}
    out = {
        "categories": [
            {
                "code": c.value,
                "label": c.label,
                "n": by_category.get(c.value, {}).get("n", 0),
                "month": by_category.get(c.value, {}).get("month") or 0,
                "year": by_category.get(c.value, {}).get("year") or 0,
            }
            for c in Category
        ]
    }
    out["n"] = sum(c["n"] for c in out["categories"])
    out["year"] = sum(c["year"] for c in out["categories"])
    out["month"] = sum(c["month"] for c in out["categories"])
    return out


def _labels(by: str, keys: list[Any]) -> dict[Any, str]:
    if by == "type":
        return {k: str(FindingType(k).label) if k in FindingType.values else k for k in keys}
    if by == "strategy":
        return {k: str(Strategy(k).label) if k in Strategy.values else k for k in keys}
    if by == "opd":
        return dict(Opd.objects.filter(code__in=[k for k in keys if k]).values_list("code", "short_name"))
    if by in ("kelurahan", "kecamatan"):
        return dict(Region.objects.filter(code__in=[k for k in keys if k]).values_list("code", "name"))
    return {}


def breakdown(*, user: Any, period: str, by: str) -> list[dict[str, Any]]:
    """Findings and rupiah grouped by ``by`` (one of :data:`BREAKDOWNS`) and category, largest rupiah
    first: ``[{key, label, n, month, year, inclusion, exclusion, double}]`` (the last three: rupiah a
    year per category)."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    qs = _aggregates(user, period)
    key = {
        "type": F("finding_type"),
        "programme": F("programme__code"),
        "opd": F("programme__opd__code"),
        "kecamatan": Substr("kelurahan_id", 1, KECAMATAN_LENGTH),
        "kelurahan": F("kelurahan_id"),
        "desil": F("desil"),
        "strategy": F("strategy"),
    }[by]
    rows = (
        qs.annotate(k=key)
        .values("k", "category")
        .annotate(n=Sum("n"), month=Sum("rupiah_month"), year=Sum("rupiah_year"))
        .order_by()
    )
    merged: dict[Any, dict[str, Any]] = {}
    for r in rows:
        item = merged.setdefault(
            r["k"],
            {"key": r["k"], "n": 0, "month": 0, "year": 0, "inclusion": 0, "exclusion": 0, "double": 0},
        )
        item["n"] += r["n"]
        item["month"] += r["month"] or 0
        item["year"] += r["year"] or 0
        item[r["category"]] += r["year"] or 0
    labels = _labels(by, list(merged))
    names = dict(Programme.objects.values_list("code", "name")) if by == "programme" else {}
    for item in merged.values():
        k = item["key"]
        item["label"] = labels.get(k) or names.get(k) or ("—" if k in (None, "") else str(k))
    order = (
        (lambda i: (i["key"] is None, i["key"] or 0)) if by == "desil" else (lambda i: (-i["year"], -i["n"]))
    )
    return sorted(merged.values(), key=order)


def findings(
    *,
    user: Any,
    period: str,
    finding_type: str = "",
    category: str = "",
    programme: str = "",
    kelurahan: str = "",
    action: str = "view",
) -> QuerySet[Finding]:
    """Finding rows with their person, family, programme and entry, for ``user``'s personal-data scope
    (``action`` ``view`` or ``export``): none for viewers."""
    qs = _scoped(user, period, action)
    if finding_type:
        qs = qs.filter(finding_type=finding_type)
    if category:
        qs = qs.filter(category=category)
    if programme:
        qs = qs.filter(programme__code=programme)
    if kelurahan:
        qs = qs.filter(_in_region("kelurahan_id", kelurahan))
    return qs.select_related("programme", "person", "family", "roll_entry", "kelurahan").order_by(
        "-rupiah_year", "finding_type", "id"
    )


def _in_region(field: str, code: str) -> Q:
    """:func:`region_q`, but a kelurahan code (nothing lies under it) as a plain equality: the
    database then reads the (period, kelurahan) index instead of filtering a whole period's findings
    (PostgreSQL at 1M: 155 -> 12 ms for one kelurahan's field checks)."""
    if code.count(".") < 3:
        return region_q(field, code)
    # The column itself, not the relation: a lookup through ``kelurahan`` would turn the page's outer
    # join to the region into an inner one.
    return Q(Exact(ExpressionWrapper(F(field), output_field=CharField()), code))


def findings_count(
    *,
    user: Any,
    period: str,
    finding_type: str = "",
    category: str = "",
    programme: str = "",
    kelurahan: str = "",
) -> int:
    """The number of rows :func:`findings` returns (view scope), from the aggregates."""
    qs = FindingAggregate.objects.restrict(user, "view").filter(period=period)
    if finding_type:
        qs = qs.filter(finding_type=finding_type)
    if category:
        qs = qs.filter(category=category)
    if programme:
        qs = qs.filter(programme__code=programme)
    if kelurahan:
        qs = qs.filter(region_q("kelurahan_id", kelurahan))
    return int(qs.aggregate(n=Sum("n"))["n"] or 0)


def field_checks(*, user: Any, period: str) -> list[dict[str, Any]]:
    """Per kelurahan, the findings that need a field check (deceased, moved, record not found or
    duplicate, two KK, priority family without any programme), within ``user``'s personal-data scope:
    per type, and per state of their verivali task (``unsent``, ``open``, ``decided``, ``closed``)."""
    # Counts per kelurahan and type from the run's aggregates; task states only from the findings
    # that have a task (a GROUP BY over every finding of a 1M-person city took 0.5 s a request).
    counts = (
        FindingAggregate.objects.restrict(user, "view")
        .filter(period=period, finding_type__in=FIELD_CHECK_TYPES)
        .values("kelurahan_id", "finding_type")
        .annotate(n=Sum("n"))
        .order_by()
    )
    tasked = (
        Finding.objects.restrict(user, "view")
        # Only field-check findings get a task. ``> 0`` rather than ``IS NOT NULL``: a range on the
        # (period, field_task) index, which SQLite's planner uses; IS NOT NULL made it read every finding.
        .filter(period=period, field_task_id__gt=0)
        .values("kelurahan_id", "field_task__state")
        .annotate(n=Count("id"))
        .order_by()
    )
    merged: dict[str, dict[str, Any]] = {}

    def item(code: str | None) -> dict[str, Any]:
        return merged.setdefault(
            code or "", {"code": code or "", "n": 0, "types": {}, "states": dict.fromkeys(CHECK_STATES, 0)}
        )

    for r in counts:
        it = item(r["kelurahan_id"])
        it["n"] += r["n"]
        it["types"][r["finding_type"]] = it["types"].get(r["finding_type"], 0) + r["n"]
        it["states"]["unsent"] += r["n"]
    for r in tasked:
        it = item(r["kelurahan_id"])
        it["states"][r["field_task__state"]] += r["n"]
        it["states"]["unsent"] -= r["n"]
    names = dict(Region.objects.filter(code__in=list(merged)).values_list("code", "name"))
    for row in merged.values():
        row["name"] = names.get(row["code"], row["code"] or "—")
        row["per_type"] = [row["types"].get(t, 0) for t in FIELD_CHECK_TYPES]
        row["per_state"] = [row["states"][s] for s in CHECK_STATES]
    return sorted(merged.values(), key=lambda i: (-i["n"], i["code"]))


def packages(*, user: Any, period: str) -> list[dict[str, Any]]:
    """The latest run's package matrix of ``period``, region operators' own area only, with names."""
    run = latest_run(period=period)
    rows = list(run.packages if run else [])
    if effective_role(user) == "region_operator":
        code = str(user.region_id)
        rows = [
            r for r in rows if r["kelurahan_code"] == code or str(r["kelurahan_code"]).startswith(code + ".")
        ]
    names = dict(
        Region.objects.filter(code__in=[r["kelurahan_code"] for r in rows]).values_list("code", "name")
    )
    return sorted(
        ({**r, "name": names.get(r["kelurahan_code"], r["kelurahan_code"])} for r in rows),
        key=lambda r: (-r["nothing"], r["kelurahan_code"] or ""),
    )


def latest_runs(*, user: Any, limit: int = 20) -> QuerySet[TargetingRun]:
    return TargetingRun.objects.restrict(user).select_related("actor")[:limit]


def history(*, user: Any) -> list[dict[str, Any]]:
    """Per period (the latest finished run of each): findings and rupiah a year per category, within
    ``user``'s scope, oldest first."""
    out = []
    for period in sorted(periods()):
        t = totals(user=user, period=period)
        run = latest_run(period=period)
        out.append({"period": period, "run": run, **t})
    return out
