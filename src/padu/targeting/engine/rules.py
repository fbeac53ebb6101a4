"""Finding types, the findings table, and helpers shared by the rule modules.

Every rule is one ``INSERT INTO <results> (...) SELECT ...`` over the staging tables
(:mod:`padu.targeting.engine.staging`); the rule modules (:mod:`.inclusion`, :mod:`.exclusion`,
:mod:`.double`) return them as :class:`Rule` values and :func:`padu.targeting.engine.run.run_targeting`
executes them in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from padu.targeting.engine.dialect import Db
from padu.targeting.engine.schema import quote_name

__all__ = [
    "FINDING_COLUMNS",
    "FINDING_TYPES",
    "FindingType",
    "Rule",
    "create_results_table",
    "entry_select",
    "json_sql",
]


@dataclass(frozen=True)
class FindingType:
    code: str
    category: str  # inclusion | exclusion | double
    rule: str
    severity: str
    rupiah: str


_PROG = "the programme's value for one unit"
FINDING_TYPES: dict[str, FindingType] = {
    t.code: t
    for t in (
        FindingType(
            "inclusion_graduated",
            "inclusion",
            "matched roll entry whose family desil is above the programme's max_desil, or whose person or "
            "family status is mampu (graduated) where the programme does not allow mampu",
            "high if status mampu or desil >= max_desil + 3, else medium",
            _PROG,
        ),
        FindingType(
            "inclusion_deceased",
            "inclusion",
            "matched entry whose person is meninggal with a death date on or before the reference date "
            "(or no date), where the programme does not allow meninggal",
            "high",
            _PROG,
        ),
        FindingType(
            "inclusion_moved",
            "inclusion",
            "matched entry whose person or family status is pindah (moved out of the city)",
            "medium",
            _PROG,
        ),
        FindingType(
            "inclusion_invalid_record",
            "inclusion",
            "matched entry whose person or family status is tidak_ditemukan or ganda",
            "medium",
            _PROG,
        ),
        FindingType(
            "inclusion_unregistered",
            "inclusion",
            "roll entry not matched: link_status not matched, or linked to an id the registry does not hold",
            "medium (may also be a linkage gap)",
            _PROG,
        ),
        FindingType(
            "inclusion_asn",
            "inclusion",
            "entry whose person (by link or NIK) or, for family programmes, any member of the family is "
            "on the ASN list",
            "high",
            _PROG,
        ),
        FindingType(
            "inclusion_ineligible",
            "inclusion",
            "matched entry failing the programme's other rules: age (person programmes), sex, categories",
            "low",
            _PROG,
        ),
        FindingType(
            "exclusion_programme",
            "exclusion",
            "entitlement programme: a unit eligible under all its rules is not on its roll in the period "
            "and not on a programme it may not be combined with",
            "high if the family is extreme poor or desil 1, else medium",
            "the benefit forgone: " + _PROG,
        ),
        FindingType(
            "exclusion_priority",
            "exclusion",
            "active priority family (extreme poor, or desil <= priority_max_desil) with no roll entry "
            "of any programme in the period",
            "high if extreme poor, else medium",
            "0 (no programme named)",
        ),
        FindingType(
            "exclusion_strategy_gap",
            "exclusion",
            "priority family that receives something, but nothing of one strategy (one finding per "
            "missing strategy)",
            "low",
            "0",
        ),
        FindingType(
            "double_in_programme",
            "double",
            "the same unit (person for person programmes, family for family programmes) more than once "
            "on one programme's roll in the period: every entry after the first (by row number)",
            "high",
            _PROG + " per extra entry",
        ),
        FindingType(
            "double_exclusive",
            "double",
            "entry of programme A whose unit is also on programme B where A may not be combined with B "
            "(person match when both are person programmes, else family match)",
            "high",
            "the value of A",
        ),
        FindingType(
            "double_family",
            "double",
            "person in two families (two KK): another active record with the same NIK in another family, "
            "or two current memberships",
            "high if the person receives something in the period, else medium",
            "sum of the person's own entries in the period",
        ),
    )
}

FINDING_COLUMNS = (
    "period",
    "finding_type",
    "category",
    "severity",
    "programme_id",
    "roll_entry_id",
    "other_roll_entry_id",
    "person_id",
    "family_id",
    "kelurahan_code",
    "desil",
    "strategy",
    "rupiah_month",
    "rupiah_year",
    "detail",
)


@dataclass(frozen=True)
class Rule:
    finding_type: str
    select: str  # SELECT producing FINDING_COLUMNS, first column the period placeholder
    params: tuple[object, ...] = ()


def create_results_table(db: Db, table: str) -> None:
    name = quote_name(table)
    index = quote_name(table.split(".")[-1] + "_period_type")
    db.execute(
        f"""CREATE TABLE IF NOT EXISTS {name} (
          id {db.dialect.identity},
          period VARCHAR(32) NOT NULL,
          finding_type VARCHAR(40) NOT NULL,
          category VARCHAR(16) NOT NULL,
          severity VARCHAR(8) NOT NULL,
          programme_id BIGINT,
          roll_entry_id BIGINT,
          other_roll_entry_id BIGINT,
          person_id BIGINT,
          family_id BIGINT,
          kelurahan_code VARCHAR(20),
          desil INTEGER,
          strategy VARCHAR(40),
          rupiah_month BIGINT NOT NULL DEFAULT 0,
          rupiah_year BIGINT NOT NULL DEFAULT 0,
          detail TEXT
        )"""
    )
    db.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {name} (period, finding_type)")


def json_sql(**fields: tuple[str, str]) -> str:
    """SQL building a JSON object text from ``key=("num"|"str", expression)``; NULL becomes null.
    Strings lose any double quote or backslash (values are codes, never free text)."""
    parts = []
    for key, (kind, expr) in fields.items():
        if kind == "num":
            value = f"COALESCE(CAST({expr} AS TEXT), 'null')"
        else:
            clean = f"REPLACE(REPLACE(CAST({expr} AS TEXT), '\"', ''), '\\', '')"
            value = f"COALESCE('\"' || {clean} || '\"', 'null')"
        parts.append(f"'\"{key}\":' || {value}")
    return "'{' || " + " || ',' || ".join(parts) + " || '}'"


def entry_select(
    finding_type: str, severity: str, detail: str, *, other: str = "NULL", alias: str = "e"
) -> str:
    """The SELECT list of a finding about one roll entry ``alias`` of programme ``g``."""
    category = FINDING_TYPES[finding_type].category
    e = alias
    return (
        f"SELECT ?, '{finding_type}', '{category}', {severity}, {e}.programme_id, {e}.entry_id, {other}, "
        f"{e}.person_id, {e}.family_id, {e}.kelurahan_code, {e}.desil, g.strategy, {e}.rupiah_month, "
        f"{e}.rupiah_year, {detail}"
    )
