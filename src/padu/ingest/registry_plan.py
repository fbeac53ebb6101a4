"""The registry side of an import chunk: what is loaded before deciding (``load_state``), what the
decisions plan (``Plan``), and how the plan is written (``write_plan``). The deciding itself is
:class:`padu.ingest.commit.RegistryDiff`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import numpy as np
from django.db import connection, models
from django.utils import timezone

from padu.core.bulk import allocate_ids
from padu.ingest import sql
from padu.ingest.engine import FieldIssue, RowResult
from padu.ingest.sql import day, db_value, dumps, execute_rows, load_json, real, same, select_rows
from padu.registry.choices import Status
from padu.registry.models import Family, KkHistory, Membership, Person, StatusChange, WelfareRecord
from padu.registry.services import (
    FAMILY_COLUMNS,
    HISTORY_COLUMNS,
    KK_COLUMNS,
    MEMBERSHIP_COLUMNS,
    PERSON_COLUMNS,
    WELFARE_COLUMNS,
)

__all__ = ["Outcome", "Plan", "SeenKeys", "State", "load_state", "write_plan"]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


LIVE_VALID_NIK = f'"nik_valid" AND NOT ("status" = \'{Status.GANDA}\')'
FAMILY_VALUES: tuple[str, ...] = ("id", "kk", "kk_valid", "source_id", "kelurahan_id", "address", "rt", "rw")
FAMILY_VALUES += ("status", "desil", "extreme_poor")
PERSON_VALUES: tuple[str, ...] = ("id", "nik", "nik_valid", "source_id", "name", "sex", "birth_date")
PERSON_VALUES += ("birth_place", "mother_name", "family_id", "kelurahan_id", "status", "death_date")
PERSON_VALUES += ("disability", "occupation")


@dataclass
class Outcome:
    status: str  # "accepted" | "unchanged" | "rejected"
    issues: list[FieldIssue] = field(default_factory=list)


@dataclass
class Plan:
    families: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    memberships: list[list[Any]] = field(default_factory=list)
    kk_rows: list[tuple[Any, ...]] = field(default_factory=list)
    kk_close: list[tuple[Any, ...]] = field(default_factory=list)
    welfare: list[tuple[Any, ...]] = field(default_factory=list)
    welfare_update: list[tuple[Any, ...]] = field(default_factory=list)
    history: list[tuple[Any, ...]] = field(default_factory=list)
    membership_close: list[tuple[Any, ...]] = field(default_factory=list)
    membership_relationship: list[tuple[Any, ...]] = field(default_factory=list)
    family_updates: dict[Any, dict[str, Any]] = field(default_factory=dict)
    person_updates: dict[Any, dict[str, Any]] = field(default_factory=dict)
    family_kelurahan: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class State:
    fam_by_sid: dict[str, dict[str, Any]] = field(default_factory=dict)
    fam_by_kk: dict[str, dict[str, Any]] = field(default_factory=dict)
    person_by_nik: dict[str, dict[str, Any]] = field(default_factory=dict)
    person_by_sid: dict[str, dict[str, Any]] = field(default_factory=dict)
    person_by_family: dict[Any, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    live: dict[Any, dict[str, Any]] = field(default_factory=dict)  # person id -> live membership
    welfare: dict[Any, dict[tuple[str, str], dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(dict)
    )


ROW_KEYS = ("family_id", "kk", "kk_digits", "nik", "person_id")  # the keys a row is looked up by
# What each key is looked up as: a NIK that happens to equal another family's KK (both are 16 digits of
# region and date) must not count as seen. An invalid KK's digits are stored as the family's kk.
_SALT = {"family_id": 0, "kk": 0x5BD1E9955BD1E995, "nik": 0x27D4EB2F165667C5, "person_id": 0x165667B19E3779F9}
_SALT["kk_digits"] = _SALT["kk"]
_ROW_SALTS = np.array([_SALT[name] for name in ROW_KEYS], dtype=np.uint64)[:, None]  # one per ROW_KEYS


class SeenKeys:
    """The keys this import has sent to a registry that was empty when it began, as a Bloom filter of
    fixed size (16 MiB, whatever the file's size).

    ``load_state`` looks a chunk's rows up by family id, KK, NIK and person id. In a first load the
    only registry rows are the ones this import wrote, so a row none of whose keys were seen cannot
    find anything: its lookups are skipped. A filter has no false negatives; a false positive (with
    two bit positions per key, about one key in 700 at a million persons) only sends that row's
    family to the lookups, which then find nothing. A chunk is checked at once (numpy): its keys'
    hashes, two bit positions each, tested and then set — so a key repeated within the chunk does not
    count as seen before (the chunk's own decisions see it). Only valid while nobody else writes the
    registry tables during the import (the caller holds them: SQLite's write lock, PostgreSQL's lock
    of the dropped indexes)."""

    BITS = 1 << 27
    _MASK = BITS - 1

    def __init__(self) -> None:
        self._bits = np.zeros(self.BITS >> 3, dtype=np.uint8)

    @staticmethod
    def _hashes(rows: Sequence[RowResult]) -> tuple[np.ndarray, np.ndarray]:
        """Salted hashes of the rows' keys (``len(ROW_KEYS)`` rows of ``len(rows)``) and where a key is
        present (an empty key hashes to 0; a real key hashing to 0, one in 2**64, counts as absent)."""
        values = [r.values for r in rows]
        hashes = np.empty((len(ROW_KEYS), len(rows)), dtype=np.int64)
        for k, name in enumerate(ROW_KEYS):
            hashes[k] = [hash(v.get(name) or "") for v in values]  # hash("") == 0
        salted = hashes.view(np.uint64) ^ _ROW_SALTS
        return salted, hashes != 0

    def check_and_add(self, rows: Sequence[RowResult]) -> list[bool]:
        """Record the keys of ``rows`` (a chunk); return, per row, whether one of its keys may have been
        recorded by an earlier call (false positives possible, no false negatives)."""
        if not rows:
            return []
        salted, present = self._hashes(rows)
        keys = salted[present]
        a = (keys & np.uint64(self._MASK)).astype(np.int64)
        b = ((keys >> np.uint64(27)) & np.uint64(self._MASK)).astype(np.int64)
        bits = self._bits
        bit_a = np.left_shift(1, a & 7).astype(np.uint8)
        bit_b = np.left_shift(1, b & 7).astype(np.uint8)
        hit = ((bits[a >> 3] & bit_a) != 0) & ((bits[b >> 3] & bit_b) != 0)
        np.bitwise_or.at(bits, a >> 3, bit_a)
        np.bitwise_or.at(bits, b >> 3, bit_b)
        seen = np.zeros(salted.shape, dtype=bool)
        seen[present] = hit
        flags: list[bool] = seen.any(axis=0).tolist()  # type: ignore[assignment]
        return flags


def load_state(rows: list[RowResult]) -> State:
    """The registry rows a chunk needs: its families, their members and the persons it names."""
    st = State()
    live = f"status <> '{Status.GANDA}'"
    families: dict[int, dict[str, Any]] = {}
    sids: set[str] = set()
    niks: set[str] = set()
    psids: set[str] = set()
    for r in rows:
        v: dict[str, Any] = r.values
        sids.add(v.get("family_id") or "")
        niks.add(v.get("nik") or "")
        psids.add(v.get("person_id") or "")
    sids.discard("")
    for fam in select_rows(Family, FAMILY_VALUES, "source_id", sids, live):
        fam = families.setdefault(fam["id"], fam)
        st.fam_by_sid.setdefault(fam["source_id"], fam)
    # KK only where the source's family id did not find the family (or there is none).
    kks = {r.values.get("kk") or "" for r in rows if (r.values.get("family_id") or "") not in st.fam_by_sid}
    for fam in select_rows(Family, FAMILY_VALUES, "kk", kks - {""}, live):
        fam = families.setdefault(fam["id"], fam)
        st.fam_by_kk.setdefault(fam["kk"], fam)
    # Persons: the members of the families found, then by NIK and source id for the others.
    persons: dict[int, dict[str, Any]] = {p["id"]: p for p in select_rows(Person, PERSON_VALUES, "family_id",
                                                                      families, live)}  # fmt: skip
    known_niks = {p["nik"] for p in persons.values() if p["nik_valid"]}
    known_sids = {p["source_id"] for p in persons.values()}
    niks -= known_niks | {""}
    psids -= known_sids | {""}
    # By NIK only the valid ones (the only ones matched on), in the words of the partial unique
    # index "person_one_live_per_valid_nik", so that index answers (the plain one on nik may be
    # dropped during a large first load, see tuning.deferred_indexes).
    for column, keys, where in (("nik", niks, LIVE_VALID_NIK), ("source_id", psids, live)):
        for p in select_rows(Person, PERSON_VALUES, column, keys, where):
            persons.setdefault(p["id"], p)
    for p in sorted(persons.values(), key=itemgetter("id")):
        if p["nik_valid"] and p["nik"]:
            st.person_by_nik.setdefault(p["nik"], p)
        if p["source_id"]:
            st.person_by_sid.setdefault(p["source_id"], p)
        if p["family_id"] in families:
            st.person_by_family[p["family_id"]].append(p)
    membership = ("id", "person_id", "family_id", "relationship")
    for m in select_rows(Membership, membership, "person_id", persons, "valid_to IS NULL"):
        m["planned"] = None
        st.live[m["person_id"]] = m
    welfare = ("id", "family_id", "period", "source", "desil", "extreme_poor", "criteria", "housing")
    for w in select_rows(WelfareRecord, welfare, "family_id", families):
        w["criteria"], w["housing"] = load_json(w["criteria"]), load_json(w["housing"])
        st.welfare[w["family_id"]][(w["period"], w["source"])] = w
    return st


# -- deciding -------------------------------------------------------------------------------


def write_plan(plan: Plan, *, label: str, author_id: int | None) -> None:
    """Write a chunk's plan: ids for the new rows, then COPY (binary on PostgreSQL)/``executemany`` per
    table."""
    vendor = connection.vendor
    now = db_value(timezone.now(), vendor)
    to_day = day if vendor == "sqlite" else same
    for ref, new_id in zip(
        (f["id"] for f in plan.families), allocate_ids(Family, len(plan.families)), strict=True
    ):
        ref.id = new_id
    for ref, new_id in zip(
        (p["id"] for p in plan.persons), allocate_ids(Person, len(plan.persons)), strict=True
    ):
        ref.id = new_id
    sql.bulk_insert(
        Family,
        FAMILY_COLUMNS,
        [
            (f["id"].id, f["kk"], f["kk_valid"], f["source_id"], f["kelurahan_id"], f["address"], f["rt"],
             f["rw"], f["status"], f["desil"], f["extreme_poor"], now, now)
            for f in plan.families
        ],
        binary=True,
    )  # fmt: skip
    _updates(Family, plan.family_updates, now)
    execute_rows(
        KkHistory, "UPDATE {t} SET valid_to = %s WHERE family_id = %s AND valid_to IS NULL", plan.kk_close
    )
    sql.bulk_insert(
        KkHistory,
        KK_COLUMNS,
        [(real(f), kk, to_day(since), None, source) for f, kk, since, _to, source in plan.kk_rows],
        binary=True,
    )
    sql.bulk_insert(
        Person,
        PERSON_COLUMNS,
        [
            (p["id"].id, p["nik"], p["nik_valid"], dumps(p["nik_issues"]), p["source_id"], p["name"],
             p["sex"], to_day(p["birth_date"]), p["birth_place"], p["mother_name"], real(p["family_id"]),
             p["kelurahan_id"], p["status"], to_day(p["death_date"]), p["disability"], p["occupation"], now,
             now)
            for p in plan.persons
        ],
        binary=True,
    )  # fmt: skip
    _updates(Person, plan.person_updates, now)
    execute_rows(Person, "UPDATE {t} SET kelurahan_id = %s WHERE family_id = %s", plan.family_kelurahan)
    execute_rows(Membership, "UPDATE {t} SET valid_to = %s WHERE id = %s", plan.membership_close)
    execute_rows(Membership, "UPDATE {t} SET relationship = %s WHERE id = %s", plan.membership_relationship)
    sql.bulk_insert(
        Membership,
        MEMBERSHIP_COLUMNS,
        [(real(p), real(f), rel, to_day(since), to_day(to)) for p, f, rel, since, to in plan.memberships],
        binary=True,
    )
    sql.bulk_insert(
        WelfareRecord,
        WELFARE_COLUMNS,
        [
            (
                real(fid),
                period,
                source,
                desil,
                extreme,
                dumps(criteria),
                dumps(housing),
                label,
                now,
            )
            for fid, period, source, desil, extreme, criteria, housing in plan.welfare
        ],
        binary=True,
    )
    execute_rows(
        WelfareRecord,
        "UPDATE {t} SET desil = %s, extreme_poor = %s, criteria = %s, housing = %s, imported_from = %s "
        "WHERE id = %s",
        plan.welfare_update,
    )
    sql.bulk_insert(
        StatusChange,
        HISTORY_COLUMNS,
        [
            (real(f), real(p), name, _text(real(old))[:100], _text(real(new))[:100], to_day(when),
             label, author_id, now)
            for f, p, name, old, new, when in plan.history
        ],
        binary=True,
    )  # fmt: skip


def _updates(model: type[models.Model], updates: dict[Any, dict[str, Any]], now: Any) -> None:
    by_columns: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
    for pk, changes in updates.items():
        columns = tuple(sorted(changes))
        by_columns[columns].append((*(changes[c] for c in columns), now, real(pk)))
    for columns, rows in by_columns.items():
        sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in (*columns, "updated_at"))
        execute_rows(model, f"UPDATE {{t}} SET {sets} WHERE id = %s", rows)
