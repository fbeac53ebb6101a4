"""Synthetic Kota Serang population: kelurahan, families and their members, generated one at a time.

Geography (kelurahan sizes, poverty level, RW/RT and kampung names) is seeded by the region code only, so
the map of the city is the same for every seed; the people are seeded by ``seed``. Nothing grows with the
number of persons except the counters (fixed-size arrays) that keep NIK and KK serials unique.

Rates and distributions are plausible, not official: kecamatan population shares approximate the 2020
census (unverified), the desil mix is skewed to the bottom of the distribution the way DTSEN/P3KE extracts
handed to a city are, and housing/occupation mixes move with desil.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from array import array
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import accumulate

from padu.lib.nik import compose_nik
from padu.synth.names import given_name

REFERENCE_DATE = dt.date(2025, 6, 30)
OUTSIDER_SERIAL_FROM = 5000
CITY_CODE = "36.73"
CITY_NAME = "Kota Serang"

# Approximate share of the city's population per kecamatan (2020 census order of magnitude; unverified)
# and how much poorer than average each is (positive = more families in low desil).
KECAMATAN_PROFILE: dict[str, tuple[float, float]] = {
    "36.73.01": (0.305, -0.55),  # Serang: the urban centre
    "36.73.02": (0.150, 1.00),  # Kasemen: coastal, poorest
    "36.73.03": (0.135, 0.45),  # Walantaka
    "36.73.04": (0.080, 0.50),  # Curug
    "36.73.05": (0.150, -0.10),  # Cipocok Jaya
    "36.73.06": (0.140, 0.40),  # Taktakan
}
RURAL_KECAMATAN = frozenset({"36.73.02", "36.73.03", "36.73.04", "36.73.06"})
COASTAL_KECAMATAN = frozenset({"36.73.02"})

# Where migrants' NIKs were first issued: kab/kota code -> (weight, birth-place label, max kecamatan used).
MIGRANT_ORIGINS: dict[str, tuple[float, str, int]] = {
    "36.04": (0.32, "SERANG", 29),  # Kabupaten Serang, all kecamatan
    "36.01": (0.12, "PANDEGLANG", 10),
    "36.02": (0.10, "LEBAK", 10),
    "36.03": (0.06, "TANGERANG", 8),
    "36.72": (0.06, "CILEGON", 8),
    "36.71": (0.03, "TANGERANG", 6),
    "31.71": (0.02, "JAKARTA", 4),
    "31.72": (0.03, "JAKARTA", 4),
    "31.73": (0.02, "JAKARTA", 4),
    "31.74": (0.02, "JAKARTA", 4),
    "31.75": (0.03, "JAKARTA", 4),
    "32.01": (0.04, "BOGOR", 6),
    "32.03": (0.02, "CIANJUR", 4),
    "32.04": (0.02, "BANDUNG", 4),
    "32.05": (0.02, "GARUT", 4),
    "32.06": (0.02, "TASIKMALAYA", 4),
    "33.29": (0.02, "BREBES", 4),
    "33.28": (0.01, "TEGAL", 4),
    "18.01": (0.02, "LAMPUNG SELATAN", 4),
}

# Registry desil mix before the kelurahan tilt: bottom-heavy (desil 1 ends up about 14 %).
BASE_DESIL = (0.12, 0.12, 0.12, 0.11, 0.11, 0.10, 0.09, 0.09, 0.08, 0.06)
EXTREME_POOR_BY_DESIL = (0.55, 0.10, 0.02, 0, 0, 0, 0, 0, 0, 0)

# fmt: off
RELATIONS = (
    "Kepala Keluarga", "Istri", "Suami", "Anak", "Menantu", "Cucu", "Orang Tua", "Famili Lain", "Lainnya",
)

# --- housing, sanitation, occupation tables: (value, weight in desil 1, weight in desil 10) -------------

FLOOR = (
    ("Marmer/granit", 0.0, 0.10), ("Keramik", 0.30, 0.80), ("Ubin/tegel/teraso", 0.05, 0.05),
    ("Kayu/papan", 0.04, 0.01), ("Semen/bata merah", 0.38, 0.04), ("Bambu", 0.03, 0.0),
    ("Tanah", 0.20, 0.0),
)
WALL = (
    ("Tembok diplester", 0.42, 0.98), ("Tembok tanpa plester", 0.20, 0.02),
    ("Plesteran anyaman bambu/kawat", 0.08, 0.0), ("Kayu/papan", 0.10, 0.0), ("Anyaman bambu", 0.14, 0.0),
    ("Seng", 0.03, 0.0), ("Terpal/kardus", 0.03, 0.0),
)
ROOF = (
    ("Beton", 0.0, 0.15), ("Genteng", 0.55, 0.75), ("Asbes", 0.18, 0.08), ("Seng", 0.15, 0.02),
    ("Kayu/sirap", 0.02, 0.0), ("Bambu", 0.03, 0.0), ("Jerami/ijuk/rumbia", 0.07, 0.0),
)
LATRINE = (
    ("Sendiri", 0.45, 0.99), ("Bersama/komunal", 0.28, 0.01), ("Umum", 0.12, 0.0), ("Tidak ada", 0.15, 0.0),
)
WATER = (
    ("Air kemasan/isi ulang", 0.20, 0.60), ("Leding/PDAM", 0.08, 0.25), ("Sumur bor/pompa", 0.30, 0.15),
    ("Sumur terlindung", 0.20, 0.0), ("Sumur tak terlindung", 0.12, 0.0), ("Mata air", 0.04, 0.0),
    ("Air sungai/danau", 0.04, 0.0), ("Air hujan", 0.02, 0.0),
)
ELECTRICITY = (
    ("PLN 450 VA", 0.55, 0.0), ("PLN 900 VA", 0.33, 0.10), ("PLN 1.300 VA", 0.04, 0.40),
    ("PLN 2.200 VA", 0.0, 0.30), ("PLN > 2.200 VA", 0.0, 0.20), ("Non-PLN", 0.04, 0.0),
    ("Tidak ada", 0.04, 0.0),
)
OWNERSHIP = (
    ("Milik sendiri", 0.70, 0.85), ("Kontrak/sewa", 0.14, 0.12), ("Bebas sewa (menumpang)", 0.13, 0.01),
    ("Dinas", 0.0, 0.02), ("Lainnya", 0.03, 0.0),
)
HEAD_OCCUPATION = (
    ("Buruh Harian Lepas", 0.26, 0.0), ("Pedagang", 0.12, 0.06), ("Petani/Pekebun", 0.05, 0.01),
    ("Buruh Tani", 0.06, 0.0), ("Nelayan", 0.02, 0.0), ("Sopir/Ojek", 0.09, 0.01),
    ("Tukang Bangunan", 0.08, 0.0), ("Wiraswasta", 0.06, 0.18), ("Karyawan Swasta", 0.07, 0.36),
    ("PNS/ASN", 0.004, 0.20), ("TNI/Polri", 0.0, 0.05), ("Guru/Dosen", 0.005, 0.06),
    ("Karyawan BUMN/BUMD", 0.0, 0.05), ("Belum/Tidak Bekerja", 0.15, 0.01),
)
OTHER_ADULT_OCCUPATION = (
    ("Mengurus Rumah Tangga", 0.55, 0.45), ("Buruh Harian Lepas", 0.12, 0.0), ("Pedagang", 0.10, 0.06),
    ("Karyawan Swasta", 0.05, 0.25), ("Wiraswasta", 0.03, 0.08), ("Guru/Dosen", 0.0, 0.06),
    ("PNS/ASN", 0.0, 0.06), ("Buruh Tani", 0.03, 0.0), ("Belum/Tidak Bekerja", 0.12, 0.04),
)
EMPLOYMENT = {
    "Buruh Harian Lepas": "Pekerja bebas", "Buruh Tani": "Pekerja bebas", "Tukang Bangunan": "Pekerja bebas",
    "Pedagang": "Berusaha sendiri", "Petani/Pekebun": "Berusaha sendiri", "Nelayan": "Berusaha sendiri",
    "Sopir/Ojek": "Berusaha sendiri", "Wiraswasta": "Berusaha sendiri",
    "Karyawan Swasta": "Buruh/karyawan/pegawai", "PNS/ASN": "Buruh/karyawan/pegawai",
    "TNI/Polri": "Buruh/karyawan/pegawai", "Guru/Dosen": "Buruh/karyawan/pegawai",
    "Karyawan BUMN/BUMD": "Buruh/karyawan/pegawai", "Pensiunan": "Tidak bekerja",
    "Mengurus Rumah Tangga": "Tidak bekerja", "Belum/Tidak Bekerja": "Tidak bekerja",
    "Pelajar/Mahasiswa": "Tidak bekerja",
}
EDUCATION_ADULT = (
    ("Tidak/belum sekolah", 0.10, 0.0), ("SD/sederajat", 0.42, 0.03), ("SMP/sederajat", 0.25, 0.05),
    ("SMA/sederajat", 0.21, 0.35), ("D1-D3", 0.01, 0.12), ("D4/S1", 0.01, 0.40), ("S2/S3", 0.0, 0.05),
)
DISABILITY_TYPES = (
    "Disabilitas Fisik", "Disabilitas Fisik", "Disabilitas Sensorik Netra",
    "Disabilitas Sensorik Rungu/Wicara", "Disabilitas Intelektual", "Disabilitas Mental", "Disabilitas Ganda",
)
FOOD_WORRY = (0.70, 0.50, 0.35, 0.22, 0.14, 0.09, 0.06, 0.04, 0.02, 0.01)
FOOD_SHARE = (0.85, 0.72, 0.60, 0.48, 0.38, 0.30, 0.22, 0.16, 0.10, 0.06)
NO_CLOTHES = (0.55, 0.38, 0.25, 0.15, 0.09, 0.05, 0.03, 0.02, 0.01, 0.01)
FLOOR_CRIT = frozenset({"Tanah", "Semen/bata merah", "Bambu"})
ELECTRICITY_CRIT = frozenset({"PLN 450 VA", "Non-PLN", "Tidak ada"})
POOR_ROOF = frozenset({"Seng", "Bambu", "Jerami/ijuk/rumbia", "Kayu/sirap"})

PLACE_NAMES = (
    "Sukamaju", "Sukajadi", "Sukasari", "Sukamanah", "Cibeber", "Kaloran", "Pegantungan", "Kebon Jahe",
    "Lopang Gede", "Ciracas", "Pakupatan", "Kepandean", "Kaujon", "Benggala", "Sempu", "Royal", "Trondol",
    "Kebaharan", "Karangantu", "Pamarican", "Tasikardi", "Pabean", "Kubang", "Serdang", "Pasirlaja",
    "Cilampang", "Cikulur", "Kadubeureum", "Kebon Kelapa", "Pejaten", "Cigabus", "Kampung Baru",
    "Tegal Cabe", "Pasir Gadung", "Gardu Tanjak", "Bojong", "Kemuning", "Babakan", "Legok", "Rancasumur",
    "Kadumalati", "Cilaku Girang", "Kebon Sawo", "Cimuncang Hilir", "Kaligandu Lor", "Priyayi",
    "Kasunyatan Wetan", "Pasar Lama", "Kemang", "Sayabulu", "Warung Pojok", "Pesanggrahan", "Ciceri",
    "Kagungan Girang", "Unyur Hilir", "Dalung Asri", "Bendung Lor", "Jambangan", "Gelam Wetan",
    "Kalodran Tengah", "Penancangan", "Sumur Bor", "Cipocok Girang", "Kebon Waru", "Kampung Sawah",
)
STREETS = (
    "Jl. Ahmad Yani", "Jl. Veteran", "Jl. Diponegoro", "Jl. Maulana Hasanudin", "Jl. Sultan Ageng Tirtayasa",
    "Jl. KH. Abdul Hadi", "Jl. Trip Jamaksari", "Jl. Raya Petir", "Jl. Raya Pandeglang",
    "Jl. Jenderal Sudirman", "Jl. Kitapa", "Jl. Lingkar Selatan", "Jl. Bhayangkara",
    "Jl. Syech Nawawi Al Bantani", "Jl. Raya Banten", "Jl. Ciwaru Raya", "Jl. KH. Sochari",
    "Jl. Raya Serang-Cilegon", "Jl. Raya Taktakan", "Jl. Raya Walantaka", "Jl. Kiara", "Jl. Pakupatan",
)
ESTATES = (
    "Perum Griya Serang Asri", "Komp. Bumi Agung Permai", "Perum Taman Mutiara", "Perum Puri Delta",
    "Komp. Serang Baru", "Perum Bukit Cipocok Indah", "Perum Ciracas Indah", "Perum Sayar Residence",
)
GANG = ("Mawar", "Melati", "Masjid", "Haji Usman", "Kenanga", "Mushola")
# fmt: on


def _cum_tables(table: Sequence[tuple[str, float, float]]) -> tuple[tuple[str, ...], list[list[float]]]:
    """Values and, per desil 1..10, cumulative weights interpolated between the desil-1 and desil-10 mix."""
    values = tuple(v for v, _, _ in table)
    per_desil = []
    for d in range(10):
        t = d / 9
        weights = [(1 - t) * poor + t * rich for _, poor, rich in table]
        per_desil.append(list(accumulate(weights)))
    return values, per_desil


class _Choice:
    """Weighted choice by desil without recomputing cumulative weights on every call."""

    __slots__ = ("cum", "values")

    def __init__(self, table: Sequence[tuple[str, float, float]]) -> None:
        self.values, self.cum = _cum_tables(table)

    def __call__(self, rng: random.Random, desil: int) -> str:
        cum = self.cum[desil - 1]
        return self.values[bisect(cum, rng.random() * cum[-1])]


_FLOOR, _WALL, _ROOF = _Choice(FLOOR), _Choice(WALL), _Choice(ROOF)
_LATRINE, _WATER, _ELEC, _OWN = _Choice(LATRINE), _Choice(WATER), _Choice(ELECTRICITY), _Choice(OWNERSHIP)
_HEAD_OCC, _OTHER_OCC = _Choice(HEAD_OCCUPATION), _Choice(OTHER_ADULT_OCCUPATION)
_EDU = _Choice(EDUCATION_ADULT)


# --- geography ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str

    @property
    def plain(self) -> str:
        return self.code.replace(".", "")


@dataclass(frozen=True, slots=True)
class Rw:
    number: int
    place: str  # "Kp. Kaloran", "Link. Kebon Jahe", "Jl. Veteran", "Perum Griya Serang Asri"
    numbered: bool  # street/estate addresses carry a house number
    n_rt: int


@dataclass(frozen=True, slots=True)
class Kelurahan:
    code: str
    name: str
    kecamatan: Region
    weight: float
    poverty_shift: float
    rws: tuple[Rw, ...]
    desil_cum: tuple[float, ...]

    @property
    def plain(self) -> str:
        return self.code.replace(".", "")


@dataclass(frozen=True, slots=True)
class Origin:
    kab_code: str
    kab_name: str
    birth_place: str
    prefixes: tuple[str, ...]  # 6-digit kecamatan codes NIKs of this origin start with


@dataclass(frozen=True)
class City:
    code: str
    name: str
    kecamatan: tuple[Region, ...]
    kelurahan: tuple[Kelurahan, ...]
    origins: tuple[Origin, ...]
    origin_cum: tuple[float, ...]
    regions: dict[str, str] = field(repr=False)  # every code in wilayah.csv -> name

    def nik_prefixes(self) -> list[str]:
        """Every 6-digit prefix a generated NIK can start with (city kecamatan first)."""
        out = [k.plain for k in self.kecamatan]
        for o in self.origins:
            out.extend(p for p in o.prefixes if p not in out)
        return out


def read_wilayah(provinces: Sequence[str] = ()) -> list[dict[str, str]]:
    """Rows of the packaged Kemendagri code list (``padu.wilayah`` ``data/wilayah.csv``), optionally
    only those of some provinces (two-digit codes)."""
    text = resources.files("padu.wilayah").joinpath("data/wilayah.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    if provinces:
        wanted = tuple(f"{p}." for p in provinces) + tuple(f"{p}," for p in provinces)
        lines = [lines[0], *(ln for ln in lines[1:] if ln.startswith(wanted))]
    return list(csv.DictReader(lines))


def _geo_rng(code: str, what: str) -> random.Random:
    return random.Random(f"padu-synth-geo/{code}/{what}")


def _kelurahan_geography(code: str, kec_code: str) -> tuple[float, float, tuple[Rw, ...]]:
    rng = _geo_rng(code, "shape")
    weight = rng.lognormvariate(0.0, 0.45)
    shift = KECAMATAN_PROFILE[kec_code][1] + rng.gauss(0.0, 0.45)
    n_rw = rng.randint(4, 14)
    rural = kec_code in RURAL_KECAMATAN
    names = rng.sample(PLACE_NAMES, k=min(n_rw, len(PLACE_NAMES)))
    rws = []
    for i in range(n_rw):
        r = rng.random()
        if r < (0.70 if rural else 0.35):
            place, numbered = f"Kp. {names[i]}", False
        elif r < (0.85 if rural else 0.60):
            place, numbered = f"Link. {names[i]}", False
        elif r < (0.95 if rural else 0.85):
            place, numbered = rng.choice(STREETS), True
        else:
            place, numbered = rng.choice(ESTATES), True
        rws.append(Rw(i + 1, place, numbered, rng.randint(3, 9)))
    return weight, shift, tuple(rws)


def _desil_cum(shift: float) -> tuple[float, ...]:
    weights = [p * math.exp(-shift * (d - 4.5) / 4.5) for d, p in enumerate(BASE_DESIL)]
    return tuple(accumulate(weights))


def load_city() -> City:
    provinces = sorted({CITY_CODE[:2], *(code[:2] for code in MIGRANT_ORIGINS)})
    rows = read_wilayah(provinces)
    names = {r["code"]: r["name"] for r in rows}
    kecamatan = tuple(
        Region(r["code"], r["name"]) for r in rows if r["parent_code"] == CITY_CODE and r["level"] == "3"
    )
    kec_by_code = {k.code: k for k in kecamatan}
    shares = {k.code: KECAMATAN_PROFILE[k.code][0] for k in kecamatan}
    kel_rows = [r for r in rows if r["parent_code"] in kec_by_code and r["level"] == "4"]
    kel_weight_sum: dict[str, float] = {}
    geo = {}
    for r in kel_rows:
        g = _kelurahan_geography(r["code"], r["parent_code"])
        geo[r["code"]] = g
        kel_weight_sum[r["parent_code"]] = kel_weight_sum.get(r["parent_code"], 0.0) + g[0]
    total_share = sum(shares.values())
    kelurahan = []
    for r in kel_rows:
        weight, shift, rws = geo[r["code"]]
        kec = r["parent_code"]
        w = shares[kec] / total_share * weight / kel_weight_sum[kec]
        kelurahan.append(Kelurahan(r["code"], r["name"], kec_by_code[kec], w, shift, rws, _desil_cum(shift)))
    origins = []
    for kab, (_, place, max_kec) in MIGRANT_ORIGINS.items():
        kecs = sorted(r["code"] for r in rows if r["parent_code"] == kab and r["level"] == "3")
        step = max(1, len(kecs) // max_kec)
        chosen = tuple(c.replace(".", "") for c in kecs[::step][:max_kec])
        origins.append(Origin(kab, names[kab], place, chosen))
    origin_cum = tuple(accumulate(w for w, _, _ in MIGRANT_ORIGINS.values()))
    return City(CITY_CODE, names[CITY_CODE], kecamatan, tuple(kelurahan), tuple(origins), origin_cum, names)


def origin_prefix(city: City, rng: random.Random) -> str:
    """A NIK prefix (kecamatan) outside the city, weighted by where migrants come from."""
    cum = city.origin_cum
    o = city.origins[bisect(cum, rng.random() * cum[-1])]
    return o.prefixes[int(rng.random() * len(o.prefixes))]


def place_by_prefix(city: City) -> dict[str, str]:
    """NIK prefix -> birth-place label (SERANG for the city's own kecamatan)."""
    places = {k.plain: "SERANG" for k in city.kecamatan}
    for o in city.origins:
        for p in o.prefixes:
            places.setdefault(p, o.birth_place)
    return places


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder; sums exactly)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    rest = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[:rest]:
        out[i] += 1
    return out


# --- unique serials ---------------------------------------------------------------------------------------


class SerialBook:
    """Next 4-digit serial per (6-digit prefix, DDMMYY): what SIAK does, in a fixed-size array.

    Keyed by the two-digit year, not the full date, because NIKs of people born 1925 and 2025 on the
    same day share the digits. 2 bytes per (prefix, day) slot: about 74 kB per prefix whatever N is.
    Serials run from ``first`` to ``last``; separate books with disjoint ranges never collide.
    """

    SLOTS = 100 * 372

    def __init__(self, prefixes: Sequence[str], first: int = 1, last: int = 9999) -> None:
        self._index = {p: i * self.SLOTS for i, p in enumerate(prefixes)}
        self._counts = array("H", bytes(2 * self.SLOTS * len(prefixes)))
        self._first = first
        self._room = last - first + 1

    def take(self, prefix: str, day: dt.date) -> int:
        """The next serial, or 0 when that prefix and day are full."""
        k = self._index[prefix] + (day.year % 100) * 372 + (day.month - 1) * 31 + day.day - 1
        c = self._counts[k]
        if c >= self._room:
            return 0
        self._counts[k] = c + 1
        return self._first + c


# --- people -----------------------------------------------------------------------------------------------


class Person:
    """One registry member (ART). Attributes used by programmes are plain, precomputed fields."""

    __slots__ = (
        "age",
        "age_months",
        "birth",
        "birth_place",
        "disability",
        "education",
        "employment",
        "in_school",
        "marital",
        "mother",
        "name",
        "nik",
        "occupation",
        "pid",
        "pregnant",
        "rec",
        "rel",
        "school_status",
        "sex",
        "status",
        "status_date",
    )

    def __init__(self) -> None:
        self.pid = ""
        self.nik = ""
        self.name = ""
        self.sex = "L"
        self.birth = REFERENCE_DATE
        self.birth_place = ""
        self.rel = ""
        self.marital = ""
        self.mother = ""
        self.education = ""
        self.school_status = ""
        self.in_school = False
        self.occupation = ""
        self.employment = ""
        self.disability = ""
        self.pregnant = False
        self.status = "aktif"
        self.status_date = ""
        self.age = 0
        self.age_months = 0
        self.rec: object = None  # the record sent to the list stage, made once


class Family:
    __slots__ = (
        "address",
        "criteria",
        "desil",
        "electricity",
        "extreme_poor",
        "fid",
        "floor",
        "house_owned",
        "house_unfit",
        "kel",
        "kk",
        "latrine",
        "members",
        "moved",
        "ownership",
        "pkh_component",
        "rec",
        "roof",
        "rt",
        "rw",
        "wall",
        "water",
    )

    def __init__(self) -> None:
        self.fid = ""
        self.kk = ""
        self.address = ""
        self.rt = 0
        self.rw = 0
        self.desil = 10
        self.extreme_poor = False
        self.floor = self.wall = self.roof = self.latrine = self.water = ""
        self.electricity = self.ownership = ""
        self.criteria: tuple[int, ...] = (0,) * 8
        self.house_owned = False
        self.house_unfit = False
        self.pkh_component = False
        self.moved = False
        self.rec: object = None
        self.members: list[Person] = []
        self.kel: Kelurahan


class PopulationGenerator:
    """Yields families kelurahan by kelurahan until exactly ``persons`` people have been made."""

    def __init__(self, city: City, persons: int, seed: int, reference_date: dt.date = REFERENCE_DATE):
        self.city = city
        self.persons = persons
        self.seed = seed
        self.ref = reference_date
        self.ref_ord = reference_date.toordinal()
        # Registry people get serials 1-4999; people who appear only on lists (non-residents) get
        # 5000-9999 (padu.synth.lists), so the registry never depends on how the lists were drawn.
        self.nik_book = SerialBook(city.nik_prefixes(), 1, OUTSIDER_SERIAL_FROM - 1)
        self.kk_book = SerialBook([k.plain for k in city.kecamatan])
        self.targets = allocate(persons, [k.weight for k in city.kelurahan])
        self.next_person = 0
        self.next_family = 0
        self.kk_start = dt.date(2008, 1, 1).toordinal()
        self._place_by_prefix = place_by_prefix(city)
        self._birth_places = tuple(sorted({o.birth_place for o in city.origins}))

    # -- helpers ------------------------------------------------------------------------------------------

    def _origin_prefix(self, rng: random.Random) -> str:
        return origin_prefix(self.city, rng)

    def _other_city_prefix(self, rng: random.Random, own: str) -> str:
        kecs = self.city.kecamatan
        while True:
            p = kecs[int(rng.random() * len(kecs))].plain
            if p != own:
                return p

    def _birth(self, age_years: float) -> dt.date:
        return dt.date.fromordinal(self.ref_ord - int(age_years * 365.2425))

    def make_nik(self, prefix: str, birth: dt.date, sex: str) -> tuple[str, dt.date]:
        """A unique NIK (and the birth date actually used: a full day moves to the day before)."""
        while True:
            serial = self.nik_book.take(prefix, birth)
            if serial:
                return compose_nik(prefix, birth, sex, serial), birth
            birth = birth - dt.timedelta(days=1)

    def _person(
        self, rng: random.Random, fam: Family, rel: str, sex: str, age: float, prefix: str, desil: int
    ) -> Person:
        p = Person()
        self.next_person += 1
        p.pid = f"P{self.next_person:08d}"
        p.rel = rel
        p.sex = sex
        birth = self._birth(max(age, 0.0))
        p.nik, birth = self.make_nik(prefix, birth, sex)
        p.birth = birth
        ref = self.ref
        years = ref.year - birth.year - ((ref.month, ref.day) < (birth.month, birth.day))
        p.age = years
        p.age_months = (ref.year - birth.year) * 12 + ref.month - birth.month - (ref.day < birth.day)
        p.name = given_name(rng, sex, birth.year)
        place = self._place_by_prefix[prefix]
        if rng.random() < 0.08:
            place = self._birth_places[int(rng.random() * len(self._birth_places))]
        p.birth_place = place
        self._education_and_work(rng, p, desil, fam.kel.kecamatan.code)
        if rng.random() < (0.01 if years < 18 else 0.025 if years < 60 else 0.08):
            p.disability = DISABILITY_TYPES[int(rng.random() * len(DISABILITY_TYPES))]
        return p

    def _education_and_work(self, rng: random.Random, p: Person, desil: int, kec: str) -> None:
        age = p.age
        poor = (10 - desil) / 9  # 1.0 in desil 1, 0.0 in desil 10
        if age < 5:
            p.education, p.school_status, p.occupation = (
                "Tidak/belum sekolah",
                "Belum sekolah",
                "Belum/Tidak Bekerja",
            )
        elif age <= 22:
            attend = (
                0.55
                if age == 5
                else 0.97 - 0.04 * poor
                if age <= 12
                else 0.96 - 0.12 * poor
                if age <= 15
                else 0.90 - 0.25 * poor
                if age <= 18
                else 0.45 - 0.38 * poor
            )
            level = (
                "Tidak/belum sekolah"
                if age < 7
                else "SD/sederajat"
                if age <= 12
                else "SMP/sederajat"
                if age <= 15
                else "SMA/sederajat"
                if age <= 18
                else "D4/S1"
            )
            if rng.random() < attend:
                p.in_school = True
                p.school_status, p.education, p.occupation = "Masih sekolah", level, "Pelajar/Mahasiswa"
            else:
                p.school_status = "Tidak sekolah lagi"
                p.education = (
                    "SD/sederajat"
                    if age <= 15
                    else ("SMP/sederajat" if rng.random() < 0.6 else "SMA/sederajat")
                )
                p.occupation = (
                    "Belum/Tidak Bekerja" if age < 16 or rng.random() < 0.45 else _OTHER_OCC(rng, desil)
                )
        else:
            p.education = _EDU(rng, desil)
            if age >= 55 and p.education in {"SD/sederajat", "D4/S1"} and rng.random() < 0.3:
                p.education = "Tidak/belum sekolah" if p.education == "SD/sederajat" else "SMA/sederajat"
            p.school_status = (
                "Tidak/belum pernah sekolah" if p.education == "Tidak/belum sekolah" else "Tidak sekolah lagi"
            )
        if not p.occupation:
            if p.rel == "Kepala Keluarga" or (p.sex == "L" and p.rel in {"Suami", "Anak", "Menantu"}):
                occ = _HEAD_OCC(rng, desil)
                if (
                    occ in {"Petani/Pekebun", "Buruh Tani"}
                    and kec not in RURAL_KECAMATAN
                    and rng.random() < 0.7
                ):
                    occ = "Buruh Harian Lepas"
                if (
                    kec in COASTAL_KECAMATAN
                    and occ in {"Buruh Harian Lepas", "Pedagang"}
                    and rng.random() < 0.2
                ):
                    occ = "Nelayan"
            else:
                occ = _OTHER_OCC(rng, desil)
            if age >= 65:
                r = rng.random()
                occ = (
                    "Belum/Tidak Bekerja"
                    if r < 0.55
                    else ("Pensiunan" if r < 0.55 + 0.3 * (1 - poor) else occ)
                )
            p.occupation = occ
        p.employment = EMPLOYMENT.get(p.occupation, "Tidak bekerja")

    # -- families -----------------------------------------------------------------------------------------

    def families(self, rng: random.Random) -> Iterator[Family]:
        for kel, target in zip(self.city.kelurahan, self.targets, strict=True):
            left = target
            while left > 0:
                fam = self._family(rng, kel, left)
                left -= len(fam.members)
                yield fam

    def _family(self, rng: random.Random, kel: Kelurahan, room: int) -> Family:
        fam = Family()
        fam.kel = kel
        self.next_family += 1
        fam.fid = f"F{self.next_family:08d}"
        cum = kel.desil_cum
        desil = bisect(cum, rng.random() * cum[-1]) + 1
        fam.desil = desil
        fam.extreme_poor = rng.random() < EXTREME_POOR_BY_DESIL[desil - 1]
        local = kel.kecamatan.plain
        r = rng.random()
        origin = (
            local
            if r < 0.80
            else self._other_city_prefix(rng, local)
            if r < 0.89
            else self._origin_prefix(rng)
        )
        members = self._members(rng, fam, desil, local, origin)
        if len(members) > room:  # the kelurahan is full: the last-made members are dropped, ids stay dense
            self.next_person -= len(members) - room
            members = members[:room]
        fam.members = members
        self._address_and_kk(rng, fam, local)
        self._house(rng, fam, desil)
        self._statuses(rng, fam)
        return fam

    def _members(self, rng: random.Random, fam: Family, desil: int, local: str, origin: str) -> list[Person]:
        poor = (10 - desil) / 9
        r = rng.random()
        ftype = (
            "single"
            if r < 0.07
            else "couple"
            if r < 0.15
            else "single_parent"
            if r < 0.24
            else "extended"
            if r < 0.42
            else "nuclear"
        )
        members: list[Person] = []
        mother_of_head = ""
        if ftype == "single":
            if rng.random() < 0.5:
                sex = "P" if rng.random() < 0.7 else "L"
                head_age = rng.triangular(58, 92, 70)
                marital = "Cerai Mati"
            else:
                sex = "L" if rng.random() < 0.6 else "P"
                head_age = rng.triangular(19, 45, 25)
                marital = "Belum Kawin" if rng.random() < 0.8 else "Cerai Hidup"
            head = self._person(rng, fam, "Kepala Keluarga", sex, head_age, origin, desil)
            head.marital = marital
            members.append(head)
        else:
            if ftype == "couple":
                head_age = rng.triangular(20, 34, 25) if rng.random() < 0.5 else rng.triangular(48, 85, 62)
            elif ftype == "single_parent":
                head_age = rng.triangular(28, 70, 45)
            else:
                head_age = rng.triangular(24, 72, 38)
            female_head = ftype == "single_parent" and rng.random() < 0.8
            head = self._person(
                rng, fam, "Kepala Keluarga", "P" if female_head else "L", head_age, origin, desil
            )
            members.append(head)
            mother: Person | None = head if female_head else None
            if ftype == "single_parent":
                head.marital = "Cerai Mati" if head_age > 50 and rng.random() < 0.6 else "Cerai Hidup"
            else:
                head.marital = "Kawin"
                wife_age = max(17.5, head_age - rng.uniform(-2, 8))
                w_prefix = (
                    origin
                    if rng.random() < 0.6
                    else (local if rng.random() < 0.7 else self._origin_prefix(rng))
                )
                if rng.random() < 0.03:  # the wife holds the KK, the husband is listed as Suami
                    head.sex = "P"
                    head.nik, head.birth = self.make_nik(origin, head.birth, "P")
                    head.name = given_name(rng, "P", head.birth.year)
                    spouse = self._person(
                        rng, fam, "Suami", "L", head_age + rng.uniform(0, 5), w_prefix, desil
                    )
                    mother = head
                else:
                    spouse = self._person(rng, fam, "Istri", "P", wife_age, w_prefix, desil)
                    mother = spouse
                spouse.marital = "Kawin"
                if 18 <= spouse.age <= 42 and rng.random() < 0.05 and spouse.sex == "P":
                    spouse.pregnant = True
                members.append(spouse)
            if ftype != "couple":
                mother_age = mother.age if mother is not None else head_age - 3
                self._children(rng, fam, members, mother, mother_age, poor, desil, local, origin)
            if ftype == "extended":
                if rng.random() < 0.6:  # a widowed parent of the head lives in
                    sex = "P" if rng.random() < 0.72 else "L"
                    age = min(98.0, head.age + rng.uniform(19, 36))
                    op = self._person(
                        rng, fam, "Orang Tua", sex, age, origin if rng.random() < 0.7 else local, desil
                    )
                    op.marital = "Cerai Mati"
                    members.append(op)
                    if sex == "P":
                        mother_of_head = op.name
                if head.age >= 44 and rng.random() < 0.55:  # a married child with spouse and grandchildren
                    self._married_child(rng, fam, members, mother, head.age, desil, local)
                if rng.random() < 0.25:
                    age = rng.uniform(8, 35)
                    fl = self._person(
                        rng, fam, "Famili Lain", "L" if rng.random() < 0.5 else "P", age, local, desil
                    )
                    fl.marital = "Belum Kawin" if age < 25 else "Kawin"
                    fl.mother = given_name(rng, "P", fl.birth.year - 27)
                    members.append(fl)
                if rng.random() < 0.05:
                    age = rng.uniform(18, 55)
                    ot = self._person(rng, fam, "Lainnya", "P", age, self._origin_prefix(rng), desil)
                    ot.marital = "Belum Kawin" if age < 24 else "Cerai Hidup"
                    ot.mother = given_name(rng, "P", ot.birth.year - 27)
                    members.append(ot)
        head = members[0]
        head.mother = mother_of_head or given_name(rng, "P", head.birth.year - 26)
        for m in members[1:]:
            if not m.mother:
                m.mother = given_name(rng, "P", m.birth.year - 26)
        return members

    def _children(
        self,
        rng: random.Random,
        fam: Family,
        members: list[Person],
        mother: Person | None,
        mother_age: float,
        poor: float,
        desil: int,
        local: str,
        origin: str,
    ) -> None:
        r = rng.random()
        n = 0
        cum = (
            (0.03, 0.14, 0.40, 0.66, 0.84, 0.94, 1.0)
            if poor > 0.5
            else (0.05, 0.22, 0.58, 0.85, 0.95, 0.99, 1.0)
        )
        while r > cum[n]:
            n += 1
        age = mother_age - rng.triangular(18, 33, 22)
        moved_in = rng.uniform(0, 30) if origin != local else 99.0
        for _ in range(n):
            if age < 0:
                break
            keep = 1.0 if age < 23 else 0.45 if age < 30 else 0.1
            if rng.random() < keep:
                prefix = local if age < moved_in else origin
                child = self._person(
                    rng, fam, "Anak", "L" if rng.random() < 0.51 else "P", age, prefix, desil
                )
                child.marital = "Belum Kawin" if child.age < 26 or rng.random() < 0.6 else "Cerai Hidup"
                if mother is not None:
                    child.mother = mother.name
                members.append(child)
            age -= rng.uniform(1.4, 6.0)

    def _married_child(
        self,
        rng: random.Random,
        fam: Family,
        members: list[Person],
        mother: Person | None,
        head_age: int,
        desil: int,
        local: str,
    ) -> None:
        age = max(19.0, head_age - rng.uniform(20, 30))
        daughter = rng.random() < 0.55
        child = self._person(rng, fam, "Anak", "P" if daughter else "L", age, local, desil)
        child.marital = "Kawin"
        if mother is not None:
            child.mother = mother.name
        in_law_prefix = local if rng.random() < 0.6 else self._origin_prefix(rng)
        in_law = self._person(
            rng, fam, "Menantu", "L" if daughter else "P", age + rng.uniform(-3, 5), in_law_prefix, desil
        )
        in_law.marital = "Kawin"
        members += [child, in_law]
        cucu_mother = child if daughter else in_law
        g_age = cucu_mother.age - rng.triangular(18, 30, 21)
        for _ in range(int(rng.random() * 3.2)):
            if g_age < 0:
                break
            g = self._person(rng, fam, "Cucu", "L" if rng.random() < 0.51 else "P", g_age, local, desil)
            g.marital = "Belum Kawin"
            g.mother = cucu_mother.name
            members.append(g)
            g_age -= rng.uniform(1.5, 5)

    def _address_and_kk(self, rng: random.Random, fam: Family, local: str) -> None:
        rws = fam.kel.rws
        rw = rws[int(rng.random() * len(rws))]
        fam.rw = rw.number
        fam.rt = 1 + int(rng.random() * rw.n_rt)
        if rw.numbered:
            fam.address = f"{rw.place} No. {1 + int(rng.random() * 120)}"
            if rw.place.startswith(("Perum", "Komp.")):
                block = f"{'ABCDEFGH'[int(rng.random() * 8)]}{1 + int(rng.random() * 12)}"
                fam.address = f"{rw.place} Blok {block} No. {1 + int(rng.random() * 30)}"
        elif rng.random() < 0.15:
            fam.address = f"{rw.place} Gg. {GANG[int(rng.random() * len(GANG))]}"
        else:
            fam.address = rw.place
        while True:
            reg = dt.date.fromordinal(self.kk_start + int(rng.random() * (self.ref_ord - self.kk_start)))
            serial = self.kk_book.take(local, reg)
            if serial:
                break
        fam.kk = f"{local}{reg.day:02d}{reg.month:02d}{reg.year % 100:02d}{serial:04d}"

    def _house(self, rng: random.Random, fam: Family, desil: int) -> None:
        fam.floor = _FLOOR(rng, desil)
        fam.wall = _WALL(rng, desil)
        fam.roof = _ROOF(rng, desil)
        fam.latrine = _LATRINE(rng, desil)
        fam.water = _WATER(rng, desil)
        fam.electricity = _ELEC(rng, desil)
        fam.ownership = _OWN(rng, desil)
        i = desil - 1
        head = fam.members[0]
        fam.criteria = (
            int(head.employment == "Tidak bekerja"),
            int(rng.random() < FOOD_WORRY[i]),
            int(rng.random() < FOOD_SHARE[i]),
            int(rng.random() < NO_CLOTHES[i]),
            int(fam.floor in FLOOR_CRIT),
            int(fam.wall != "Tembok diplester"),
            int(fam.latrine != "Sendiri"),
            int(fam.electricity in ELECTRICITY_CRIT),
        )
        fam.house_owned = fam.ownership == "Milik sendiri"
        fam.house_unfit = (
            fam.floor == "Tanah"
            or fam.wall not in {"Tembok diplester", "Tembok tanpa plester"}
            or fam.roof in POOR_ROOF
        )
        fam.pkh_component = any(
            m.age < 6 or (m.in_school and m.age <= 21) or m.pregnant or m.age >= 70 or m.disability
            for m in fam.members
        )

    def _statuses(self, rng: random.Random, fam: Family) -> None:
        ref_ord = self.ref_ord
        if rng.random() < 0.015:  # the whole family moved out; DTSEN not yet updated
            fam.moved = True
            day = dt.date.fromordinal(ref_ord - 1 - int(rng.random() * 500)).isoformat()
            for m in fam.members:
                m.status, m.status_date = "pindah", day
            return
        for m in fam.members:
            a = m.age
            p_die = 0.002 if a < 50 else 0.015 if a < 65 else 0.04 if a < 75 else 0.09
            r = rng.random()
            if r < p_die:
                m.status = "meninggal"
                m.status_date = dt.date.fromordinal(ref_ord - 1 - int(rng.random() * 700)).isoformat()
            elif m.rel != "Kepala Keluarga" and r < p_die + (0.04 if 18 <= a <= 35 else 0.004):
                m.status = "pindah"
                m.status_date = dt.date.fromordinal(ref_ord - 1 - int(rng.random() * 600)).isoformat()
