"""Rule-based classification of a Musrenbang proposal from its Bahasa Indonesia text: physical or
non-physical, Inpres 4/2022 strategy, bidang and the likely OPD. Django-free; keywords are matched on
whole words of the lower-cased text (``MCK`` and ``mck`` alike). The user can always override.

Order of rules: the first rule whose keyword occurs decides; rules are listed from the most specific
("rutilahu", "modal usaha") to the generic ("pembangunan", "pelatihan").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: (keywords, physical, strategy, bidang, OPD code)
RULES: tuple[tuple[tuple[str, ...], bool, str, str, str], ...] = (
    (
        ("rutilahu", "rtlh", "rumah tidak layak huni", "bedah rumah", "rehab rumah"),
        True,
        "beban",
        "infrastruktur",
        "disperkim",
    ),
    (("mck", "jamban", "septic", "septik", "ipal", "sanitasi"), True, "kantong", "lingkungan", "disperkim"),
    (("air bersih", "sumur", "pdam", "sambungan air", "hidran"), True, "beban", "infrastruktur", "disperkim"),
    (("pju", "penerangan jalan", "lampu jalan"), True, "kantong", "infrastruktur", "pupr"),
    (
        (
            "jalan lingkungan",
            "jalan",
            "gang",
            "paving",
            "betonisasi",
            "pengaspalan",
            "aspal",
            "jembatan",
            "talud",
            "tpt",
            "turap",
            "drainase",
            "saluran",
            "gorong",
            "selokan",
            "irigasi",
        ),
        True,
        "kantong",
        "infrastruktur",
        "pupr",
    ),
    (("posyandu", "puskesmas", "poskesdes"), True, "beban", "kesehatan", "dinkes"),
    (
        (
            "modal usaha",
            "umkm",
            "ukm",
            "koperasi",
            "usaha mikro",
            "alat usaha",
            "kelompok usaha",
            "pemasaran",
        ),
        False,
        "pendapatan",
        "ekonomi",
        "disperindagkop",
    ),
    (
        ("pelatihan", "keterampilan", "kursus", "bimtek", "magang", "kerja", "padat karya"),
        False,
        "pendapatan",
        "ekonomi",
        "disnaker",
    ),
    (
        ("pekarangan", "budidaya", "ternak", "perikanan", "hidroponik"),
        False,
        "pendapatan",
        "ekonomi",
        "disperindagkop",
    ),
    (
        ("stunting", "gizi", "pmt", "ibu hamil", "balita", "kesehatan", "bpjs", "jkn"),
        False,
        "beban",
        "kesehatan",
        "dinkes",
    ),
    (
        ("beasiswa", "sekolah", "pendidikan", "paud", "seragam", "buta aksara"),
        False,
        "beban",
        "pendidikan",
        "dindikbud",
    ),
    (("pemberdayaan perempuan", "kdrt", "perlindungan anak", "kb"), False, "beban", "sosial", "dp3akb"),
    (
        ("sembako", "bansos", "bantuan sosial", "lansia", "disabilitas", "pendampingan", "pemberdayaan"),
        False,
        "beban",
        "sosial",
        "dinsos",
    ),
    (("penyuluhan", "sosialisasi"), False, "beban", "sosial", "dinsos"),
    (
        ("pembangunan", "rehabilitasi", "perbaikan", "pengadaan gedung", "renovasi", "gedung"),
        True,
        "kantong",
        "infrastruktur",
        "pupr",
    ),
)

_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True, slots=True)
class Classification:
    physical: bool | None  # None: no rule matched
    strategy: str
    bidang: str
    opd: str
    keyword: str  # the keyword that decided ("" when none)

    @property
    def matched(self) -> bool:
        return self.physical is not None


def _norm(text: str) -> str:
    return " " + _WORD.sub(" ", text.lower()).strip() + " "


def classify(text: str) -> Classification:
    """The first matching rule for ``text`` (activity name plus description)."""
    norm = _norm(text)
    for keywords, physical, strategy, bidang, opd in RULES:
        for kw in keywords:
            if f" {kw} " in norm:
                return Classification(physical, strategy, bidang, opd, kw)
    return Classification(None, "", "lainnya", "", "")


_STOP = (
    "dan di ke dari untuk yang rt rw kel kelurahan kec kecamatan jl jln no blok kp kampung lingkungan "
    "pembangunan pengadaan rehabilitasi perbaikan kegiatan"
)
STOPWORDS = frozenset(_STOP.split())


def duplicate_key(text: str) -> frozenset[str]:
    """Content words of a proposal, for spotting the same activity proposed by two kelurahan."""
    return frozenset(w for w in _norm(text).split() if w not in STOPWORDS and len(w) > 1)


def similar(a: frozenset[str], b: frozenset[str], threshold: float = 0.75) -> bool:
    """Jaccard similarity of two keys at least ``threshold`` (and at least two shared words)."""
    shared = len(a & b)
    return shared >= 2 and shared / len(a | b) >= threshold
