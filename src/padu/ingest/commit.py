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
from collections import Counter
from collections.abc import Sequence
from typing import Any

from padu.ingest.engine import CRITERIA_FIELDS, HOUSING_FIELDS, FieldIssue, RowResult
from padu.ingest.registry_plan import Outcome, Plan, SeenKeys, State, load_state, write_plan
from padu.ingest.sql import NewId, bulk_insert, db_value
from padu.ingest.writer import ChunkWriter
from padu.registry.choices import Relationship, Status

# Outcome, NewId, bulk_insert and db_value are also imported from here by other intake kinds.
__all__ = ["NewId", "Outcome", "RegistryDiff", "bulk_insert", "db_value", "nik_of", "period_start"]

LEAVING = frozenset({Status.MENINGGAL, Status.PINDAH})
PERSON_TEXT_FIELDS = ("name", "birth_place", "mother_name", "occupation")


def period_start(period: str) -> dt.date:
    return dt.date(int(period[:4]), int(period[5:7]), 1)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


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
        # Set by the caller for a whole-file commit: chunks are then written on its thread while the
        # next chunk is decided (padu.ingest.writer).
        self.writer: ChunkWriter | None = None
        # Set by the caller when the registry was empty at the start and is held by this import's
        # transaction: lookups are then skipped for rows whose keys it has not sent yet.
        self.seen: SeenKeys | None = None

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
        seen = self.seen
        if seen is None:
            state = self._load([results[i] for idx in groups.values() for i in idx])
        else:  # a first load: only the families with a key this import already sent are looked up
            known = [
                results[i] for idx in groups.values() if seen.any_seen([results[i] for i in idx]) for i in idx
            ]
            state = self._load(known) if known else State()
        plan = Plan()
        for indexes in groups.values():
            self._family([results[i] for i in indexes], indexes, state, plan, outcomes)
        if seen is not None:
            seen.add_rows([results[i] for idx in groups.values() for i in idx])
        self.stats["families_changed"] += len(plan.family_updates)
        self.stats["persons_changed"] += len(plan.person_updates)
        if self.write:
            self._flush(plan)
        return [o if o is not None else Outcome("rejected") for o in outcomes]

    # -- loading --------------------------------------------------------------------------------

    def _load(self, rows: list[RowResult]) -> State:
        if self.writer is not None:
            self.writer.drain()  # the previous chunk must be in the database before we look
        return load_state(rows)

    def _family(
        self,
        rows: list[RowResult],
        indexes: list[int],
        st: State,
        plan: Plan,
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

    def _new_family(self, hv: dict[str, Any], plan: Plan) -> dict[str, Any]:
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

    def _update_family(self, fam: dict[str, Any], hv: dict[str, Any], st: State, plan: Plan) -> bool:
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

    def _set_family(self, fam: dict[str, Any], changes: dict[str, Any], plan: Plan) -> None:
        if not changes:
            return
        fam.update(changes)
        if not fam.get("new"):
            plan.family_updates.setdefault(fam["id"], {}).update(changes)

    def _welfare(self, fam: dict[str, Any], hv: dict[str, Any], st: State, plan: Plan) -> bool:
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
        self, fam: dict[str, Any], rows: list[RowResult], head: RowResult, st: State, plan: Plan
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
        self, v: dict[str, Any], fam: dict[str, Any], st: State, issues: list[FieldIssue]
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

    # -- writing --------------------------------------------------------------------------------

    def _flush(self, plan: Plan) -> None:
        if self.writer is None:
            write_plan(plan, label=self.label, author_id=self.author_id)
            return
        label, author_id = self.label, self.author_id
        self.writer.submit(lambda: write_plan(plan, label=label, author_id=author_id))
