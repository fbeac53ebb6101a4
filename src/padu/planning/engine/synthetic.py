"""Synthetic planning data (deterministic by seed) for tests, benchmarks and the demo. Django-free.

Kelurahan are the real Kota Serang codes and names (6 kecamatan, 67 kelurahan, from the packaged
Kemendagri list); indicators, proposals, costs and ceilings are invented. Mostly physical proposals
(jalan, drainase, MCK, RTLH, air bersih), some non-physical (pelatihan, pemberdayaan, penyuluhan).
Strategies follow Inpres 4/2022: ``beban`` (pengurangan beban pengeluaran), ``pendapatan``
(peningkatan pendapatan), ``kantong`` (penurunan kantong kemiskinan).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from padu.lib.regions import default_regions
from padu.planning.engine.model import Item, Scenario
from padu.planning.engine.priority import PriorityResult, priority_index

KOTA = "3673"

OPDS: tuple[tuple[str, str], ...] = (
    ("PUPR", "Dinas PUPR"), ("PERKIM", "Dinas Perkim"), ("DINSOS", "Dinas Sosial"),
    ("DINKES", "Dinas Kesehatan"), ("DISNAKER", "Dinas Tenaga Kerja"), ("DKUMPP", "Dinas KUMPP"),
    ("DP3AKB", "Dinas P3AKB"), ("DKP", "Dinas Ketahanan Pangan"), ("DISHUB", "Dinas Perhubungan"),
    ("DISTAN", "Dinas Pertanian"), ("DLH", "Dinas Lingkungan Hidup"), ("DINDIKBUD", "Dinas Pendidikan"),
    ("DISKOMINFO", "Dinas Kominfo"), ("DISPORAPAR", "Dinas Pemuda, Olahraga dan Pariwisata"),
    ("DISDUKCAPIL", "Disdukcapil"), ("BPBD", "BPBD"), ("DPMPTSP", "DPMPTSP"),
    ("DISPERPUSDA", "Dinas Perpustakaan"), ("SATPOLPP", "Satpol PP"), ("BAPPEDA", "Bappeda"),
)

#: (title, physical, strategy, preferred OPD positions in OPDS, median cost in juta, relative frequency)
KINDS: tuple[tuple[str, bool, str, tuple[int, ...], float, float], ...] = (
    ("Pembangunan jalan lingkungan", True, "kantong", (0,), 250, 0.20),
    ("Normalisasi drainase", True, "kantong", (0,), 180, 0.15),
    ("Pembangunan MCK komunal", True, "kantong", (1,), 120, 0.10),
    ("Rehabilitasi rumah tidak layak huni", True, "beban", (1,), 150, 0.10),
    ("Sambungan air bersih", True, "beban", (1, 0), 90, 0.07),
    ("Penerangan jalan umum", True, "kantong", (8,), 60, 0.05),
    ("Rehabilitasi posyandu", True, "beban", (3,), 200, 0.05),
    ("Talud dan jembatan lingkungan", True, "kantong", (0, 15), 300, 0.03),
    ("Pelatihan keterampilan kerja", False, "pendapatan", (4,), 60, 0.06),
    ("Pemberdayaan UMKM", False, "pendapatan", (5, 9), 80, 0.06),
    ("Penyuluhan gizi dan pencegahan stunting", False, "beban", (3, 6), 40, 0.05),
    ("Pendampingan keluarga miskin", False, "beban", (2,), 50, 0.04),
    ("Bantuan alat usaha", False, "pendapatan", (5, 7, 9), 70, 0.02),
    ("Pekarangan pangan lestari", False, "pendapatan", (7, 10), 45, 0.02),
)

STRATEGY_GAP = {"beban": 1.0, "pendapatan": 1.4, "kantong": 1.2}


@dataclass(frozen=True)
class PlanningData:
    items: list[Item]
    scenario: Scenario
    kelurahan: pa.Table  # kelurahan_code, kecamatan_code, name + indicator columns
    priority: PriorityResult


def kota_serang_kelurahan(n: int | None = None) -> list[tuple[str, str, str]]:
    """``(kelurahan_code, kecamatan_code, name)``; ``n`` spread over all kecamatan (extra codes are
    invented under the existing kecamatan when ``n`` > 67)."""
    names = default_regions().names
    rows = sorted((c, c[:6], names[c]) for c in names if c.startswith(KOTA) and len(c) == 10)
    if n is None or n == len(rows):
        return rows
    if n < len(rows):
        pick = np.unique(np.linspace(0, len(rows) - 1, n).round().astype(int))
        return [rows[i] for i in pick]
    kecs = sorted({r[1] for r in rows})
    extra = [(f"{kecs[j % len(kecs)]}9{j:03d}", kecs[j % len(kecs)], f"Kelurahan {j + 1}")
             for j in range(n - len(rows))]
    return rows + extra


def kelurahan_indicators(kelurahan: list[tuple[str, str, str]], seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    n = len(kelurahan)
    latent = rng.beta(2.0, 3.0, n)  # 0 = well-off, 1 = poorest
    families = rng.integers(1500, 6500, n)
    poor = rng.binomial(families, 0.04 + 0.30 * latent)
    cols = {
        "kelurahan_code": [k[0] for k in kelurahan],
        "kecamatan_code": [k[1] for k in kelurahan],
        "name": [k[2] for k in kelurahan],
        "families": families,
        "poor_families": poor,
        "poor_family_share": poor / families,
        "desil1_share": rng.binomial(families, 0.01 + 0.12 * latent) / families,
        "extreme_poor": rng.binomial(families * 4, 0.005 + 0.05 * latent),
        "uninhabitable_houses": rng.binomial(families, 0.01 + 0.08 * latent),
        "no_latrine": rng.binomial(families, 0.01 + 0.10 * latent),
        "no_safe_water": rng.binomial(families, 0.02 + 0.15 * latent),
        "no_electricity": rng.binomial(families, 0.001 + 0.01 * latent),
        "unemployed_heads": rng.binomial(families, 0.05 + 0.10 * latent),
        "stunting_cases": rng.binomial(families // 5, 0.05 + 0.20 * latent),
    }
    return pa.table(cols)


def synthetic_planning(n_items: int = 300, *, n_kelurahan: int = 67, n_opd: int = 12, seed: int = 2026,
                       budget_share: float = 0.25, time_limit: float = 10.0, mip_gap: float = 1e-4
                       ) -> PlanningData:
    """``n_items`` proposals with every constraint type; the budget is ``budget_share`` of demand."""
    rng = np.random.default_rng(seed)
    kel = kota_serang_kelurahan(n_kelurahan)
    table = kelurahan_indicators(kel, seed)
    weights = {"poor_family_share": 2.0, "desil1_share": 1.0, "extreme_poor": 1.0,
               "uninhabitable_houses": 1.0, "no_latrine": 1.0, "no_safe_water": 1.0,
               "unemployed_heads": 1.0, "stunting_cases": 1.0}
    prio = priority_index(table, weights=weights)
    opds = OPDS[:n_opd] if n_opd <= len(OPDS) else OPDS + tuple(
        (f"OPD{j}", f"OPD {j}") for j in range(len(OPDS) + 1, n_opd + 1))
    freq = np.array([k[5] for k in KINDS])
    kind = rng.choice(len(KINDS), n_items, p=freq / freq.sum())
    # poorer kelurahan submit somewhat more proposals
    loc = prio.location_weights(0.0, 1.0)
    kel_p = 0.5 + np.array([loc[k[0]] for k in kel])
    where = rng.choice(len(kel), n_items, p=kel_p / kel_p.sum())
    median = np.array([KINDS[k][4] for k in kind])
    cost = np.clip(np.round(median * rng.lognormal(0.0, 0.5, n_items)), 10, 2000) * 1e6
    other_opd = rng.random(n_items) < 0.15
    rat = rng.random(n_items) < 0.10
    prio_level = rng.choice([1.0, 0.8, 0.6, 0.4], n_items, p=[0.3, 0.3, 0.25, 0.15])
    items: list[Item] = []
    for j in range(n_items):
        title, physical, strategy, pref, _, _ = KINDS[kind[j]]
        opd_pos = int(rng.integers(len(opds))) if other_opd[j] else pref[j % len(pref)] % len(opds)
        code, kec, name = kel[where[j]]
        items.append(Item(
            id=f"{'RAT' if rat[j] else 'USL'}-{j + 1:05d}", cost=float(cost[j]), opd=opds[opd_pos][0],
            kecamatan=kec, kelurahan=code, physical=physical, strategy=strategy,
            priority=1.0 if rat[j] else float(prio_level[j]), source="rat" if rat[j] else "musrenbang",
            title=f"{title} {name}"))
    return PlanningData(items, _scenario(items, kel, opds, prio, rng, budget_share, time_limit, mip_gap),
                        table, prio)


def _scenario(items: list[Item], kel: list[tuple[str, str, str]], opds: tuple[tuple[str, str], ...],
              prio: PriorityResult, rng: np.random.Generator, budget_share: float, time_limit: float,
              mip_gap: float) -> Scenario:
    cost = np.array([it.cost for it in items])
    opd = np.array([it.opd for it in items])
    kec = np.array([it.kecamatan for it in items])

    def hundred_juta(x: float) -> float:
        return float(max(1, round(x / 1e8)) * 1e8)

    budget = hundred_juta(budget_share * cost.sum())
    opd_caps = {o: hundred_juta((0.25 if o == "PUPR" else 0.4) * cost[opd == o].sum())
                for o, _ in opds if (opd == o).any()}
    kecs = sorted(set(kec.tolist()))
    kec_caps = {k: hundred_juta(0.4 * cost[kec == k].sum()) for k in kecs}
    n = len(items)
    order = rng.permutation(n)
    pairs = order[: 2 * (n // 50)].reshape(-1, 2)  # ~2% in together pairs
    together = tuple((items[a].id, items[b].id) for a, b in pairs)
    ex_pool = order[2 * (n // 50): 4 * (n // 50)].reshape(-1, 2)  # ~2% in exclusive pairs
    exclusive = tuple((items[a].id, items[b].id) for a, b in ex_pool)
    busy = set(order[: 4 * (n // 50)].tolist())
    spent: dict[str, float] = {}
    must: list[str] = []
    for j in order[4 * (n // 50):]:  # ~1% must-fund among RAT activities, within half of each ceiling
        it = items[int(j)]
        if len(must) >= max(1, n // 100) or it.source != "rat" or int(j) in busy:
            continue
        if spent.get(it.opd, 0.0) + it.cost <= 0.5 * opd_caps[it.opd]:
            spent[it.opd] = spent.get(it.opd, 0.0) + it.cost
            must.append(it.id)
    labels = {o: name for o, name in opds} | {k[0]: k[2] for k in kel}
    labels |= {c: default_regions().names.get(c, c) for c in kecs}
    return Scenario(
        name="poverty", budget=budget, opd_ceilings=opd_caps, kecamatan_ceilings=kec_caps,
        kecamatan_min_share=dict.fromkeys(kecs, round(0.6 / len(kecs), 4)),
        kecamatan_max_share=dict.fromkeys(kecs, 0.3), min_nonphysical_share=0.2,
        must_fund=frozenset(must), together=together, exclusive=exclusive,
        location_priority=prio.location_weights(1.0, 2.0), strategy_gap=STRATEGY_GAP, labels=labels,
        time_limit=time_limit, mip_gap=mip_gap,
    )


def synthetic_persons(n_persons: int, *, kelurahan_codes: list[str] | None = None, seed: int = 2026
                      ) -> pa.Table:
    """Person-level table for :func:`padu.planning.engine.aggregate.indicators_from_persons`."""
    rng = np.random.default_rng(seed)
    codes = np.array(kelurahan_codes or [k[0] for k in kota_serang_kelurahan()])
    latent = rng.beta(2.0, 3.0, len(codes))
    n_fam = max(1, n_persons // 4)
    fam_kel = np.sort(rng.integers(0, len(codes), n_fam))
    size = rng.integers(1, 8, n_fam)
    size = np.maximum(1, np.round(size * n_persons / size.sum())).astype(np.int64)
    size[-1] += n_persons - size.sum()
    if size[-1] < 1:  # rounding overshoot: trim from the largest families
        size[-1] = 1
        over = int(size.sum() - n_persons)
        big = np.argsort(-size)[:over]
        size[big] -= 1
    lat = latent[fam_kel]
    desil = np.clip(np.ceil(rng.beta(1.0 + 4 * (1 - lat), 2.0, n_fam) * 10), 1, 10).astype(np.int16)
    fam_flags = {
        "uninhabitable_house": rng.random(n_fam) < 0.02 + 0.1 * lat,
        "no_latrine": rng.random(n_fam) < 0.02 + 0.1 * lat,
        "no_safe_water": rng.random(n_fam) < 0.03 + 0.15 * lat,
        "no_electricity": rng.random(n_fam) < 0.002 + 0.01 * lat,
        "head_unemployed": rng.random(n_fam) < 0.05 + 0.1 * lat,
    }
    fam_of = np.repeat(np.arange(n_fam), size)
    cols: dict[str, object] = {
        "kelurahan_code": pa.DictionaryArray.from_arrays(fam_kel[fam_of].astype(np.int32), codes.tolist()),
        "family_id": fam_of.astype(np.int64),
        "desil": desil[fam_of],
        "extreme_poor": (desil[fam_of] == 1) & (rng.random(len(fam_of)) < 0.6),
    }
    cols |= {k: v[fam_of] for k, v in fam_flags.items()}
    return pa.table(cols)
