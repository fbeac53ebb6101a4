"""The family-level fields of a validated row (KK, kelurahan, family welfare and housing fields),
parsed once for consecutive rows of the same family. Django-free.

``FamilyBlock`` is a mixin of the row validator (``padu.ingest.engine.validate``), which sets the
attributes declared below in its ``__init__``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from padu.ingest.engine.cells import _MEMO_LIMIT, Entry, _apply
from padu.ingest.engine.errors import ValueProblem
from padu.ingest.engine.kelurahan import KelurahanResolver
from padu.ingest.engine.results import ERROR, EXCEL_DAMAGE, WARNING, FieldIssue, _issue, _lib_issue
from padu.ingest.engine.values import clean_text
from padu.lib.kk import parse_kk
from padu.lib.regions import RegionIndex


class FamilyBlock:
    """KK and kelurahan of a family block, with the family-level entries of the mapping."""

    today: dt.date
    regions: RegionIndex
    resolver: KelurahanResolver
    default_kelurahan: str | None
    family: list[Entry]
    kk_col: str | None
    region_cols: list[str | None]
    _person_keys: dict[str, object]
    _kelurahan_cache: dict[object, tuple[object, tuple[FieldIssue, ...]]]

    def _family_block(self, raw: dict[str, object]) -> tuple[dict[str, object], tuple[FieldIssue, ...]]:
        values: dict[str, object] = {}
        issues: list[FieldIssue] = []
        _apply(self.family, raw, values, issues)
        # KK
        kk_col = self.kk_col
        values["kk"] = None
        values["kk_valid"] = False
        values["kk_digits"] = None
        kk_issues: list[dict[str, Any]] = []
        if kk_col is not None:
            kk_raw = raw[kk_col]
            result = parse_kk(kk_raw, today=self.today, regions=self.regions)
            values["kk_digits"] = result.kk
            if result.valid:
                values["kk"] = result.kk
                values["kk_valid"] = True
            for problem in result.errors:
                severity = ERROR if problem.code in EXCEL_DAMAGE else WARNING
                issue = _lib_issue("kk", kk_col, problem, severity, kk_raw)
                issues.append(issue)
                kk_issues.append(issue.to_dict())
            for problem in result.warnings:
                issue = _lib_issue("kk", kk_col, problem, WARNING, kk_raw)
                issues.append(issue)
                kk_issues.append(issue.to_dict())
        values["kk_issues"] = kk_issues
        # Kelurahan
        code, found = self._kelurahan(raw)
        values["kelurahan_code"] = code
        issues.extend(found)
        # Every person-level key, so that a row's copy of this dict never has to grow.
        values.update(self._person_keys)
        return values, tuple(issues)

    def _kelurahan(self, raw: dict[str, object]) -> tuple[object, tuple[FieldIssue, ...]]:
        code_col, name_col, kec_code_col, kec_name_col = self.region_cols
        column, value = code_col, raw[code_col] if code_col is not None else None
        if clean_text(value) is None and name_col is not None:
            column, value = name_col, raw[name_col]
        kecamatan = None
        if kec_code_col is not None:
            kecamatan = raw[kec_code_col]
        if clean_text(kecamatan) is None and kec_name_col is not None:
            kecamatan = raw[kec_name_col]
        if clean_text(value) is None:
            if self.default_kelurahan is not None:
                return self.default_kelurahan, ()
            problem = ValueProblem(
                "missing",
                "kelurahan kosong; isi kode atau nama kelurahan",
                "the kelurahan is empty; fill in the kelurahan code or name",
            )
            return None, (_issue("kelurahan_code", column, problem, value),)
        key: tuple[object, object] | None = (value, kecamatan)
        try:
            return self._kelurahan_cache[key]
        except KeyError:
            pass
        except TypeError:
            key = None
        try:
            result: tuple[object, tuple[FieldIssue, ...]] = (self.resolver.resolve(value, kecamatan), ())
        except ValueProblem as problem:
            result = (None, (_issue("kelurahan_code", column, problem, value),))
        if key is not None and len(self._kelurahan_cache) < _MEMO_LIMIT:
            self._kelurahan_cache[key] = result
        return result
