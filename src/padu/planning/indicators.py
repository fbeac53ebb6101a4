"""Kelurahan indicators from the registry by SQL aggregation (one GROUP BY per query, no person rows
leave the database), plus imported sector indicators. Aggregates only.

Definitions (one period of ``WelfareRecord``, active families; a family with records from several
sources in that period counts once):

* ``families``: families with a welfare record in the period;
* ``poor_families`` / ``poor_family_share``: desil 1–2; ``desil1_share``: desil 1;
* ``extreme_poor``: active persons of families flagged extreme-poor (P3KE);
* ``uninhabitable_houses``: earth/bamboo floor, or a bamboo/board/tarpaulin/zinc wall, or Kepmensos
  criteria K5/K6 (earth floor, poor wall);
* ``no_latrine``: no latrine at all (``housing.latrine`` "Tidak ada");
* ``no_safe_water``: unprotected well or spring, river/lake or rain water;
* ``no_electricity``: no electricity (``housing.electricity`` "Tidak ada");
* ``unemployed_heads``: Kepmensos criterion K1 (head not working).

A housing or criteria indicator for a kelurahan none of whose families has that item recorded is
missing (``None``), never zero. Shares of kelurahan with fewer than ``MIN_CELL_SIZE`` families are
left missing (too few to be stable) and the page shows counts below that size as "< n".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q

from padu.registry.choices import Status
from padu.registry.models import Person, WelfareRecord
from padu.wilayah.models import Level, Region

FLOOR_POOR = ("Tanah", "tanah", "Bambu", "bambu", "TANAH", "BAMBU")
WALL_POOR = (
    "Anyaman bambu", "Plesteran anyaman bambu/kawat", "Kayu/papan", "Seng", "Terpal/kardus",
    "anyaman bambu", "bambu", "Bambu", "kayu/papan", "seng", "terpal/kardus",
)  # fmt: skip
LATRINE_NONE = ("Tidak ada", "tidak ada", "TIDAK ADA", "Tidak Ada")
WATER_UNSAFE = (
    "Sumur tak terlindung", "Mata air tak terlindung", "Air sungai/danau", "Air hujan", "Mata air",
    "sumur tak terlindung", "air sungai/danau", "air hujan", "mata air",
)  # fmt: skip
ELECTRICITY_NONE = ("Tidak ada", "tidak ada", "TIDAK ADA", "Tidak Ada")

#: Registry indicators in display order.
REGISTRY_KEYS = (
    "poor_families", "poor_family_share", "desil1_share", "extreme_poor", "uninhabitable_houses",
    "no_latrine", "no_safe_water", "no_electricity", "unemployed_heads",
)  # fmt: skip
COUNT_KEYS = frozenset(REGISTRY_KEYS) - {"poor_family_share", "desil1_share"}


@dataclass
class IndicatorTable:
    """Per kelurahan (installation order): code, name, kecamatan and indicator values."""

    codes: list[str]
    names: dict[str, str]
    kecamatan: dict[str, str]
    families: dict[str, int]
    values: dict[str, dict[str, float | None]]  # indicator -> code -> value
    sector_sources: dict[str, str]  # imported indicator -> source(s)

    @property
    def keys(self) -> list[str]:
        return list(self.values)

    def columns(self) -> dict[str, list[Any]]:
        """The table as columns for :func:`padu.planning.engine.priority_index`."""
        cols: dict[str, list[Any]] = {"kelurahan_code": list(self.codes)}
        for key, per in self.values.items():
            cols[key] = [per.get(c) for c in self.codes]
        return cols


def kelurahan_of_installation() -> list[Region]:
    return list(
        Region.objects.within(settings.REGION_CODE)
        .filter(level=Level.DESA)
        .select_related("parent")
        .order_by("code")
    )


def registry_periods() -> list[str]:
    return list(WelfareRecord.objects.order_by("-period").values_list("period", flat=True).distinct())


def registry_indicators(*, user: Any, period: str) -> dict[str, dict[str, Any]]:
    """code -> {families, poor_families, ...} for one welfare period, scoped to ``user``."""
    wr = WelfareRecord.objects.filter(period=period, family__status=Status.AKTIF)
    from padu.registry.models import Family

    wr = wr.filter(family__in=Family.objects.restrict(user, "aggregate"))
    fam = "family_id"
    known_housing = (
        Q(housing__has_key="floor") | Q(housing__has_key="wall") | Q(criteria__has_key="k5_earth_floor")
    )
    rows = wr.values("family__kelurahan_id").annotate(
        families=Count(fam, distinct=True),
        poor=Count(fam, distinct=True, filter=Q(desil__lte=2)),
        desil1=Count(fam, distinct=True, filter=Q(desil=1)),
        k_house=Count(fam, distinct=True, filter=known_housing),
        uninhabitable_houses=Count(
            fam,
            distinct=True,
            filter=Q(housing__floor__in=FLOOR_POOR)
            | Q(housing__wall__in=WALL_POOR)
            | Q(criteria__k5_earth_floor=True)
            | Q(criteria__k6_poor_wall=True),
        ),
        k_latrine=Count(fam, distinct=True, filter=Q(housing__has_key="latrine")),
        no_latrine=Count(fam, distinct=True, filter=Q(housing__latrine__in=LATRINE_NONE)),
        k_water=Count(fam, distinct=True, filter=Q(housing__has_key="water_source")),
        no_safe_water=Count(fam, distinct=True, filter=Q(housing__water_source__in=WATER_UNSAFE)),
        k_power=Count(fam, distinct=True, filter=Q(housing__has_key="electricity")),
        no_electricity=Count(fam, distinct=True, filter=Q(housing__electricity__in=ELECTRICITY_NONE)),
        k_head=Count(fam, distinct=True, filter=Q(criteria__has_key="k1_head_not_working")),
        unemployed_heads=Count(fam, distinct=True, filter=Q(criteria__k1_head_not_working=True)),
    )
    extreme_families = wr.filter(extreme_poor=True).values("family_id")
    persons = (
        Person.objects.filter(status=Status.AKTIF, family_id__in=extreme_families)
        .values("family__kelurahan_id")
        .annotate(n=Count("id"))
    )
    extreme = {r["family__kelurahan_id"]: r["n"] for r in persons}
    out: dict[str, dict[str, Any]] = {}
    min_cell = settings.MIN_CELL_SIZE
    for r in rows:
        code = r["family__kelurahan_id"]
        n = r["families"]
        stable = n >= min_cell
        out[code] = {
            "families": n,
            "poor_families": r["poor"],
            "poor_family_share": (100.0 * r["poor"] / n) if stable else None,
            "desil1_share": (100.0 * r["desil1"] / n) if stable else None,
            "extreme_poor": extreme.get(code, 0),
            "uninhabitable_houses": r["uninhabitable_houses"] if r["k_house"] else None,
            "no_latrine": r["no_latrine"] if r["k_latrine"] else None,
            "no_safe_water": r["no_safe_water"] if r["k_water"] else None,
            "no_electricity": r["no_electricity"] if r["k_power"] else None,
            "unemployed_heads": r["unemployed_heads"] if r["k_head"] else None,
        }
    return out


def indicator_table(*, user: Any, period: str, indicator_period: str = "") -> IndicatorTable:
    """Registry indicators of ``period`` for every kelurahan of the installation, joined with the sector
    indicators imported for ``indicator_period`` (if any)."""
    from padu.planning.models import SectorIndicator

    regions = kelurahan_of_installation()
    codes = [r.code for r in regions]
    reg = registry_indicators(user=user, period=period) if period else {}
    values: dict[str, dict[str, float | None]] = {k: {} for k in REGISTRY_KEYS}
    families: dict[str, int] = {}
    for code in codes:
        row = reg.get(code)
        families[code] = row["families"] if row else 0
        for key in REGISTRY_KEYS:
            values[key][code] = row[key] if row else None
    sources: dict[str, set[str]] = {}
    if indicator_period:
        for s in SectorIndicator.objects.restrict(user, "aggregate").filter(period=indicator_period):
            values.setdefault(s.key, {})[s.kelurahan_id] = s.value
            sources.setdefault(s.key, set()).add(s.source)
    return IndicatorTable(
        codes=codes,
        names={r.code: r.name for r in regions},
        kecamatan={r.code: (r.parent.name if r.parent else "") for r in regions},
        families=families,
        values=values,
        sector_sources={k: ", ".join(sorted(v)) for k, v in sources.items()},
    )
