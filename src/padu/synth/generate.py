"""Write a synthetic Kota Serang: DTSEN-style registry, twelve OPD beneficiary lists, and the truth.

Two stages. This module (stage 1) makes families one at a time, kelurahan by kelurahan, writes their
registry rows at once and decides on the spot who goes on which list (eligibility, coverage, stale-list
faults, exclusion). :mod:`padu.synth.lists` (stage 2) turns those decisions into the rows each OPD file
holds, with data-entry faults, and writes the lists and the truth files; from 20,000 persons it runs in
a second process. Nothing is kept per person, so memory does not grow with ``persons``.

Deterministic: the same ``seed`` and ``persons`` give byte-identical files (every random draw comes from a
``random.Random`` seeded from ``seed`` and a fixed label; XLSX archives carry fixed timestamps).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from padu.synth import faults as F
from padu.synth.lists import (
    FAULT_COLUMNS,
    FAULT_FILE,
    IDENTITY_COLUMNS,
    IDENTITY_FILE,
    InlineSink,
    ProcessSink,
    StageConfig,
)
from padu.synth.population import (
    REFERENCE_DATE,
    City,
    Family,
    Person,
    PopulationGenerator,
    load_city,
)
from padu.synth.programmes import FIELDS, PROGRAMMES, Programme, compile_classifier
from padu.synth.writer import CsvTable

GENERATOR_VERSION = "1"
DEFAULT_PERSONS = 250_000
DEFAULT_SEED = 1
MAX_PERSONS = 10_000_000
# Above this many persons every list is written as CSV (a sheet holds 1,048,576 rows and nobody mails
# spreadsheets that big); the manifest records the format actually written.
XLSX_MAX_PERSONS = 1_500_000
OUTPUTS = ("registry", "lists", "truth", "manifest.json")
# From this many persons the list rows are built and written by a second process (the second core).
PARALLEL_FROM = 20_000

# Chance an eligible unit is on the list = coverage x this factor for its desil (capped at 1).
DESIL_COVERAGE_FACTOR = (1.2, 1.1, 1.0, 0.9, 0.8, 0.75, 0.7, 0.6, 0.5, 0.5)

REGISTRY_FILE = "registry/dtsen_registry.csv"
REGISTRY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id_art", "stable synthetic person id (P + 8 digits); the key used by truth/"),
    ("id_keluarga", "stable synthetic family id (F + 8 digits)"),
    ("no_kk", "Nomor Kartu Keluarga: kecamatan code + registration DDMMYY + 4-digit serial"),
    ("nik", "NIK: kecamatan where first registered + DDMMYY (day + 40 for women) + serial"),
    ("nama", "name in capitals as Dukcapil holds it"),
    ("jenis_kelamin", "L / P"),
    ("tempat_lahir", "birth place"),
    ("tanggal_lahir", "YYYY-MM-DD"),
    (
        "hubungan_keluarga",
        "Kepala Keluarga, Istri, Suami, Anak, Menantu, Cucu, Orang Tua, Famili Lain, Lainnya",
    ),
    ("status_perkawinan", "Belum Kawin, Kawin, Cerai Hidup, Cerai Mati"),
    ("nama_ibu_kandung", "mother's name (the Istri's name for her children)"),
    ("pendidikan", "highest / current level"),
    ("status_sekolah", "Belum sekolah, Masih sekolah, Tidak sekolah lagi, Tidak/belum pernah sekolah"),
    ("pekerjaan", "occupation"),
    ("status_pekerjaan", "Berusaha sendiri, Buruh/karyawan/pegawai, Pekerja bebas, Tidak bekerja"),
    ("disabilitas", "empty or the type of disability"),
    ("hamil", "1 = pregnant"),
    ("alamat", "street / kampung / lingkungan"),
    ("rt", "3 digits"),
    ("rw", "3 digits"),
    ("kode_kelurahan", "Kemendagri code 36.73.xx.xxxx"),
    ("nama_kelurahan", ""),
    ("kode_kecamatan", "36.73.xx"),
    ("nama_kecamatan", ""),
    ("kode_kabkota", "36.73"),
    ("nama_kabkota", "Kota Serang"),
    ("desil", "family welfare decile 1 (poorest) .. 10"),
    ("miskin_ekstrem", "1 = extreme-poor family (P3KE)"),
    ("status_kepemilikan_rumah", ""),
    ("jenis_lantai", ""),
    ("jenis_dinding", ""),
    ("jenis_atap", ""),
    ("fasilitas_bab", "latrine: Sendiri, Bersama/komunal, Umum, Tidak ada"),
    ("sumber_air_minum", ""),
    ("daya_listrik", ""),
    ("k1_kepala_tidak_bekerja", "Kepmensos 262/HUK/2022 criterion 1 (0/1), family level"),
    ("k2_khawatir_tidak_makan", "criterion 2"),
    ("k3_pangan_lebih_separuh", "criterion 3: food > half of spending"),
    ("k4_tidak_beli_pakaian", "criterion 4"),
    ("k5_lantai_tanah_plester", "criterion 5"),
    ("k6_dinding_tidak_layak", "criterion 6"),
    ("k7_tanpa_jamban_sendiri", "criterion 7"),
    ("k8_listrik_450_atau_tanpa", "criterion 8"),
    ("jumlah_kriteria", "number of criteria met (0-8)"),
    ("status_art", "aktif, meninggal, pindah"),
    ("tanggal_status", "date of death or move (YYYY-MM-DD), empty when aktif"),
)
EXCLUSION_FILE = "truth/exclusion.csv"
EXCLUSION_COLUMNS = (
    "programme",
    "unit",
    "id_art",
    "id_keluarga",
    "kode_kelurahan",
    "desil",
    "miskin_ekstrem",
)


class GenerateError(ValueError):
    """Bad arguments; the message is bilingual (Bahasa Indonesia / English)."""


@dataclass
class GenerateResult:
    out_dir: Path
    manifest: dict[str, Any]
    seconds: float


def check_arguments(persons: int, out_dir: Path, overwrite: bool) -> None:
    if not isinstance(persons, int) or persons <= 0:
        raise GenerateError(
            f"Jumlah penduduk harus bilangan bulat positif / persons must be a positive integer: {persons!r}"
        )
    if persons > MAX_PERSONS:
        raise GenerateError(
            f"Jumlah penduduk paling banyak {MAX_PERSONS:,} / persons must be at most {MAX_PERSONS:,}: "
            f"{persons:,}"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise GenerateError(f"Bukan folder / not a directory: {out_dir}")
    if out_dir.exists() and any(out_dir.iterdir()) and not overwrite:
        raise GenerateError(
            f"Folder keluaran tidak kosong; pakai --force untuk menimpa / output directory is not empty; "
            f"use --force to overwrite: {out_dir}"
        )


class ListPlan:
    """Who goes on one programme's list: eligibility, coverage, stale-list faults, exclusion."""

    def __init__(self, index: int, programme: Programme, gen: Generation) -> None:
        self.index = index
        self.p = programme
        self.gen = gen
        self.rng = random.Random(f"padu-synth/{gen.seed}/list/{programme.code}")
        self.controller = F.RateController(gen.rates.with_overrides(programme.fault_overrides))
        self.classify = compile_classifier(programme.eligibility)
        self.exclusive = programme.exclusive_of
        self.min_age, self.max_age = _age_bounds(programme)
        self.units = 0
        self.excluded = 0

    def consider(self, person: Person, fam: Family, ctx: dict[str, Any], conflict: bool) -> bool:
        """Decide whether this unit goes on the list; returns True when it does."""
        kind = self.classify(ctx)
        if kind is None:
            return False
        if kind == "eligible":
            if conflict:
                if self.controller.admit("double_receipt", self.units, self.rng):
                    self._send(person, fam, "double_receipt")
                    return True
                return False
            if self.rng.random() < self.p.coverage * DESIL_COVERAGE_FACTOR[fam.desil - 1]:
                self._send(person, fam, None)
                return True
            if self.p.targeting == "entitlement":
                self.excluded += 1
                self.gen.exclusion.write_row(
                    (
                        self.p.code,
                        self.p.unit,
                        person.pid,
                        fam.fid,
                        fam.kel.code,
                        fam.desil,
                        int(fam.extreme_poor),
                    )
                )
            return False
        if conflict:
            return False
        if self.controller.admit(kind, self.units, self.rng):
            self._send(person, fam, kind)
            return True
        return False

    def _send(self, person: Person, fam: Family, stale: str | None) -> None:
        self.units += 1
        prec = person.rec
        if prec is None:  # plain tuples: see padu.synth.lists.WireUnit
            prec = person.rec = (
                person.pid, person.nik, person.name, person.sex, person.birth.toordinal(), person.birth_place,
                person.mother, person.age, person.age_months, person.education,
            )  # fmt: skip
        frec = fam.rec
        if frec is None:
            text, value = _pkh_components(fam)
            frec = fam.rec = (
                fam.fid, fam.kk, self.gen.kel_index[fam.kel.code], fam.address, fam.rt, fam.rw, fam.desil,
                fam.floor, fam.wall, fam.roof, text, value,
            )  # fmt: skip
        self.gen.sink.add((self.index, stale, prec, frec))  # type: ignore[arg-type]


def _pkh_components(fam: Family) -> tuple[str, int]:
    comp: list[str] = []
    value = 0
    for m in fam.members:
        if m.status != "aktif":
            continue
        if m.age < 6:
            comp.append("Anak Usia Dini")
            value += 3_000_000
        elif m.in_school and m.age <= 21:
            lvl = {"SD/sederajat": ("SD", 900_000), "SMP/sederajat": ("SMP", 1_500_000)}.get(
                m.education, ("SMA", 2_000_000)
            )
            comp.append(lvl[0])
            value += lvl[1]
        if m.pregnant:
            comp.append("Ibu Hamil")
            value += 3_000_000
        if m.age >= 70:
            comp.append("Lansia")
            value += 2_400_000
        if m.disability:
            comp.append("Disabilitas Berat")
            value += 2_400_000
    counts = Counter(comp)
    text = ", ".join(f"{k} ({v})" if v > 1 else k for k, v in counts.items())
    return text, min(value, 10_800_000)


class Generation:
    """State of one run: the city, the population, the open writers and the counters."""

    def __init__(
        self,
        out_dir: Path,
        persons: int,
        seed: int,
        reference_date: dt.date,
        rates: F.FaultRates,
        xlsx_max_persons: int,
        parallel: bool,
    ) -> None:
        self.out = out_dir
        self.persons = persons
        self.seed = seed
        self.ref = reference_date
        self.rates = rates
        self.city: City = load_city()
        self.kel_index = {k.code: i for i, k in enumerate(self.city.kelurahan)}
        self.formats = tuple("csv" if persons > xlsx_max_persons else p.format for p in PROGRAMMES)
        config = StageConfig(str(out_dir), seed, rates, self.formats, reference_date)
        self.sink: InlineSink | ProcessSink = (
            ProcessSink(config) if parallel else InlineSink(config, self.city)
        )
        self.summary: dict[str, dict[str, Any]] = {}
        self.pop = PopulationGenerator(self.city, persons, seed, reference_date)
        self.registry = CsvTable(out_dir / REGISTRY_FILE, [c for c, _ in REGISTRY_COLUMNS])
        self.exclusion = CsvTable(out_dir / EXCLUSION_FILE, EXCLUSION_COLUMNS)
        self.lists = [ListPlan(i, p, self) for i, p in enumerate(PROGRAMMES)]
        self.counts: Counter[str] = Counter()
        self.status: dict[str, int] = {}
        self.desil: dict[int, int] = dict.fromkeys(range(1, 11), 0)
        self.relations: dict[str, int] = {}

    def run(self, progress: Callable[[int, int], None] | None) -> None:
        rng = random.Random(f"padu-synth/{self.seed}/population")
        done = families = extreme = other_kec = other_kab = 0
        status, relations = self.status, self.relations
        next_report = 0
        city_code, city_name = self.city.code, self.city.name
        raw = self.registry.write_raw
        n_commas = len(REGISTRY_COLUMNS) - 1
        family_lists = [b for b in self.lists if b.p.unit == "family"]
        person_lists = [b for b in self.lists if b.p.unit == "person"]
        for fam in self.pop.families(rng):
            kel = fam.kel
            kec = kel.kecamatan
            crit = fam.criteria
            fam_part = [
                fam.address,
                f"{fam.rt:03d}",
                f"{fam.rw:03d}",
                kel.code,
                kel.name,
                kec.code,
                kec.name,
                city_code,
                city_name,
                str(fam.desil),
                "1" if fam.extreme_poor else "0",
                fam.ownership,
                fam.floor,
                fam.wall,
                fam.roof,
                fam.latrine,
                fam.water,
                fam.electricity,
                *(str(c) for c in crit),
                str(sum(crit)),
            ]
            self.desil[fam.desil] += 1
            families += 1
            extreme += fam.extreme_poor
            local = kec.plain
            fam_text = ",".join(fam_part)
            for m in fam.members:
                line = ",".join(
                    (
                        m.pid,
                        fam.fid,
                        fam.kk,
                        m.nik,
                        m.name,
                        m.sex,
                        m.birth_place,
                        m.birth.isoformat(),
                        m.rel,
                        m.marital,
                        m.mother,
                        m.education,
                        m.school_status,
                        m.occupation,
                        m.employment,
                        m.disability,
                        "1" if m.pregnant else "0",
                        fam_text,
                        m.status,
                        m.status_date,
                    )
                )
                # Generated values never hold commas or quotes; anything that would needs CSV quoting.
                if line.count(",") == n_commas and '"' not in line:
                    raw(line + "\n")
                else:  # pragma: no cover - safety net
                    self.registry.write_row(line_fields(m, fam, fam_part))
                status[m.status] = status.get(m.status, 0) + 1
                relations[m.rel] = relations.get(m.rel, 0) + 1
                if not m.nik.startswith(local):
                    if m.nik.startswith("3673"):
                        other_kec += 1
                    else:
                        other_kab += 1
            self._programmes(fam, family_lists, person_lists)
            done += len(fam.members)
            if progress is not None and done >= next_report:
                progress(done, self.persons)
                next_report = done + 5_000
        if progress is not None:
            progress(done, self.persons)
        self.counts.update(
            {
                "persons": done,
                "families": families,
                "extreme_poor_families": extreme,
                "nik_other_kecamatan": other_kec,
                "nik_other_kabkota": other_kab,
            }
        )

    def _programmes(self, fam: Family, family_lists: list[ListPlan], person_lists: list[ListPlan]) -> None:
        fctx = {
            "desil": fam.desil,
            "extreme_poor": fam.extreme_poor,
            "pkh_component": fam.pkh_component,
            "house_owned": fam.house_owned,
            "house_unfit": fam.house_unfit,
            "n_criteria": sum(fam.criteria),
        }
        got: set[str] = set()
        members = fam.members
        head = members[0]
        mother = head if head.sex == "P" else next((m for m in members if m.rel == "Istri"), head)
        head_ctx = _person_ctx(fctx, head)
        mother_ctx = head_ctx if mother is head else _person_ctx(fctx, mother)
        for b in family_lists:
            if b.p.recipient == "mother":
                recipient, ctx = mother, mother_ctx
            else:
                recipient, ctx = head, head_ctx
            conflict = bool(b.exclusive) and any(c in got for c in b.exclusive)
            if b.consider(recipient, fam, ctx, conflict):
                got.add(b.p.code)
        for m in members:
            ctx = _person_ctx(fctx, m)
            mine: set[str] = set()
            age = m.age
            for b in person_lists:
                if age < b.min_age or age > b.max_age:  # classify() would say no: skip the work
                    continue
                conflict = bool(b.exclusive) and any(c in mine for c in b.exclusive)
                if b.consider(m, fam, ctx, conflict):
                    mine.add(b.p.code)

    def close(self, ok: bool) -> None:
        try:
            if ok:
                self.summary = self.sink.finish()
            else:
                self.sink.abort()
        finally:
            self.registry.close()
            self.exclusion.close()

    def manifest(self) -> dict[str, Any]:
        files: list[dict[str, Any]] = [
            {"path": REGISTRY_FILE, "kind": "registry", "rows": self.counts["persons"]},
        ]
        programmes = []
        list_rows = 0
        fault_totals: Counter[str] = Counter()
        for b, fmt in zip(self.lists, self.formats, strict=True):
            done = self.summary[b.p.code]
            meta = b.p.metadata(fmt)
            files.append({"path": meta["file"], "kind": "list", "programme": b.p.code, "rows": done["rows"]})
            list_rows += done["rows"]
            fault_totals.update(done["faults"])
            meta["rows"] = done["rows"]
            meta["units"] = b.units
            meta["excluded_eligible"] = b.excluded if b.p.targeting == "entitlement" else None
            meta["faults"] = {k: done["faults"][k] for k in self.rates.fault_types() if done["faults"].get(k)}
            meta["fault_rates"] = self.rates.with_overrides(b.p.fault_overrides).as_dict()
            programmes.append(meta)
        files += [
            {"path": IDENTITY_FILE, "kind": "truth", "rows": list_rows},
            {"path": FAULT_FILE, "kind": "truth", "rows": sum(fault_totals.values())},
            {"path": EXCLUSION_FILE, "kind": "truth", "rows": sum(b.excluded for b in self.lists)},
        ]
        c = self.counts
        return {
            "generator": "padu.synth",
            "generator_version": GENERATOR_VERSION,
            "seed": self.seed,
            "persons": self.persons,
            "reference_date": self.ref.isoformat(),
            "city": {
                "code": self.city.code,
                "name": self.city.name,
                "kecamatan": len(self.city.kecamatan),
                "kelurahan": len(self.city.kelurahan),
            },
            "counts": {
                "persons": c["persons"],
                "families": c["families"],
                "persons_by_status": dict(sorted(self.status.items())),
                "persons_by_relationship": dict(sorted(self.relations.items())),
                "families_by_desil": {str(k): self.desil[k] for k in range(1, 11)},
                "extreme_poor_families": c["extreme_poor_families"],
                "nik_prefix_other_kecamatan_in_city": c["nik_other_kecamatan"],
                "nik_prefix_other_kabkota": c["nik_other_kabkota"],
                "list_rows": list_rows,
                "list_rows_by_programme": {code: done["rows"] for code, done in self.summary.items()},
                "faults_by_type": {k: fault_totals[k] for k in self.rates.fault_types()},
                "excluded_eligible_by_programme": {
                    b.p.code: b.excluded for b in self.lists if b.p.targeting == "entitlement"
                },
            },
            "files": files,
            "registry": {"file": REGISTRY_FILE, "columns": dict(REGISTRY_COLUMNS)},
            "truth": {
                "list_identities": {
                    "file": IDENTITY_FILE,
                    "columns": list(IDENTITY_COLUMNS),
                    "note": "one row per list row; id_art empty for non-residents",
                },
                "list_faults": {
                    "file": FAULT_FILE,
                    "columns": list(FAULT_COLUMNS),
                    "note": "one row per injected fault; a list row may carry several",
                },
                "exclusion": {
                    "file": EXCLUSION_FILE,
                    "columns": list(EXCLUSION_COLUMNS),
                    "note": "eligible units of entitlement programmes that are not on the list",
                },
                "row_number": "1-based data row in the list (the NO column where there is one)",
                "file_row": "physical row: spreadsheet row number (xlsx) or line number (csv)",
            },
            "eligibility_fields": FIELDS,
            "fault_types": list(self.rates.fault_types()),
            "fault_rates": self.rates.as_dict(),
            "desil_coverage_factor": list(DESIL_COVERAGE_FACTOR),
            "programmes": programmes,
            "notes": [
                f"Above {XLSX_MAX_PERSONS:,} persons every list is written as CSV (header row only).",
                "nik_numeric lists hold NIK in numeric cells; digits past the 15th are lost (Excel).",
                "Family programmes name one recipient: 'mother' = the Istri (or a female head), "
                "'head' = the Kepala Keluarga; the status condition applies to that person.",
            ],
        }


def line_fields(m: Person, fam: Family, fam_part: list[str]) -> list[str]:
    return [
        m.pid, fam.fid, fam.kk, m.nik, m.name, m.sex, m.birth_place, m.birth.isoformat(), m.rel, m.marital,
        m.mother, m.education, m.school_status, m.occupation, m.employment, m.disability,
        "1" if m.pregnant else "0", *fam_part, m.status, m.status_date,
    ]  # fmt: skip


def _person_ctx(fctx: dict[str, Any], m: Person) -> dict[str, Any]:
    return {
        **fctx,
        "status": m.status,
        "age": m.age,
        "age_months": m.age_months,
        "in_school": m.in_school,
        "occupation": m.occupation,
        "employment": m.employment,
        "disability": bool(m.disability),
        "relationship": m.rel,
    }


def _age_bounds(p: Programme) -> tuple[int, int]:
    """Whole-year age range outside which the programme's conditions cannot hold (a fast pre-filter)."""
    lo, hi = 0, 999
    for c in p.eligibility:
        if c.field == "age":
            if c.op == "between":
                lo, hi = max(lo, c.value[0]), min(hi, c.value[1])
            elif c.op in (">=", ">"):
                lo = max(lo, c.value + (c.op == ">"))
            elif c.op in ("<=", "<"):
                hi = min(hi, c.value - (c.op == "<"))
        elif c.field == "age_months" and c.op == "between":
            lo, hi = max(lo, c.value[0] // 12), min(hi, c.value[1] // 12)
    return lo, hi


def clear_outputs(out_dir: Path) -> None:
    """Remove what an earlier run wrote (and nothing else)."""
    for name in OUTPUTS:
        path = out_dir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def generate(
    out_dir: str | Path,
    persons: int = DEFAULT_PERSONS,
    seed: int = DEFAULT_SEED,
    *,
    overwrite: bool = False,
    reference_date: dt.date = REFERENCE_DATE,
    rates: F.FaultRates = F.DEFAULT_RATES,
    progress: Callable[[int, int], None] | None = None,
    xlsx_max_persons: int = XLSX_MAX_PERSONS,
    parallel: bool | None = None,
) -> GenerateResult:
    """Write the synthetic city to ``out_dir``; see the module docstring and ``manifest.json``.

    ``overwrite`` removes an earlier run's outputs first (other files are left alone). Above
    ``xlsx_max_persons`` every list is written as CSV. ``progress(done, total)`` is called as persons
    are made. ``parallel`` (default: from 20,000 persons) writes the lists in a second process; the
    files are byte-identical either way."""
    out = Path(out_dir)
    check_arguments(persons, out, overwrite)
    started = time.perf_counter()
    if overwrite and out.exists():
        clear_outputs(out)
    out.mkdir(parents=True, exist_ok=True)
    if parallel is None:
        parallel = persons >= PARALLEL_FROM
    gen = Generation(out, persons, seed, reference_date, rates, xlsx_max_persons, parallel)
    ok = False
    try:
        gen.run(progress)
        ok = True
    finally:
        gen.close(ok)
    manifest = gen.manifest()
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return GenerateResult(out, manifest, time.perf_counter() - started)


__all__ = [
    "DEFAULT_PERSONS",
    "DEFAULT_SEED",
    "MAX_PERSONS",
    "GenerateError",
    "GenerateResult",
    "check_arguments",
    "generate",
]
