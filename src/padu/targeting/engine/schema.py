"""The logical schema contract the targeting engine reads: which physical table and column holds what.

Every ``str`` field names a physical table or column; a field typed ``str | None`` is optional and ``None``
means "not available" (the engine then treats the value as NULL / false and the rules that need it do not
fire). Defaults are the table and column names :mod:`padu.targeting.engine.synthload` creates, so tests and
benchmarks use ``TargetingSchema()`` as is; the Django side builds one naming its own tables (or views).

Value conventions (the Django side maps its codes onto these, e.g. with a view):

* status of persons and families: ``aktif``, ``mampu``, ``meninggal``, ``pindah``, ``tidak_ditemukan``,
  ``ganda``;
* ``programmes.unit``: ``person`` or ``family``; ``targeting``: ``entitlement`` (every eligible unit
  should be on the roll) or ``quota``; ``recipient`` (family programmes): ``head`` or ``mother``;
* ``programmes.benefit_frequency``: a code of :data:`padu.targeting.engine.rupiah.PAYMENTS_PER_YEAR`;
* ``statuses`` and ``categories``: comma-separated codes without spaces (``aktif,mampu``;
  ``pkh_component``), categories from :data:`padu.targeting.engine.rules.CATEGORIES`;
* ``roll_entries.link_status``: ``matched`` or ``unmatched`` (anything but ``matched`` counts as unmatched);
* dates: SQL ``date`` (PostgreSQL) or ISO ``YYYY-MM-DD`` text (SQLite, as Django stores them);
* booleans: ``boolean`` (PostgreSQL) or 0/1 (SQLite).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

__all__ = [
    "AsnTable",
    "ExclusionsTable",
    "FamiliesTable",
    "MembershipsTable",
    "PersonsTable",
    "ProgrammesTable",
    "RollEntriesTable",
    "TargetingSchema",
    "quote_name",
]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def quote_name(name: str) -> str:
    """``schema.table`` or ``column`` as a quoted SQL identifier; refuses anything but plain names."""
    parts = name.split(".")
    if not name or len(parts) > 2 or not all(_IDENT.fullmatch(p) for p in parts):
        raise ValueError(f"nama tabel/kolom tidak sah / invalid table or column name: {name!r}")
    return ".".join(f'"{p}"' for p in parts)


@dataclass(frozen=True)
class PersonsTable:
    table: str = "tg_person"
    id: str = "id"
    family_id: str = "family_id"
    status: str = "status"
    nik: str | None = "nik"
    death_date: str | None = "death_date"
    birth_date: str | None = "birth_date"
    sex: str | None = "sex"  # L / P
    kelurahan_code: str | None = "kelurahan_code"  # NULL: the family's
    relationship: str | None = "relationship"  # kepala, istri, ... (padu.registry.choices.Relationship)
    is_pregnant: str | None = "is_pregnant"
    disability: str | None = "disability"
    in_school: str | None = "in_school"


@dataclass(frozen=True)
class FamiliesTable:
    table: str = "tg_family"
    id: str = "id"
    desil: str = "desil"
    status: str = "status"
    kelurahan_code: str = "kelurahan_code"
    extreme_poor: str | None = "extreme_poor"
    house_owned: str | None = "house_owned"
    house_unfit: str | None = "house_unfit"


@dataclass(frozen=True)
class ProgrammesTable:
    table: str = "tg_programme"
    id: str = "id"
    code: str = "code"
    unit: str = "unit"
    benefit_value_rp: str = "benefit_value_rp"
    benefit_frequency: str = "benefit_frequency"
    strategy: str = "strategy"
    opd: str | None = "opd"
    payments_per_year: str | None = "payments_per_year"  # overrides the frequency's count when set
    targeting: str | None = "targeting"  # None: every programme is an entitlement
    max_desil: str | None = "max_desil"
    statuses: str | None = "statuses"  # NULL: aktif only
    min_age: str | None = "min_age"
    max_age: str | None = "max_age"
    min_age_months: str | None = "min_age_months"
    max_age_months: str | None = "max_age_months"
    sex: str | None = "sex"
    categories: str | None = "categories"
    recipient: str | None = "recipient"


@dataclass(frozen=True)
class ExclusionsTable:
    """``programme_a`` may not be combined with ``programme_b``: a unit on both is a finding on its
    ``programme_a`` roll entry, and not being on ``programme_a`` is no exclusion error while on
    ``programme_b``. Directional; store both directions for a symmetric rule."""

    table: str = "tg_programme_exclusion"
    programme_a: str = "programme_a_id"
    programme_b: str = "programme_b_id"


@dataclass(frozen=True)
class RollEntriesTable:
    table: str = "tg_roll_entry"
    id: str = "id"
    programme_id: str = "programme_id"
    period: str = "period"
    row_number: str = "row_number"
    person_id: str = "person_id"
    family_id: str = "family_id"
    link_status: str = "link_status"
    nik: str | None = "nik"
    name: str | None = "name"
    kelurahan_code: str | None = "kelurahan_code"  # as written on the list (used for unmatched rows)
    # The amount of one payment written on the list row (PKH by component, PIP by school level …);
    # NULL, or no such column: the programme's ``benefit_value_rp``. Either way times its payments a year.
    benefit_rp: str | None = None


@dataclass(frozen=True)
class AsnTable:
    """Civil servants (ASN, e.g. a BKN extract): by NIK, by linked person, or both."""

    table: str = "tg_asn"
    nik: str | None = "nik"
    person_id: str | None = "person_id"


@dataclass(frozen=True)
class MembershipsTable:
    """Person-family memberships (KK history); a person with two current memberships is in two KK."""

    table: str = "tg_membership"
    person_id: str = "person_id"
    family_id: str = "family_id"
    valid_to: str | None = "valid_to"  # NULL = current


@dataclass(frozen=True)
class TargetingSchema:
    persons: PersonsTable = field(default_factory=PersonsTable)
    families: FamiliesTable = field(default_factory=FamiliesTable)
    programmes: ProgrammesTable = field(default_factory=ProgrammesTable)
    exclusions: ExclusionsTable = field(default_factory=ExclusionsTable)
    roll_entries: RollEntriesTable = field(default_factory=RollEntriesTable)
    asn: AsnTable | None = None
    memberships: MembershipsTable | None = None
    kecamatan_code_length: int = 8  # "36.73.01" is the first 8 characters of "36.73.01.1001"

    def __post_init__(self) -> None:
        for part in (
            self.persons,
            self.families,
            self.programmes,
            self.exclusions,
            self.roll_entries,
            self.asn,
            self.memberships,
        ):
            if part is None:
                continue
            for f in dataclasses.fields(part):
                value = getattr(part, f.name)
                if value is not None:
                    quote_name(value)


def col(alias: str, name: str | None) -> str:
    """``alias."column"``, or ``NULL`` when the contract has no such column."""
    return f"{alias}.{quote_name(name)}" if name else "NULL"


def tbl(name: str) -> str:
    return quote_name(name)
