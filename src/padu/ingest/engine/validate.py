"""Validate and normalise the rows of a registry file. Django-free, streaming.

Severity policy (issue "Social registry intake"):

* A person without a valid NIK is still recorded and flagged: an empty or invalid NIK is a
  **warning** (``values["nik"] is None``, the reasons in ``values["nik_issues"]``), except Excel
  damage (scientific notation, a float, a 16th digit turned into 0), which is an **error**: the
  digits are lost, the row must be corrected and sent again. The same holds for the KK number.
* Errors: no name; neither a valid NIK nor a valid KK; a NIK already seen earlier in the file
  (``nik.duplicate_in_file`` names the first line); a birth date that is unreadable, impossible or
  in the future; a kelurahan that is unknown, ambiguous or outside the installation's region (or
  missing without a default); desil outside 1..10.
* Warnings: missing birth date, unknown sex/relationship/status, NIK/KK region or birth-date/sex
  mismatches, RT/RW that are not numbers, over-long text (cut).

Every message names the column: ``Kolom 'TGL_LAHIR': tanggal '31-02-1985' tidak ada (...)``.
Values repeated by every member of a family (KK, kelurahan, desil, criteria, housing) are parsed
once per family block, and every small set of values once per file, so a million rows validate in
well under a minute on one core.

The result types are in ``results``, the cell parsers and memo in ``cells``, the in-file duplicate
check in ``duplicates``, the family-level fields in ``family``; this module is the row validator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any

from padu.ingest.engine.cells import (
    _BOOL_FIELDS,
    _CATEGORICAL,
    _GROUP_MEMO_LIMIT,
    _ID_LIMIT,
    _NAME_LIMIT,
    _REGION_FIELDS,
    _TEXT_LIMITS,
    Entry,
    _apply,
    _compute,
    _count,
    _text,
)
from padu.ingest.engine.dates import parse_date
from padu.ingest.engine.duplicates import _with_duplicates
from padu.ingest.engine.errors import ValueProblem
from padu.ingest.engine.family import FamilyBlock
from padu.ingest.engine.kelurahan import KelurahanResolver
from padu.ingest.engine.layouts import FIELDS, ColumnMapping
from padu.ingest.engine.readers import RawRow
from padu.ingest.engine.results import (
    ERROR,
    EXCEL_DAMAGE,
    WARNING,
    FieldIssue,
    RowResult,
    ValidationContext,
    _issue,
    _lib_issue,
)
from padu.ingest.engine.values import (
    SPOUSE,
    clean_text,
    parse_bool,
    parse_desil,
    parse_disability,
    parse_relationship,
    parse_rt,
    parse_sex,
    parse_status,
)
from padu.lib.nik import parse_nik
from padu.lib.regions import default_regions

__all__ = ["validate_rows"]


class _Validator(FamilyBlock):
    def __init__(self, mapping: ColumnMapping, context: ValidationContext) -> None:
        cols = mapping.fields
        self.today = today = context.today or dt.date.today()
        self.regions = default_regions()
        self.resolver = KelurahanResolver(context.region_code, context.kelurahan_index, self.regions)
        self.default_kelurahan = (
            self.resolver.resolve(context.default_kelurahan) if context.default_kelurahan else None
        )
        self.check_duplicates = context.check_duplicates

        def birth(raw: object) -> dt.date | None:
            date = parse_date(raw, today=today)
            if date is None:
                raise ValueProblem(
                    "missing", "tanggal lahir kosong", "the birth date is empty", severity=WARNING
                )
            if date > today:
                raise ValueProblem(
                    "future",
                    f"tanggal lahir {date:%d-%m-%Y} ada di masa depan",
                    f"the birth date {date:%d-%m-%Y} is in the future",
                )
            if today.year - date.year > 125:
                raise ValueProblem(
                    "too_old",
                    f"tanggal lahir {date:%d-%m-%Y}: umur lebih dari 125 tahun",
                    f"birth date {date:%d-%m-%Y}: older than 125 years",
                )
            return date

        def any_date(raw: object) -> dt.date | None:  # optional dates: a bad one is only a warning
            try:
                return parse_date(raw, today=today)
            except ValueProblem as problem:
                problem.severity = WARNING
                raise

        layout = mapping.layout
        parsers: dict[str, Callable[[object], object]] = {
            "person_id": _text(_ID_LIMIT, severity=ERROR),
            "family_id": _text(_ID_LIMIT, severity=ERROR),
            "sex": parse_sex,
            "birth_date": birth,
            "relationship": lambda raw: parse_relationship(raw, layout=layout),
            "status": parse_status,
            "status_date": any_date,
            "disability": parse_disability,
            "desil": parse_desil,
            "rt": parse_rt,
            "rw": parse_rt,
            "criteria_count": _count,
            **{name: _text(limit) for name, limit in _TEXT_LIMITS.items()},
            **dict.fromkeys(_BOOL_FIELDS, parse_bool),
        }
        unique = {"person_id", "family_id", "mother_name", "address"}  # no memo: (almost) all distinct
        self.person: list[Entry] = []
        family: list[Entry] = []
        for name, column in cols.items():
            if name in ("nik", "kk", "name", "kelurahan_code"):
                continue
            parse = parsers[name]
            entry: Entry = (
                name,
                column,
                None if name in unique else {},
                _compute(name, column, parse),
            )
            (family if FIELDS[name].level == "family" else self.person).append(entry)
        self.family = family
        grouped = [e for e in self.person if e[0] in _CATEGORICAL]
        self.person = [e for e in self.person if e[0] not in _CATEGORICAL]
        self.grouped = grouped
        self.group_key_of: Callable[[dict[str, object]], object] | None = (
            itemgetter(*[e[1] for e in grouped]) if grouped else None
        )
        self.group_memo: dict[object, tuple[dict[str, object], tuple[FieldIssue, ...]]] = {}
        person_keys = [e[0] for e in (*grouped, *self.person)]
        person_keys += ["name", "nik_digits", "nik", "nik_valid", "nik_issues"]
        if "disability" in cols:
            person_keys.append("disability_type")
        self._person_keys: dict[str, object] = dict.fromkeys(person_keys)
        self.mapped_columns = list(cols.values())
        self.nik_col = cols.get("nik")
        self.name_col = cols.get("name")
        self.kk_col = cols.get("kk")
        self.region_cols = [cols.get(f) for f in _REGION_FIELDS]
        family_cols = [c for f, c in cols.items() if FIELDS[f].level == "family"]
        self.family_key_of: Callable[[dict[str, object]], object] | None = (
            itemgetter(*family_cols) if family_cols else None
        )
        self._last_family: tuple[object, dict[str, object], tuple[FieldIssue, ...]] = (object(), {}, ())
        self._kelurahan_cache: dict[object, tuple[object, tuple[FieldIssue, ...]]] = {}

    def _is_blank(self, raw: dict[str, object]) -> bool:
        return all(clean_text(raw[column]) is None for column in self.mapped_columns)

    # -- one row -----------------------------------------------------------------------------------

    def validate(self, row: RawRow) -> RowResult | None:
        raw = row.values
        line = row.line
        name_cell = raw[self.name_col] if self.name_col is not None else None
        if (not name_cell or (type(name_cell) is str and not name_cell.strip())) and self._is_blank(raw):
            return None  # a template row: only "No" or another unmapped column is filled
        issues: list[FieldIssue] = []
        # Family block: parsed once for consecutive rows of the same family.
        if self.family_key_of is not None:
            block_key = self.family_key_of(raw)
            last_key, family_values, family_issues = self._last_family
            if block_key != last_key:
                family_values, family_issues = self._family_block(raw)
                self._last_family = (block_key, family_values, family_issues)
        else:
            family_values, family_issues = self._family_block(raw)
        values = family_values.copy()
        if family_issues:
            issues.extend(family_issues)

        if self.group_key_of is not None:
            group_key = self.group_key_of(raw)
            try:
                group_values, group_issues = self.group_memo[group_key]
            except KeyError:
                found: list[FieldIssue] = []
                group_values = {}
                _apply(self.grouped, raw, group_values, found)
                group_issues = tuple(found)
                if len(self.group_memo) < _GROUP_MEMO_LIMIT:
                    self.group_memo[group_key] = (group_values, group_issues)
            except TypeError:
                group_values, found = {}, []
                _apply(self.grouped, raw, group_values, found)
                group_issues = tuple(found)
            values.update(group_values)
            if group_issues:
                issues.extend(group_issues)
        _apply(self.person, raw, values, issues)

        # Name
        name_value: str | None = None
        if self.name_col is not None:
            name_raw = raw[self.name_col]
            name_value = clean_text(name_raw)
            if name_value is None:
                issues.append(
                    _issue(
                        "name",
                        self.name_col,
                        ValueProblem("missing", "nama kosong", "the name is empty"),
                        name_raw,
                    )
                )
            elif len(name_value) > _NAME_LIMIT:
                issues.append(
                    _issue(
                        "name",
                        self.name_col,
                        ValueProblem(
                            "too_long",
                            f"nama lebih dari {_NAME_LIMIT} karakter",
                            f"the name is longer than {_NAME_LIMIT} characters",
                        ),
                        name_raw,
                    )
                )
        else:
            issues.append(
                FieldIssue(
                    "name", None, "name.missing", ERROR, "Tidak ada kolom nama", "There is no name column"
                )
            )
        values["name"] = name_value

        sex = values.get("sex")
        birth = values.get("birth_date")
        if "disability" in values:
            disability: tuple[bool, str | None] = values["disability"]  # type: ignore[assignment]
            values["disability"], values["disability_type"] = disability
        if values.get("status") == "meninggal":
            values["death_date"] = values.get("status_date")

        # NIK
        nik: str | None = None
        nik_issues: list[dict[str, Any]] = []
        nik_col = self.nik_col
        if nik_col is None:
            values["nik_digits"] = None
        else:
            nik_raw = raw[nik_col]
            result = parse_nik(
                nik_raw,
                record_birth_date=birth,  # type: ignore[arg-type]  # a date or None
                record_sex=sex,  # type: ignore[arg-type]  # "L", "P" or None
                today=self.today,
                regions=self.regions,
            )
            values["nik_digits"] = result.nik
            if result.valid:
                nik = result.nik
            if result.errors or result.warnings:
                for problem in result.errors:
                    severity = ERROR if problem.code in EXCEL_DAMAGE else WARNING
                    issue = _lib_issue("nik", nik_col, problem, severity, nik_raw)
                    issues.append(issue)
                    nik_issues.append(issue.to_dict())
                for problem in result.warnings:
                    issue = _lib_issue("nik", nik_col, problem, WARNING, nik_raw)
                    issues.append(issue)
                    nik_issues.append(issue.to_dict())
        values["nik"] = nik
        values["nik_valid"] = nik is not None
        values["nik_issues"] = nik_issues

        if values.get("relationship") == SPOUSE:  # "Istri/Suami": the sex decides, else the NIK's
            if sex is None and nik_col is not None:
                sex = result.sex
            values["relationship"] = "istri" if sex == "P" else "suami" if sex == "L" else "lainnya"

        kk = family_values.get("kk")
        if (
            nik is None
            and kk is None
            and not any(i.severity == ERROR and i.field in ("nik", "kk") for i in issues)
        ):
            issues.append(
                FieldIssue(
                    "nik",
                    nik_col,
                    "identity.missing",
                    ERROR,
                    "Baris ini tidak punya NIK maupun Nomor KK yang sah; orangnya tidak dapat dikenali",
                    "This row has neither a valid NIK nor a valid KK number; the person cannot be identified",
                    None,
                )
            )

        family_id = family_values.get("family_id")
        if family_id:
            family_key = f"id:{family_id}"
        elif kk is not None:
            family_key = f"kk:{kk}"
        else:
            family_key = f"row:{line}"
        if nik is not None:
            person_key = nik
        else:
            person_id = values.get("person_id")
            if person_id:
                person_key = str(person_id)
            else:
                born = birth.isoformat() if isinstance(birth, dt.date) else ""
                person_key = f"{family_key}:{(name_value or '').upper()}:{born}"

        ok = True
        if issues:
            for issue in issues:
                if issue.severity == ERROR:
                    ok = False
                    break
        return RowResult(line, raw, values, issues, ok, family_key, person_key)


def validate_rows(
    rows: Iterable[RawRow], mapping: ColumnMapping, context: ValidationContext | None = None
) -> Iterator[RowResult]:
    """Validate a stream of rows lazily, one :class:`RowResult` per row.

    Rows whose mapped cells are all blank (template rows with only a running number) are skipped.

    Raises ``ValueError`` at once when ``context.default_kelurahan`` itself is not a kelurahan of the
    region.
    """
    validator = _Validator(mapping, context or ValidationContext())
    results = filter(None, map(validator.validate, rows))
    if not validator.check_duplicates or validator.nik_col is None:
        return results
    return _with_duplicates(results, validator.nik_col)
