"""The mistakes real beneficiary lists carry, at configurable rates, each one recorded for scoring.

Two kinds:

* **Targeting faults** (who is on the list): ``graduated`` (the family is now desil >= 5 / mampu),
  ``died`` and ``moved`` (the registry says meninggal / pindah), ``double_receipt`` (also on a programme
  this one excludes, e.g. PBI APBD and PBI APBN), ``duplicate`` (the same person twice in one list) and
  ``non_resident`` (a person who is not in the registry at all). Rates are fractions of list rows;
  :class:`RateController` admits candidates so each list reaches them where enough candidates exist.
* **Data-entry faults** (how a row is written): NIK missing, one digit wrong, two digits transposed,
  Excel damage (``3.67301E+15`` / last digit lost); name typo, nickname, title, Muhammad variant,
  swapped order; birth date wrong; with ``--noise hard`` also the address after a move
  (``address_moved``). Independent per row, rates as given (Muhammad variant: of rows whose
  name contains Muhammad; swapped: of rows with two or more name parts).

Lists flagged ``nik_numeric`` hold NIK in numeric Excel cells; Excel keeps 15 significant digits, so
every NIK not already ending in 0 comes out damaged there (``nik_excel_damage``), whatever the rates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from padu.synth import names

TARGETING_FAULTS = ("graduated", "died", "moved", "double_receipt")
FAULT_TYPES = (
    *TARGETING_FAULTS,
    "duplicate",
    "non_resident",
    "nik_missing",
    "nik_wrong_digit",
    "nik_transposed",
    "nik_excel_damage",
    "name_typo",
    "name_nickname",
    "name_title",
    "name_muhammad_variant",
    "name_swapped",
    "birth_date_wrong",
)


@dataclass(frozen=True)
class FaultRates:
    """Rates per list row. Override per programme with ``Programme.fault_overrides``."""

    graduated: float = 0.05
    died: float = 0.015
    moved: float = 0.015
    double_receipt: float = 0.03
    duplicate: float = 0.015
    non_resident: float = 0.02
    nik_missing: float = 0.02
    nik_wrong_digit: float = 0.015
    nik_transposed: float = 0.005
    nik_excel_damage: float = 0.005
    name_typo: float = 0.04
    name_nickname: float = 0.02
    name_title: float = 0.03
    name_muhammad_variant: float = 0.30
    name_swapped: float = 0.01
    birth_date_wrong: float = 0.01
    # The family moved inside the city and the list carries the new address (another kelurahan, RW, RT)
    # while the registry keeps the old one. Off by default (the default files stay byte-identical).
    address_moved: float = 0.0

    def with_overrides(self, overrides: dict[str, float] | Any) -> FaultRates:
        return dataclasses.replace(self, **dict(overrides)) if overrides else self

    def as_dict(self) -> dict[str, float]:
        out = dataclasses.asdict(self)
        for key in EXTRA_FAULT_TYPES:  # written only when used, so default manifests stay identical
            if not out[key]:
                del out[key]
        return out

    def fault_types(self) -> tuple[str, ...]:
        return FAULT_TYPES + tuple(k for k in EXTRA_FAULT_TYPES if getattr(self, k))


EXTRA_FAULT_TYPES = ("address_moved",)
DEFAULT_RATES = FaultRates()
# ``padu generate --noise hard``: the harder noise of issue 4's benchmark (35 % NIK missing, 25 % moved,
# 30 % name typos); the other rates as by default.
HARD_RATES = dataclasses.replace(DEFAULT_RATES, nik_missing=0.35, address_moved=0.25, name_typo=0.30)
NOISE_PROFILES: dict[str, FaultRates] = {"default": DEFAULT_RATES, "hard": HARD_RATES}


class RateController:
    """Admits candidates for a targeting fault while its share of the list is below the target rate.

    Deterministic and O(1) memory: it only counts. A biased coin keeps admitted rows a little spread out
    instead of always taking the first candidates in a row."""

    __slots__ = ("counts", "rates")

    def __init__(self, rates: FaultRates) -> None:
        self.rates = {k: getattr(rates, k) for k in TARGETING_FAULTS}
        self.counts = dict.fromkeys(TARGETING_FAULTS, 0)

    def admit(self, kind: str, rows_so_far: int, rng: random.Random) -> bool:
        if self.counts[kind] < self.rates[kind] * (rows_so_far + 1) and rng.random() < 0.85:
            self.counts[kind] += 1
            return True
        return False


# --- NIK ------------------------------------------------------------------------------------------------


def excel_number(nik: str) -> int:
    """What a numeric Excel cell keeps of a 16-digit NIK: 15 significant digits, the 16th becomes 0."""
    return int(nik[:15] + "0")


def _wrong_digit(rng: random.Random, nik: str) -> str:
    i = 6 + int(rng.random() * 10) if rng.random() < 0.8 else int(rng.random() * 6)
    d = str((int(nik[i]) + 1 + int(rng.random() * 9)) % 10)
    return nik[:i] + d + nik[i + 1 :]


def _transposed(rng: random.Random, nik: str) -> str | None:
    spots = [i for i in range(len(nik) - 1) if nik[i] != nik[i + 1]]
    if not spots:
        return None
    i = spots[int(rng.random() * len(spots))]
    return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2 :]


def _excel_text(rng: random.Random, nik: str) -> str:
    if rng.random() < 0.5:
        mantissa = f"{int(nik[:6]) / 10**5:.5f}".rstrip("0").rstrip(".")
        return f"{mantissa}E+15"
    return str(excel_number(nik))


def nik_fault(rng: random.Random, nik: str, rates: FaultRates) -> tuple[str, str | None]:
    """(value to write, fault type or None). At most one NIK fault per row."""
    r = rng.random()
    if r < rates.nik_missing:
        return ("-" if rng.random() < 0.2 else ""), "nik_missing"
    r -= rates.nik_missing
    if r < rates.nik_wrong_digit:
        return _wrong_digit(rng, nik), "nik_wrong_digit"
    r -= rates.nik_wrong_digit
    if r < rates.nik_transposed:
        t = _transposed(rng, nik)
        return (t, "nik_transposed") if t else (nik, None)
    r -= rates.nik_transposed
    if r < rates.nik_excel_damage:
        damaged = _excel_text(rng, nik)
        return (damaged, "nik_excel_damage") if damaged != nik else (nik, None)
    return nik, None


# --- names and dates -------------------------------------------------------------------------------------


def name_faults(
    rng: random.Random, name: str, sex: str, age: int, rates: FaultRates
) -> tuple[str, list[tuple[str, str]]]:
    """Apply name faults in a fixed order; returns the written name and [(fault, detail)].
    Titles only for adults (``age``)."""
    out: list[tuple[str, str]] = []
    if rng.random() < rates.name_swapped:
        new = names.swapped(rng, name)
        if new and new != name:
            out.append(("name_swapped", f"{name} -> {new}"))
            name = new
    if rng.random() < rates.name_nickname:
        new = names.nickname(rng, name, sex)
        if new:
            out.append(("name_nickname", f"{name} -> {new}"))
            name = new
    if rng.random() < rates.name_muhammad_variant and names.has_muhammad(name):
        new = names.muhammad_variant(rng, name)
        if new and new != name:
            out.append(("name_muhammad_variant", f"{name} -> {new}"))
            name = new
    if rng.random() < rates.name_typo:
        new = names.typo(rng, name)
        out.append(("name_typo", f"{name} -> {new}"))
        name = new
    if rng.random() < rates.name_title:
        titled = names.with_title(rng, name, sex, age)
        if titled:
            out.append(("name_title", f"{name} -> {titled}"))
            name = titled
    return name, out


def birth_date_fault(rng: random.Random, birth: dt.date, rates: FaultRates) -> tuple[dt.date, bool]:
    if rng.random() >= rates.birth_date_wrong:
        return birth, False
    if birth.day <= 12 and birth.day != birth.month and rng.random() < 0.6:
        return birth.replace(day=birth.month, month=birth.day), True
    if rng.random() < 0.5:
        try:
            return birth.replace(year=birth.year + (1 if rng.random() < 0.5 else -1)), True
        except ValueError:  # 29 February
            return birth - dt.timedelta(days=1), True
    return birth + dt.timedelta(days=1 + int(rng.random() * 20)), True
