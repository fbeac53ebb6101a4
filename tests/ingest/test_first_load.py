"""A first load into an empty registry skips the lookups of rows whose keys it has not sent yet
(``registry_plan.SeenKeys``); the result must be what the lookups would have given."""

from __future__ import annotations

import pytest

from padu.ingest import commit, registry_plan, runner, services, tuning
from padu.ingest.engine import RowResult
from tests.ingest.conftest import write_rows
from tests.ingest.test_writer import _clear_registry, _snapshot

pytestmark = pytest.mark.django_db


class _Always(registry_plan.SeenKeys):
    """Every key counts as seen: every row goes through the lookups, as without the filter."""

    def check_and_add(self, rows):
        super().check_and_add(rows)
        return [True] * len(rows)


@pytest.fixture
def loads(monkeypatch) -> list[int]:
    """A 40-row file takes the large-file path, in chunks of 6 rows; records the rows looked up."""
    monkeypatch.setattr(tuning, "DEFER_MIN_ROWS", 1)
    monkeypatch.setattr(runner, "CHUNK_ROWS", 6)
    sizes: list[int] = []
    real = commit.load_state

    def counting(rows):
        sizes.append(len(rows))
        return real(rows)

    monkeypatch.setattr(commit, "load_state", counting)
    return sizes


def test_a_first_load_gives_the_registry_the_lookups_give(loads, monkeypatch, tmp_path, rows):
    # A family split in two places of the file, a person sent twice (by person id, the second time
    # without a NIK and in another family), a repeated NIK (rejected) and a KK shared by two ids.
    rows = [*rows[:4], *rows[8:20], *rows[4:8], *rows[20:]]
    rows[1]["id_keluarga"] = rows[0]["id_keluarga"]
    moved = dict(rows[10], nik="", id_keluarga=rows[30]["id_keluarga"], no_kk=rows[30]["no_kk"])
    rows.append(moved)
    rows.append(dict(rows[12]))
    rows[25]["no_kk"] = rows[27]["no_kk"]
    path = write_rows(tmp_path / "a.csv", rows)

    fast = services.import_file(actor=None, path=path, source="dtsen", period="2026-03")
    assert sum(loads) < fast.rows  # rows with nothing to find were not looked up
    assert fast.rejected == 1 and fast.stats.get("moves") == 1  # the repeated NIK; the person sent twice
    with_filter = (_snapshot(), fast.accepted, fast.rejected, fast.unchanged, dict(fast.stats))

    _clear_registry()
    loads.clear()
    monkeypatch.setattr(runner, "SeenKeys", _Always)
    slow = services.import_file(actor=None, path=path, source="dtsen", period="2026-03")
    assert sum(loads) == slow.rows - slow.rejected
    assert (_snapshot(), slow.accepted, slow.rejected, slow.unchanged, dict(slow.stats)) == with_filter


def test_the_filter_has_no_false_negatives():
    seen = registry_plan.SeenKeys()
    rows = [
        RowResult(i, {}, {"nik": f"3673{i:012d}", "person_id": f"P{i}"}, [], True, "", "")
        for i in range(5000)
    ]
    assert seen.check_and_add(rows[:2500]) == [False] * 2500  # nothing before: nothing seen
    again = seen.check_and_add(rows)
    assert all(again[:2500])
    assert sum(again[2500:]) < 5  # false positives: rare


def test_keys_count_as_seen_only_as_what_they_are_looked_up_by():
    def row(**values):
        return RowResult(1, {}, values, [], True, "", "")

    number = "3673011605150001"  # a KK, and also a well-formed NIK (region, date, serial)
    first = row(kk=number, kk_digits=number, nik="3673015508900002", person_id="P1")
    assert registry_plan.SeenKeys().check_and_add([first, first]) == [False, False]  # within one chunk
    for later, looked_up in (
        (row(nik=number), False),  # a person's NIK is never looked up among KKs
        (row(family_id=number, person_id="3673015508900002"), False),
        (row(kk=number), True),
        (row(nik="3673015508900002"), True),
        (row(person_id="P1"), True),
        (row(nik=None, kk="", person_id=None), False),
    ):
        seen = registry_plan.SeenKeys()
        seen.check_and_add([first])
        assert seen.check_and_add([later]) == [looked_up], later.values
    # An invalid KK's digits are stored as the family's kk: a later row with that KK is looked up.
    seen = registry_plan.SeenKeys()
    seen.check_and_add([row(kk=None, kk_digits="3673019999990000")])
    assert seen.check_and_add([row(kk="3673019999990000"), row(kk="3673019999990001")]) == [True, False]
