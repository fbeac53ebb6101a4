"""Compare validated rows with the registry and write the difference.

Set-based: for each chunk of rows (a few thousand, ending on a family boundary) the keys the chunk needs
are loaded in a handful of queries (families by source id and KK; persons by NIK, source id and family;
their live memberships and welfare records), every row is decided in memory, and the writes go out as
``executemany`` batches (``padu.core.bulk``). With ``write=False`` the same decisions are made and
counted but nothing is written: that is the validation preview.

Matching: a person by valid NIK, else by the source's person id, else by (family, name, birth date); a
family by the source's family id, else by KK. What changes:

- a new family or person is inserted (family, KK history, welfare record, membership, first history);
- a family's welfare for the period goes into its own ``WelfareRecord`` (other periods are never
  touched); ``Family.desil``/``extreme_poor`` follow the latest period;
- a KK change closes the old ``KkHistory`` row and opens the new one;
- a person's death or move out closes the live membership (``Person.status``, ``death_date``);
- a person found in another family is moved: old membership closed, new one opened;
- every status, KK, desil, kelurahan, family and relationship change gets a ``StatusChange`` row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone

from padu.core.bulk import allocate_ids
from padu.ingest.engine import CRITERIA_FIELDS, HOUSING_FIELDS, FieldIssue, RowResult
from padu.registry.choices import Relationship, Status
from padu.registry.models import Family, KkHistory, Membership, Person, StatusChange, WelfareRecord
from padu.registry.services import (
    FAMILY_COLUMNS,
    HISTORY_COLUMNS,
    KK_COLUMNS,
    MEMBERSHIP_COLUMNS,
    PERSON_COLUMNS,
    WELFARE_COLUMNS,
)

LEAVING = frozenset({Status.MENINGGAL, Status.PINDAH})
PERSON_TEXT_FIELDS = ("name", "birth_place", "mother_name", "occupation")
KEY_SLICE = 2000
LIVE_VALID_NIK = f'"nik_valid" AND NOT ("status" = \'{Status.GANDA}\')'

FAMILY_VALUES: tuple[str, ...] = ("id", "kk", "kk_valid", "source_id", "kelurahan_id", "address", "rt", "rw")
FAMILY_VALUES += ("status", "desil", "extreme_poor")
PERSON_VALUES: tuple[str, ...] = ("id", "nik", "nik_valid", "source_id", "name", "sex", "birth_date")
PERSON_VALUES += ("birth_place", "mother_name", "family_id", "kelurahan_id", "status", "death_date")
PERSON_VALUES += ("disability", "occupation")


def period_start(period: str) -> dt.date:
    return dt.date(int(period[:4]), int(period[5:7]), 1)


class NewId:
    """The id of a row planned for insertion; filled in when the chunk is written."""

    __slots__ = ("id",)

    def __init__(self) -> None:
        self.id: int | None = None


def _real(value: Any) -> Any:
    return value.id if isinstance(value, NewId) else value


@dataclass
class Outcome:
    status: str  # "accepted" | "unchanged" | "rejected"
    issues: list[FieldIssue] = field(default_factory=list)


@dataclass
class _Plan:
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
class _State:
    fam_by_sid: dict[str, dict[str, Any]] = field(default_factory=dict)
    fam_by_kk: dict[str, dict[str, Any]] = field(default_factory=dict)
    person_by_nik: dict[str, dict[str, Any]] = field(default_factory=dict)
    person_by_sid: dict[str, dict[str, Any]] = field(default_factory=dict)
    person_by_family: dict[Any, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    live: dict[Any, dict[str, Any]] = field(default_factory=dict)  # person id -> live membership
    welfare: dict[Any, dict[tuple[str, str], dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(dict)
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _slices(keys: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(keys)
    for start in range(0, len(items), KEY_SLICE):
        yield items[start : start + KEY_SLICE]


def nik_of(values: dict[str, Any]) -> tuple[str, bool]:
    """The NIK to store and whether it is valid; an invalid one keeps its digits, flagged."""
    nik = values.get("nik")
    if nik:
        return str(nik), True
    return _text(values.get("nik_digits"))[:16], False


class RegistryDiff:
    """Decide (and with ``write=True`` apply) what each chunk of rows changes in the registry."""

    def __init__(
        self,
        *,
        period: str,
        source: str,
        label: str,
        author_id: int | None,
        write: bool,
        nik_column: str = "",
    ) -> None:
        self.period = period
        self.since = period_start(period)
        self.source = source
        self.label = label[:200]
        self.author_id = author_id
        self.write = write
        self.nik_column = nik_column
        self.stats: Counter[str] = Counter()

    # -- public ---------------------------------------------------------------------------------

    def apply(self, results: Sequence[RowResult]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(results)
        groups: dict[str, list[int]] = {}
        for i, result in enumerate(results):
            if not result.ok:
                outcomes[i] = Outcome("rejected")
            elif not result.values.get("kelurahan_code"):
                outcomes[i] = Outcome(
                    "rejected",
                    [
                        self._issue(
                            "kelurahan_code",
                            "kelurahan_code.missing",
                            "Kode kelurahan kosong; baris tidak dapat dimasukkan ke registri",
                            "Kelurahan code is empty; the row cannot enter the registry",
                            "error",
                        )
                    ],
                )
            else:
                groups.setdefault(result.family_key or f"line:{result.line}", []).append(i)
        state = self._load([results[i] for idx in groups.values() for i in idx])
        plan = _Plan()
        for indexes in groups.values():
            self._family([results[i] for i in indexes], indexes, state, plan, outcomes)
        self.stats["families_changed"] += len(plan.family_updates)
        self.stats["persons_changed"] += len(plan.person_updates)
        if self.write:
            self._flush(plan)
        return [o if o is not None else Outcome("rejected") for o in outcomes]

    # -- loading --------------------------------------------------------------------------------

    def _load(self, rows: list[RowResult]) -> _State:
        st = _State()
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
        for fam in _select(Family, FAMILY_VALUES, "source_id", sids, live):
            fam = families.setdefault(fam["id"], fam)
            st.fam_by_sid.setdefault(fam["source_id"], fam)
        # KK only where the source's family id did not find the family (or there is none).
        kks = {
            r.values.get("kk") or "" for r in rows if (r.values.get("family_id") or "") not in st.fam_by_sid
        }
        for fam in _select(Family, FAMILY_VALUES, "kk", kks - {""}, live):
            fam = families.setdefault(fam["id"], fam)
            st.fam_by_kk.setdefault(fam["kk"], fam)
        # Persons: the members of the families found, then by NIK and source id for the others.
        persons: dict[int, dict[str, Any]] = {p["id"]: p for p in _select(Person, PERSON_VALUES, "family_id",
                                                                          families, live)}  # fmt: skip
        known_niks = {p["nik"] for p in persons.values() if p["nik_valid"]}
        known_sids = {p["source_id"] for p in persons.values()}
        niks -= known_niks | {""}
        psids -= known_sids | {""}
        # By NIK only the valid ones (the only ones matched on), in the words of the partial unique
        # index "person_one_live_per_valid_nik", so that index answers (the plain one on nik may be
        # dropped during a large first load, see tuning.deferred_indexes).
        for column, keys, where in (("nik", niks, LIVE_VALID_NIK), ("source_id", psids, live)):
            for p in _select(Person, PERSON_VALUES, column, keys, where):
                persons.setdefault(p["id"], p)
        for p in sorted(persons.values(), key=itemgetter("id")):
            if p["nik_valid"] and p["nik"]:
                st.person_by_nik.setdefault(p["nik"], p)
            if p["source_id"]:
                st.person_by_sid.setdefault(p["source_id"], p)
            if p["family_id"] in families:
                st.person_by_family[p["family_id"]].append(p)
        membership = ("id", "person_id", "family_id", "relationship")
        for m in _select(Membership, membership, "person_id", persons, "valid_to IS NULL"):
            m["planned"] = None
            st.live[m["person_id"]] = m
        welfare = ("id", "family_id", "period", "source", "desil", "extreme_poor", "criteria", "housing")
        for w in _select(WelfareRecord, welfare, "family_id", families):
            w["criteria"], w["housing"] = _json(w["criteria"]), _json(w["housing"])
            st.welfare[w["family_id"]][(w["period"], w["source"])] = w
        return st

    # -- deciding -------------------------------------------------------------------------------

    def _family(
        self,
        rows: list[RowResult],
        indexes: list[int],
        st: _State,
        plan: _Plan,
        outcomes: list[Outcome | None],
    ) -> None:
        head = next((r for r in rows if r.values.get("relationship") == Relationship.KEPALA), rows[0])
        hv = head.values
        sid, kk = _text(hv.get("family_id")), _text(hv.get("kk"))
        fam = (st.fam_by_sid.get(sid) if sid else None) or (st.fam_by_kk.get(kk) if kk else None)
        if fam is None:
            fam = self._new_family(hv, plan)
            if sid:
                st.fam_by_sid[sid] = fam
            if kk:
                st.fam_by_kk[kk] = fam
            group_changed = True
        else:
            group_changed = self._update_family(fam, hv, st, plan)
        group_changed = self._welfare(fam, hv, st, plan) or group_changed
        row_changed: list[bool] = []
        row_issues: list[list[FieldIssue]] = []
        for r in rows:
            issues: list[FieldIssue] = []
            row_changed.append(self._person(r, fam, st, plan, issues))
            row_issues.append(issues)
        group_changed = self._family_status(fam, rows, head, st, plan) or group_changed
        for i, changed, issues in zip(indexes, row_changed, row_issues, strict=True):
            outcomes[i] = Outcome("accepted" if (changed or group_changed) else "unchanged", issues)

    def _new_family(self, hv: dict[str, Any], plan: _Plan) -> dict[str, Any]:
        kk = _text(hv.get("kk"))
        fam = {
            "id": NewId(),
            "kk": kk or _text(hv.get("kk_digits"))[:16],
            "kk_valid": bool(kk),
            "source_id": _text(hv.get("family_id"))[:40],
            "kelurahan_id": hv["kelurahan_code"],
            "address": _text(hv.get("address"))[:200],
            "rt": _text(hv.get("rt"))[:3],
            "rw": _text(hv.get("rw"))[:3],
            "status": Status.AKTIF,
            "desil": None,
            "extreme_poor": False,
            "new": True,
        }
        plan.families.append(fam)
        plan.kk_rows.append((fam["id"], fam["kk"], self.since, None, self.label))
        self.stats["families_new"] += 1
        return fam

    def _update_family(self, fam: dict[str, Any], hv: dict[str, Any], st: _State, plan: _Plan) -> bool:
        changes: dict[str, Any] = {}
        kk = _text(hv.get("kk"))
        if kk and (kk != fam["kk"] or not fam["kk_valid"]):
            self._history(plan, fam["id"], None, "kk", fam["kk"], kk, self.since)
            plan.kk_close.append((self.since, fam["id"]))
            plan.kk_rows.append((fam["id"], kk, self.since, None, self.label))
            changes.update(kk=kk, kk_valid=True)
            st.fam_by_kk[kk] = fam
            self.stats["kk_changes"] += 1
        kel = _text(hv.get("kelurahan_code"))
        if kel and kel != fam["kelurahan_id"]:
            self._history(plan, fam["id"], None, "kelurahan", fam["kelurahan_id"], kel, self.since)
            changes["kelurahan_id"] = kel
            plan.family_kelurahan.append((kel, fam["id"]))
        for key, limit in (("address", 200), ("rt", 3), ("rw", 3)):
            value = _text(hv.get(key))[:limit]
            if value and value != fam[key]:
                changes[key] = value
        sid = _text(hv.get("family_id"))[:40]
        if sid and not fam["source_id"]:
            changes["source_id"] = sid
        self._set_family(fam, changes, plan)
        return bool(changes)

    def _set_family(self, fam: dict[str, Any], changes: dict[str, Any], plan: _Plan) -> None:
        if not changes:
            return
        fam.update(changes)
        if not fam.get("new"):
            plan.family_updates.setdefault(fam["id"], {}).update(changes)

    def _welfare(self, fam: dict[str, Any], hv: dict[str, Any], st: _State, plan: _Plan) -> bool:
        criteria = {k: bool(hv[k]) for k in CRITERIA_FIELDS if hv.get(k) is not None}
        housing = {k: _text(hv[k]) for k in HOUSING_FIELDS if hv.get(k) not in (None, "")}
        desil = hv.get("desil")
        extreme = bool(hv.get("extreme_poor"))
        if desil is None and "extreme_poor" not in hv and not criteria and not housing:
            return False
        records = st.welfare[fam["id"]]
        current = records.get((self.period, self.source))
        changed = False
        if current is None:
            plan.welfare.append((fam["id"], self.period, self.source, desil, extreme, criteria, housing))
            records[(self.period, self.source)] = {
                "id": None,
                "desil": desil,
                "extreme_poor": extreme,
                "criteria": criteria,
                "housing": housing,
            }
            self.stats["welfare_new"] += 1
            changed = True
        elif current["id"] is not None and (
            current["desil"],
            current["extreme_poor"],
            current["criteria"],
            current["housing"],
        ) != (desil, extreme, criteria, housing):
            plan.welfare_update.append((desil, extreme, criteria, housing, self.label, current["id"]))
            current.update(desil=desil, extreme_poor=extreme, criteria=criteria, housing=housing)
            self.stats["welfare_updated"] += 1
            changed = True
        latest = max(period for period, _source in records)
        if self.period >= latest and (fam["desil"], fam["extreme_poor"]) != (desil, extreme):
            if not fam.get("new") and fam["desil"] != desil:
                self._history(plan, fam["id"], None, "desil", fam["desil"], desil, self.since)
            self._set_family(fam, {"desil": desil, "extreme_poor": extreme}, plan)
            changed = True
        return changed

    def _family_status(
        self, fam: dict[str, Any], rows: list[RowResult], head: RowResult, st: _State, plan: _Plan
    ) -> bool:
        fid = fam["id"]
        live = sum(
            1
            for p in st.person_by_family.get(fid, [])
            if p["status"] == Status.AKTIF
            and (m := st.live.get(p["id"])) is not None
            and m["family_id"] == fid
        )
        target: str
        if live:
            target = Status.AKTIF
        else:
            statuses = [str(r.values.get("status") or Status.AKTIF) for r in rows]
            head_status = str(head.values.get("status") or Status.AKTIF)
            target = (
                head_status
                if head_status != Status.AKTIF
                else next((s for s in statuses if s != Status.AKTIF), fam["status"])
            )
        if fam.get("new"):
            fam["status"] = target
            self._history(plan, fid, None, "status", "", target, self.since)
            return False
        if target == fam["status"] or (target == Status.AKTIF and fam["status"] == Status.MAMPU):
            return False
        self._history(plan, fid, None, "status", fam["status"], target, self.since)
        self._set_family(fam, {"status": target}, plan)
        return True

    def _match_person(
        self, v: dict[str, Any], fam: dict[str, Any], st: _State, issues: list[FieldIssue]
    ) -> dict[str, Any] | None:
        nik = v.get("nik")  # set only when valid (nik_of)
        if nik and (p := st.person_by_nik.get(str(nik))) is not None:
            return p
        psid = _text(v.get("person_id"))
        if psid and (p := st.person_by_sid.get(psid)) is not None:
            return p
        members = st.person_by_family.get(fam["id"])
        if not members:
            return None
        name = _text(v.get("name")).casefold()
        if not name:
            return None
        birth = v.get("birth_date")
        for p in members:
            if p["birth_date"] == birth and p["name"].casefold() == name:
                if nik and p["nik_valid"] and p["nik"] and p["nik"] != str(nik):
                    issues.append(
                        self._issue(
                            "nik",
                            "person.same_name_birth_other_nik",
                            f"Nama dan tanggal lahir sama dengan anggota keluarga lain ber-NIK {p['nik']}; "
                            "mungkin orang yang sama (ganda)",
                            f"Same name and birth date as a family member with NIK {p['nik']}; "
                            "possibly the same person (duplicate)",
                        )
                    )
                    continue
                return p
        return None

    def _person(
        self, r: RowResult, fam: dict[str, Any], st: _State, plan: _Plan, issues: list[FieldIssue]
    ) -> bool:
        v: dict[str, Any] = r.values
        status: str = v.get("status") or Status.AKTIF
        effective = v.get("status_date") or self.since
        p = self._match_person(v, fam, st, issues)
        if p is None:
            self._new_person(v, fam, status, effective, st, plan)
            return True
        changes: dict[str, Any] = {}
        nik, nik_valid = nik_of(v)
        if nik and (nik_valid or not p["nik_valid"]) and (nik, nik_valid) != (p["nik"], p["nik_valid"]):
            if nik_valid and p["nik"]:
                self._history(plan, None, p["id"], "nik", p["nik"], nik, self.since)
            changes.update(nik=nik, nik_valid=nik_valid, nik_issues=v.get("nik_issues") or [])
            if nik_valid:
                st.person_by_nik[nik] = p
        for key in PERSON_TEXT_FIELDS:
            value = _text(v.get(key))
            if value and value != p[key]:
                changes[key] = value
        if v.get("sex") and v["sex"] != p["sex"]:
            changes["sex"] = v["sex"]
        if v.get("birth_date") and v["birth_date"] != p["birth_date"]:
            changes["birth_date"] = v["birth_date"]
        if v.get("disability") is not None and bool(v["disability"]) != p["disability"]:
            changes["disability"] = bool(v["disability"])
        psid = _text(v.get("person_id"))[:40]
        if psid and not p["source_id"]:
            changes["source_id"] = psid
        if v.get("status") and status != p["status"]:
            self._history(plan, None, p["id"], "status", p["status"], status, effective)
            changes["status"] = status
            if status == Status.MENINGGAL:
                changes["death_date"] = effective
                self.stats["deaths"] += 1
        elif status == Status.MENINGGAL and v.get("status_date") and p["death_date"] != effective:
            changes["death_date"] = effective
        changed = self._membership(p, v, fam, status, effective, st, plan, issues, changes)
        if changes:
            p.update(changes)
            if not p.get("new"):
                plan.person_updates.setdefault(p["id"], {}).update(changes)
        return changed or bool(changes)

    def _membership(
        self,
        p: dict[str, Any],
        v: dict[str, Any],
        fam: dict[str, Any],
        status: str,
        effective: dt.date,
        st: _State,
        plan: _Plan,
        issues: list[FieldIssue],
        changes: dict[str, Any],
    ) -> bool:
        live = st.live.get(p["id"])
        if status in LEAVING:
            if live is None:
                return False
            self._close(live, effective, plan)
            del st.live[p["id"]]
            return True
        relationship = v.get("relationship") or (live["relationship"] if live else Relationship.LAINNYA)
        if live is not None and live["family_id"] == fam["id"]:
            if not v.get("relationship") or live["relationship"] == relationship:
                return False
            self._history(plan, None, p["id"], "relationship", live["relationship"], relationship, self.since)
            if live["planned"] is not None:
                live["planned"][2] = relationship
            else:
                plan.membership_relationship.append((relationship, live["id"]))
            live["relationship"] = relationship
            return True
        if live is not None:
            old_kel = p["kelurahan_id"]
            if old_kel and old_kel != fam["kelurahan_id"]:
                issues.append(
                    self._issue(
                        "nik",
                        "nik.in_other_family",
                        f"NIK sudah tercatat aktif di keluarga lain di kelurahan {old_kel}; dicatat sebagai "
                        "pindah keluarga",
                        f"NIK is already live in another family in kelurahan {old_kel}; recorded as a move",
                    )
                )
            self._history(plan, None, p["id"], "family", live["family_id"], fam["id"], self.since)
            self._close(live, self.since, plan)
            self.stats["moves"] += 1
        planned = [p["id"], fam["id"], relationship, self.since, None]
        plan.memberships.append(planned)
        st.live[p["id"]] = {
            "id": None,
            "family_id": fam["id"],
            "relationship": relationship,
            "planned": planned,
        }
        st.person_by_family[fam["id"]].append(p)
        if p["family_id"] != fam["id"]:
            changes["family_id"] = fam["id"]
        if p["kelurahan_id"] != fam["kelurahan_id"]:
            changes["kelurahan_id"] = fam["kelurahan_id"]
        return True

    def _close(self, live: dict[str, Any], when: dt.date, plan: _Plan) -> None:
        if live["planned"] is not None:
            live["planned"][4] = max(when, self.since)
        else:
            plan.membership_close.append((when, live["id"]))

    def _new_person(
        self,
        v: dict[str, Any],
        fam: dict[str, Any],
        status: str,
        effective: dt.date,
        st: _State,
        plan: _Plan,
    ) -> None:
        nik, nik_valid = nik_of(v)
        get = v.get
        relationship = get("relationship") or Relationship.LAINNYA
        fid = fam["id"]
        p = {
            "id": NewId(),
            "nik": nik,
            "nik_valid": nik_valid,
            "nik_issues": get("nik_issues") or [],
            "source_id": (get("person_id") or "")[:40],
            "name": (get("name") or "")[:150],
            "sex": get("sex") or "",
            "birth_date": get("birth_date"),
            "birth_place": (get("birth_place") or "")[:80],
            "mother_name": (get("mother_name") or "")[:150],
            "family_id": fid,
            "kelurahan_id": fam["kelurahan_id"],
            "status": status,
            "death_date": effective if status == Status.MENINGGAL else None,
            "disability": bool(get("disability")),
            "occupation": (get("occupation") or "")[:80],
            "new": True,
        }
        plan.persons.append(p)
        self.stats["persons_new"] += 1
        leaving = status in LEAVING
        valid_to = max(effective, self.since) if leaving else None
        planned = [p["id"], fam["id"], relationship, self.since, valid_to]
        plan.memberships.append(planned)
        if not leaving:
            st.live[p["id"]] = {
                "id": None,
                "family_id": fam["id"],
                "relationship": relationship,
                "planned": planned,
            }
        if status != Status.AKTIF:
            self._history(plan, None, p["id"], "status", "", status, effective)
        if nik_valid:
            st.person_by_nik[nik] = p
        if p["source_id"]:
            st.person_by_sid[p["source_id"]] = p
        st.person_by_family[fam["id"]].append(p)

    def _history(
        self, plan: _Plan, family: Any, person: Any, name: str, old: Any, new: Any, when: dt.date
    ) -> None:
        plan.history.append((family, person, name, old, new, when))
        self.stats["status_changes"] += 1

    def _issue(
        self, field_name: str, code: str, message_id: str, message_en: str, severity: str = "warning"
    ) -> FieldIssue:
        column = self.nik_column if field_name == "nik" else None
        if column:
            message_id, message_en = f"Kolom '{column}': {message_id}", f"Column '{column}': {message_en}"
        return FieldIssue(field_name, column or None, code, severity, message_id, message_en)

    # -- writing --------------------------------------------------------------------------------

    def _flush(self, plan: _Plan) -> None:
        vendor = connection.vendor
        now = db_value(timezone.now(), vendor)
        day = _day if vendor == "sqlite" else _same
        for ref, new_id in zip(
            (f["id"] for f in plan.families), allocate_ids(Family, len(plan.families)), strict=True
        ):
            ref.id = new_id
        for ref, new_id in zip(
            (p["id"] for p in plan.persons), allocate_ids(Person, len(plan.persons)), strict=True
        ):
            ref.id = new_id
        bulk_insert(
            Family,
            FAMILY_COLUMNS,
            [
                (f["id"].id, f["kk"], f["kk_valid"], f["source_id"], f["kelurahan_id"], f["address"], f["rt"],
                 f["rw"], f["status"], f["desil"], f["extreme_poor"], now, now)
                for f in plan.families
            ],
        )  # fmt: skip
        self._updates(Family, plan.family_updates, now)
        _execute(
            KkHistory, "UPDATE {t} SET valid_to = %s WHERE family_id = %s AND valid_to IS NULL", plan.kk_close
        )
        bulk_insert(
            KkHistory,
            KK_COLUMNS,
            [(_real(f), kk, day(since), None, source) for f, kk, since, _to, source in plan.kk_rows],
        )
        bulk_insert(
            Person,
            PERSON_COLUMNS,
            [
                (p["id"].id, p["nik"], p["nik_valid"], _dumps(p["nik_issues"]), p["source_id"], p["name"],
                 p["sex"], day(p["birth_date"]), p["birth_place"], p["mother_name"], _real(p["family_id"]),
                 p["kelurahan_id"], p["status"], day(p["death_date"]), p["disability"], p["occupation"], now,
                 now)
                for p in plan.persons
            ],
        )  # fmt: skip
        self._updates(Person, plan.person_updates, now)
        _execute(Person, "UPDATE {t} SET kelurahan_id = %s WHERE family_id = %s", plan.family_kelurahan)
        _execute(Membership, "UPDATE {t} SET valid_to = %s WHERE id = %s", plan.membership_close)
        _execute(Membership, "UPDATE {t} SET relationship = %s WHERE id = %s", plan.membership_relationship)
        bulk_insert(
            Membership,
            MEMBERSHIP_COLUMNS,
            [(_real(p), _real(f), rel, day(since), day(to)) for p, f, rel, since, to in plan.memberships],
        )
        bulk_insert(
            WelfareRecord,
            WELFARE_COLUMNS,
            [
                (
                    _real(fid),
                    period,
                    source,
                    desil,
                    extreme,
                    _dumps(criteria),
                    _dumps(housing),
                    self.label,
                    now,
                )
                for fid, period, source, desil, extreme, criteria, housing in plan.welfare
            ],
        )
        _execute(
            WelfareRecord,
            "UPDATE {t} SET desil = %s, extreme_poor = %s, criteria = %s, housing = %s, imported_from = %s "
            "WHERE id = %s",
            plan.welfare_update,
        )
        bulk_insert(
            StatusChange,
            HISTORY_COLUMNS,
            [
                (_real(f), _real(p), name, _text(_real(old))[:100], _text(_real(new))[:100], day(when),
                 self.label, self.author_id, now)
                for f, p, name, old, new, when in plan.history
            ],
        )  # fmt: skip

    def _updates(self, model: type[models.Model], updates: dict[Any, dict[str, Any]], now: Any) -> None:
        by_columns: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
        for pk, changes in updates.items():
            columns = tuple(sorted(changes))
            by_columns[columns].append((*(changes[c] for c in columns), now, _real(pk)))
        for columns, rows in by_columns.items():
            sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in (*columns, "updated_at"))
            _execute(model, f"UPDATE {{t}} SET {sets} WHERE id = %s", rows)


def _same(value: Any) -> Any:
    return value


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _dumps(value: Any) -> str:
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return json.dumps(value, ensure_ascii=False)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _select(
    model: type[models.Model], columns: Sequence[str], key: str, keys: Iterable[Any], where: str = ""
) -> Iterator[dict[str, Any]]:
    """Rows of ``model`` whose ``key`` is one of ``keys`` (plain SQL: no model instances, no ORM cost)."""
    quote = connection.ops.quote_name
    head = "SELECT {} FROM {} WHERE ".format(
        ", ".join(quote(c) for c in columns), quote(model._meta.db_table)
    )
    extra = f" AND {where}" if where else ""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for part in _slices(keys):
            if postgres:  # one array parameter: no 2,000-placeholder statement to build and parse
                cursor.execute(f"{head}{quote(key)} = ANY(%s){extra}", [part])
            else:
                cursor.execute(f"{head}{quote(key)} IN ({', '.join(['%s'] * len(part))}){extra}", part)
            for row in cursor.fetchall():
                yield dict(zip(columns, row, strict=True))


def bulk_insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT rows whose values are already in database form (``insert_rows`` without per-value work).

    PostgreSQL gets ``COPY ... FROM STDIN`` (an order of magnitude faster than row inserts); SQLite
    one ``executemany`` in the open transaction."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


def db_value(value: Any, vendor: str) -> Any:
    if isinstance(value, NewId):
        return value.id
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if vendor == "sqlite" and isinstance(value, dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return value


def _execute(model: type[models.Model], sql: str, rows: Sequence[Sequence[Any]]) -> None:
    if not rows:
        return
    vendor = connection.vendor
    statement = sql.format(t=connection.ops.quote_name(model._meta.db_table))
    with connection.cursor() as cursor:
        cursor.executemany(statement, [tuple(db_value(v, vendor) for v in row) for row in rows])
