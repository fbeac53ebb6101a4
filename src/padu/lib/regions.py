"""Kemendagri region codes (kode wilayah) without Django. Django-free.

Reads the packaged ``padu/wilayah/data/wilayah.csv`` (columns ``code,name,level,type,parent_code,
code_plain``; level 1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan) lazily, once per
process. A NIK or KK prefix is a level-3 ``code_plain`` (6 digits, e.g. ``367301`` = Kec. Serang,
Kota Serang).

Codes may be given plain (``367301``) or dotted (``36.73.01``) everywhere.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any

#: level -> number of digits of the plain code.
LEVEL_DIGITS = {1: 2, 2: 4, 3: 6, 4: 10}


def plain(code: str) -> str:
    """``"36.73.01"`` -> ``"367301"`` (already-plain codes pass through)."""
    return code.replace(".", "").strip()


def dotted(code: str) -> str:
    """``"367301"`` -> ``"36.73.01"``; ``"3673011001"`` -> ``"36.73.01.1001"``."""
    code = plain(code)
    parts = [code[0:2], code[2:4], code[4:6], code[6:]]
    return ".".join(p for p in parts if p)


@dataclass(frozen=True)
class RegionIndex:
    """Known region codes for NIK/KK prefix checks. Build your own to add historical codes."""

    provinces: frozenset[str]
    kabkota: frozenset[str]
    kecamatan: frozenset[str]
    names: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    #: memo used by the NIK/KK parsers (prefix -> decoded region); not part of the value.
    lookup_cache: dict[str, Any] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    @classmethod
    def from_codes(
        cls, codes: Iterable[str], names: Mapping[str, str] | None = None
    ) -> RegionIndex:
        """Index from kecamatan codes (plain or dotted); provinces and kab/kota are implied."""
        kec = frozenset(plain(c) for c in codes)
        return cls(
            provinces=frozenset(c[:2] for c in kec),
            kabkota=frozenset(c[:4] for c in kec),
            kecamatan=kec,
            names=MappingProxyType(dict(names or {})),
        )

    def union(self, other: RegionIndex) -> RegionIndex:
        """Both indexes together, e.g. the current release plus archived (pre-pemekaran) codes."""
        return RegionIndex(
            provinces=self.provinces | other.provinces,
            kabkota=self.kabkota | other.kabkota,
            kecamatan=self.kecamatan | other.kecamatan,
            names=MappingProxyType({**other.names, **self.names}),
        )

    def name(self, code: str) -> str | None:
        return self.names.get(plain(code))

    def label(self, code: str) -> str | None:
        """Region with its parents, e.g. ``"367301"`` -> ``"Serang, Kota Serang, Banten"``."""
        code = plain(code)
        if code not in self.names:
            return None
        parts = [self.names.get(code[:n]) for n in (10, 6, 4, 2) if n <= len(code)]
        return ", ".join(p for p in parts if p)


def _csv_text() -> str:
    return resources.files("padu.wilayah").joinpath("data/wilayah.csv").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def default_regions() -> RegionIndex:
    """The packaged current release (loaded on first use, then cached)."""
    provinces: set[str] = set()
    kabkota: set[str] = set()
    kecamatan: set[str] = set()
    names: dict[str, str] = {}
    by_level = {"1": provinces, "2": kabkota, "3": kecamatan}
    for row in csv.DictReader(io.StringIO(_csv_text())):
        code = row["code_plain"] or plain(row["code"])
        names[code] = row["name"]
        target = by_level.get(row["level"])
        if target is not None:
            target.add(code)
    return RegionIndex(
        provinces=frozenset(provinces),
        kabkota=frozenset(kabkota),
        kecamatan=frozenset(kecamatan),
        names=MappingProxyType(names),
    )


def kecamatan_codes() -> frozenset[str]:
    """Plain 6-digit kecamatan codes of the packaged release (valid NIK/KK prefixes)."""
    return default_regions().kecamatan


def region_name(code: str) -> str | None:
    """Name of any region code, plain or dotted (``"367301"`` -> ``"Serang"``), or ``None``."""
    return default_regions().name(code)


def region_label(code: str) -> str | None:
    """Name with its parents (``"36.73.01"`` -> ``"Serang, Kota Serang, Banten"``), or ``None``."""
    return default_regions().label(code)
