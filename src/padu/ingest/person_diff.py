"""The person half of the registry diff (``padu.ingest.commit.RegistryDiff``).

Which person a row is (valid NIK, else the source's person id, else name and birth date within the
family), what changes on them (NIK, names, status, death), and their family membership: a death or
move out closes it, a person found in another family is moved. ``PersonDiff`` is a mixin:
``RegistryDiff`` holds the state it works on (period start, label, statistics) and decides the
families; the change-history and finding helpers both halves use are here, with the small value
helpers (``nik_of``, ``period_start``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from padu.ingest.engine import FieldIssue, RowResult
from padu.ingest.registry_plan import Plan, State
from padu.ingest.sql import NewId
from padu.registry.choices import Relationship, Status

LEAVING = frozenset({Status.MENINGGAL, Status.PINDAH})
PERSON_TEXT_FIELDS = ("name", "birth_place", "mother_name", "occupation")


def period_start(period: str) -> dt.date:
    return dt.date(int(period[:4]), int(period[5:7]), 1)


def text_of(value: Any) -> str:
    return "" if value is None else str(value).strip()


def nik_of(values: dict[str, Any]) -> tuple[str, bool]:
    """The NIK to store and whether it is valid; an invalid one keeps its digits, flagged."""
    nik = values.get("nik")
    if nik:
        return str(nik), True
    return text_of(values.get("nik_digits"))[:16], False


class PersonDiff:
    """Person decisions of ``RegistryDiff``; the attributes below are set by its ``__init__``."""

    since: dt.date
    stats: Counter[str]
    nik_column: str

    def _match_person(
        self, v: dict[str, Any], fam: dict[str, Any], st: State, issues: list[FieldIssue]
    ) -> dict[str, Any] | None:
        nik = v.get("nik")  # set only when valid (nik_of)
        if nik and (p := st.person_by_nik.get(str(nik))) is not None:
            return p
        psid = text_of(v.get("person_id"))
        if psid and (p := st.person_by_sid.get(psid)) is not None:
            return p
        members = st.person_by_family.get(fam["id"])
        if not members:
            return None
        name = text_of(v.get("name")).casefold()
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
        self, r: RowResult, fam: dict[str, Any], st: State, plan: Plan, issues: list[FieldIssue]
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
            value = text_of(v.get(key))
            if value and value != p[key]:
                changes[key] = value
        if v.get("sex") and v["sex"] != p["sex"]:
            changes["sex"] = v["sex"]
        if v.get("birth_date") and v["birth_date"] != p["birth_date"]:
            changes["birth_date"] = v["birth_date"]
        if v.get("disability") is not None and bool(v["disability"]) != p["disability"]:
            changes["disability"] = bool(v["disability"])
        psid = text_of(v.get("person_id"))[:40]
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
        st: State,
        plan: Plan,
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

    def _close(self, live: dict[str, Any], when: dt.date, plan: Plan) -> None:
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
        st: State,
        plan: Plan,
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
        self, plan: Plan, family: Any, person: Any, name: str, old: Any, new: Any, when: dt.date
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
