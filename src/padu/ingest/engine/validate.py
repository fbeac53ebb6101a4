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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from typing import Any

from padu.ingest.engine.dates import parse_date
from padu.ingest.engine.duplicates import BATCH_ROWS, FirstLines
from padu.ingest.engine.errors import ValueProblem
from padu.ingest.engine.kelurahan import KelurahanResolver
from padu.ingest.engine.layouts import CRITERIA_FIELDS, FIELDS, HOUSING_FIELDS, ColumnMapping
from padu.ingest.engine.readers import RawRow
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
    show,
)
from padu.lib.kk import parse_kk
from padu.lib.messages import Issue
from padu.lib.nik import parse_nik
from padu.lib.regions import default_regions

__all__ = ["EXCEL_DAMAGE", "FieldIssue", "RowResult", "ValidationContext", "summarise", "validate_rows"]

ERROR = "error"
WARNING = "warning"
#: Codes of padu.lib whose digits a spreadsheet already destroyed: errors, not warnings.
EXCEL_DAMAGE = frozenset(
    f"{prefix}.{name}"
    for prefix in ("nik", "kk")
    for name in ("excel_scientific", "excel_float", "excel_trailing_zero")
)
_MEMO_LIMIT = 50_000
# Text fields and their registry column lengths (longer values are cut, with a warning).
_TEXT_LIMITS = {
    "birth_place": 80,
    "mother_name": 150,
    "occupation": 80,
    "marital_status": 40,
    "education": 80,
    "school_status": 80,
    "employment_status": 80,
    "address": 200,
    "kelurahan_name": 80,
    "kecamatan_code": 20,
    "kecamatan_name": 80,
    "kabkota_code": 20,
    "kabkota_name": 80,
    **dict.fromkeys(HOUSING_FIELDS, 80),
}
_ID_LIMIT = 40
_NAME_LIMIT = 150
_BOOL_FIELDS = ("extreme_poor", "pregnant", *CRITERIA_FIELDS)
_REGION_FIELDS = ("kelurahan_code", "kelurahan_name", "kecamatan_code", "kecamatan_name")
# Person fields with few distinct values: their combination is parsed once per file.
_CATEGORICAL = frozenset(
    ("sex", "relationship", "status", "disability", "pregnant", "marital_status", "education",
     "school_status", "employment_status", "occupation", "birth_place")
)  # fmt: skip
_GROUP_MEMO_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class FieldIssue:
    """One problem in one cell (``column``) or in the row as a whole (``column`` is ``None``)."""

    field: str
    column: str | None
    code: str
    severity: str  # "error" | "warning"
    message_id: str
    message_en: str
    value: str | None = None  # the offending cell as text (for reports)

    @property
    def message(self) -> str:
        return f"{self.message_id} / {self.message_en}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "message_id": self.message_id,
            "message_en": self.message_en,
            "value": self.value,
        }


@dataclass(slots=True)
class RowResult:
    """A validated row: canonical values, issues and the keys that group rows into families.

    ``values`` holds every mapped field, normalised, plus ``nik``/``nik_valid``/``nik_issues``/
    ``nik_digits``, ``kk``/``kk_valid``/``kk_issues``/``kk_digits``, ``kelurahan_code`` and, where
    they apply, ``death_date`` (status meninggal) and ``disability_type``.
    """

    line: int
    raw: dict[str, object]
    values: dict[str, object]
    issues: list[FieldIssue]
    ok: bool  # no error-severity issue
    family_key: str  # "id:<family_id>", else "kk:<KK>", else "row:<line>"
    person_key: str  # NIK if valid, else source person_id, else "<family_key>:<NAME>:<birth date>"


@dataclass
class ValidationContext:
    region_code: str = "36.73"  # installation kab/kota; a kelurahan must lie inside it
    default_kelurahan: str | None = None  # code or name, for files of one kelurahan without the column
    today: dt.date | None = None
    kelurahan_index: dict[str, str] | None = None  # normalised name -> code; default: packaged codes
    check_duplicates: bool = True  # flag a valid NIK seen earlier in the same file


def _issue(field: str, column: str | None, problem: ValueProblem, raw: object) -> FieldIssue:
    if column is None:
        return FieldIssue(field, None, f"{field}.{problem.kind}", problem.severity,
                          problem.message_id[:1].upper() + problem.message_id[1:],
                          problem.message_en[:1].upper() + problem.message_en[1:], show(raw))  # fmt: skip
    return FieldIssue(
        field,
        column,
        f"{field}.{problem.kind}",
        problem.severity,
        f"Kolom '{column}': {problem.message_id}",
        f"Column '{column}': {problem.message_en}",
        show(raw),
    )


def _lib_issue(field: str, column: str, issue: Issue, severity: str, raw: object) -> FieldIssue:
    return FieldIssue(
        field,
        column,
        issue.code,
        severity,
        f"Kolom '{column}': {issue.message_id}",
        f"Column '{column}': {issue.message_en}",
        show(raw),
    )


Result = tuple[object, tuple[FieldIssue, ...]]
Compute = Callable[[object], Result]
# (field, column, memo or None, compute): memo maps a raw value to its (value, issues).
Entry = tuple[str, str, "dict[object, Result] | None", Compute]


def _compute(field: str, column: str, parse: Callable[[object], object]) -> Compute:
    def compute(raw: object) -> Result:
        try:
            return parse(raw), ()
        except ValueProblem as problem:
            return problem.value, (_issue(field, column, problem, raw),)

    limit: int | None = getattr(parse, "text_limit", None)
    if limit is None:
        return compute

    def compute_text(raw: object) -> Result:  # the common case without the layers
        text = clean_text(raw)
        if text is None or len(text) <= limit:
            return text, ()
        return compute(raw)

    return compute_text


def _apply(
    entries: list[Entry], raw: dict[str, object], values: dict[str, object], issues: list[FieldIssue]
) -> None:
    """Convert the cells of ``entries`` into ``values``; small value sets are parsed once per file."""
    for name, column, memo, compute in entries:
        cell = raw[column]
        if memo is None:
            value, found = compute(cell)
        else:
            try:
                value, found = memo[cell]
            except KeyError:
                value, found = result = compute(cell)
                if len(memo) < _MEMO_LIMIT:
                    memo[cell] = result
            except TypeError:  # unhashable
                value, found = compute(cell)
        values[name] = value
        if found:
            issues.extend(found)


def _text(limit: int, *, severity: str = WARNING) -> Callable[[object], object]:
    def parse(raw: object) -> str | None:
        text = clean_text(raw)
        if text is not None and len(text) > limit:
            if severity == ERROR:
                raise ValueProblem(
                    "too_long",
                    f"'{show(text)}' lebih dari {limit} karakter",
                    f"'{show(text)}' is longer than {limit} characters",
                )
            raise ValueProblem(
                "too_long",
                f"teks lebih dari {limit} karakter; dipotong",
                f"the text is longer than {limit} characters; it was cut",
                severity=WARNING,
                value=text[:limit],
            )
        return text

    parse.text_limit = limit  # type: ignore[attr-defined]
    return parse


def _count(raw: object) -> int | None:
    text = clean_text(raw)
    if text is None:
        return None
    if text.isdigit() and int(text) <= 8:
        return int(text)
    raise ValueProblem(
        "invalid",
        f"'{show(raw)}' bukan jumlah kriteria 0–8",
        f"'{show(raw)}' is not a number of criteria 0–8",
        severity=WARNING,
    )


class _Validator:
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

    # -- family-level block ------------------------------------------------------------------------

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


def _with_duplicates(results: Iterator[RowResult], nik_col: str) -> Iterator[RowResult]:
    """Flag a valid NIK seen on an earlier line of the file (``nik.duplicate_in_file``, an error naming
    the first line). The NIKs seen are kept in a temporary database, not in memory
    (:mod:`padu.ingest.engine.duplicates`); rows are checked in batches, small ones first so that a
    preview of a few rows stays quick."""
    seen = FirstLines()
    size = 64
    try:
        while batch := list(islice(results, size)):
            size = min(size * 4, BATCH_ROWS)
            owners = [r for r in batch if r.values["nik"] is not None]
            pairs = [(int(r.values["nik"]), r.line) for r in owners]  # type: ignore[call-overload]
            for result, (_nik, line), first in zip(owners, pairs, seen.first_lines(pairs), strict=True):
                if first == line:
                    continue
                issue = FieldIssue(
                    "nik",
                    nik_col,
                    "nik.duplicate_in_file",
                    ERROR,
                    f"Kolom '{nik_col}': NIK ini sudah ada di baris {first} berkas ini",
                    f"Column '{nik_col}': this NIK already appears on line {first} of this file",
                    show(result.raw[nik_col]),
                )
                result.issues.append(issue)
                result.values["nik_issues"].append(issue.to_dict())  # type: ignore[attr-defined]
                result.ok = False
            yield from batch
    finally:
        seen.close()


def summarise(results: Iterable[RowResult]) -> dict[str, int]:
    """Counts of rows and issues: ``rows``, ``ok``, ``rejected``, ``errors``, ``warnings``."""
    counts = {"rows": 0, "ok": 0, "rejected": 0, "errors": 0, "warnings": 0}
    for result in results:
        counts["rows"] += 1
        counts["ok" if result.ok else "rejected"] += 1
        for issue in result.issues:
            counts["errors" if issue.severity == ERROR else "warnings"] += 1
    return counts
