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

The families are decided here; the persons and their memberships in ``padu.ingest.person_diff``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from padu.ingest.engine import CRITERIA_FIELDS, HOUSING_FIELDS, FieldIssue, RowResult
from padu.ingest.person_diff import PersonDiff, nik_of, period_start, text_of
from padu.ingest.registry_plan import Outcome, Plan, SeenKeys, State, load_state, write_plan
from padu.ingest.sql import NewId, bulk_insert, db_value
from padu.ingest.writer import ChunkWriter
from padu.registry.choices import Relationship, Status

# Outcome, NewId, bulk_insert and db_value are also imported from here by other intake kinds.
__all__ = ["NewId", "Outcome", "RegistryDiff", "bulk_insert", "db_value", "nik_of", "period_start"]


class RegistryDiff(PersonDiff):
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
        else:  # a first load: only the families with a key an earlier chunk already sent are looked up
            order = [i for idx in groups.values() for i in idx]
            hits = seen.check_and_add([results[i] for i in order])
            again = {i for i, hit in zip(order, hits, strict=True) if hit}
            known = [results[i] for idx in groups.values() if not again.isdisjoint(idx) for i in idx]
            state = self._load(known) if known else State()
        plan = Plan()
        for indexes in groups.values():
            self._family([results[i] for i in indexes], indexes, state, plan, outcomes)
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
        sid, kk = text_of(hv.get("family_id")), text_of(hv.get("kk"))
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
        kk = text_of(hv.get("kk"))
        fam = {
            "id": NewId(),
            "kk": kk or text_of(hv.get("kk_digits"))[:16],
            "kk_valid": bool(kk),
            "source_id": text_of(hv.get("family_id"))[:40],
            "kelurahan_id": hv["kelurahan_code"],
            "address": text_of(hv.get("address"))[:200],
            "rt": text_of(hv.get("rt"))[:3],
            "rw": text_of(hv.get("rw"))[:3],
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
        kk = text_of(hv.get("kk"))
        if kk and (kk != fam["kk"] or not fam["kk_valid"]):
            self._history(plan, fam["id"], None, "kk", fam["kk"], kk, self.since)
            plan.kk_close.append((self.since, fam["id"]))
            plan.kk_rows.append((fam["id"], kk, self.since, None, self.label))
            changes.update(kk=kk, kk_valid=True)
            st.fam_by_kk[kk] = fam
            self.stats["kk_changes"] += 1
        kel = text_of(hv.get("kelurahan_code"))
        if kel and kel != fam["kelurahan_id"]:
            self._history(plan, fam["id"], None, "kelurahan", fam["kelurahan_id"], kel, self.since)
            changes["kelurahan_id"] = kel
            plan.family_kelurahan.append((kel, fam["id"]))
        for key, limit in (("address", 200), ("rt", 3), ("rw", 3)):
            value = text_of(hv.get(key))[:limit]
            if value and value != fam[key]:
                changes[key] = value
        sid = text_of(hv.get("family_id"))[:40]
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
        housing = {k: text_of(hv[k]) for k in HOUSING_FIELDS if hv.get(k) not in (None, "")}
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

    # -- writing --------------------------------------------------------------------------------

    def _flush(self, plan: Plan) -> None:
        if self.writer is None:
            write_plan(plan, label=self.label, author_id=self.author_id)
            return
        label, author_id = self.label, self.author_id
        self.writer.submit(lambda: write_plan(plan, label=label, author_id=author_id))
