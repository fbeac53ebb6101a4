"""``padu demo`` trains the model and links every list once; a re-run links nothing again."""

from __future__ import annotations

import pytest

from padu.core import demo
from padu.linkage.models import Link, LinkRun
from padu.programs.models import RollEntry

pytestmark = pytest.mark.django_db


def test_it_links_the_demo_lists_once(city, settings):
    first = demo.link_lists()
    assert first["trained"] and first["linked_now"] == RollEntry.objects.count() == Link.objects.count()
    assert first["counts"]["auto"] > 0.9 * first["linked_now"]
    again = demo.link_lists()
    assert not again["trained"] and again["linked_now"] == 0
    assert again["counts"] == first["counts"]
    assert LinkRun.objects.count() == 1
