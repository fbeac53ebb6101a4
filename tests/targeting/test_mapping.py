"""Programme eligibility JSON flattened into the engine's contract columns."""

from __future__ import annotations

from padu.programs.models import Programme
from padu.targeting.mapping import PROGRAMME_COLUMNS, programme_row


def _row(**fields) -> tuple[dict, list[str]]:
    values = {"code": "x", "unit": "person", "strategy": "kurangi_beban", "benefit_value_rp": 100,
              "benefit_frequency": "bulanan", "eligibility": {}, **fields}  # fmt: skip
    row, unsupported = programme_row(Programme(pk=1, **values))
    return dict(zip([c for c, _ in PROGRAMME_COLUMNS], row, strict=True)), unsupported


def test_it_flattens_desil_age_in_months_and_sex():
    row, unsupported = _row(
        eligibility={"desil_max": 4, "age_min": 6, "age_max": 59, "age_unit": "bulan", "sex": "P"}
    )
    assert (row["max_desil"], row["min_age_months"], row["max_age_months"], row["sex"]) == (4, 6, 59, "P")
    assert row["min_age"] is None and row["targeting"] == "entitlement" and unsupported == []


def test_it_maps_the_pkh_categories_and_housing_extras():
    cats = ["ibu_hamil", "balita", "usia_sekolah", "lansia", "disabilitas"]
    row, _ = _row(unit="family", eligibility={"categories": cats})
    assert row["categories"] == "pkh_component"
    row, _ = _row(eligibility={"extra": [{"field": "house_owned", "op": "==", "value": True},
                                         {"field": "house_unfit", "op": "==", "value": True}]})  # fmt: skip
    assert row["categories"] == "house_owned,house_unfit"


def test_it_reads_school_age_as_in_school_within_6_to_21():
    row, _ = _row(eligibility={"categories": ["usia_sekolah"]})
    assert (row["categories"], row["min_age"], row["max_age"]) == ("in_school", 6, 21)


def test_it_treats_programmes_it_cannot_check_fully_as_quota():
    row, unsupported = _row(
        eligibility={"extra": [{"field": "occupation", "op": "in", "value": ["Pedagang"]}]}
    )
    assert row["targeting"] == "quota" and unsupported == ["occupation in ['Pedagang']"]
    row, unsupported = _row(eligibility={"categories": ["ibu_hamil"]})
    assert row["targeting"] == "quota" and unsupported == ["categories:ibu_hamil"]
    row, _ = _row(quota=500)
    assert row["targeting"] == "quota"


def test_it_values_daily_benefits_from_the_note():
    row, _ = _row(benefit_frequency="sekali", benefit_note="paket: harian selama 90 hari")
    assert (row["benefit_frequency"], row["payments_per_year"]) == ("daily", 90)
    row, _ = _row(benefit_frequency="triwulanan", benefit_value_rp=None)
    assert (row["benefit_frequency"], row["benefit_value_rp"]) == ("quarterly", 0)
