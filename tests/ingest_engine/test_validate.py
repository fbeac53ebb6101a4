"""validate_rows: severities, messages, keys, the messy P3KE sheet line by line."""

from __future__ import annotations

import datetime as dt

import pytest

from padu.ingest.engine import (
    EXCEL_DAMAGE,
    FieldIssue,
    RawRow,
    ValidationContext,
    map_columns,
    summarise,
    validate_rows,
)
from padu.lib.nik import compose_nik
from tests.data.registry.make_fixtures import P3KE_EXPECTED, P3KE_WARNING_ONLY
from tests.ingest_engine.helpers import DTKS, DTSEN, TODAY, by_line, run

HEAD = compose_nik("367301", dt.date(1985, 8, 17), "L", 201)
WIFE = compose_nik("367301", dt.date(1988, 3, 5), "P", 202)
KK = "3673011205160021"
COLUMNS = ["NIK", "No KK", "NAMA", "TGL_LAHIR", "JK", "DESA", "DESIL", "HUBUNGAN"]


def check(*rows: dict[str, object], context: ValidationContext | None = None, **kw: object):
    """Validate rows given as {column: value} (missing columns blank), lines 2, 3, ..."""
    columns = list(dict.fromkeys([*COLUMNS, *(c for r in rows for c in r)]))
    raws = [RawRow(line, {c: row.get(c) for c in columns}) for line, row in enumerate(rows, start=2)]
    mapping = map_columns(columns, **kw)  # type: ignore[arg-type]
    return list(validate_rows(raws, mapping, context or ValidationContext(today=TODAY)))


def person(**values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "NIK": HEAD, "No KK": KK, "NAMA": "Budi  Santoso ", "TGL_LAHIR": "17-08-1985", "JK": "L",
        "DESA": "Cipare", "DESIL": "2", "HUBUNGAN": "Kepala Keluarga",
    }  # fmt: skip
    base.update(values)
    return base


def wife(**values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "NIK": WIFE,
        "NAMA": "Siti",
        "JK": "P",
        "TGL_LAHIR": "05-03-1988",
        "HUBUNGAN": "Istri",
    }
    return person(**{**base, **values})


def codes(result) -> dict[str, str]:
    return {i.code: i.severity for i in result.issues}


def test_it_normalises_a_clean_row():
    (result,) = check(person())
    assert result.ok and result.issues == []
    values = result.values
    assert values["nik"] == HEAD and values["nik_valid"] is True and values["nik_issues"] == []
    assert values["kk"] == KK and values["kk_valid"] is True
    assert values["name"] == "Budi Santoso"
    assert values["birth_date"] == dt.date(1985, 8, 17)
    assert values["sex"] == "L"
    assert values["kelurahan_code"] == "36.73.01.1002"
    assert values["desil"] == 2
    assert values["relationship"] == "kepala"
    assert result.family_key == f"kk:{KK}"
    assert result.person_key == HEAD
    assert result.line == 2 and result.raw["NAMA"] == "Budi  Santoso "


def test_it_rejects_numeric_nik_cells_as_excel_damage_naming_line_and_column():
    damaged = float(HEAD[:15] + "0")
    first, second, third = check(
        person(NIK=damaged), person(NIK=int(HEAD[:15] + "0")), person(NIK="3,67301E+15")
    )
    assert [r.ok for r in (first, second, third)] == [False, False, False]
    assert codes(first) == {"nik.excel_float": "error"}
    assert codes(second) == {"nik.excel_trailing_zero": "error"}
    assert codes(third) == {"nik.excel_scientific": "error"}
    issue = first.issues[0]
    assert (issue.field, issue.column, first.line) == ("nik", "NIK", 2)
    assert issue.message_id.startswith("Kolom 'NIK': NIK rusak oleh Excel")
    assert issue.message_en.startswith("Column 'NIK': NIK damaged by Excel")
    assert third.issues[0].value == "3,67301E+15"
    assert first.values["nik"] is None and first.values["nik_issues"][0]["code"] == "nik.excel_float"
    assert {i.code for r in (first, second, third) for i in r.issues} <= EXCEL_DAMAGE


def test_it_keeps_a_person_without_a_valid_nik_with_a_warning():
    missing, short, letters = check(person(NIK=None), person(NIK=HEAD[:15]), person(NIK="3673O11708850201"))
    for result, code in ((missing, "nik.empty"), (short, "nik.length"), (letters, "nik.not_digits")):
        assert result.ok, result.issues
        assert codes(result) == {code: "warning"}
        assert result.values["nik"] is None and result.values["nik_valid"] is False
        assert result.values["nik_issues"][0]["code"] == code
        assert result.person_key == f"kk:{KK}:BUDI SANTOSO:1985-08-17"
    assert short.values["nik_digits"] is None
    bad_date = check(person(NIK=HEAD[:6] + "320885" + HEAD[12:]))[0]
    assert bad_date.ok and codes(bad_date) == {"nik.invalid_date": "warning"}
    assert bad_date.values["nik_digits"] == HEAD[:6] + "320885" + HEAD[12:]


def test_it_rejects_a_nik_seen_earlier_in_the_file_naming_the_first_line():
    first, other, again = check(person(), wife(), person())
    assert first.ok and other.ok
    assert not again.ok
    (issue,) = again.issues
    assert issue.code == "nik.duplicate_in_file" and issue.severity == "error"
    assert "baris 2" in issue.message_id and "line 2" in issue.message_en
    assert again.values["nik"] == HEAD  # still the number, for matching
    unchecked = check(person(), person(), context=ValidationContext(today=TODAY, check_duplicates=False))
    assert all(r.ok for r in unchecked)


def test_a_duplicate_nik_far_down_a_large_file_names_the_first_line():
    """The NIKs seen are checked batch by batch against a temporary store (memory flat in file size):
    repeats thousands of lines (several batches) later still name the line each NIK was first on."""
    others = [
        person(NIK=compose_nik("367301", dt.date(1950, 1, 1) + dt.timedelta(days=i), "L", 1 + i % 9000))
        for i in range(5000)
    ]
    rows = [person(), *others, person(), person(NIK=others[10]["NIK"])]
    results = check(*rows)
    assert len(results) == 5003
    assert all(r.ok for r in results[:5001])
    late, late_other = results[5001], results[5002]
    assert not late.ok and not late_other.ok
    assert [i.code for i in late.issues] == ["nik.duplicate_in_file"]
    assert "baris 2 " in late.issues[0].message_id and "line 2 " in late.issues[0].message_en
    assert late.values["nik_issues"][-1]["code"] == "nik.duplicate_in_file"
    (other_issue,) = [i for i in late_other.issues if i.code == "nik.duplicate_in_file"]
    assert "baris 13 " in other_issue.message_id  # others[10] is on line 13


def test_it_warns_when_nik_disagrees_with_birth_date_or_sex():
    (result,) = check(person(TGL_LAHIR="18-08-1985", JK="P"))
    assert result.ok
    assert codes(result) == {"nik.birth_date_mismatch": "warning", "nik.sex_mismatch": "warning"}
    assert result.values["nik"] == HEAD
    assert len(result.values["nik_issues"]) == 2


def test_it_rejects_a_row_without_a_name():
    blank, spaces = check(person(NAMA=None), wife(NAMA="   "))
    for result in (blank, spaces):
        assert not result.ok
        assert codes(result) == {"name.missing": "error"}
        assert result.issues[0].message_id == "Kolom 'NAMA': nama kosong"


def test_it_rejects_a_row_with_neither_nik_nor_kk():
    (result,) = check(person(NIK=None, **{"No KK": None}))
    assert not result.ok
    assert codes(result) == {"nik.empty": "warning", "kk.empty": "warning", "identity.missing": "error"}
    assert result.family_key == "row:2"


def test_it_treats_kk_like_nik():
    damaged, short = check(person(**{"No KK": float(KK)}), wife(**{"No KK": KK[:14]}))
    assert not damaged.ok and codes(damaged) == {"kk.excel_float": "error"}
    assert short.ok and codes(short) == {"kk.length": "warning"}
    assert short.values["kk"] is None and short.values["kk_issues"][0]["code"] == "kk.length"
    assert short.family_key == "row:3"


def test_it_reads_dates_in_every_form_and_names_the_column_of_a_bad_one():
    forms = ["17-08-1985", "17/08/1985", "17/08/85", "17 Agustus 1985", "17 Agt 1985", 31276,
             dt.datetime(1985, 8, 17), "1985-08-17"]  # fmt: skip
    results = check(*(person(TGL_LAHIR=f, NIK=None) for f in forms))
    assert all(r.values["birth_date"] == dt.date(1985, 8, 17) and r.ok for r in results)
    bad, unreadable, future, missing = check(
        person(TGL_LAHIR="31-02-1985"),
        person(NIK=WIFE, JK="P", TGL_LAHIR="besok"),
        person(NIK=None, TGL_LAHIR="01-01-2030"),
        person(NIK=None, TGL_LAHIR=None),
    )
    assert not bad.ok and codes(bad) == {"birth_date.invalid": "error"}
    assert bad.issues[0].message_id.startswith("Kolom 'TGL_LAHIR': tanggal '31-02-1985' tidak ada")
    assert bad.issues[0].message_en.startswith("Column 'TGL_LAHIR': date '31-02-1985' does not exist")
    assert codes(unreadable) == {"birth_date.unreadable": "error"}
    assert codes(future)["birth_date.future"] == "error"
    assert missing.ok and codes(missing)["birth_date.missing"] == "warning"


def test_it_resolves_kelurahan_names_and_rejects_unknown_or_outside_ones():
    by_name, by_code, unknown, outside, ambiguous, told_apart, missing = check(
        person(DESA="SUMUR PECUNG"),
        person(NIK=None, DESA="3673011003"),
        person(NIK=None, DESA="Antah Berantah"),
        person(NIK=None, DESA="36.04.05.2001"),
        person(NIK=None, DESA="Sukawana"),
        person(NIK=None, DESA="Sukawana", KECAMATAN="Curug"),
        person(NIK=None, DESA=None),
    )
    assert by_name.values["kelurahan_code"] == by_code.values["kelurahan_code"] == "36.73.01.1003"
    assert codes(unknown) == {"nik.empty": "warning", "kelurahan_code.unknown": "error"}
    issue = next(i for i in unknown.issues if i.field == "kelurahan_code")
    assert issue.column == "DESA" and issue.value == "Antah Berantah"
    assert "Kolom 'DESA': kelurahan 'Antah Berantah' tidak dikenal" in issue.message_id
    assert codes(outside)["kelurahan_code.outside_region"] == "error"
    assert codes(ambiguous)["kelurahan_code.ambiguous"] == "error"
    assert told_apart.ok and told_apart.values["kelurahan_code"] == "36.73.04.1007"
    assert codes(missing)["kelurahan_code.missing"] == "error"
    assert all(not r.ok for r in (unknown, outside, ambiguous, missing))


def test_it_uses_the_default_kelurahan_and_checks_it():
    context = ValidationContext(today=TODAY, default_kelurahan="Cipare")
    (result,) = check({"NIK": HEAD, "NAMA": "Budi"}, context=context)
    assert result.ok and result.values["kelurahan_code"] == "36.73.01.1002"
    with pytest.raises(ValueError, match="Antah"):
        check(person(), context=ValidationContext(default_kelurahan="Antah"))
    other_city = ValidationContext(region_code="36.04", today=TODAY)
    (outside,) = check(person(), context=other_city)
    assert codes(outside)["kelurahan_code.unknown"] == "error"  # Cipare is not in Kabupaten Serang


def test_it_rejects_desil_outside_1_to_10_and_reads_flags():
    bad, flags = check(
        person(DESIL="11"),
        person(NIK=WIFE, NAMA="Siti", JK="P", TGL_LAHIR="05-03-1988", DESIL="Desil 1",
               miskin_ekstrem="Ya", k1_kepala_tidak_bekerja="1", k8_listrik_450_atau_tanpa="0", RT="1",
               hamil="1", disabilitas="Tuna Daksa", status_art="Meninggal", tanggal_status="03-02-2025",
               HUBUNGAN="Istri/Suami"),
    )  # fmt: skip
    assert not bad.ok and codes(bad) == {"desil.range": "error"}
    assert bad.issues[0].message_id == "Kolom 'DESIL': desil 11 di luar 1–10"
    values = flags.values
    assert flags.ok, flags.issues
    assert (values["desil"], values["extreme_poor"], values["k1_head_not_working"]) == (1, True, True)
    assert values["k8_low_electricity"] is False and values["rt"] == "001" and values["pregnant"] is True
    assert (values["disability"], values["disability_type"]) == (True, "Tuna Daksa")
    assert values["status"] == "meninggal" and values["death_date"] == dt.date(2025, 2, 3)
    assert values["relationship"] == "istri"  # "Istri/Suami" decided by sex


def test_it_warns_about_unknown_codes_but_keeps_the_row():
    (result,) = check(
        person(JK="X", HUBUNGAN="Tetangga", status_art="Entah", hamil="mungkin", tanggal_status="x")
    )
    assert result.ok
    assert codes(result) == {
        "sex.unknown": "warning", "relationship.unknown": "warning", "status.unknown": "warning",
        "pregnant.not_boolean": "warning", "status_date.unreadable": "warning",
    }  # fmt: skip
    assert result.values["relationship"] == "lainnya" and result.values["sex"] is None


def test_it_groups_rows_into_families_by_source_id_then_kk():
    with_id, without_id, nothing = check(
        person(**{"ID Keluarga": "F1"}),
        wife(),
        person(NIK=None, **{"No KK": None, "ID Keluarga": "F2", "ID ART": "A9"}),
    )
    assert with_id.family_key == "id:F1" and without_id.family_key == f"kk:{KK}"
    assert nothing.family_key == "id:F2"
    assert nothing.person_key == "A9"
    assert not nothing.ok  # neither NIK nor KK


def test_it_cuts_overlong_text_with_a_warning_and_rejects_overlong_ids():
    (result,) = check(person(ALAMAT="JL. " * 80, **{"ID ART": "X" * 41}))
    assert len(result.values["address"]) == 200
    assert codes(result) == {"address.too_long": "warning", "person_id.too_long": "error"}


def test_it_validates_the_messy_p3ke_sheet_line_by_line(p3ke_results):
    assert set(p3ke_results) == set(P3KE_EXPECTED)
    for line, expected in P3KE_EXPECTED.items():
        result = p3ke_results[line]
        assert set(codes(result)) == expected, (line, result.issues)
        assert result.ok == (not expected or line in P3KE_WARNING_ONLY), line
        for issue in result.issues:
            assert isinstance(issue, FieldIssue) and issue.message_id and issue.message_en
            if issue.column:
                assert issue.message_id.startswith(f"Kolom '{issue.column}': ")


def test_it_reads_the_messy_p3ke_values(p3ke_results):
    dates = {
        line: p3ke_results[line].values["birth_date"] for line in (15, 16, 17, 18, 19, 20, 21, 22, 23, 27)
    }
    assert dates == {
        15: dt.date(1985, 8, 17), 16: dt.date(1988, 3, 5), 17: dt.date(2010, 8, 17), 18: dt.date(1979, 5, 25),
        19: dt.date(1982, 1, 9), 20: dt.date(1985, 8, 17), 21: dt.date(1990, 8, 17), 22: dt.date(1950, 8, 17),
        23: dt.date(1975, 8, 17), 27: dt.date(1980, 8, 17),
    }  # fmt: skip
    kelurahan = {line: p3ke_results[line].values["kelurahan_code"] for line in (15, 18, 20, 23, 27)}
    assert kelurahan == {
        15: "36.73.01.1003", 18: "36.73.01.1002", 20: "36.73.01.1005", 23: "36.73.01.1010",
        27: "36.73.01.1008",
    }  # fmt: skip
    assert p3ke_results[22].values["status"] == "meninggal"
    assert p3ke_results[15].values["extreme_poor"] is True
    assert p3ke_results[15].family_key == p3ke_results[16].family_key == "id:P3KE-367301-0001"
    assert p3ke_results[17].issues[0].column == "NIK"
    assert p3ke_results[18].issues[0].column == "No. KK"
    assert "baris 15" in p3ke_results[24].issues[0].message_id


def test_it_maps_and_validates_the_dtks_file():
    results = run(DTKS)
    assert len(results) == 10 and all(r.ok for r in results), [r.issues for r in results if r.issues]
    assert [r.values["relationship"] for r in results[:3]] == ["kepala", "istri", "anak"]
    assert results[0].values["kelurahan_code"] == "36.73.01.1006"
    assert results[0].values["sex"] == "L" and results[1].values["sex"] == "P"
    assert results[0].values["rt"] == "001" and results[8].values["rt"] == "002"
    assert results[0].family_key == "id:3673010000001"
    assert results[8].values["birth_date"] == dt.date(1984, 2, 29)


def test_it_validates_the_clean_dtsen_file_without_issues():
    results = run(DTSEN)
    assert len(results) == 40
    assert all(r.ok and not r.issues for r in results), [r.issues for r in results if r.issues]
    assert len({r.family_key for r in results}) == 10
    assert len({r.person_key for r in results}) == 40
    dead = [r for r in results if r.values["status"] == "meninggal"]
    assert len(dead) == 1 and dead[0].values["death_date"] == dt.date(2025, 3, 14)
    assert {r.values["kelurahan_code"][:5] for r in results} == {"36.73"}


def test_it_streams_and_summarises():
    rows = (
        RawRow(n, {"NIK": None, "NAMA": f"ORANG {n}", "DESA": "Cipare", "No KK": KK}) for n in range(2, 5002)
    )
    results = validate_rows(
        rows, map_columns(["NIK", "NAMA", "DESA", "No KK"]), ValidationContext(today=TODAY)
    )
    assert iter(results) is results  # lazy
    assert summarise(results) == {"rows": 5000, "ok": 5000, "rejected": 0, "errors": 0, "warnings": 5000}


def test_it_gives_issue_dicts_for_json():
    (result,) = check(person(NIK=None))
    as_dict = result.issues[0].to_dict()
    assert as_dict["code"] == "nik.empty" and as_dict["column"] == "NIK" and as_dict["field"] == "nik"
    assert as_dict["message"] == f"{as_dict['message_id']} / {as_dict['message_en']}"
    assert by_line([result])[2] is result


def test_it_skips_template_rows_with_only_a_running_number():
    rows = [RawRow(2, {"No": "1", "NIK": HEAD, "NAMA": "Budi", "DESA": "Cipare"}),
            RawRow(3, {"No": "2", "NIK": None, "NAMA": None, "DESA": None}),
            RawRow(4, {"No": "3", "NIK": "", "NAMA": " ", "DESA": "-"})]  # fmt: skip
    mapping = map_columns(["No", "NIK", "NAMA", "DESA"])
    assert [r.line for r in validate_rows(rows, mapping, ValidationContext(today=TODAY))] == [2]


def test_it_decides_istri_or_suami_by_the_nik_when_sex_is_missing():
    (result,) = check(wife(JK=None, HUBUNGAN="Istri/Suami"), source="dtks")
    assert result.values["relationship"] == "istri"
    assert result.values["sex"] is None
