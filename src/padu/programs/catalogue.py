"""Programmes from a synthetic manifest (``padu generate`` → ``manifest.json`` → ``programmes[]``).

Used by ``padu demo``: each manifest programme becomes a :class:`Programme` of its OPD (created when
the installation lacks it), and its list goes through the roll intake. Idempotent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from padu.accounts import services as accounts
from padu.accounts.models import Opd
from padu.programs import services
from padu.programs.choices import Frequency, FundingSource, ProgrammeGroup, Strategy
from padu.programs.engine.eligibility import from_conditions
from padu.programs.models import Programme

# Manifest OPD codes that an installation spells differently.
OPD_ALIASES = {"perkim": "disperkim"}
FUNDING = {
    "apbn": FundingSource.APBN,
    "apbd provinsi": FundingSource.APBD_PROVINSI,
    "apbd kota": FundingSource.APBD_KOTA,
    "apbd kabupaten": FundingSource.APBD_KOTA,
    "dana kelurahan": FundingSource.APBD_KOTA,  # Dana Kelurahan is allocated in the city's APBD
    "apbdes": FundingSource.APBDES,
    "dana desa": FundingSource.APBDES,
}
STRATEGY = {
    "pengurangan_beban": Strategy.KURANGI_BEBAN,
    "peningkatan_pendapatan": Strategy.TINGKATKAN_PENDAPATAN,
    "kantong_kemiskinan": Strategy.KURANGI_KANTONG,
}
GROUP = {
    Strategy.KURANGI_BEBAN: ProgrammeGroup.BANSOS,
    Strategy.TINGKATKAN_PENDAPATAN: ProgrammeGroup.PEMBERDAYAAN,
    Strategy.KURANGI_KANTONG: ProgrammeGroup.LAINNYA,
}


def frequency(text: str) -> str:
    """``"bulanan (iuran JKN)"`` → bulanan, ``"per tahun, 4 tahap"`` → tahunan, else sekali."""
    low = (text or "").lower()
    for key, value in (("bulan", Frequency.BULANAN), ("triwulan", Frequency.TRIWULANAN),
                       ("tahun", Frequency.TAHUNAN)):  # fmt: skip
        if low.startswith(key) or low.startswith(f"per {key}"):
            return value
    return Frequency.SEKALI


def ensure_opd(spec: Mapping[str, Any]) -> Opd:
    code = OPD_ALIASES.get(spec["opd_code"], spec["opd_code"])
    opd = Opd.objects.filter(code=code).first()
    if opd is not None:
        return opd
    name = str(spec.get("opd") or code)
    return accounts.opd_create(actor=None, code=code, name=name, short_name=code.title())


def programme_values(spec: Mapping[str, Any]) -> dict[str, Any]:
    strategy = STRATEGY.get(spec.get("strategy", ""), Strategy.KURANGI_BEBAN)
    return {
        "name": spec["name"][:200],
        "description": spec.get("description", ""),
        "funding_source": FUNDING.get(str(spec.get("funding_source", "")).lower(), FundingSource.LAINNYA),
        "strategy": strategy,
        "group": GROUP[strategy],
        "unit": "family" if spec.get("unit") == "family" else "person",
        "eligibility": from_conditions(spec.get("eligibility") or []),
        "benefit_value_rp": spec.get("benefit_value_rp"),
        "benefit_frequency": frequency(spec.get("benefit_frequency", "")),
        "benefit_note": f"{spec.get('benefit_unit', '')}: {spec.get('benefit_frequency', '')}".strip(": ")[
            :200
        ],
    }


def ensure_programmes(programmes: list[Mapping[str, Any]]) -> dict[str, Programme]:
    """Create the manifest's programmes that do not exist yet (by code), then their exclusions."""
    found: dict[str, Programme] = {}
    for spec in programmes:
        programme = Programme.objects.filter(code=spec["code"]).first()
        if programme is None:
            programme = services.programme_create(
                actor=None, opd=ensure_opd(spec), code=spec["code"], **programme_values(spec)
            )
        found[spec["code"]] = programme
    for spec in programmes:
        wanted = [found[c] for c in spec.get("exclusive_of") or [] if c in found]
        programme = found[spec["code"]]
        if wanted and set(programme.exclusive_of.values_list("pk", flat=True)) != {p.pk for p in wanted}:
            services.programme_update(actor=None, programme=programme, exclusive_of=wanted)
    return found
