"""``padu targeting run`` / ``evaluate`` on a small generated city loaded and linked as ``padu demo`` does."""

from __future__ import annotations

import json

import pytest

from padu.accounts import services as accounts
from padu.cli import main
from padu.core import demo
from padu.targeting.models import Finding, TargetingRun


def _run(capsys, *args) -> tuple[int, str]:
    code = main(["targeting", *map(str, args)])
    out, _err = capsys.readouterr()
    return code, out


@pytest.fixture
def linked_city(transactional_db, city_dir):
    accounts.ensure_default_opds(actor=None)
    demo.load_registry(city_dir)
    demo.load_programmes(city_dir)
    demo.link_lists()
    return city_dir


@pytest.mark.slow
def test_it_runs_and_scores_the_city_against_its_truth(linked_city, capsys):
    code, out = _run(capsys, "run", "--period", "2025-06")
    assert code == 0 and "temuan / findings" in out
    run = TargetingRun.objects.get()
    assert run.status == "done" and run.total == Finding.objects.count() > 0
    code, out = _run(capsys, "evaluate", "--truth", linked_city / "truth", "--json")
    assert code == 0
    scores = json.loads(out)
    assert set(scores) == {
        "graduated",
        "died",
        "moved",
        "non_resident",
        "duplicate",
        "double_receipt",
        "exclusion",
    }
    for fault, score in scores.items():  # 1.0 everywhere but exclusion (0.998: pregnancy is unknown)
        assert score["recall"] >= 0.95 and score["precision"] >= 0.95, (fault, score)


@pytest.mark.slow
def test_it_runs_the_demo_step_once_until_links_change(linked_city):
    from django.utils import timezone

    from padu.linkage.models import Link

    first = demo.run_targeting("2025-06")
    assert not first["skipped"] and first["total"] == Finding.objects.count()
    again = demo.run_targeting("2025-06")
    assert again["skipped"] and again["total"] == first["total"]
    assert TargetingRun.objects.count() == 1
    reviewed = Link.objects.filter(decision="auto").values("pk")[:1]  # a reviewer confirms a link
    Link.objects.filter(pk=reviewed).update(decision="accepted", reviewed_at=timezone.now())
    assert not demo.run_targeting("2025-06")["skipped"]
    assert TargetingRun.objects.count() == 2
