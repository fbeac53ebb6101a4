"""Beneficiary-list intake: ``padu import roll``, idempotence, atomicity, the validation report."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from padu.core.models import AuditLog
from padu.ingest.models import BatchStatus, ImportBatch, ImportRow
from padu.programs import services
from padu.programs.intake import RollDiff
from padu.programs.models import Roll, RollEntry
from tests.conftest import KEL_A1
from tests.programs.conftest import clean_rows, summary, write_csv, write_messy_xlsx

pytestmark = pytest.mark.django_db


def test_it_imports_a_list_and_ends_with_the_summary_line(padu, lansia, tmp_path):
    path = write_csv(tmp_path / "lansia.csv", clean_rows())
    code, out, _err = padu("import", "roll", "--programme", "lansia", "--period", "2026-03", path)
    assert code == 0, out
    assert out.strip().splitlines()[-1] == "rows=4 accepted=4 rejected=0 unchanged=0"
    roll = Roll.objects.get(programme=lansia, period="2026-03")
    assert (roll.entries_count, roll.nik_valid_count, roll.flagged_count) == (4, 3, 1)
    siti = RollEntry.objects.get(roll=roll, row_number=2)
    assert (siti.nik, siti.nik_valid, siti.name, siti.sex) == ("3673014507550001", True, "SITI AMINAH", "P")
    assert (siti.rt, siti.rw, siti.kelurahan_id, str(siti.birth_date)) == ("001", "002", KEL_A1, "1955-07-05")
    marni = RollEntry.objects.get(roll=roll, row_number=5)
    assert not marni.nik_valid and marni.flagged and "nik.empty" in marni.flags
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.status, batch.opd, batch.target["programme"]) == (
        "roll",
        BatchStatus.COMMITTED,
        lansia.opd,
        lansia.pk,
    )
    assert AuditLog.objects.filter(action="import", object_id=str(batch.pk)).exists()


def test_it_changes_nothing_when_the_same_list_comes_again(padu, lansia, tmp_path):
    path = write_csv(tmp_path / "lansia.csv", clean_rows())
    padu("import", "roll", "--programme", "lansia", "--period", "2026-03", path)
    before = list(RollEntry.objects.order_by("id").values_list("id", "content_hash", "row_number"))
    code, out, _err = padu("import", "roll", "--programme", "lansia", "--period", "2026-03", path)
    assert code == 0
    assert summary(out) == {"rows": 4, "accepted": 0, "rejected": 0, "unchanged": 4}
    assert list(RollEntry.objects.order_by("id").values_list("id", "content_hash", "row_number")) == before


def test_it_replaces_the_list_of_the_period_with_the_rows_sent_last(padu, lansia, tmp_path):
    rows = clean_rows()
    padu(
        "import", "roll", "--programme", "lansia", "--period", "2026-03", write_csv(tmp_path / "a.csv", rows)
    )
    _code, out, _err = padu(
        "import",
        "roll",
        "--programme",
        "lansia",
        "--period",
        "2026-03",
        write_csv(tmp_path / "b.csv", rows[1:]),
    )
    assert summary(out) == {"rows": 3, "accepted": 0, "rejected": 0, "unchanged": 3}
    assert "entries_removed=1" in out
    assert sorted(RollEntry.objects.values_list("row_number", flat=True)) == [2, 3, 4]
    assert Roll.objects.get().entries_count == 3


def test_it_leaves_nothing_behind_when_the_commit_fails(lansia, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "lansia.csv", clean_rows() * 3000)  # several chunks
    calls = {"n": 0}
    original = RollDiff.apply

    def failing(self, results):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk penuh / disk full")
        return original(self, results)

    monkeypatch.setattr(RollDiff, "apply", failing)
    with pytest.raises(RuntimeError):
        services.roll_import(actor=None, programme=lansia, period="2026-03", path=path)
    assert calls["n"] == 2
    assert not RollEntry.objects.exists() and not Roll.objects.exists()
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and "disk penuh" in batch.error
    assert not ImportRow.objects.exists()


def test_it_reports_a_messy_workbook_precisely(padu, lansia, tmp_path):
    path = write_messy_xlsx(tmp_path / "Bansos_Lansia_2025.xlsx")
    report = tmp_path / "laporan.xlsx"
    code, out, _err = padu(
        "import", "roll", "--programme", "lansia", "--period", "2026-03", path, "--report", report
    )
    assert code == 0, out
    assert summary(out) == {"rows": 6, "accepted": 5, "rejected": 1, "unchanged": 0}
    batch = ImportBatch.objects.get()
    assert batch.header_line == 4 and batch.mapping["ttl"] == "Tempat/Tgl Lahir"
    entries = {e.row_number: e for e in RollEntry.objects.all()}
    assert str(entries[5].birth_date) == "1955-07-05" and entries[5].birth_place == "Serang"
    assert entries[6].nik_damaged and not entries[6].nik_valid  # numeric cell: the 16th digit is lost
    assert str(entries[7].birth_date) == "1948-01-01"  # an Excel date cell
    assert entries[8].birth_date is None and "birth_date.invalid" in entries[8].flags
    assert entries[10].kelurahan_id is None and "sex.unknown" in entries[10].flags

    wb = load_workbook(report, read_only=True)
    issues = [r for r in wb["Baris bermasalah"].iter_rows(min_row=2, values_only=True)]
    by_line: dict[int, list[tuple]] = {}
    for row in issues:
        by_line.setdefault(row[0], []).append(row)
    assert any(r[1] == "NIK" and r[4] == "peringatan" and "Excel" in r[5] for r in by_line[6])
    invalid = next(r for r in by_line[8] if r[3] == "birth_date.invalid")
    assert invalid[1] == "Tempat/Tgl Lahir" and "31-02-1952" in invalid[5] and "tidak ada" in invalid[5]
    rejected = next(r for r in by_line[9] if r[4] == "galat")
    assert "tanpa nama dan tanpa NIK" in rejected[5]
    assert any(r[3] == "kelurahan_code.unknown" and "Antah Berantah" in r[5] for r in by_line[10])
    rejected_rows = list(wb["Data ditolak"].iter_rows(min_row=2, values_only=True))
    assert len(rejected_rows) == 1 and rejected_rows[0][-1] == 9
    summary_sheet = [r for r in wb["Ringkasan"].iter_rows(values_only=True) if r and r[0]]
    assert summary_sheet[0][0] == "Laporan pemeriksaan daftar penerima program"
    kept = ImportRow.objects.get(batch=batch, status="rejected")
    assert kept.line == 9 and any(i["severity"] == "error" for i in kept.issues)


def test_it_refuses_an_unknown_programme_and_a_missing_one(padu, lansia, tmp_path):
    path = write_csv(tmp_path / "lansia.csv", clean_rows())
    code, _out, err = padu("import", "roll", "--period", "2026-03", path)
    assert code != 0 and "--programme" in err
    code, _out, err = padu("import", "roll", "--programme", "pkh", "--period", "2026-03", path)
    assert code != 0 and "lansia" in err
    assert not ImportBatch.objects.exists()


def test_it_maps_every_synthetic_opd_list_by_its_aliases(tmp_path):
    import json

    from padu.ingest.engine import read_table
    from padu.programs.engine.roll import ROLL_INDEX, map_roll_columns
    from padu.synth import generate

    city = tmp_path / "city"
    generate(city, persons=400, seed=3)
    manifest = json.loads((city / "manifest.json").read_text(encoding="utf-8"))
    wanted = dict.fromkeys(("nik", "name", "birth_date", "ttl", "sex", "kk", "mother_name", "birth_place"))
    wanted = {k: k for k in wanted} | {
        "rt": "rt",
        "rw": "rw",
        "address": "address",
        "kelurahan_code": "kelurahan_code",
    }
    wanted |= {"address_rt_rw": "address", "kelurahan": "kelurahan_name", "kecamatan": "kecamatan_name"}
    wanted |= {"nominal": "benefit_rp"}
    for spec in manifest["programmes"]:
        with read_table(city / spec["file"], score=ROLL_INDEX.score) as table:
            assert table.header_line == spec["header_row"], spec["code"]
            mapping = map_roll_columns(table.columns)
        expected = {wanted[k]: v for k, v in spec["column_mapping"].items() if k in wanted}
        assert {k: mapping.fields.get(k) for k in expected} == expected, spec["code"]


def test_it_reads_the_amount_written_on_each_row(padu, lansia, tmp_path):
    from tests.programs.conftest import HEADER

    amounts = ["Rp 600.000", "2.400.000,00", "", "enam ratus"]
    rows = [[*row, amount] for row, amount in zip(clean_rows(), amounts, strict=True)]
    path = write_csv(tmp_path / "lansia.csv", rows, header=[*HEADER, "Nominal"])
    code, out, _err = padu("import", "roll", "--programme", "lansia", "--period", "2026-03", path)
    assert code == 0 and summary(out)["accepted"] == 4, out  # a bad amount is a warning, not a rejection
    entries = {e.row_number: e for e in RollEntry.objects.all()}
    assert [entries[n].benefit_rp for n in (2, 3, 4, 5)] == [600_000, 2_400_000, None, None]
    assert "benefit_rp.invalid" in entries[5].flags and entries[5].flagged
    issue = next(i for i in ImportRow.objects.get(line=5).issues if i["code"] == "benefit_rp.invalid")
    assert "Kolom 'Nominal'" in issue["message_id"] and "enam ratus" in issue["message_id"]
