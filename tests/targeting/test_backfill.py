"""Migration 0005 backfills the per-run aggregates of runs made before 0004 existed."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import connection

from padu.targeting import services
from padu.targeting.models import FindingAggregate
from tests.targeting.conftest import PERIOD

backfill = importlib.import_module("padu.targeting.migrations.0005_backfill_aggregates").backfill

COLUMNS = (
    "finding_type",
    "category",
    "programme_id",
    "kelurahan_id",
    "desil",
    "strategy",
    "n",
    "rupiah_year",
)


def rows() -> list[tuple]:
    return sorted(FindingAggregate.objects.values_list(*COLUMNS), key=repr)


def test_an_old_run_gets_the_same_aggregates_as_a_new_one(town, analyst):
    services.run_targeting(period=PERIOD, actor=analyst)
    expected = rows()
    assert expected and sum(r[6] for r in expected) > 0
    FindingAggregate.objects.all().delete()  # as before migration 0004
    with connection.schema_editor() as editor:
        backfill(apps, editor)
        backfill(apps, editor)  # a second pass adds nothing
    assert rows() == expected
