"""Cell-level parsing for validation: which parser a field uses, text limits, and the per-file memo
that parses each distinct value of a small value set once. Django-free.

An :data:`Entry` is ``(field, column, memo or None, compute)``; :func:`_apply` turns a row's cells
into values and issues with a list of them.
"""

from __future__ import annotations

from collections.abc import Callable

from padu.ingest.engine.errors import ValueProblem
from padu.ingest.engine.layouts import CRITERIA_FIELDS, HOUSING_FIELDS
from padu.ingest.engine.results import ERROR, WARNING, FieldIssue, _issue
from padu.ingest.engine.values import clean_text, show

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
