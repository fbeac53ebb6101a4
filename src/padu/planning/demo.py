"""Demo planning data for ``padu demo`` (idempotent): a year of Musrenbang proposals from every
kelurahan (mostly physical, from :func:`padu.planning.engine.synthetic.synthetic_planning`), OPD
ceilings, two allocation scenarios (poverty-weighted and equal), the lokasi prioritas from the demo
registry, and a draft RAT. Nothing is created twice: each part is skipped when its year already has it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction

from padu.accounts.models import Opd, Role, User
from padu.planning.engine.synthetic import KINDS, synthetic_planning
from padu.planning.models import AllocationScenario, LokasiPrioritas, OpdCeiling, Proposal, RatActivity
from padu.planning.services import allocation, musrenbang, rat
from padu.wilayah.models import Level, Region

DEMO_SOURCE = "demo"
#: engine synthetic OPD code -> Padu default OPD code (others: the classifier's choice)
OPD_MAP = {
    "PUPR": "pupr",
    "PERKIM": "disperkim",
    "DINSOS": "dinsos",
    "DINKES": "dinkes",
    "DISNAKER": "disnaker",
    "DKUMPP": "disperindagkop",
    "DP3AKB": "dp3akb",
    "DINDIKBUD": "dindikbud",
    "DISDUKCAPIL": "disdukcapil",
}
SIPD = {"kantong": "1.03.10.2.01", "beban": "1.06.04.2.01", "pendapatan": "2.07.03.2.02"}


def _proposals(year: int, seed: int) -> int:
    if Proposal.objects.filter(year=year, source=DEMO_SOURCE).exists():
        return 0
    kel = dict(
        Region.objects.filter(level=Level.DESA, code__startswith="36.73.").values_list("code_plain", "code")
    )
    if not kel:
        return 0
    opds = dict(Opd.objects.values_list("code", "pk"))
    names = dict(Region.objects.filter(code__in=kel.values()).values_list("code", "name"))
    data = synthetic_planning(450, seed=seed)
    rows: dict[str, list[Any]] = defaultdict(list)
    for item in data.items:
        if item.source == "musrenbang" and item.kelurahan in kel:
            rows[kel[item.kelurahan]].append(item)
    spare = [i for i in data.items if i.source == "musrenbang"]
    for j, code in enumerate(sorted(set(kel.values()) - set(rows))):  # every kelurahan proposes something
        rows[code].append(spare[j % len(spare)])
    created = 0
    for code, items in sorted(rows.items()):
        for rank, item in enumerate(sorted(items, key=lambda i: (-i.priority, i.id)), start=1):
            name = next((k[0] for k in KINDS if item.title.startswith(k[0])), item.title)
            values = {
                "year": year,
                "kelurahan_id": code,
                "activity": name[:200],
                "cost": int(item.cost),
                "local_priority": rank,
                "description": f"Usulan Musrenbang Kel. {names.get(code, code)}",
                "rt": f"{1 + rank % 9:03d}",
                "rw": f"{1 + rank % 4:03d}",
                "contribution": int(item.cost * 0.05) if item.physical else 0,
            }
            opd = OPD_MAP.get(item.opd)
            if opd in opds:
                values["opd_id"] = opds[opd]
            musrenbang.proposal_create(actor=None, values=values, source=DEMO_SOURCE)
            created += 1
    return created


def _ceilings(year: int) -> int:
    if OpdCeiling.objects.filter(year=year).exists():
        return 0
    demand: dict[int, int] = defaultdict(int)
    for opd_id, cost in Proposal.objects.filter(year=year).values_list("opd_id", "cost"):
        if opd_id:
            demand[opd_id] += cost
    amounts: dict[int, int | None] = {
        k: max(1, round(0.4 * v / 1e8)) * 100_000_000 for k, v in demand.items()
    }
    return allocation.set_ceilings(actor=None, year=year, amounts=amounts)


def _scenarios(year: int) -> int:
    if AllocationScenario.objects.filter(year=year).exists():
        return 0
    total = sum(Proposal.objects.filter(year=year).values_list("cost", flat=True))
    budget = max(1, round(0.3 * total / 1e8)) * 100_000_000
    base = {
        "budget": budget,
        "use_opd_ceilings": True,
        "kecamatan_min_share": 8.0,
        "kecamatan_max_share": 30.0,
        "min_nonphysical_share": 15.0,
        "weighting": "poverty",
        "strategy_gap": {"beban": 1.0, "pendapatan": 1.4, "kantong": 1.2},
    }
    allocation.scenario_save(actor=None, year=year, name="miskin", values=base)
    allocation.scenario_save(actor=None, year=year, name="rata", values=base | {"weighting": "equal"})
    return 2


def _lokasi(year: int, period: str) -> int:
    from padu.planning import selectors
    from padu.planning.services.priority import choose_lokasi_prioritas

    if LokasiPrioritas.objects.filter(year=year).exists():
        return 0
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    if admin is None:
        return 0
    ranking = selectors.compute_ranking(user=admin, period=period)
    chosen = [r["code"] for r in ranking.rows if r["composite"] is not None][:10]
    if not chosen:
        return 0
    choose_lokasi_prioritas(
        actor=None,
        year=year,
        registry_period=period,
        indicator_period="",
        method=ranking.method,
        weights=ranking.weights,
        result=ranking.result_rows(),
        explanation=ranking.explanation,
        chosen=chosen,
    )
    return len(chosen)


def _rat(year: int) -> int:
    if RatActivity.objects.filter(year=year).exists():
        return 0
    lokasi = list(LokasiPrioritas.objects.filter(year=year).values_list("kelurahan_id", flat=True))
    opds = dict(Opd.objects.values_list("code", "pk"))
    plan = [
        (
            "disperkim",
            "Rehabilitasi rumah tidak layak huni",
            "kantong",
            "Rumah direhabilitasi",
            25,
            "unit",
            750,
        ),
        ("pupr", "Pembangunan jalan lingkungan", "kantong", "Jalan lingkungan dibangun", 1200, "m", 900),
        ("disperkim", "Pembangunan MCK komunal", "kantong", "MCK komunal", 4, "unit", 480),
        ("dinsos", "Pendampingan keluarga miskin ekstrem", "beban", "Keluarga didampingi", 400, "KK", 350),
        ("dinkes", "Pemberian makanan tambahan balita", "beban", "Balita menerima PMT", 600, "anak", 300),
        ("disnaker", "Pelatihan keterampilan kerja", "pendapatan", "Peserta pelatihan", 120, "orang", 420),
        ("disperindagkop", "Bantuan alat usaha mikro", "pendapatan", "Usaha mikro dibantu", 80, "unit", 360),
    ]
    created: dict[str, RatActivity] = {}
    for j, (opd, name, strategy, indicator, target, unit, juta) in enumerate(plan):
        if opd not in opds:
            continue
        kel = lokasi[j % len(lokasi)] if lokasi and strategy == "kantong" else None
        values = {
            "year": year,
            "opd_id": opds[opd],
            "name": name,
            "strategy": strategy,
            "sipd_code": SIPD[strategy],
            "sipd_name": name,
            "output_indicator": indicator,
            "target": target,
            "unit": unit,
            "kelurahan_id": kel,
            "budget": juta * 1_000_000,
            "funding_source": "apbd",
        }
        deps = [created["pupr"].pk] if opd == "disperkim" and "MCK" in name and "pupr" in created else []
        created[opd if opd not in created else f"{opd}{j}"] = rat.rat_save(
            actor=None, values=values, depends_on=deps
        )
    return len(created)


@transaction.atomic
def ensure_demo_planning(*, year: int, period: str, seed: int = 2026) -> dict[str, int]:
    """Create what the demo year lacks; returns how many of each were created (0: already there)."""
    return {
        "proposals": _proposals(year, seed),
        "ceilings": _ceilings(year),
        "scenarios": _scenarios(year),
        "lokasi": _lokasi(year, period),
        "rat": _rat(year),
    }
