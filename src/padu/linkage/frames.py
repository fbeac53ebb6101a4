"""Django side of the engine's inputs: roll entries (left) and registry persons (right) as DataFrames
with the engine's canonical columns; ``record_id`` is the entry's / person's primary key as text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from padu.programs.models import RollEntry
from padu.registry.choices import Status
from padu.registry.models import Person

COLUMNS = [
    "record_id",
    "name",
    "id_number",
    "kk",
    "birth_date",
    "sex",
    "address",
    "rt",
    "rw",
    "region_code",
    "mother_name",
]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _text(value: Any) -> str | None:
    return value or None


def left_frame(entries: Any) -> tuple[pd.DataFrame, dict[str, int]]:
    """The list rows (a RollEntry queryset) and ``{record_id: roll_id}``."""
    rows = []
    rolls: dict[str, int] = {}
    fields = (
        "id",
        "roll_id",
        "name",
        "nik",
        "nik_damaged",
        "kk",
        "birth_date",
        "sex",
        "address",
        "rt",
        "rw",
        "kelurahan_id",
        "mother_name",
    )
    queryset = entries.values_list(*fields) if hasattr(entries, "values_list") else entries
    for pk, roll_id, name, nik, damaged, kk, bd, sex, address, rt, rw, kel, mother in queryset.iterator(
        chunk_size=5000
    ):
        rid = str(pk)
        rolls[rid] = roll_id
        # A NIK damaged by Excel keeps its digits; the engine reads "digits.0" as such a number.
        id_number = f"{nik}.0" if damaged and nik.isdigit() else _text(nik)
        rows.append(
            (
                rid,
                _text(name),
                id_number,
                _text(kk),
                _iso(bd),
                _text(sex),
                _text(address),
                _text(rt),
                _text(rw),
                kel,
                _text(mother),
            )
        )
    return pd.DataFrame(rows, columns=COLUMNS), rolls


def right_frame() -> tuple[pd.DataFrame, dict[int, int | None]]:
    """Every registry person but marked duplicates, with the family's KK, address, RT/RW and kelurahan;
    and ``{person_id: family_id}``."""
    rows = []
    families: dict[int, int | None] = {}
    queryset = (
        Person.objects.exclude(status=Status.GANDA)
        .values_list(
            "id",
            "name",
            "nik",
            "family__kk",
            "birth_date",
            "sex",
            "family__address",
            "family__rt",
            "family__rw",
            "family__kelurahan_id",
            "kelurahan_id",
            "mother_name",
            "family_id",
        )
        .order_by()
    )
    for pk, name, nik, kk, bd, sex, address, rt, rw, fam_kel, kel, mother, family_id in queryset.iterator(
        chunk_size=5000
    ):
        families[pk] = family_id
        rows.append(
            (
                str(pk),
                _text(name),
                _text(nik),
                _text(kk),
                _iso(bd),
                _text(sex),
                _text(address),
                _text(rt),
                _text(rw),
                fam_kel or kel,
                _text(mother),
            )
        )
    return pd.DataFrame(rows, columns=COLUMNS), families


def entries_of(rolls: Iterable[int]) -> Any:
    return RollEntry.objects.filter(roll_id__in=list(rolls)).order_by()
