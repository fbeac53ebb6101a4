"""Planning reads: the kelurahan priority index (registry + sector indicators through the engine),
its map, saved lokasi prioritas and analyses."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import get_language

from padu.accounts.models import Role
from padu.accounts.scope import effective_role
from padu.planning.engine import INDICATORS, priority_index
from padu.planning.engine.priority import DEFAULT_WEIGHTS
from padu.planning.indicators import COUNT_KEYS, IndicatorTable, indicator_table
from padu.planning.models import LokasiPrioritas, PriorityAnalysis, SectorIndicator

#: Roles whose aggregate scope is the whole installation: only they see a city-wide ranking.
CITY_ROLES = {str(Role.ADMIN), str(Role.ANALYST), str(Role.VIEWER), str(Role.OPD_OPERATOR)}
DEFAULT_TOP = 10


def sees_city(user: Any) -> bool:
    return effective_role(user) in CITY_ROLES


def lang() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def indicator_label(key: str) -> str:
    ind = INDICATORS.get(key)
    if ind is None:
        return key.replace("_", " ")
    return ind.label_en if lang() == "en" else ind.label_id


def default_weights(keys: list[str]) -> dict[str, float]:
    return {k: DEFAULT_WEIGHTS.get(k, 0.0) for k in keys}


def sector_periods() -> list[str]:
    return list(SectorIndicator.objects.order_by("-period").values_list("period", flat=True).distinct())


def sector_summary(*, user: Any) -> list[dict[str, Any]]:
    """Imported sector indicators per period, indicator and source: how many kelurahan, when."""
    return list(
        SectorIndicator.objects.restrict(user, "aggregate")
        .values("period", "key", "source")
        .order_by("-period", "key")
        .annotate(n=Count("id"), at=Max("imported_at"))
    )


@dataclass
class Ranking:
    table: IndicatorTable
    method: str
    weights: dict[str, float]
    rows: list[dict[str, Any]]  # by rank
    explanation: str
    notes: list[str]
    used: dict[str, float] = field(default_factory=dict)  # normalised weights actually used

    def result_rows(self) -> list[dict[str, Any]]:
        """The JSON kept with a saved analysis (no personal data: kelurahan aggregates)."""
        keep = ("code", "name", "kecamatan", "rank", "composite", "families")
        return [{k: r[k] for k in keep} | {"values": r["values"]} for r in self.rows]


def _clean(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def compute_ranking(
    *,
    user: Any,
    period: str,
    indicator_period: str = "",
    weights: dict[str, float] | None = None,
    method: str = "zscore",
) -> Ranking:
    """The composite index for every kelurahan of the installation with the analyst's weights."""
    table = indicator_table(user=user, period=period, indicator_period=indicator_period)
    keys = table.keys
    chosen = {k: float(v) for k, v in (weights or default_weights(keys)).items() if k in keys}
    result = priority_index(table.columns(), weights=chosen, method=method)  # type: ignore[arg-type]
    language = lang()
    rows = []
    for i in result.order():
        code = result.codes[i]
        drivers = [indicator_label(k) for k, v in result.drivers(code, 2) if v > 0]
        rows.append(
            {
                "code": code,
                "name": table.names[code],
                "kecamatan": table.kecamatan[code],
                "rank": int(result.rank[i]),
                "composite": _clean(float(result.composite[i])),
                "families": table.families[code],
                "missing": int(result.missing[i]),
                "drivers": drivers,
                "values": {k: table.values[k].get(code) for k in keys},
            }
        )
    text = result.explanation
    return Ranking(
        table=table,
        method=method,
        weights=chosen,
        rows=rows,
        explanation=text.en if language == "en" else text.id,
        notes=[n.en if language == "en" else n.id for n in result.notes],
        used=result.weights,
    )


def display_value(key: str, value: float | None) -> str:
    """A cell as shown: counts below the minimum cell size as "< n" (aggregates only)."""
    if value is None:
        return "—"
    if key in COUNT_KEYS:
        n = int(value)
        small = settings.MIN_CELL_SIZE
        return f"< {small}" if 0 < n < small else f"{n:,}".replace(",", ".")
    text = f"{value:,.1f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") if lang() == "id" else text


def ranking_figure(ranking: Ranking, title: str, value_label: str) -> dict[str, Any] | None:
    from padu.wilayah import selectors as wilayah

    values = {r["code"]: r["composite"] for r in ranking.rows if r["composite"] is not None}
    return wilayah.city_map_figure(level=4, values=values, title=title, value_label=value_label)


def lokasi_prioritas(*, user: Any, year: int) -> list[LokasiPrioritas]:
    return list(
        LokasiPrioritas.objects.restrict(user, "view")
        .filter(year=year)
        .select_related("kelurahan", "analysis")
    )


def latest_analysis(*, year: int) -> PriorityAnalysis | None:
    return PriorityAnalysis.objects.filter(year=year).order_by("-created_at", "-id").first()


def lokasi_years() -> list[int]:
    return list(LokasiPrioritas.objects.order_by("-year").values_list("year", flat=True).distinct())
