"""``padu nik check``: text and JSON output, stdin, exit status. No database needed."""

from __future__ import annotations

import io
import json

import pytest

from padu.cli import main

SITI = "3673014107850001"  # Kec. Serang, woman born 1 July 1985


def test_it_checks_a_valid_nik(capsys):
    assert main(["nik", "check", SITI]) == 0
    out = capsys.readouterr().out
    assert SITI in out
    assert "SAH / VALID" in out
    assert "P (perempuan / female)" in out
    assert "1985-07-01" in out
    assert "36.73.01 Serang, Kota Serang, Banten" in out


def test_it_exits_1_and_explains_an_invalid_nik(capsys):
    assert main(["nik", "check", SITI, "3,67301E+15"]) == 1
    out = capsys.readouterr().out
    assert "TIDAK SAH / INVALID" in out
    assert "nik.excel_scientific" in out
    assert "NIK rusak oleh Excel" in out


def test_it_shows_warnings_but_exits_0(capsys):
    assert main(["nik", "check", "3673994107850001"]) == 0
    out = capsys.readouterr().out
    assert "nik.unknown_kecamatan" in out
    assert "peringatan / warning" in out


def test_it_shows_the_normalised_nik_and_the_input(capsys):
    assert main(["nik", "check", "'3673 0141 0785 0001"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(SITI)
    assert "'3673 0141 0785 0001" in out


def test_it_writes_json(capsys):
    assert main(["nik", "check", "--json", SITI, "3673013102850000"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and len(data) == 2
    first, second = data
    assert first["input"] == SITI
    assert first["nik"] == SITI
    assert first["valid"] is True
    assert first["errors"] == [] and first["warnings"] == []
    assert first["sex"] == "P"
    assert first["birth_date"] == "1985-07-01"
    assert first["region_code"] == "36.73.01"
    assert first["region_name"] == "Serang"
    assert second["valid"] is False
    assert [e["code"] for e in second["errors"]] == ["nik.invalid_date", "nik.serial_zero"]
    assert all(e["message"] for e in second["errors"])


def test_it_reads_niks_from_stdin(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{SITI}\n\n3673021708040123\n"))
    assert main(["nik", "check", "--json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["nik"] for d in data] == [SITI, "3673021708040123"]


def test_it_needs_at_least_one_nik(capsys):
    assert main(["nik", "check"]) == 2
    assert "NIK" in capsys.readouterr().err


def test_it_documents_the_exit_status(capsys):
    assert main(["nik", "check", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "Status keluar / exit status" in out
    assert "1 = ada NIK tidak sah" in out


@pytest.mark.parametrize("args", [["nik", "--help"], ["nik", "check", "--help"]])
def test_it_has_bilingual_help(capsys, args):
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Periksa" in out and "Check" in out
