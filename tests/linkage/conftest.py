"""Linkage app: a small generated city (registry + the twelve lists) in the test database."""

from __future__ import annotations

from pathlib import Path

import pytest

from padu.accounts import services as accounts
from padu.core import demo
from padu.synth import generate


@pytest.fixture(autouse=True)
def _linkage_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session")
def city_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("linkage_city") / "city"
    generate(out, persons=1500, seed=11)
    return out


@pytest.fixture
def city(db, city_dir: Path) -> Path:
    """The registry and the twelve lists of the generated city, loaded through the intakes."""
    accounts.ensure_default_opds(actor=None)
    demo.load_registry(city_dir)
    demo.load_programmes(city_dir)
    return city_dir


@pytest.fixture
def linked(city: Path):
    """The city with every list linked (trains the model into the test's DATA_DIR)."""
    from padu.linkage import services

    return services.link_all(actor=None)


def make_review(code: str, count: int, *, kelurahan: str | None = None) -> list[int]:
    """Turn ``count`` auto links of programme ``code`` into review items (optionally moving their
    entries to ``kelurahan``); returns the link ids in queue order."""
    from padu.linkage.models import Link
    from padu.programs.models import RollEntry

    ids = list(
        Link.objects.filter(entry__roll__programme__code=code, decision="auto", stage="probabilistic")
        .order_by("entry__row_number")
        .values_list("id", flat=True)[:count]
    )
    if len(ids) < count:
        ids += list(
            Link.objects.filter(entry__roll__programme__code=code, decision="auto")
            .exclude(id__in=ids)
            .order_by("entry__row_number")
            .values_list("id", flat=True)[: count - len(ids)]
        )
    Link.objects.filter(id__in=ids).update(decision="review", probability=0.9)
    if kelurahan:
        RollEntry.objects.filter(link__id__in=ids).update(kelurahan_id=kelurahan)
    return ids
