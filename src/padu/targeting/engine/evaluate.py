"""Score findings against the synthetic generator's truth: recall and precision per fault type.

The generator's fault types map to finding types (:data:`TRUTH_MAPPING`). Row faults (truth/
list_faults.csv) are compared by (programme code, row number) of the roll entry the finding is about;
``exclusion`` (truth/exclusion.csv: eligible units of entitlement programmes missing from the list) by
(programme code, unit, person or family id) with ids as :mod:`.synthload` assigns them. The generator's
data-entry faults (nik_missing, name_typo ...) are linkage matters and are not scored here; nor are the
finding types the generator does not inject (ASN, two KK, priority families, strategy gaps).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from padu.targeting.engine.dialect import Db, detect_dialect
from padu.targeting.engine.run import DEFAULT_RESULTS_TABLE
from padu.targeting.engine.schema import TargetingSchema, col, tbl
from padu.targeting.engine.synthload import family_key, person_key

__all__ = ["TRUTH_MAPPING", "Finding", "evaluate", "fetch_findings"]

TRUTH_MAPPING: dict[str, str] = {
    "graduated": "inclusion_graduated",
    "died": "inclusion_deceased",
    "moved": "inclusion_moved",
    "non_resident": "inclusion_unregistered",
    "duplicate": "double_in_programme",
    "double_receipt": "double_exclusive",
    "exclusion": "exclusion_programme",
}

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Finding:
    finding_type: str
    programme_code: str | None
    unit: str | None  # the programme's unit
    row_number: int | None  # of the roll entry the finding is about
    person_id: int | None
    family_id: int | None


def fetch_findings(
    conn: Any,
    schema: TargetingSchema,
    period: str,
    results_table: str = DEFAULT_RESULTS_TABLE,
    *,
    types: Iterable[str] | None = None,
) -> list[Finding]:
    """The period's findings (default: of the types in :data:`TRUTH_MAPPING`) with programme code and
    the roll entry's row number."""
    db = Db(conn, detect_dialect(conn))
    wanted = sorted(set(types) if types is not None else set(TRUTH_MAPPING.values()))
    g, r = schema.programmes, schema.roll_entries
    marks = ", ".join("?" * len(wanted))
    rows = db.query(
        f"""SELECT f.finding_type, {col("g", g.code)}, {col("g", g.unit)}, {col("e", r.row_number)},
          f.person_id, f.family_id
        FROM {tbl(results_table)} f
        LEFT JOIN {tbl(g.table)} g ON {col("g", g.id)} = f.programme_id
        LEFT JOIN {tbl(r.table)} e ON {col("e", r.id)} = f.roll_entry_id
        WHERE f.period = ? AND f.finding_type IN ({marks})""",
        (period, *wanted),
    )
    return [Finding(*row) for row in rows]


def _truth(truth_dir: Path) -> dict[str, set[Key]]:
    truth: dict[str, set[Key]] = {fault: set() for fault in TRUTH_MAPPING}
    with (truth_dir / "list_faults.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["fault_type"] in truth and r["fault_type"] != "exclusion":
                truth[r["fault_type"]].add((r["programme"], int(r["row_number"])))
    with (truth_dir / "exclusion.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["unit"] == "person":
                truth["exclusion"].add((r["programme"], "person", person_key(r["id_art"])))
            else:
                truth["exclusion"].add((r["programme"], "family", family_key(r["id_keluarga"])))
    return truth


def _key(f: Finding) -> Key | None:
    if f.finding_type == "exclusion_programme":
        if f.unit == "person":
            return (f.programme_code, "person", f.person_id)
        return (f.programme_code, "family", f.family_id)
    if f.row_number is None:
        return None
    return (f.programme_code, int(f.row_number))


def evaluate(findings: Iterable[Finding], truth_dir: str | Path) -> dict[str, dict[str, float]]:
    """``{fault_type: {recall, precision, truth, found, hits}}`` for each fault type of
    :data:`TRUTH_MAPPING` (recall 1.0 when the truth has none, precision 1.0 when nothing was found)."""
    truth = _truth(Path(truth_dir))
    by_type: dict[str, set[Key]] = {t: set() for t in TRUTH_MAPPING.values()}
    for f in findings:
        if f.finding_type in by_type and (key := _key(f)) is not None:
            by_type[f.finding_type].add(key)
    out: dict[str, dict[str, float]] = {}
    for fault, finding_type in TRUTH_MAPPING.items():
        expected, found = truth[fault], by_type[finding_type]
        hits = len(expected & found)
        out[fault] = {
            "recall": hits / len(expected) if expected else 1.0,
            "precision": hits / len(found) if found else 1.0,
            "truth": len(expected),
            "found": len(found),
            "hits": hits,
        }
    return out
