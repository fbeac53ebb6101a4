"""Load a generated city into a migrated Padu database, as the product holds it, for targeting benchmarks.

The city's contract tables (``tg_*``, :mod:`padu.targeting.engine.synthload`, perfect links from the
generator's truth) are loaded first; from them, with set-based ``INSERT … SELECT``:

* ``registry_family`` / ``registry_person`` (names and KK are placeholders; birth and death dates,
  sex, status, desil, extreme-poor flag, disability as generated; a pupil has the occupation
  ``Pelajar/Mahasiswa``, which is how the product reads "in school"), ``registry_membership`` (one
  open membership per person with its relationship), ``registry_welfarerecord`` (one per family with
  the housing answers the product reads ownership and fitness from);
* one OPD per generated OPD and one ``Programme`` per generated programme (same ids) with its
  eligibility as the catalogue writes it (desil, ages, categories, house flags), quota programmes
  with a quota, daily programmes with "harian selama N hari", non-combinable pairs as ``exclusive_of``;
* one ``Roll`` per programme and period, its ``RollEntry`` rows, and one ``Link`` per entry: ``auto``
  (stage NIK) to the generator's true person/family for matched rows, ``unmatched`` otherwise.

What is not loaded: names, addresses, NIK issues, KK history, welfare criteria (the targeting run does
not read them). :func:`load_padu_city` returns row counts and the seconds each part took.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

STRATEGY = {
    "pengurangan_beban": "kurangi_beban",
    "peningkatan_pendapatan": "tingkatkan_pendapatan",
    "kantong_kemiskinan": "kurangi_kantong",
}
FREQUENCY = {"monthly": "bulanan", "quarterly": "triwulanan", "annual": "tahunan", "once": "sekali"}
NATIONAL = {"pkh", "bpnt", "pbi_jk", "pip"}  # funded from APBN in the generator's catalogue
PKH = ["ibu_hamil", "balita", "usia_sekolah", "lansia", "disabilitas"]


def eligibility(row: dict[str, Any]) -> dict[str, Any]:
    """The catalogue's eligibility JSON for one ``tg_programme`` row (inverse of the product's mapping)."""
    rule: dict[str, Any] = {}
    if row["max_desil"] is not None:
        rule["desil_max"] = row["max_desil"]
    if row["min_age_months"] is not None or row["max_age_months"] is not None:
        rule.update(age_unit="bulan", age_min=row["min_age_months"], age_max=row["max_age_months"])
    elif row["min_age"] is not None or row["max_age"] is not None:
        rule.update(age_min=row["min_age"], age_max=row["max_age"])
    cats = [c for c in (row["categories"] or "").split(",") if c]
    if "pkh_component" in cats:
        rule["categories"] = PKH
    elif "in_school" in cats:
        rule["categories"] = ["usia_sekolah"]
    elif "disability" in cats:
        rule["categories"] = ["disabilitas"]
    extra = [{"field": c, "op": "==", "value": True} for c in cats if c in ("house_owned", "house_unfit")]
    if extra:
        rule["extra"] = extra
    if row["sex"]:
        rule["sex"] = row["sex"]
    return rule


def load_padu_city(folder: Path) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from padu.accounts.models import Opd
    from padu.programs.models import Programme
    from padu.targeting.engine.synthload import load_synth

    timings: dict[str, float] = {}
    connection.ensure_connection()
    raw = connection.connection
    started = time.perf_counter()
    loaded = load_synth(raw, folder)
    raw.commit()
    timings["synthload_s"] = time.perf_counter() - started
    pg = connection.vendor == "postgresql"
    date = (lambda c: f"CAST({c} AS date)") if pg else (lambda c: c)
    jsonb = (lambda c: f"CAST({c} AS jsonb)") if pg else (lambda c: c)
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO registry_family (id, kk, kk_valid, source_id, kelurahan_id, address, rt, rw, status,"
            " desil, extreme_poor, created_at, updated_at)"
            " SELECT id, '36730000' || CAST(id AS TEXT), %s, '', kelurahan_code, '', '', '', status, desil,"
            " COALESCE(extreme_poor, %s), %s, %s FROM tg_family",
            [True, False, now, now],
        )
        c.execute(
            "INSERT INTO registry_person (id, nik, nik_valid, nik_issues, source_id, name, sex, birth_date,"
            " birth_place, mother_name, family_id, kelurahan_id, status, death_date, disability, occupation,"
            " created_at, updated_at)"
            f" SELECT id, COALESCE(nik, ''), %s, {jsonb(repr('[]'))}, '', 'WARGA ' || CAST(id AS TEXT),"
            f" COALESCE(sex, ''), {date('birth_date')}, '', '', family_id, kelurahan_code, status,"
            f" {date('death_date')}, COALESCE(disability, %s),"
            " CASE WHEN in_school THEN 'Pelajar/Mahasiswa' ELSE '' END, %s, %s FROM tg_person",
            [True, False, now, now],
        )
        c.execute(
            "INSERT INTO registry_membership (person_id, family_id, relationship, valid_from, valid_to)"
            f" SELECT id, family_id, COALESCE(relationship, 'lainnya'), {date(repr('2020-01-01'))}, NULL"
            " FROM tg_person WHERE family_id IS NOT NULL"
        )
        housing = (
            "'{\"house_ownership\": \"' || CASE WHEN house_owned THEN 'Milik sendiri' ELSE 'Sewa' END"
            " || '\", \"floor\": \"' || CASE WHEN house_unfit THEN 'Tanah' ELSE 'Keramik' END || '\"}'"
        )
        c.execute(
            "INSERT INTO registry_welfarerecord (family_id, period, source, desil, extreme_poor, criteria,"
            " housing, imported_from, created_at)"
            f" SELECT id, '2025-03', 'dtsen', desil, COALESCE(extreme_poor, %s), {jsonb(repr('{}'))},"
            f" {jsonb(housing)}, 'bench', %s FROM tg_family",
            [False, now],
        )
    timings["registry_s"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute("SELECT * FROM tg_programme ORDER BY id")
        names = [d[0] for d in c.description]
        programmes = [dict(zip(names, r, strict=True)) for r in c.fetchall()]
        c.execute("SELECT programme_a_id, programme_b_id FROM tg_programme_exclusion")
        exclusive = c.fetchall()
    with transaction.atomic():
        by_id = {}
        for row in programmes:
            opd, _ = Opd.objects.get_or_create(
                code=row["opd"], defaults={"name": row["opd"], "short_name": row["opd"]}
            )
            daily = row["benefit_frequency"] == "daily"
            by_id[row["id"]] = Programme.objects.create(
                id=row["id"],
                opd=opd,
                code=row["code"],
                name=row["code"].upper(),
                funding_source="apbn" if row["code"] in NATIONAL else "apbd_kota",
                strategy=STRATEGY.get(row["strategy"], "kurangi_beban"),
                unit=row["unit"],
                eligibility=eligibility(row),
                benefit_value_rp=row["benefit_value_rp"],
                benefit_frequency="sekali" if daily else FREQUENCY.get(row["benefit_frequency"], "sekali"),
                benefit_note=f"harian selama {row['payments_per_year']} hari" if daily else "",
                quota=1000 if row["targeting"] == "quota" else None,
            )
        for a, b in exclusive:
            by_id[a].exclusive_of.add(by_id[b])
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO programs_roll (id, programme_id, period, entries_count, nik_valid_count,"
            " flagged_count, created_at, updated_at)"
            " SELECT programme_id, programme_id, period, COUNT(*), 0, 0, %s, %s FROM tg_roll_entry"
            " GROUP BY programme_id, period",
            [now, now],
        )
        c.execute(
            "INSERT INTO programs_rollentry (id, roll_id, row_number, raw, nik, nik_valid, nik_damaged,"
            " nik_issues, kk, kk_valid, name, birth_date, birth_place, sex, address, rt, rw, kelurahan_id,"
            " mother_name, flags, flagged, content_hash, person_id, family_id, created_at, benefit_rp)"
            f" SELECT e.id, e.programme_id, e.row_number, {jsonb(repr('{}'))}, COALESCE(e.nik, ''),"
            f" e.nik IS NOT NULL, %s, {jsonb(repr('[]'))}, '', %s, COALESCE(e.name, ''), NULL, '', '', '',"
            " '', '', (SELECT w.code FROM wilayah_region w WHERE w.code = e.kelurahan_code), '',"
            f" {jsonb(repr('[]'))}, %s, CAST(e.id AS TEXT),"
            " CASE WHEN e.link_status = 'matched' THEN e.person_id END,"
            " CASE WHEN e.link_status = 'matched' THEN"
            " COALESCE(e.family_id, (SELECT p.family_id FROM tg_person p WHERE p.id = e.person_id)) END, %s,"
            " e.benefit_rp FROM tg_roll_entry e",
            [False, False, False, now],
        )
        c.execute(
            "INSERT INTO linkage_link (entry_id, person_id, family_id, probability, match_weight, stage,"
            " decision, evidence_text, evidence)"
            " SELECT id, person_id, family_id, CASE WHEN person_id IS NOT NULL OR family_id IS NOT NULL"
            " THEN 1.0 END, NULL, 'nik', CASE WHEN person_id IS NOT NULL OR family_id IS NOT NULL"
            f" THEN 'auto' ELSE 'unmatched' END, '', {jsonb(repr('{}'))} FROM programs_rollentry"
        )
    timings["programmes_rolls_links_s"] = time.perf_counter() - started
    if pg:
        with connection.cursor() as c:
            for table in ("registry_family", "registry_person", "programs_roll", "programs_rollentry"):
                c.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
            c.execute("ANALYZE")
    else:
        with connection.cursor() as c:
            c.execute("ANALYZE")
    return {"rows": loaded.counts, "timings": {k: round(v, 1) for k, v in timings.items()}}
