"""Committing into the registry: history across periods, KK changes, moves, duplicates, atomicity."""

from __future__ import annotations

import datetime as dt

import pytest

from padu.core.models import AuditLog
from padu.ingest import commit, runner, services
from padu.ingest.models import BatchStatus, ImportRow
from padu.registry.models import Family, KkHistory, Membership, Person, StatusChange, WelfareRecord
from tests.ingest.conftest import DTSEN, registry_counts, write_rows

pytestmark = pytest.mark.django_db


def _import(path, period="2026-03", source="dtsen"):
    return services.import_file(actor=None, path=path, source=source, period=period)


def _family_rows(rows, family_id):
    return [r for r in rows if r["id_keluarga"] == family_id]


def test_it_keeps_each_period_and_records_deaths_and_desil_changes(tmp_path, rows):
    _import(DTSEN, "2026-03")
    family = _family_rows(rows, "F00000001")
    old_desil = int(family[0]["desil"])
    for r in family:
        r["desil"] = "1"
        r["miskin_ekstrem"] = "1"
    child = family[2]
    child["status_art"] = "meninggal"
    child["tanggal_status"] = "2026-05-10"
    batch = _import(write_rows(tmp_path / "juni.csv", rows), "2026-06")

    assert batch.rows == 40 and batch.rejected == 0
    assert batch.accepted + batch.unchanged == 40
    fam = Family.objects.get(source_id="F00000001")
    assert list(fam.welfare.order_by("period").values_list("period", "desil")) == [
        ("2026-03", old_desil),
        ("2026-06", 1),
    ]
    assert fam.desil == 1 and fam.extreme_poor
    assert WelfareRecord.objects.filter(period="2026-03").count() == 10  # earlier period untouched
    dead = Person.objects.get(source_id=child["id_art"])
    assert dead.status == "meninggal"
    assert dead.death_date == dt.date(2026, 5, 10)
    assert not Membership.objects.filter(person=dead, valid_to__isnull=True).exists()
    assert Membership.objects.get(person=dead).valid_to == dt.date(2026, 5, 10)
    change = StatusChange.objects.get(person=dead, field="status")
    assert (change.old_value, change.new_value) == ("aktif", "meninggal")
    assert StatusChange.objects.filter(family=fam, field="desil", new_value="1").exists()
    assert fam.status == "aktif"  # other members still live


def test_it_is_idempotent_for_the_same_period_after_changes(tmp_path, rows):
    _import(DTSEN, "2026-03")
    rows[0]["desil"] = "2"
    path = write_rows(tmp_path / "ubah.csv", rows)
    _import(path, "2026-06")
    before = registry_counts()
    again = _import(path, "2026-06")
    assert (again.accepted, again.unchanged) == (0, 40)
    assert registry_counts() == before


def test_it_closes_the_old_kk_and_opens_the_new_one(tmp_path, rows):
    _import(DTSEN, "2026-03")
    family = _family_rows(rows, "F00000002")
    old_kk = family[0]["no_kk"]
    new_kk = old_kk[:-4] + "0999"
    for r in family:
        r["no_kk"] = new_kk
    _import(write_rows(tmp_path / "kk.csv", rows), "2026-06")
    fam = Family.objects.get(source_id="F00000002")
    assert fam.kk == new_kk
    history = list(KkHistory.objects.filter(family=fam).order_by("valid_from").values_list("kk", "valid_to"))
    assert history == [(old_kk, dt.date(2026, 6, 1)), (new_kk, None)]
    assert StatusChange.objects.filter(family=fam, field="kk", old_value=old_kk, new_value=new_kk).exists()


def test_it_moves_a_person_to_another_family_and_warns_across_kelurahan(tmp_path, rows):
    _import(DTSEN, "2026-03")
    mover = _family_rows(rows, "F00000001")[3]
    target = _family_rows(rows, "F00000002")[0]
    assert mover["kode_kelurahan"] != target["kode_kelurahan"]
    for key in ("id_keluarga", "no_kk", "kode_kelurahan", "nama_kelurahan", "alamat", "rt", "rw", "desil"):
        mover[key] = target[key]
    mover["hubungan_keluarga"] = "Famili Lain"
    batch = _import(write_rows(tmp_path / "pindah.csv", rows), "2026-06")
    person = Person.objects.get(source_id=mover["id_art"])
    new_family = Family.objects.get(source_id="F00000002")
    assert person.family_id == new_family.id
    assert person.kelurahan_id == target["kode_kelurahan"]
    memberships = list(Membership.objects.filter(person=person).order_by("id"))
    assert len(memberships) == 2
    assert memberships[0].valid_to == dt.date(2026, 6, 1)
    assert memberships[1].family_id == new_family.id and memberships[1].valid_to is None
    row = ImportRow.objects.get(batch=batch, person_key=mover["nik"])
    assert row.status == "accepted"
    assert "nik.in_other_family" in {i["code"] for i in row.issues}
    assert batch.issue_counts["nik.in_other_family"] == 1


def test_it_warns_about_the_same_name_and_birth_date_with_another_nik(tmp_path, rows):
    _import(DTSEN, "2026-03")
    twin = dict(_family_rows(rows, "F00000001")[1])
    twin["id_art"] = "P00000999"
    twin["nik"] = twin["nik"][:-4] + "0999"
    twin["hubungan_keluarga"] = "Famili Lain"
    rows.append(twin)
    batch = _import(write_rows(tmp_path / "kembar.csv", rows), "2026-03")
    row = ImportRow.objects.get(batch=batch, person_key=twin["nik"])
    assert row.status == "accepted"
    assert "person.same_name_birth_other_nik" in {i["code"] for i in row.issues}
    assert Person.objects.filter(name=twin["nama"]).count() == 2
    assert batch.warnings >= 1


def test_it_leaves_the_registry_untouched_when_the_commit_fails(monkeypatch, tmp_path, rows):
    _import(DTSEN, "2026-03")
    rows[0]["desil"] = "9"
    before = registry_counts()
    desil_before = Family.objects.get(source_id="F00000001").desil
    monkeypatch.setattr(runner, "CHUNK_ROWS", 10)
    real_flush = commit.RegistryDiff._flush
    calls = []

    def crash(self, plan):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("listrik padam / power cut")
        real_flush(self, plan)

    monkeypatch.setattr(commit.RegistryDiff, "_flush", crash)
    with pytest.raises(RuntimeError):
        _import(write_rows(tmp_path / "gagal.csv", rows), "2026-06")
    assert len(calls) == 3  # two chunks were written before the crash
    assert registry_counts() == before
    assert Family.objects.get(source_id="F00000001").desil == desil_before
    batch = services.ImportBatch.objects.order_by("-id").first()
    assert batch.status == BatchStatus.FAILED
    assert "listrik padam" in batch.error
    assert AuditLog.objects.filter(action="import", detail__stage="failed").exists()


def test_it_counts_every_row_once(tmp_path, rows):
    rows[3]["tanggal_lahir"] = "31-02-1985"
    rows[5]["nama"] = ""
    batch = _import(write_rows(tmp_path / "salah.csv", rows))
    assert batch.rows == 40
    assert batch.rejected == 2
    assert batch.accepted + batch.rejected + batch.unchanged == batch.rows
    assert Person.objects.count() == 38
    rejected = ImportRow.objects.filter(batch=batch, status="rejected").order_by("line")
    assert [r.line for r in rejected] == [5, 7]
    assert rejected[0].raw["tanggal_lahir"] == "31-02-1985"
    assert any(i["field"] == "birth_date" and i["severity"] == "error" for i in rejected[0].issues)
