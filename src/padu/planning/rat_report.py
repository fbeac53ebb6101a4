"""The RAT (Rencana Aksi Tahunan) of a plan year as a document: activities grouped per OPD with
subtotals, the links between activities that depend on each other, summaries per strategy, per OPD
(against its ceiling) and per kelurahan, and the consistency warnings. Written to XLSX and PDF by
:mod:`padu.planning.rat_export`. The document is an Indonesian government form: its labels are in
Bahasa Indonesia whatever the user's language. Aggregates of the plan only; no personal data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from padu.core import audit
from padu.core.models import AuditAction
from padu.planning import selectors_rat
from padu.planning.choices import Strategy
from padu.planning.models import LokasiPrioritas, OpdCeiling, RatActivity

CITY_WIDE = "Seluruh kota"
FORMATS = ("xlsx", "pdf")


@dataclass
class Row:
    no: int
    pk: int
    opd: str
    name: str
    strategy: str
    sipd_code: str
    sipd_name: str
    output_indicator: str
    target: float | None
    unit: str
    kelurahan: str
    kecamatan: str
    budget: int
    funding_source: str
    depends_on: list[str]


@dataclass
class OpdGroup:
    code: str
    name: str
    short_name: str
    rows: list[Row]

    @property
    def subtotal(self) -> int:
        return sum(r.budget for r in self.rows)


@dataclass
class Link:
    activity: str
    opd: str
    kelurahan: str
    depends_on: str
    depends_opd: str
    depends_kelurahan: str
    depends_budget: int


@dataclass
class Summary:
    label: str
    count: int
    budget: int
    kecamatan: str = ""  # per kelurahan
    code: str = ""  # per kelurahan: its code ("" for city-wide)
    ceiling: int | None = None  # per OPD: its ceiling for the year, if set


@dataclass
class WarningRow:
    activity: str  # "" for a warning about the plan as a whole
    opd: str
    text: str


@dataclass
class RatDocument:
    year: int
    title: str
    region: str
    generated: dt.datetime
    opd_filter: str
    groups: list[OpdGroup]
    links: list[Link] = field(default_factory=list)
    by_strategy: list[Summary] = field(default_factory=list)
    by_opd: list[Summary] = field(default_factory=list)
    by_kelurahan: list[Summary] = field(default_factory=list)
    warnings: list[WarningRow] = field(default_factory=list)
    lokasi: set[str] = field(default_factory=set)  # codes of the year's lokasi prioritas

    @property
    def rows(self) -> list[Row]:
        return [r for g in self.groups for r in g.rows]

    @property
    def total(self) -> int:
        return sum(g.subtotal for g in self.groups)


def _place(activity: RatActivity) -> tuple[str, str]:
    kel = activity.kelurahan
    if kel is None:
        return CITY_WIDE, ""
    return kel.name, (kel.parent.name if kel.parent else "")


def _target(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def assemble(*, user: Any, year: int, opd: str = "") -> RatDocument:
    """The RAT of ``year`` as ``user`` sees it on the RAT page (optionally one OPD, by code)."""
    from padu.planning.rpkd import _region_name

    with translation.override("id"):
        return _assemble(user=user, year=year, opd=opd, region=_region_name())


def _assemble(*, user: Any, year: int, opd: str, region: str) -> RatDocument:
    # ``user`` None is the command line (system): the whole RAT, as a planner sees it.
    base = RatActivity.objects.all() if user is None else RatActivity.objects.restrict(user, "view")
    qs = (
        base.filter(year=year)
        .select_related("opd", "kelurahan__parent")
        .prefetch_related("depends_on__opd", "depends_on__kelurahan")
    )
    if opd:
        qs = qs.filter(opd__code=opd)
    acts = list(qs.order_by("opd__short_name", "strategy", "name"))
    groups: dict[str, OpdGroup] = {}
    for no, a in enumerate(acts, start=1):
        kel, kec = _place(a)
        group = groups.setdefault(a.opd.code, OpdGroup(a.opd.code, a.opd.name, a.opd.short_name, []))
        group.rows.append(
            Row(
                no=no,
                pk=a.pk,
                opd=a.opd.short_name,
                name=a.name,
                strategy=str(a.get_strategy_display()),
                sipd_code=a.sipd_code,
                sipd_name=a.sipd_name,
                output_indicator=a.output_indicator,
                target=_target(a.target),
                unit=a.unit,
                kelurahan=kel,
                kecamatan=kec,
                budget=a.budget,
                funding_source=str(a.get_funding_source_display()),
                depends_on=[d.name for d in a.depends_on.all()],
            )
        )
    title = f"Rencana Aksi Tahunan Penanggulangan Kemiskinan {region} Tahun {year}"
    doc = RatDocument(year, title, region, timezone.localtime(), opd, list(groups.values()))
    if not acts:
        return doc
    doc.links = _links(acts)
    doc.by_strategy = _by_strategy(acts)
    doc.by_opd = _by_opd(year, doc.groups)
    doc.by_kelurahan = _by_kelurahan(acts)
    names = {a.pk: (a.name, a.opd.short_name) for a in acts}
    visible = set(names)
    for w in selectors_rat.warnings(year=year):
        if w.activity_id is None:
            doc.warnings.append(WarningRow("", "", w.text))
        elif w.activity_id in visible:
            name, short = names[w.activity_id]
            doc.warnings.append(WarningRow(name, short, w.text))
    doc.lokasi = set(LokasiPrioritas.objects.filter(year=year).values_list("kelurahan_id", flat=True))
    return doc


def _links(acts: list[RatActivity]) -> list[Link]:
    out: list[Link] = []
    for a in acts:
        for d in a.depends_on.all():
            out.append(
                Link(
                    activity=a.name,
                    opd=a.opd.short_name,
                    kelurahan=_place(a)[0],
                    depends_on=d.name,
                    depends_opd=d.opd.short_name,
                    depends_kelurahan=d.kelurahan.name if d.kelurahan else CITY_WIDE,
                    depends_budget=d.budget,
                )
            )
    return out


def _by_strategy(acts: list[RatActivity]) -> list[Summary]:
    count: dict[str, int] = defaultdict(int)
    budget: dict[str, int] = defaultdict(int)
    for a in acts:
        count[a.strategy] += 1
        budget[a.strategy] += a.budget
    return [Summary(str(s.label), count[s.value], budget[s.value]) for s in Strategy]


def _by_opd(year: int, groups: list[OpdGroup]) -> list[Summary]:
    ceilings = dict(OpdCeiling.objects.filter(year=year).values_list("opd__code", "amount"))
    return [
        Summary(f"{g.name} ({g.short_name})", len(g.rows), g.subtotal, ceiling=ceilings.get(g.code))
        for g in groups
    ]


def _by_kelurahan(acts: list[RatActivity]) -> list[Summary]:
    cells: dict[tuple[str, str, str], list[int]] = {}
    for a in acts:
        kel, kec = _place(a)
        cell = cells.setdefault((kec, kel, a.kelurahan_id or ""), [0, 0])
        cell[0] += 1
        cell[1] += a.budget
    keys = sorted(cells, key=lambda k: (k[0] == "", k))  # city-wide last
    return [
        Summary(kel, cells[k][0], cells[k][1], kecamatan=kec, code=code)
        for k in keys
        for kec, kel, code in [k]
    ]


def export(*, actor: Any, year: int, fmt: str, opd: str = "") -> bytes:
    """The RAT of ``year`` as XLSX or PDF bytes, scoped like the RAT page, audited as an export.
    A year without activities (in the user's view) is refused with a clear message."""
    from padu.planning import rat_export

    if fmt not in FORMATS:
        raise ValidationError(f"Format '{fmt}' tidak dikenal (xlsx, pdf) / unknown format (xlsx, pdf).")
    doc = assemble(user=actor, year=year, opd=opd)
    if not doc.groups:
        which, which_en = (f" OPD '{opd}'", f" of OPD '{opd}'") if opd else ("", "")
        raise ValidationError(
            f"Belum ada kegiatan RAT{which} untuk tahun {year}; tidak ada yang diekspor. / "
            f"No RAT activities{which_en} for {year}; nothing exported."
        )
    data = rat_export.to_xlsx(doc) if fmt == "xlsx" else rat_export.to_pdf(doc)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="planning.rat",
        object_id=str(year),
        object_repr=f"RAT {year} ({fmt})",
        detail={
            "format": fmt,
            "opd": opd,
            "activities": len(doc.rows),
            "total": doc.total,
            "warnings": len(doc.warnings),
            "bytes": len(data),
        },
    )
    return data
