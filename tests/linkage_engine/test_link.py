"""The linkage stages on hand-made records, and on a small synthetic city with ground truth."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from padu.linkage.engine import LINK_COLUMNS, Model, SynthData, Thresholds, evaluate, evidence_text, link

REGISTRY = pd.DataFrame(
    [
        # one household: same KK, address, RT/RW; mother and daughter share "SITI"
        ("P1", "SITI AMINAH", "3673015203800001", "3673011201100001", "1980-03-12", "P", "Kp. Cipare",
         "1", "2", "36.73.01.1001", "ROHAYATI"),
        ("P2", "SITI NURHALIZA", "3673014506050001", "3673011201100001", "2005-06-05", "P", "Kp. Cipare", "1",
         "2", "36.73.01.1001", "SITI AMINAH"),
        ("P3", "RAHMAT HIDAYAT", "3673011708780002", "3673011201100001", "1978-08-17", "L", "Kp. Cipare", "1",
         "2", "36.73.01.1001", "JUARIAH"),
        ("P4", "DEDI KURNIAWAN", "3673020101900003", "3673020202100002", "1990-01-01", "L", "Link. Sukajaya",
         "3", "4", "36.73.02.1002", "ENTIN"),
        ("P5", "MUHAMMAD FAJAR", "3673021509920001", "3673020202100003", "1992-09-15", "L", "Link. Sukajaya",
         "5", "4", "36.73.02.1002", "AMINAH"),
    ],
    columns=["record_id", "name", "id_number", "kk", "birth_date", "sex", "address", "rt", "rw",
             "region_code", "mother_name"],
)  # fmt: skip


def _left(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def test_it_links_on_valid_nik_with_consistent_name() -> None:
    left = _left(
        [
            {
                "record_id": "a",
                "name": "Hj. Siti Aminah",
                "id_number": "3673015203800001",
                "birth_date": "1980-03-12",
            }
        ]
    )
    result = link(left, REGISTRY)
    row = result.links.iloc[0]
    assert list(result.links.columns) == LINK_COLUMNS
    assert (row.left_id, row.right_id, row.stage, row.decision) == ("a", "P1", "nik", "auto")
    assert row.evidence["nik"] == "exact"
    assert "NIK sama" in row.evidence_text


def test_it_reports_a_nik_on_the_wrong_person_as_a_finding_not_a_match() -> None:
    # the mother's NIK typed on the daughter's row
    left = _left(
        [
            {
                "record_id": "b",
                "name": "SITI NURHALIZA",
                "id_number": "3673015203800001",
                "birth_date": "2005-06-05",
                "sex": "P",
                "region_code": "3673011001",
            }
        ]
    )
    result = link(left, REGISTRY)
    findings = result.findings
    assert ((findings.kind == "nik_conflict") & (findings.right_id == "P1")).any()
    assert not ((result.links.left_id == "b") & (result.links.right_id == "P1")).any()
    # stage 2 still finds the right person by name, birth date and kelurahan
    assert result.links.set_index("left_id").loc["b", "right_id"] == "P2"
    assert result.links.set_index("left_id").loc["b", "stage"] == "probabilistic"


def test_it_finds_a_person_whose_nik_has_a_wrong_digit(model: Model) -> None:
    left = _left(
        [
            {
                "record_id": "c",
                "name": "DEDI KURNIAWAN",
                "id_number": "3673020101900008",
                "birth_date": "1990-01-01",
                "region_code": "3673021002",
                "sex": "L",
            }
        ]
    )
    result = link(left, REGISTRY, model=model)
    row = result.links.iloc[0]
    assert (row.right_id, row.stage) == ("P4", "probabilistic")
    assert row.evidence["nik"] == "one_digit"
    assert "NIK beda 1 digit" in row.evidence_text
    assert "tanggal lahir sama" in row.evidence_text


def test_it_links_each_left_row_to_one_household_member_at_most(model: Model) -> None:
    # no NIK, a shared KK/address/family: only the one with the same name and birth date is linked
    left = _left(
        [
            {
                "record_id": f"h{i}",
                "name": name,
                "kk": "3673011201100001",
                "address": "Kp. Cipare RT 1/RW 2",
                "birth_date": dob,
                "region_code": "3673011001",
            }
            for i, (name, dob) in enumerate(
                [
                    ("SITI AMINAH", "1980-03-12"),
                    ("RAHMAT HIDAYAT", "1978-08-17"),
                    ("SITI NURHALIZA", "2005-06-05"),
                ]
            )
        ]
    )
    result = link(left, REGISTRY, model=model)
    assert result.links.left_id.is_unique
    assert dict(zip(result.links.left_id, result.links.right_id, strict=True)) == {
        "h0": "P1",
        "h1": "P3",
        "h2": "P2",
    }


def test_it_leaves_strangers_unmatched(model: Model) -> None:
    left = _left(
        [
            {
                "record_id": "z",
                "name": "YOHANES SIMANJUNTAK",
                "birth_date": "1970-12-30",
                "region_code": "3673021002",
                "address": "Link. Sukajaya",
                "rw": "4",
            }
        ]
    )
    result = link(left, REGISTRY, model=model)
    assert result.unmatched == ["z"]
    assert result.links.empty


def test_it_renders_evidence_in_bahasa_indonesia() -> None:
    text = evidence_text(
        {"name": "jw88", "birth_date": "exact", "nik": "one_digit", "sex": "exact", "kk": "null"}
    )
    assert text == "NIK beda 1 digit, nama mirip, tanggal lahir sama"


def test_it_applies_thresholds() -> None:
    with pytest.raises(ValueError):
        Thresholds(lower=0.9, upper=0.5)
    left = _left([{"record_id": "d", "name": "MOCH. FAJAR", "birth_date": "1992-09-15", "sex": "L"}])
    strict = link(left, REGISTRY, thresholds=Thresholds(lower=0.01, upper=0.999999999))
    assert set(strict.links.decision) <= {"review"}
    loose = link(left, REGISTRY, thresholds=Thresholds(lower=0.001, upper=0.002))
    assert loose.links.iloc[0].right_id == "P5"


def test_it_saves_and_loads_a_model(model: Model, tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    model.save(path)
    loaded = Model.load(path)
    assert loaded.splink == model.splink
    assert loaded.meta["trained"] is True
    left = _left([{"record_id": "e", "name": "DEDI KURNIAWAN", "birth_date": "1990-01-01"}])
    a, b = link(left, REGISTRY, model=model), link(left, REGISTRY, model=loaded)
    assert a.links.probability.tolist() == b.links.probability.tolist()
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(ValueError):
        Model.load(tmp_path / "bad.json")


def test_it_links_a_generated_city_accurately(city: SynthData, model: Model) -> None:
    result = link(city.lists.drop(columns=["programme"]), city.registry, model=model, keep_candidates=True)
    scores = evaluate(result, city.truth)
    # a broken engine (no stage 2, wrong blocking, wrong best link) lands far below these floors
    assert scores["f1"] >= 0.99, scores
    assert scores["precision"] >= 0.995, scores
    assert scores["blocking_recall"] >= 0.995, scores
    assert scores["review_share"] <= 0.02, scores
    assert result.counts["pairs_compared"] < 20 * result.counts["left"]
    assert result.links.left_id.is_unique
    assert set(result.links.stage) <= {"nik", "kk", "probabilistic"}


@pytest.mark.slow
def test_it_links_the_same_with_spark(city: SynthData, model: Model) -> None:
    if os.environ.get("PADU_TEST_EXPECT_VENDOR") == "postgresql":
        pytest.skip("Django-free Spark path, independent of the database: runs in the SQLite half of CI")
    if os.environ.get("CI"):
        import pyspark  # noqa: F401  CI installs the spark extra: a missing PySpark must fail, not skip
    else:
        pytest.importorskip("pyspark")
    left = city.lists[city.lists.programme.isin(["pmt_balita", "bpnt"])].drop(columns=["programme"])
    spark = link(left, city.registry, model=model, engine="spark")
    duck = link(left, city.registry, model=model, engine="duckdb")
    merged = spark.links.merge(duck.links, on="left_id", suffixes=("_s", "_d"))
    assert len(merged) == len(duck.links) == len(spark.links)
    assert (merged.right_id_s == merged.right_id_d).all()
    assert (merged.probability_s - merged.probability_d).abs().max() < 1e-6
    assert evaluate(spark, city.truth)["precision"] >= 0.99
