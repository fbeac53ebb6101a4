"""``padu linkage``: train, run, evaluate --json on a small generated city, files."""

from __future__ import annotations

import json

import pytest

from padu.cli import main
from padu.linkage.models import Link

pytestmark = pytest.mark.django_db


def _run(capsys, *args) -> tuple[int, str]:
    code = main(["linkage", *map(str, args)])
    out, _err = capsys.readouterr()
    return code, out


def test_it_trains_links_and_scores_against_the_truth(city, capsys, settings):
    code, out = _run(capsys, "train")
    assert code == 0 and "model" in out
    assert (settings.DATA_DIR / "linkage" / "model.json").exists()
    code, out = _run(capsys, "run", "--programme", "pkh", "--period", "2025-06")
    assert code == 0 and "auto=" in out
    assert not Link.objects.exclude(entry__roll__programme__code="pkh").exists()
    code, out = _run(capsys, "run")
    assert code == 0
    code, out = _run(capsys, "evaluate", "--truth", city / "truth", "--json")
    assert code == 0
    scores = json.loads(out)  # exactly one JSON object
    assert {"precision", "recall", "f1", "review_share"} <= set(scores)
    assert scores["precision"] > 0.98 and scores["recall"] > 0.95 and scores["f1"] > 0.97
    assert 0 <= scores["review_share"] < 0.05
    assert scores["left_rows"] == Link.objects.count()


def test_it_refuses_an_unknown_programme(city, capsys):
    code = main(["linkage", "run", "--programme", "tidak_ada"])
    assert code != 0


def test_it_links_two_files_without_the_database(tmp_path, capsys):
    left = tmp_path / "left.csv"
    right = tmp_path / "right.csv"
    left.write_text("NAMA,NIK,TGL LAHIR\nSITI AMINAH,3673014507550001,05-07-1955\n", encoding="utf-8")
    right.write_text(
        "NAMA,NIK,TGL LAHIR\nSiti Aminah,3673014507550001,1955-07-05\nUjang,3673011203500001,1950-03-12\n",
        encoding="utf-8",
    )
    out = tmp_path / "pairs.csv"
    assert main(["linkage", "files", str(left), str(right), "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[1].startswith("2,2")
