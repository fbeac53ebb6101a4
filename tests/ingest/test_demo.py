"""``padu demo`` loads the demo city's registry through the intake, once."""

from __future__ import annotations

import pytest

from padu.core import demo
from padu.ingest.models import BatchStatus, ImportBatch
from padu.registry.models import Family, Person
from padu.synth import generate

pytestmark = pytest.mark.django_db


def test_it_loads_the_demo_registry_through_the_intake_once(tmp_path):
    city = tmp_path / "city"
    generate(city, persons=300, seed=7)
    seen: list[int] = []
    result = demo.load_registry(city, progress=seen.append)
    assert not result["skipped"]
    assert result["persons"] == Person.objects.count() == 300
    assert result["families"] == Family.objects.count()
    assert sum(seen) == 300
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.source, batch.period) == (BatchStatus.COMMITTED, "dtsen", demo.DEMO_PERIOD)
    assert demo.load_registry(city)["skipped"]
    assert ImportBatch.objects.count() == 1
