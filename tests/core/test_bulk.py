"""``padu.core.bulk.allocate_ids``: the reserved primary keys are distinct and increasing, and once the
caller has inserted its rows they are never handed out again — neither by a later allocation nor by an
ordinary insert (both databases; on PostgreSQL the table's own sequence hands them out)."""

import pytest
from django.db import transaction
from django.utils import timezone

from padu.core.bulk import allocate_ids, insert_rows
from padu.registry.models import StatusChange

pytestmark = pytest.mark.django_db

COLUMNS = ("id", "field", "old_value", "new_value", "source", "at")


def _insert(ids):
    now = timezone.now()
    insert_rows(StatusChange, COLUMNS, [(i, "status", "", "aktif", "test", now) for i in ids])


def test_allocated_ids_are_distinct_increasing_and_not_reused():
    with transaction.atomic():
        first = allocate_ids(StatusChange, 5)
        _insert(first)
        second = allocate_ids(StatusChange, 3)
        _insert(second)
        row = StatusChange.objects.create(field="status", old_value="", new_value="aktif", source="test")
    assert first == sorted(first) and len(set(first)) == 5
    assert second == sorted(second) and len(set(second)) == 3 and min(second) > max(first)
    assert row.pk > max(second)
    assert StatusChange.objects.count() == 9
    assert allocate_ids(StatusChange, 0) == []
