"""A programme's eligibility rule as structured data, and its rendering in Bahasa Indonesia. Django-free.

Stored as JSON on
``Programme.eligibility``::

    {"desil_max": 4, "active_only": true, "age_min": 6, "age_max": 21, "age_unit": "tahun",
     "sex": "", "categories": ["usia_sekolah"],
     "extra": [{"field": "house_owned", "op": "==", "value": true}]}

Every key is optional. ``categories`` means *any of* (a PKH family qualifies through one component);
``extra`` keeps conditions the form does not edit (from the synthetic manifest: occupation, housing)
so that nothing a source said is lost. The targeting app will evaluate the rule; this module only
checks, converts and describes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["CATEGORIES", "clean_rule", "from_conditions", "render_rule"]

CATEGORIES: dict[str, str] = {
    "ibu_hamil": "ibu hamil",
    "balita": "balita",
    "lansia": "lanjut usia",
    "disabilitas": "penyandang disabilitas",
    "usia_sekolah": "anak usia sekolah",
}
AGE_UNITS = {"tahun": "tahun", "bulan": "bulan"}
SEXES = {"L": "laki-laki", "P": "perempuan"}
_EXTRA_LABELS = {
    "extreme_poor": "miskin ekstrem",
    "house_owned": "rumah milik sendiri",
    "house_unfit": "rumah tidak layak huni",
    "n_criteria": "jumlah kriteria kemiskinan",
    "occupation": "pekerjaan",
    "employment": "status pekerjaan",
    "relationship": "hubungan keluarga",
}
_OPS = {"==": "=", "!=": "≠", "<=": "≤", ">=": "≥", "<": "<", ">": ">", "in": "salah satu dari",
        "not_in": "bukan", "between": "antara"}  # fmt: skip


class RuleError(ValueError):
    """A rule that cannot be stored; ``str()`` is bilingual."""


def _int(rule: Mapping[str, Any], key: str, low: int, high: int) -> int | None:
    value = rule.get(key)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise RuleError(f"{key}: '{value}' bukan angka / is not a number") from None
    if not low <= number <= high:
        raise RuleError(f"{key}: {number} di luar {low}–{high} / outside {low}–{high}")
    return number


def clean_rule(rule: Mapping[str, Any] | None) -> dict[str, Any]:
    """A checked, normalised copy of ``rule`` (unknown keys dropped). Raises :class:`RuleError`."""
    rule = dict(rule or {})
    out: dict[str, Any] = {}
    desil = _int(rule, "desil_max", 1, 10)
    if desil is not None:
        out["desil_max"] = desil
    if rule.get("active_only"):
        out["active_only"] = True
    age_min, age_max = _int(rule, "age_min", 0, 130), _int(rule, "age_max", 0, 1560)
    if age_min is not None and age_max is not None and age_min > age_max:
        raise RuleError(f"umur minimal {age_min} > maksimal {age_max} / minimum age above maximum")
    if age_min is not None:
        out["age_min"] = age_min
    if age_max is not None:
        out["age_max"] = age_max
    if age_min is not None or age_max is not None:
        unit = rule.get("age_unit") or "tahun"
        if unit not in AGE_UNITS:
            raise RuleError(f"age_unit: '{unit}' (tahun/bulan)")
        out["age_unit"] = unit
    sex = rule.get("sex") or ""
    if sex:
        if sex not in SEXES:
            raise RuleError(f"sex: '{sex}' (L/P)")
        out["sex"] = sex
    categories = [c for c in rule.get("categories") or [] if c]
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise RuleError(f"kategori tidak dikenal / unknown categories: {', '.join(map(str, unknown))}")
    if categories:
        out["categories"] = [c for c in CATEGORIES if c in categories]
    extra = [dict(e) for e in rule.get("extra") or [] if isinstance(e, Mapping) and e.get("field")]
    if extra:
        out["extra"] = extra
    return out


def from_conditions(conditions: list[Mapping[str, Any]]) -> dict[str, Any]:
    """A rule from a list of ``{"field", "op", "value"}`` conditions (the synthetic manifest's form)."""
    rule: dict[str, Any] = {}
    categories: list[str] = []
    extra: list[dict[str, Any]] = []
    for cond in conditions:
        field, op, value = cond.get("field"), cond.get("op"), cond.get("value")
        if field == "status" and op == "==" and value == "aktif":
            rule["active_only"] = True
        elif field == "desil" and op in ("<=", "<"):
            rule["desil_max"] = int(str(value)) - (1 if op == "<" else 0)
        elif field in ("age", "age_months") and op in ("between", ">=", "<="):
            bounds: Any = value if op == "between" else (value, None) if op == ">=" else (None, value)
            low, high = bounds
            rule.update(age_min=low, age_max=high, age_unit="bulan" if field == "age_months" else "tahun")
        elif field == "in_school" and value is True:
            categories.append("usia_sekolah")
        elif field == "disability" and value is True:
            categories.append("disabilitas")
        elif field == "pkh_component" and value is True:
            categories += ["ibu_hamil", "balita", "usia_sekolah", "lansia", "disabilitas"]
        else:
            extra.append({"field": field, "op": op, "value": value})
    if categories:
        rule["categories"] = categories
    if extra:
        rule["extra"] = extra
    return clean_rule({k: v for k, v in rule.items() if v is not None})


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def render_rule(rule: Mapping[str, Any] | None) -> str:
    """One line in Bahasa Indonesia: ``"desil ≤ 4; status aktif; umur 6–21 tahun; kategori: ..."``."""
    rule = rule or {}
    parts: list[str] = []
    if rule.get("desil_max"):
        parts.append(f"desil ≤ {rule['desil_max']}")
    if rule.get("active_only"):
        parts.append("status aktif")
    unit = rule.get("age_unit", "tahun")
    low, high = rule.get("age_min"), rule.get("age_max")
    if low is not None and high is not None:
        parts.append(f"umur {low}–{high} {unit}")
    elif low is not None:
        parts.append(f"umur ≥ {low} {unit}")
    elif high is not None:
        parts.append(f"umur ≤ {high} {unit}")
    if rule.get("sex"):
        parts.append(SEXES.get(rule["sex"], rule["sex"]))
    if rule.get("categories"):
        names = [CATEGORIES.get(c, c) for c in rule["categories"]]
        parts.append(("kategori: " if len(names) == 1 else "salah satu kategori: ") + ", ".join(names))
    for cond in rule.get("extra") or []:
        label = _EXTRA_LABELS.get(cond.get("field", ""), cond.get("field", ""))
        parts.append(
            f"{label} {_OPS.get(cond.get('op', ''), cond.get('op', ''))} {_value(cond.get('value'))}"
        )
    return "; ".join(parts) if parts else "tanpa syarat khusus"
