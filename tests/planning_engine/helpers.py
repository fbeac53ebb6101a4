"""Small hand-checkable allocation instances (amounts in juta rupiah unless said)."""

from __future__ import annotations

from typing import Any

from padu.planning.engine import Item, Scenario

JT = 1e6


def item(id: str, cost_jt: float, value: float = 1.0, *, opd: str = "PUPR", kec: str = "K1",
         kel: str | None = None, physical: bool = True, strategy: str = "kantong") -> Item:
    """An item whose objective value equals ``value`` (no location or strategy weights set)."""
    return Item(id=id, cost=cost_jt * JT, opd=opd, kecamatan=kec, kelurahan=kel or f"{kec}-L1",
                physical=physical, strategy=strategy, priority=value)


def scenario(budget_jt: float, **kw: Any) -> Scenario:
    for key in ("opd_ceilings", "kecamatan_ceilings"):
        if key in kw:
            kw[key] = {k: v * JT for k, v in kw[key].items()}
    kw.setdefault("labels", {"PUPR": "Dinas PUPR", "DINSOS": "Dinas Sosial", "K1": "Kasemen", "K2": "Curug"})
    kw.setdefault("mip_gap", 1e-9)
    return Scenario(name=kw.pop("name", "s"), budget=budget_jt * JT, **kw)
