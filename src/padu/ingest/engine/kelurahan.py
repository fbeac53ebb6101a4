"""Kelurahan codes and names in registry files: ``KelurahanResolver``. Django-free.

A cell holding a Kemendagri code (dotted or plain) or a kelurahan name (with or without "Kel."/"Desa",
helped by the kecamatan where a name occurs twice) becomes a dotted code inside the city's region.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from padu.ingest.engine.errors import ValueProblem
from padu.ingest.engine.values import _NON_ALNUM, clean_text
from padu.lib.regions import RegionIndex, default_regions, dotted, plain

__all__ = ["KelurahanResolver", "region_key"]

_REGION_PREFIX = re.compile(r"^(?:kelurahan|kel|desa|ds|kecamatan|kec)\b\.?\s*", re.IGNORECASE)
_CODE_LIKE = re.compile(r"[\d.\s-]+")


def region_key(name: object) -> str:
    """Key of a region name: ``"Kel. Sumur Pecung"`` -> ``"sumurpecung"``."""
    return _NON_ALNUM.sub("", _REGION_PREFIX.sub("", str(name).strip()).casefold())


@dataclass
class KelurahanResolver:
    """Turns a kelurahan code or name into a dotted Kemendagri code inside ``region_code``.

    ``index`` (normalised name -> code) replaces the names of the packaged codes; codes are always
    checked against ``regions`` (default: the packaged Kemendagri release). Names that occur twice in
    the region (Sukawana in Kec. Serang and Kec. Curug) need the kecamatan to be told apart.
    """

    region_code: str = "36.73"
    index: Mapping[str, str] | None = None
    regions: RegionIndex | None = None
    _prefix: str = field(init=False, default="")
    _by_name: dict[str, list[str]] = field(init=False, default_factory=dict)
    _kecamatan: dict[str, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        regions = self.regions if self.regions is not None else default_regions()
        self.regions = regions
        self._prefix = plain(self.region_code)
        self.region_name = regions.names.get(self._prefix, self.region_code)
        for code, name in regions.names.items():
            if code.startswith(self._prefix):
                if len(code) == 10 and self.index is None:
                    self._by_name.setdefault(region_key(name), []).append(code)
                elif len(code) == 6:
                    self._kecamatan[region_key(name)] = code
                    self._kecamatan[code] = code
        if self.index is not None:
            for name, code in self.index.items():
                self._by_name.setdefault(region_key(name), []).append(plain(code))

    def resolve(self, value: object, kecamatan: object = None) -> str:
        """Dotted code for a code or name; raises ``ValueProblem`` (unknown/outside/ambiguous)."""
        text = clean_text(value)
        if text is None:
            raise ValueProblem("missing", "kelurahan kosong", "kelurahan is empty")
        if _CODE_LIKE.fullmatch(text):
            return self._check_code(text)
        key = region_key(text)
        codes = self._by_name.get(key)
        if not codes:
            raise ValueProblem(
                "unknown",
                f"kelurahan '{text}' tidak dikenal di {self.region_name} ({dotted(self._prefix)})",
                f"kelurahan '{text}' is not known in {self.region_name} ({dotted(self._prefix)})",
            )
        if len(codes) > 1:
            kec = self._kecamatan_code(kecamatan)
            narrowed = [c for c in codes if kec is not None and c.startswith(kec)]
            if len(narrowed) == 1:
                return dotted(narrowed[0])
            assert self.regions is not None
            names = ", ".join(
                f"{dotted(c)} (Kec. {self.regions.names.get(c[:6], '?')})" for c in sorted(codes)
            )
            raise ValueProblem(
                "ambiguous",
                f"kelurahan '{text}' ada lebih dari satu: {names}; isi kolom kecamatan atau kode kelurahan",
                f"there is more than one kelurahan '{text}': {names}; fill in the kecamatan or the code",
            )
        return dotted(codes[0])

    def _kecamatan_code(self, value: object) -> str | None:
        text = clean_text(value)
        if text is None:
            return None
        if _CODE_LIKE.fullmatch(text):
            return self._plain_code(text)[:6]
        return self._kecamatan.get(region_key(text))

    @staticmethod
    def _plain_code(text: str) -> str:
        parts = [p for p in re.split(r"[.\s-]+", text) if p]
        if len(parts) == 4:  # 36.73.1.1001: pad each part
            return parts[0].zfill(2) + parts[1].zfill(2) + parts[2].zfill(2) + parts[3].zfill(4)
        return "".join(parts)

    def _check_code(self, text: str) -> str:
        code = self._plain_code(text)
        assert self.regions is not None
        name = self.regions.names.get(code) if len(code) == 10 else None
        if name is None:
            raise ValueProblem(
                "unknown",
                f"kode kelurahan '{text}' tidak ada dalam kode wilayah Kemendagri (format 36.73.01.1001)",
                f"kelurahan code '{text}' is not a Kemendagri region code (format 36.73.01.1001)",
            )
        if not code.startswith(self._prefix):
            where = self.regions.label(code) or name
            region = f"{self.region_name} ({dotted(self._prefix)})"
            raise ValueProblem(
                "outside_region",
                f"kelurahan {dotted(code)} ({where}) berada di luar {region}",
                f"kelurahan {dotted(code)} ({where}) lies outside {region}",
            )
        return dotted(code)
