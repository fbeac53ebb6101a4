"""Allocation writes: OPD ceilings, scenarios, and optimiser runs over the year's proposals (the engine
decides; this module turns Padu rows into engine items and keeps the result with its explanations).

Items: the year's Musrenbang proposals except those ``ditolak``; ``didanai`` and ``pelaksanaan`` ones
are must-fund. With ``include_rat`` the year's RAT activities compete too (priority 1.0; fisik from the
classifier, else ``kantong`` = fisik; a city-wide activity counts under no kecamatan share).
Proposal priority ``P`` from the kelurahan's own ranking (1 → 1.0, 2 → 0.8, 3 → 0.6, 4 and lower → 0.4).
Location priority ``L``: the composite of the year's latest saved priority analysis
mapped linearly onto 1 (least poor) … 2 (poorest); ``equal`` weighting ignores it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from padu.accounts.models import Opd
from padu.core import audit
from padu.core.models import AuditAction
from padu.planning.choices import ProposalStatus
from padu.planning.classify import classify
from padu.planning.engine import Item, Scenario, explain, optimise
from padu.planning.models import (
    AllocationRun,
    AllocationScenario,
    OpdCeiling,
    PriorityAnalysis,
    Proposal,
    RatActivity,
    Weighting,
)
from padu.planning.services.priority import _require_planner
from padu.wilayah.models import Level, Region

NO_OPD = "-"
MUST_FUND = (ProposalStatus.DIDANAI, ProposalStatus.PELAKSANAAN)
SCENARIO_FIELDS = (
    "budget", "use_opd_ceilings", "include_rat", "kecamatan_min_share", "kecamatan_max_share",
    "min_nonphysical_share", "weighting", "strategy_gap",
)  # fmt: skip


def priority_weight(local_priority: int) -> float:
    return max(0.4, 1.0 - 0.2 * (max(local_priority, 1) - 1))


@transaction.atomic
def set_ceilings(*, actor: Any, year: int, amounts: Mapping[int, int | None]) -> int:
    """OPD id -> ceiling in rupiah (``None`` or 0 removes it). Returns how many ceilings the year has."""
    _require_planner(actor)
    before = dict(OpdCeiling.objects.filter(year=year).values_list("opd_id", "amount"))
    for opd_id, amount in amounts.items():
        if amount:
            OpdCeiling.objects.update_or_create(year=year, opd_id=opd_id, defaults={"amount": int(amount)})
        else:
            OpdCeiling.objects.filter(year=year, opd_id=opd_id).delete()
    after = dict(OpdCeiling.objects.filter(year=year).values_list("opd_id", "amount"))
    if before != after:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="planning.opdceiling",
            object_id=str(year),
            object_repr=f"Plafon OPD {year}",
            before={str(k): v for k, v in before.items()},
            after={str(k): v for k, v in after.items()},
        )
    return len(after)


@transaction.atomic
def scenario_save(
    *, actor: Any, year: int, name: str, values: Mapping[str, Any], scenario: AllocationScenario | None = None
) -> AllocationScenario:
    _require_planner(actor)
    data = {k: v for k, v in values.items() if k in SCENARIO_FIELDS}
    if data.get("kecamatan_min_share", 0) > data.get("kecamatan_max_share", 100):
        raise ValidationError(_("Porsi minimum kecamatan lebih besar dari porsi maksimum."))
    if scenario is None:
        scenario = AllocationScenario.objects.filter(year=year, name=name).first()
    before = audit.snapshot(scenario) if scenario is not None else None
    if scenario is None:
        scenario = AllocationScenario(
            year=year, name=name, created_by=actor if getattr(actor, "pk", None) else None
        )
    for key, value in data.items():
        setattr(scenario, key, value)
    scenario.full_clean()
    scenario.save()
    after = audit.snapshot(scenario)
    if before is None:
        audit.record(actor=actor, action=AuditAction.CREATE, obj=scenario, after=after)
    else:
        old, new = audit.changed(before, after)
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=scenario, before=old, after=new)
    return scenario


@dataclass
class Inputs:
    items: list[Item]
    titles: dict[str, str]
    must_fund: frozenset[str]
    location: dict[str, float]
    labels: dict[str, str]


def location_weights(year: int) -> dict[str, float]:
    """Composite of the year's latest saved priority analysis mapped onto 1 … 2."""
    analysis = PriorityAnalysis.objects.filter(year=year).order_by("-created_at", "-id").first()
    if analysis is None:
        return {}
    comp = {r["code"]: r["composite"] for r in analysis.result if r.get("composite") is not None}
    if not comp:
        return {}
    lo, hi = min(comp.values()), max(comp.values())
    span = hi - lo
    return {c: 1.0 + ((v - lo) / span if span > 0 else 1.0) for c, v in comp.items()}


def build_inputs(year: int, *, include_rat: bool = False) -> Inputs:
    rows = (
        Proposal.objects.filter(year=year)
        .exclude(status=ProposalStatus.DITOLAK)
        .select_related("opd")
        .order_by("id")
    )
    items, titles, must = [], {}, set()
    for p in rows:
        pid = f"USL-{p.pk}"
        items.append(
            Item(
                id=pid,
                cost=float(p.cost),
                opd=p.opd.code if p.opd else NO_OPD,
                kecamatan=p.kelurahan_id.rsplit(".", 1)[0],
                kelurahan=p.kelurahan_id,
                physical=p.physical,
                strategy=p.strategy,
                priority=priority_weight(p.local_priority),
                title=p.activity,
            )
        )
        titles[pid] = p.activity
        if p.status in MUST_FUND:
            must.add(pid)
    if include_rat:
        items += _rat_items(year, titles)
    labels = {o.code: o.short_name for o in Opd.objects.all()} | {NO_OPD: _("(tanpa OPD)")}
    labels[settings.REGION_CODE] = _("Seluruh kota")
    kec = {i.kecamatan for i in items}
    labels |= {r.code: r.label for r in Region.objects.filter(code__in=kec, level=Level.KECAMATAN)}
    return Inputs(items, titles, frozenset(must), location_weights(year), labels)


def _rat_items(year: int, titles: dict[str, str]) -> list[Item]:
    city = settings.REGION_CODE
    out = []
    for a in RatActivity.objects.filter(year=year, budget__gt=0).select_related("opd").order_by("id"):
        found = classify(a.name)
        physical = bool(found.physical) if found.matched else a.strategy == "kantong"
        kel = a.kelurahan_id or city
        out.append(
            Item(
                id=f"RAT-{a.pk}",
                cost=float(a.budget),
                opd=a.opd.code,
                kecamatan=kel.rsplit(".", 1)[0] if a.kelurahan_id else city,
                kelurahan=kel,
                physical=physical,
                strategy=a.strategy,
                priority=1.0,
                source="rat",
                title=a.name,
            )
        )
        titles[f"RAT-{a.pk}"] = a.name
    return out


def engine_scenario(scenario: AllocationScenario, inputs: Inputs) -> Scenario:
    ceilings: dict[str, float] = {}
    if scenario.use_opd_ceilings:
        ceilings = {
            c.opd.code: float(c.amount)
            for c in OpdCeiling.objects.filter(year=scenario.year).select_related("opd")
        }
    kec = sorted({i.kecamatan for i in inputs.items} - {settings.REGION_CODE})
    min_share = (
        {k: scenario.kecamatan_min_share / 100 for k in kec} if scenario.kecamatan_min_share > 0 else {}
    )
    max_share = (
        {k: scenario.kecamatan_max_share / 100 for k in kec} if scenario.kecamatan_max_share < 100 else {}
    )
    return Scenario(
        name=scenario.name,
        budget=float(scenario.budget),
        opd_ceilings=ceilings,
        kecamatan_min_share=min_share,
        kecamatan_max_share=max_share,
        min_nonphysical_share=scenario.min_nonphysical_share / 100,
        must_fund=inputs.must_fund,
        location_priority=inputs.location,
        strategy_gap={k: float(v) for k, v in (scenario.strategy_gap or {}).items()},
        location_exponent=1.0 if scenario.weighting == Weighting.POVERTY else 0.0,
        labels=inputs.labels,
        time_limit=10.0,
        mip_gap=1e-3,
    )


@transaction.atomic
def run_scenario(*, actor: Any, scenario: AllocationScenario) -> AllocationRun:
    """Optimise the year's proposals under ``scenario``; keep totals, conflicts and per-item reasons."""
    _require_planner(actor)
    inputs = build_inputs(scenario.year, include_rat=scenario.include_rat)
    if not inputs.items:
        raise ValidationError(_("Belum ada usulan untuk tahun %(year)s.") % {"year": scenario.year})
    solution = optimise(inputs.items, engine_scenario(scenario, inputs))
    explained = explain(solution) if solution.status in {"optimal", "gap"} else {}
    items = [
        {
            "id": item.id,
            "title": inputs.titles.get(item.id, ""),
            "kelurahan": item.kelurahan,
            "kecamatan": item.kecamatan,
            "opd": item.opd,
            "cost": item.cost,
            "physical": item.physical,
            "funded": item.id in solution.funded,
            "text": explained[item.id].text.id if item.id in explained else "",
            "text_en": explained[item.id].text.en if item.id in explained else "",
        }
        for item in inputs.items
    ]
    run = AllocationRun.objects.create(
        scenario=scenario,
        status=solution.status,
        message=solution.message.id,
        message_en=solution.message.en,
        total=solution.total,
        funded_count=solution.count,
        item_count=len(inputs.items),
        nonphysical_share=solution.nonphysical_share,
        gap=solution.gap,
        by_kecamatan={inputs.labels.get(k, k): v for k, v in solution.by_kecamatan.items()},
        by_opd={inputs.labels.get(k, k): v for k, v in solution.by_opd.items()},
        items=items,
        conflicts=[{"kind": c.kind, "text": c.text.id, "text_en": c.text.en} for c in solution.conflicts],
        solve_seconds=solution.solve_seconds,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor, action=AuditAction.CREATE, obj=run,
        after={"scenario": scenario.name, "year": scenario.year, "status": run.status, "total": run.total,
               "funded": run.funded_count, "items": run.item_count},
    )  # fmt: skip
    return run


@transaction.atomic
def apply_run(*, actor: Any, run: AllocationRun) -> int:
    """Mark the proposals the run funded as ``didanai`` (those still ``diajukan``/``diterima``). Returns
    how many changed; each change is audited."""
    _require_planner(actor)
    if run.status not in {"optimal", "gap"}:
        raise ValidationError(_("Hasil ini tidak layak; tidak ada yang dapat ditetapkan."))
    ids = [int(i["id"].split("-", 1)[1]) for i in run.items if i["funded"] and i["id"].startswith("USL-")]
    open_statuses = (ProposalStatus.DIAJUKAN, ProposalStatus.DITERIMA)
    reason = _("Didanai menurut skenario %(name)s") % {"name": run.scenario.name}
    changed = 0
    for proposal in Proposal.objects.filter(pk__in=ids, year=run.scenario.year, status__in=open_statuses):
        before = {"status": proposal.status, "status_reason": proposal.status_reason}
        proposal.status, proposal.status_reason = ProposalStatus.DIDANAI, reason
        proposal.save(update_fields=["status", "status_reason", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=proposal,
            before=before,
            after={"status": proposal.status, "status_reason": reason, "run": run.pk},
        )
        changed += 1
    return changed
