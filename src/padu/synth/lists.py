"""Stage 2 of the generator: turn list memberships into the rows OPD files hold, with faults, and write
the lists and the truth about them.

The population stage decides *who* is on which list and sends compact records here
(``WireUnit``: programme, stale-list fault, person, family). This stage decides
*how each row is written*: extra columns (school, NISN, BPJS card number, posyandu ...), data-entry faults,
duplicates, non-residents, a bounded shuffle, the file format. It runs in the same process
(:class:`InlineSink`) or in a second Python process fed through a pipe (:class:`ProcessSink`); the files are
byte-identical either way because the records arrive in the same order and every random draw comes from
the programme's own ``random.Random``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import marshal
import os
import random
import struct
import subprocess
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

from padu.synth import faults as F
from padu.synth.names import given_name, list_case
from padu.synth.population import City, Kelurahan, SerialBook, load_city, origin_prefix, place_by_prefix
from padu.synth.programmes import PROGRAMMES, SCHOOL_BENEFIT, Programme
from padu.synth.writer import CsvTable, Table, XlsxTable

BUFFER_ROWS = 2_000
BATCH_UNITS = 1_000
IDENTITY_FILE = "truth/list_identities.csv"
IDENTITY_COLUMNS = ("programme", "list_file", "row_number", "file_row", "id_art", "id_keluarga")
FAULT_FILE = "truth/list_faults.csv"
FAULT_COLUMNS = (
    "programme", "list_file", "row_number", "file_row", "fault_type", "id_art", "id_keluarga", "detail",
)  # fmt: skip

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
    "November", "Desember",
)  # fmt: skip
_BUSINESS = (
    "Warung sembako", "Pedagang keliling", "Gorengan", "Jahit", "Bengkel motor", "Kue basah", "Konter pulsa",
    "Warung kopi", "Laundry", "Sate bandeng", "Emping melinjo", "Rabeg", "Warung nasi", "Sayur keliling",
)  # fmt: skip
_TRAINING = (
    "Tata Boga",
    "Menjahit",
    "Barista",
    "Servis Motor",
    "Digital Marketing",
    "Tata Rias",
    "Olahan Bandeng",
)
_POSYANDU = ("Mawar", "Melati", "Anggrek", "Kenanga", "Dahlia", "Flamboyan", "Cempaka", "Teratai")
_COLLEGES = (
    "Universitas Sultan Ageng Tirtayasa", "UIN Sultan Maulana Hasanuddin Banten", "Universitas Serang Raya",
    "Universitas Bina Bangsa", "STIKes Faletehan",
)  # fmt: skip
_PHONE = ("812", "813", "821", "822", "852", "853", "857", "858", "877", "878", "895", "896", "898", "899")
_NOTES = ("", "", "", "Lansia", "Disabilitas", "Tahap 1", "Tahap 2")


class PersonRec(NamedTuple):
    pid: str  # "" for someone who is not in the registry
    nik: str
    name: str
    sex: str
    birth: dt.date
    birth_place: str
    mother: str
    age: int
    age_months: int
    education: str


class FamilyRec(NamedTuple):
    fid: str
    kk: str
    kel: int  # index into City.kelurahan
    address: str
    rt: int
    rw: int
    desil: int
    floor: str
    wall: str
    roof: str
    pkh_components: str
    pkh_value: int


# On the wire between the stages a unit is a plain tuple (so batches go through ``marshal``):
# (index into PROGRAMMES, stale-list fault or None, person tuple, family tuple). The person tuple holds
# PersonRec's fields with the birth date as an ordinal; the family tuple holds FamilyRec's fields.
WireUnit = tuple[int, str | None, tuple[Any, ...], tuple[Any, ...]]


@dataclass(frozen=True)
class StageConfig:
    out_dir: str
    seed: int
    rates: F.FaultRates
    formats: tuple[str, ...]  # per programme, in PROGRAMMES order: "csv" or "xlsx"
    reference_date: dt.date


def date_formatter(fmt: str) -> Callable[[dt.date], str]:
    """A fast formatter for a list's date format (strftime pattern, ``id_long``, ``id_long_upper``)."""
    fast: dict[str, Callable[[dt.date], str]] = {
        "%d-%m-%Y": lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
        "%d/%m/%Y": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
        "%d/%m/%y": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}",
        "%Y-%m-%d": dt.date.isoformat,
        "excel": dt.date.isoformat,
        "id_long": lambda d: f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}",
        "id_long_upper": lambda d: f"{d.day} {MONTHS_ID[d.month - 1].upper()} {d.year}",
    }
    return fast.get(fmt) or (lambda d: d.strftime(fmt))


def _school(rng: random.Random, age: int, kel: Kelurahan) -> tuple[str, str, int]:
    """(school name, level, class) for a pupil of this age."""
    n = 1 + int(rng.random() * 20)
    if age <= 12:
        grade = min(6, max(1, age - 6))
        name = f"SDN {kel.name} {1 + n % 4}" if rng.random() < 0.8 else f"MI Al-Khairiyah {kel.name}"
        return name, "SD", grade
    if age <= 15:
        name = f"SMPN {n} Kota Serang" if rng.random() < 0.75 else f"MTs Negeri {1 + n % 4} Kota Serang"
        return name, "SMP", min(9, max(7, age - 6))
    if age <= 18:
        r = rng.random()
        if r < 0.45:
            name = f"SMAN {1 + n % 8} Kota Serang"
        elif r < 0.85:
            name = f"SMKN {1 + n % 6} Kota Serang"
        else:
            name = "MA Al-Khairiyah Kota Serang"
        return name, "SMA/SMK", min(12, max(10, age - 6))
    return _COLLEGES[int(rng.random() * len(_COLLEGES))], "Perguruan Tinggi", 0


def _toddler_size(rng: random.Random, months: int, desil: int) -> tuple[float, float]:
    """Plausible weight (kg) and length/height (cm) of a child; poorer children are shorter."""
    m = months
    if m <= 12:
        h, w = 49.9 + 2.1 * m, 3.3 + 0.525 * m
    elif m <= 24:
        h, w = 75.1 + 0.95 * (m - 12), 9.6 + 0.217 * (m - 12)
    else:
        h, w = 86.5 + 0.63 * (m - 24), 12.2 + 0.17 * (m - 24)
    z = rng.gauss(-0.4 - 0.09 * (10 - desil), 1.0)
    h += z * (2.0 + 0.04 * m)
    w += (z * 0.6 + rng.gauss(0, 0.7)) * (0.4 + 0.02 * m)
    return round(max(w, 2.0), 1), round(h, 1)


def _padded(key: str) -> Callable[[dict[str, Any], int], Any]:
    return lambda f, n: f"{f[key]:03d}"


def _plain(key: str) -> Callable[[dict[str, Any], int], Any]:
    return lambda f, n: f[key]


class ListWriter:
    """One programme's list file: rows with faults, a bounded shuffle buffer, and its truth rows."""

    def __init__(self, programme: Programme, fmt: str, stage: ListStage) -> None:
        self.p = programme
        self.fmt = fmt
        self.stage = stage
        self.file = f"lists/{programme.file_name}.{fmt}"
        path = Path(stage.config.out_dir) / self.file
        header = [h for h, _ in programme.columns]
        self.table: Table
        if fmt == "csv":
            self.table = CsvTable(
                path,
                header,
                delimiter=programme.delimiter,
                encoding=programme.encoding,
                lineterminator="\r\n",
            )
            self.first_row = 2
        else:
            self.table = XlsxTable(
                path, header, sheet_name=programme.sheet_name, title_rows=programme.title_rows
            )
            self.first_row = (len(programme.title_rows) + 1 if programme.title_rows else 0) + 2
        self.rng = random.Random(f"padu-synth/{stage.config.seed}/rows/{programme.code}")
        self.rates = stage.config.rates.with_overrides(programme.fault_overrides)
        self.buffer: list[list[Any]] = []
        self.written = 0
        self.fields = {f for _, f in programme.columns}
        self.upper = programme.name_case == "upper"
        self.fault_counts: Counter[str] = Counter()
        self.dup_group = 0
        self.getters = self._make_getters()

    def add(self, stale: str | None, person: PersonRec, fam: FamilyRec) -> None:
        rng = self.rng
        moved = ""
        if self.rates.address_moved and rng.random() < self.rates.address_moved:
            fam, moved = self._moved(fam)
        base = self._base_fields(person, fam)
        group = 0
        if rng.random() < self.rates.duplicate:
            self.dup_group += 1
            group = self.dup_group
            self.buffer.append(self._row(base, person, fam.fid, stale, group))
        self.buffer.append(self._row(base, person, fam.fid, stale, group))
        if moved:
            for row in self.buffer[-2 if group else -1 :]:
                row[3].insert(1 if stale else 0, ("address_moved", moved))
        if rng.random() < self.rates.non_resident:
            self._add_non_resident(person, fam)
        if len(self.buffer) >= BUFFER_ROWS:
            self.flush()

    def _moved(self, fam: FamilyRec) -> tuple[FamilyRec, str]:
        """The family after a move to another kelurahan of the city (the registry keeps the old address)."""
        rng, city = self.rng, self.stage.city
        old = city.kelurahan[fam.kel]
        kel = 1 + int(rng.random() * (len(city.kelurahan) - 1))
        kel = (fam.kel + kel) % len(city.kelurahan)
        new = city.kelurahan[kel]
        rw = new.rws[int(rng.random() * len(new.rws))]
        rt = 1 + int(rng.random() * rw.n_rt)
        moved = fam._replace(kel=kel, address=rw.place, rw=rw.number, rt=rt)
        detail = f"{old.name} RT {fam.rt:03d}/RW {fam.rw:03d} -> {new.name} RT {rt:03d}/RW {rw.number:03d}"
        return moved, detail

    # -- rows -----------------------------------------------------------------------------------------------

    def _base_fields(self, person: PersonRec, fam: FamilyRec) -> dict[str, Any]:
        p, rng, need, upper = self.p, self.rng, self.fields, self.upper
        kel = self.stage.city.kelurahan[fam.kel]
        f: dict[str, Any] = {
            "nik": person.nik,
            "name": list_case(person.name, p.name_case),
            "sex": person.sex,
            "birth_date": person.birth,
        }
        if "kk" in need:
            f["kk"] = fam.kk
        if "address" in need or "address_rt_rw" in need:
            f["address"] = fam.address
            f["address_rt_rw"] = f"{fam.address} RT {fam.rt:03d}/RW {fam.rw:03d}"
            f["rt"], f["rw"] = fam.rt, fam.rw
        elif "rt" in need:
            f["rt"], f["rw"] = fam.rt, fam.rw
        if "kelurahan_code" in need:
            f["kelurahan_code"] = kel.plain
        if "mother_name" in need:
            f["mother_name"] = list_case(person.mother, p.name_case)
        if "birth_place" in need or "ttl" in need:
            f["birth_place"] = person.birth_place if upper else person.birth_place.title()
        if "kelurahan" in need:
            f["kelurahan"] = kel.name.upper() if upper else kel.name
        if "kecamatan" in need:
            f["kecamatan"] = kel.kecamatan.name.upper() if upper else kel.kecamatan.name
        if "age" in need:
            f["age"] = person.age
        if "noka" in need:
            f["noka"] = f"{int(rng.random() * 10**10):013d}"
        if "nisn" in need:
            f["nisn"] = f"{person.birth.year % 1000:03d}{int(rng.random() * 10**7):07d}"
        if "school" in need or "level" in need:
            f["school"], f["level"], f["grade"] = _school(rng, person.age, kel)
        if "faskes" in need:
            f["faskes"] = f"Puskesmas {kel.kecamatan.name if rng.random() < 0.6 else kel.name}"
        if "posyandu" in need:
            f["posyandu"] = f"Posyandu {_POSYANDU[fam.rw % len(_POSYANDU)]} {fam.rw:02d}"
        if "weight" in need:
            f["weight"], f["height"] = _toddler_size(rng, person.age_months, fam.desil)
        if "phone" in need:
            f["phone"] = f"0{_PHONE[int(rng.random() * len(_PHONE))]}{int(rng.random() * 10**8):08d}"
        if "business" in need:
            f["business"] = _BUSINESS[int(rng.random() * len(_BUSINESS))]
        if "training" in need:
            f["training"] = _TRAINING[int(rng.random() * len(_TRAINING))]
        if "component" in need:
            f["component"], f["nominal"] = fam.pkh_components, fam.pkh_value
        elif "nominal" in need:
            f["nominal"] = (
                SCHOOL_BENEFIT.get(person.education, p.benefit_value_rp)
                if p.code == "pip"
                else p.benefit_value_rp
            )
        if "house_condition" in need:
            f["house_condition"] = (
                f"Lantai {fam.floor.lower()}, dinding {fam.wall.lower()}, atap {fam.roof.lower()}"
            )
        if "note" in need:
            f["note"] = _NOTES[int(rng.random() * len(_NOTES))]
        return f

    def _row(
        self, base: dict[str, Any], person: PersonRec, fid: str, stale: str | None, group: int
    ) -> list[Any]:
        rng, rates = self.rng, self.rates
        f = dict(base)
        found: list[tuple[str, str]] = []
        if stale:
            found.append((stale, ""))
        nik, kind = F.nik_fault(rng, person.nik, rates)
        if kind:
            found.append((kind, f"{person.nik} -> {nik or '(kosong)'}"))
        if self.p.nik_numeric and len(nik) == 16 and nik.isdigit():
            number = F.excel_number(nik)
            if str(number) != nik:
                found.append(("nik_excel_damage", f"{nik} -> {number}"))
            f["nik"] = number
        else:
            f["nik"] = nik
        f["name"], name_found = F.name_faults(rng, f["name"], person.sex, person.age, rates)
        found.extend(name_found)
        birth, wrong = F.birth_date_fault(rng, person.birth, rates)
        if wrong:
            found.append(("birth_date_wrong", f"{person.birth.isoformat()} -> {birth.isoformat()}"))
        f["birth_date"] = birth
        return [f, person.pid, fid, found, group]

    def _add_non_resident(self, like: PersonRec, fam: FamilyRec) -> None:
        """A row for someone who is not in the registry, shaped like ``like`` (same sex, similar age)."""
        rng, stage = self.rng, self.stage
        city, ref = stage.city, stage.config.reference_date
        outside = rng.random() < 0.6
        if outside:
            prefix = origin_prefix(city, rng)
        else:
            prefix = city.kecamatan[int(rng.random() * len(city.kecamatan))].plain
        birth = min(ref, like.birth + dt.timedelta(days=int(rng.random() * 240) - 120))
        nik, birth = stage.outsider_nik(prefix, birth, like.sex)
        person = PersonRec(
            pid="",
            nik=nik,
            name=given_name(rng, like.sex, birth.year),
            sex=like.sex,
            birth=birth,
            birth_place=stage.places.get(prefix, "SERANG") if outside else "SERANG",
            mother=given_name(rng, "P", birth.year - 26),
            age=ref.year - birth.year - ((ref.month, ref.day) < (birth.month, birth.day)),
            age_months=(ref.year - birth.year) * 12 + ref.month - birth.month - (ref.day < birth.day),
            education=like.education,
        )
        kel = city.kelurahan[fam.kel]
        rw = kel.rws[int(rng.random() * len(kel.rws))]
        day, month, year = 1 + int(rng.random() * 28), 1 + int(rng.random() * 12), 8 + int(rng.random() * 17)
        kk = f"{prefix}{day:02d}{month:02d}{year:02d}{1000 + int(rng.random() * 9000):04d}"
        other = fam._replace(
            fid="", kk=kk, address=rw.place, rw=rw.number, rt=1 + int(rng.random() * rw.n_rt)
        )
        row = self._row(self._base_fields(person, other), person, "", None, 0)
        row[3].insert(0, ("non_resident", ""))
        self.buffer.append(row)

    # -- output ---------------------------------------------------------------------------------------------

    def flush(self) -> None:
        if not self.buffer:
            return
        buf = self.buffer
        self.rng.shuffle(buf)
        seen: set[int] = set()
        out_rows = []
        ident_rows = []
        fault_rows = []
        counts = self.fault_counts
        code, file, offset = self.p.code, self.file, self.first_row - 1
        getters = self.getters
        n = self.written
        for f, pid, fid, found, group in buf:
            n += 1
            if group:
                if group in seen:
                    found = [*found, ("duplicate", "")]
                else:
                    seen.add(group)
            out_rows.append([get(f, n) for get in getters])
            ident_rows.append((code, file, n, n + offset, pid, fid))
            for kind, detail in found:
                counts[kind] += 1
                fault_rows.append((code, file, n, n + offset, kind, pid, fid, detail))
        self.written = n
        self.table.write_rows(out_rows)
        self.stage.identities.write_rows(ident_rows)
        self.stage.faults.write_rows(fault_rows)
        self.buffer = []

    def _make_getters(self) -> list[Callable[[dict[str, Any], int], Any]]:
        p = self.p
        xlsx = self.fmt == "xlsx"
        fmt = date_formatter(p.date_format)
        getters: list[Callable[[dict[str, Any], int], Any]] = []
        for _, key in p.columns:
            if key == "no":
                getters.append(lambda f, n: n)
            elif key == "nik":
                if xlsx:
                    getters.append(lambda f, n: float(f["nik"]) if isinstance(f["nik"], int) else f["nik"])
                else:
                    getters.append(lambda f, n: str(f["nik"]))
            elif key == "birth_date":
                if xlsx and p.date_format == "excel":
                    getters.append(lambda f, n: f["birth_date"])
                else:
                    getters.append(lambda f, n: fmt(f["birth_date"]))
            elif key == "ttl":
                getters.append(lambda f, n: f"{f['birth_place']}, {fmt(f['birth_date'])}")
            elif key == "sex":
                if p.sex_style == "L/P":
                    getters.append(lambda f, n: f["sex"])
                else:
                    getters.append(lambda f, n: "Laki-laki" if f["sex"] == "L" else "Perempuan")
            elif key in ("rt", "rw"):
                getters.append(_padded(key))
            else:
                getters.append(_plain(key))
        return getters

    def summary(self) -> dict[str, Any]:
        return {"rows": self.written, "faults": dict(self.fault_counts)}


class ListStage:
    """Every list writer plus the two truth files; fed with :class:`Unit` records in order."""

    def __init__(self, config: StageConfig, city: City | None = None) -> None:
        self.config = config
        self.city = city or load_city()
        self.places = place_by_prefix(self.city)
        # People who appear only on lists get NIK serials 5000-9999: never a registry NIK (1-4999).
        self._outsiders = SerialBook(self.city.nik_prefixes(), 5000, 9999)
        out = Path(config.out_dir)
        self.identities = CsvTable(out / IDENTITY_FILE, IDENTITY_COLUMNS)
        self.faults = CsvTable(out / FAULT_FILE, FAULT_COLUMNS)
        self.writers = [ListWriter(p, fmt, self) for p, fmt in zip(PROGRAMMES, config.formats, strict=True)]

    def outsider_nik(self, prefix: str, birth: dt.date, sex: str) -> tuple[str, dt.date]:
        from padu.lib.nik import compose_nik

        while True:
            serial = self._outsiders.take(prefix, birth)
            if serial:
                return compose_nik(prefix, birth, sex, serial), birth
            birth -= dt.timedelta(days=1)

    def handle(self, units: list[WireUnit]) -> None:
        writers = self.writers
        fromordinal = dt.date.fromordinal
        for index, stale, p, f in units:
            person = PersonRec(p[0], p[1], p[2], p[3], fromordinal(p[4]), p[5], p[6], p[7], p[8], p[9])
            writers[index].add(stale, person, FamilyRec._make(f))

    def finish(self) -> dict[str, dict[str, Any]]:
        try:
            for w in self.writers:
                w.flush()
                w.table.close()
        finally:
            self.identities.close()
            self.faults.close()
        return {w.p.code: w.summary() for w in self.writers}

    def abort(self) -> None:
        for w in self.writers:
            if isinstance(w.table, XlsxTable):
                w.table.abort()
            else:
                w.table.close()
        self.identities.close()
        self.faults.close()


# --- where stage 2 runs ---------------------------------------------------------------------------------


class InlineSink:
    """Stage 2 in this process."""

    def __init__(self, config: StageConfig, city: City) -> None:
        self._stage = ListStage(config, city)
        self._batch: list[WireUnit] = []

    def add(self, unit: WireUnit) -> None:
        self._batch.append(unit)
        if len(self._batch) >= BATCH_UNITS:
            self._stage.handle(self._batch)
            self._batch = []

    def finish(self) -> dict[str, dict[str, Any]]:
        self._stage.handle(self._batch)
        self._batch = []
        return self._stage.finish()

    def abort(self) -> None:
        self._stage.abort()


_FRAME = struct.Struct("<I")


def _read_exactly(stream: IO[bytes], n: int) -> bytes:
    data = stream.read(n)
    if data is None or len(data) != n:
        raise EOFError("the generator stopped before the end of the data")
    return data


def child_main() -> None:
    """Entry point of the second process (``python -c 'from padu.synth.lists import child_main; ...'``).

    Reads length-prefixed frames from stdin: first the JSON config, then ``marshal``-ed batches of
    :data:`WireUnit`, then an empty frame; writes the JSON summary to stdout."""
    stdin = sys.stdin.buffer
    stage = None
    try:
        (size,) = _FRAME.unpack(_read_exactly(stdin, _FRAME.size))
        raw = json.loads(_read_exactly(stdin, size))
        config = StageConfig(
            raw["out_dir"], raw["seed"], F.FaultRates(**raw["rates"]), tuple(raw["formats"]),
            dt.date.fromisoformat(raw["reference_date"]),
        )  # fmt: skip
        stage = ListStage(config)
        while True:
            (size,) = _FRAME.unpack(_read_exactly(stdin, _FRAME.size))
            if size == 0:
                break
            stage.handle(marshal.loads(_read_exactly(stdin, size)))
        summary = stage.finish()
    except BaseException:
        if stage is not None:
            stage.abort()
        sys.stderr.write(traceback.format_exc())
        sys.exit(1)
    sys.stdout.write(json.dumps(summary))


class ProcessSink:
    """Stage 2 in a second Python process (the second core), a fresh interpreter started with
    ``subprocess`` (no fork, no re-import of the caller's ``__main__``). Batches of plain tuples travel
    as ``marshal`` bytes through its stdin; the pipe's small buffer is the back-pressure that keeps
    memory flat."""

    def __init__(self, config: StageConfig) -> None:
        import padu

        env = dict(os.environ)
        root = str(Path(padu.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finish() or abort()
        self._proc = subprocess.Popen(
            [sys.executable, "-c", "from padu.synth.lists import child_main; child_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env,
        )  # fmt: skip
        self._batch: list[WireUnit] = []
        raw = {
            "out_dir": config.out_dir, "seed": config.seed, "rates": config.rates.as_dict(),
            "formats": list(config.formats), "reference_date": config.reference_date.isoformat(),
        }  # fmt: skip
        self._frame(json.dumps(raw).encode())

    def _frame(self, data: bytes) -> None:
        stdin = self._proc.stdin
        assert stdin is not None
        try:
            stdin.write(_FRAME.pack(len(data)))
            stdin.write(data)
        except OSError:  # the child died: report why
            self._proc.wait()
            self._fail()

    def _fail(self) -> None:
        self._stderr.seek(0)
        detail = (
            self._stderr.read().decode("utf-8", "replace").strip() or f"exit code {self._proc.returncode}"
        )
        raise RuntimeError(f"penulis daftar gagal / list writer failed:\n{detail}")

    def add(self, unit: WireUnit) -> None:
        self._batch.append(unit)
        if len(self._batch) >= BATCH_UNITS:
            self._frame(marshal.dumps(self._batch))
            self._batch = []

    def finish(self) -> dict[str, dict[str, Any]]:
        if self._batch:
            self._frame(marshal.dumps(self._batch))
            self._batch = []
        self._frame(b"")
        out, _ = self._proc.communicate()
        if self._proc.returncode != 0:
            self._fail()
        self._stderr.close()
        return json.loads(out)  # type: ignore[no-any-return]

    def abort(self) -> None:
        """Stop the second process; without the end frame it removes its temporary files and exits."""
        with contextlib.suppress(OSError):
            if self._proc.stdin is not None:
                self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10.0)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._stderr.close()


__all__ = [
    "FAULT_COLUMNS",
    "FAULT_FILE",
    "IDENTITY_COLUMNS",
    "IDENTITY_FILE",
    "FamilyRec",
    "InlineSink",
    "ListStage",
    "PersonRec",
    "ProcessSink",
    "StageConfig",
    "WireUnit",
]
