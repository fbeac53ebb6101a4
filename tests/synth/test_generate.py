"""padu.synth.generate: a deterministic, streaming synthetic Kota Serang with ground truth."""

from __future__ import annotations

import datetime as dt
import gc
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from padu.lib.nik import compose_nik
from padu.synth import DEFAULT_RATES, PROGRAMMES, FaultRates, GenerateError, check_arguments, generate
from padu.synth.population import read_wilayah

from .conftest import read_csv, read_list


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_it_writes_byte_identical_files_for_the_same_seed_and_size(tmp_path):
    generate(tmp_path / "a", 1_500, 3)
    generate(tmp_path / "b", 1_500, 3)
    generate(tmp_path / "c", 1_500, 4)
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert any(name.endswith(".xlsx") for name in a)
    assert a == b
    assert a["registry/dtsen_registry.csv"] != c["registry/dtsen_registry.csv"]


def test_it_writes_the_same_bytes_when_lists_are_written_in_a_second_process(tmp_path):
    generate(tmp_path / "inline", 1_200, 5, parallel=False)
    generate(tmp_path / "process", 1_200, 5, parallel=True)
    assert _files(tmp_path / "inline") == _files(tmp_path / "process")


def test_it_keeps_the_registry_independent_of_the_fault_rates(tmp_path):
    generate(tmp_path / "a", 800, 6)
    generate(tmp_path / "b", 800, 6, rates=FaultRates(non_resident=0.3, duplicate=0.2))
    registry = "registry/dtsen_registry.csv"
    assert (tmp_path / "a" / registry).read_bytes() == (tmp_path / "b" / registry).read_bytes()


def test_it_gives_every_registry_person_a_valid_unique_nik(registry):
    kecamatan = {r["code_plain"] for r in read_wilayah() if r["level"] == "3"}
    seen = set()
    for r in registry:
        nik = r["nik"]
        assert len(nik) == 16 and nik.isdigit(), nik
        assert nik not in seen
        seen.add(nik)
        assert nik[:6] in kecamatan
        born = dt.date.fromisoformat(r["tanggal_lahir"])
        assert compose_nik(nik[:6], born, r["jenis_kelamin"], int(nik[12:])) == nik
    nik_module = sys.modules.get("padu.lib.nik")
    parse = getattr(nik_module, "parse_nik", None)
    if parse is not None:  # the shared validator agrees: 100 % valid, no warnings
        bad = [
            r["nik"]
            for r in registry
            if not (
                res := parse(
                    r["nik"],
                    record_birth_date=dt.date.fromisoformat(r["tanggal_lahir"]),
                    record_sex=r["jenis_kelamin"],
                    today=dt.date(2025, 6, 30),
                )
            ).valid
            or res.warnings
        ]
        assert bad == []


def test_it_places_everyone_in_real_kota_serang_kelurahan(registry):
    kelurahan = {r["code"]: r["name"] for r in read_wilayah() if r["parent_code"].startswith("36.73.")}
    assert len(kelurahan) == 67
    used = {r["kode_kelurahan"]: r["nama_kelurahan"] for r in registry}
    assert set(used) == set(kelurahan)  # 5,000 persons reach all 67
    assert all(kelurahan[code] == name for code, name in used.items())
    sizes = Counter(r["kode_kelurahan"] for r in registry)
    assert max(sizes.values()) > 2.5 * min(sizes.values())  # sizes vary
    for r in registry:
        assert r["kode_kelurahan"].startswith(r["kode_kecamatan"] + ".")
        assert r["rt"].isdigit() and len(r["rt"]) == 3 and r["rw"].isdigit() and len(r["rw"]) == 3
        assert r["alamat"].startswith(("Jl.", "Kp.", "Link.", "Perum", "Komp."))


def test_it_includes_migrants_registered_elsewhere(registry):
    other_kec = [
        r for r in registry if r["nik"][:4] == "3673" and r["nik"][:6] != r["kode_kecamatan"].replace(".", "")
    ]
    other_kab = [r for r in registry if r["nik"][:4] != "3673"]
    assert 0.04 < len(other_kec) / len(registry) < 0.2
    assert 0.04 < len(other_kab) / len(registry) < 0.25
    kab = Counter(r["nik"][:4] for r in other_kab)
    assert "3604" in kab and ("3601" in kab or "3602" in kab) and any(k.startswith("31") for k in kab)


def test_it_builds_plausible_families(registry, manifest):
    families: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in registry:
        families[r["id_keluarga"]].append(r)
    assert 3.4 < len(registry) / len(families) < 4.2
    desil = Counter()
    for members in families.values():
        heads = [m for m in members if m["hubungan_keluarga"] == "Kepala Keluarga"]
        assert len(heads) == 1
        assert len({m["no_kk"] for m in members}) == 1 and len({m["desil"] for m in members}) == 1
        kk = members[0]["no_kk"]
        assert len(kk) == 16 and kk[:6] == members[0]["kode_kecamatan"].replace(".", "")
        desil[int(members[0]["desil"])] += 1
        for m in members:
            if m["hubungan_keluarga"] == "Anak" and any(x["hubungan_keluarga"] == "Istri" for x in members):
                wives = {x["nama"] for x in members if x["hubungan_keluarga"] == "Istri"}
                assert m["nama_ibu_kandung"] in wives
    n = sum(desil.values())
    assert 0.08 < desil[1] / n < 0.18
    assert sum(desil[d] for d in range(1, 5)) / n > 0.4
    assert {r["status_art"] for r in registry} == {"aktif", "meninggal", "pindah"}
    assert all(bool(r["tanggal_status"]) == (r["status_art"] != "aktif") for r in registry)
    extreme = [int(f[0]["desil"]) for f in families.values() if f[0]["miskin_ekstrem"] == "1"]
    assert extreme and Counter(extreme)[1] / len(extreme) > 0.7
    assert manifest["counts"]["persons"] == len(registry) and manifest["counts"]["families"] == len(families)


def test_it_injects_faults_at_roughly_the_configured_rates(city, manifest):
    faults = read_csv(city / "truth" / "list_faults.csv")
    rows = manifest["counts"]["list_rows"]
    by_type = Counter(f["fault_type"] for f in faults)
    r = DEFAULT_RATES
    for kind in (
        "name_typo",
        "name_nickname",
        "nik_wrong_digit",
        "birth_date_wrong",
        "graduated",
        "non_resident",
        "duplicate",
    ):
        rate = by_type[kind] / rows
        assert 0.5 * getattr(r, kind) < rate < 1.6 * getattr(r, kind), (kind, rate)
    assert by_type["died"] > 0 and by_type["moved"] > 0 and by_type["double_receipt"] > 0
    assert by_type["name_title"] > 0 and by_type["name_muhammad_variant"] > 0 and by_type["name_swapped"] > 0
    assert by_type["nik_transposed"] > 0 and by_type["nik_missing"] > 0 and by_type["nik_excel_damage"] > 0
    assert manifest["counts"]["faults_by_type"] == {k: by_type[k] for k in manifest["fault_types"]}


def test_it_records_truth_that_matches_the_list_files(city, manifest, registry):
    person = {r["id_art"]: r for r in registry}
    registry_niks = {r["nik"] for r in registry}
    identities = read_csv(city / "truth" / "list_identities.csv")
    faults: dict[tuple[str, int], set[str]] = defaultdict(set)
    for f in read_csv(city / "truth" / "list_faults.csv"):
        faults[(f["programme"], int(f["row_number"]))].add(f["fault_type"])
    by_programme = defaultdict(list)
    for i in identities:
        by_programme[i["programme"]].append(i)
    assert len(manifest["programmes"]) == 12
    for meta in manifest["programmes"]:
        header, rows = read_list(city, meta)
        assert header == meta["columns"]
        ids = by_programme[meta["code"]]
        assert len(rows) == len(ids) == meta["rows"] > 0, meta["code"]
        nik_col = header.index(meta["column_mapping"]["nik"])
        for n, (row, ident) in enumerate(zip(rows, ids, strict=True), start=1):
            assert int(ident["row_number"]) == n and ident["list_file"] == meta["file"]
            assert int(ident["file_row"]) == meta["header_row"] + n
            if "no" in meta["column_mapping"]:
                assert int(row[header.index(meta["column_mapping"]["no"])]) == n
            kinds = faults[(meta["code"], n)]
            value = row[nik_col]
            text = "" if value is None else (str(int(value)) if isinstance(value, float) else str(value))
            if "non_resident" in kinds:
                assert ident["id_art"] == "" and text not in registry_niks
                continue
            assert ident["id_art"] in person
            true_nik = person[ident["id_art"]]["nik"]
            if "nik_missing" in kinds:
                assert text in ("", "-")
            elif kinds & {"nik_wrong_digit", "nik_transposed", "nik_excel_damage"}:
                assert text != true_nik
            elif meta["nik_numeric"]:
                assert text == true_nik[:15] + "0" and true_nik.endswith("0")
            else:
                assert text == true_nik, (meta["code"], n)
    for code, n in faults:
        assert n <= len(by_programme[code])


def test_it_records_stale_list_faults_against_the_registry(city, registry):
    person = {r["id_art"]: r for r in registry}
    seen = Counter()
    for f in read_csv(city / "truth" / "list_faults.csv"):
        p = person.get(f["id_art"])
        if f["fault_type"] == "graduated":
            assert int(p["desil"]) >= 5
        elif f["fault_type"] == "died":
            assert p["status_art"] == "meninggal"
        elif f["fault_type"] == "moved":
            assert p["status_art"] == "pindah"
        elif f["fault_type"] == "duplicate":
            seen[(f["programme"], f["id_art"])] += 1
    identities = Counter(
        (i["programme"], i["id_art"]) for i in read_csv(city / "truth" / "list_identities.csv")
    )
    for key, dups in seen.items():
        assert identities[key] >= dups + 1  # the same person really is there again


def test_it_records_exclusion_only_for_eligible_units_not_on_the_list(city, registry):
    person = {r["id_art"]: r for r in registry}
    on_list = {(i["programme"], i["id_art"]) for i in read_csv(city / "truth" / "list_identities.csv")}
    rules = {p.code: p for p in PROGRAMMES}
    excluded = read_csv(city / "truth" / "exclusion.csv")
    assert {e["programme"] for e in excluded} >= {"pkh", "bpnt", "pbi_jk", "pip", "lansia"}
    for e in excluded:
        assert (e["programme"], e["id_art"]) not in on_list
        p = person[e["id_art"]]
        assert p["status_art"] == "aktif" and rules[e["programme"]].targeting == "entitlement"
        desil_rule = next(c for c in rules[e["programme"]].eligibility if c.field == "desil")
        assert int(p["desil"]) <= desil_rule.value


def test_it_stores_nik_as_damaged_numbers_in_the_numeric_excel_list(city, manifest):
    meta = next(p for p in manifest["programmes"] if p["nik_numeric"])
    assert meta["format"] == "xlsx"
    header, rows = read_list(city, meta)
    values = [r[header.index(meta["column_mapping"]["nik"])] for r in rows]
    numbers = [v for v in values if isinstance(v, int | float)]
    assert len(numbers) > 0.9 * len(values)
    assert all(int(v) % 10 == 0 and len(str(int(v))) == 16 for v in numbers)


def test_it_writes_a_manifest_describing_every_file_and_programme(city, manifest):
    assert manifest["seed"] == 11 and manifest["persons"] == 5_000
    for f in manifest["files"]:
        assert (city / f["path"]).is_file()
    keys = {
        "code",
        "name",
        "opd",
        "unit",
        "funding_source",
        "strategy",
        "benefit_value_rp",
        "benefit_frequency",
        "eligibility",
        "file",
        "format",
        "columns",
        "column_mapping",
        "date_format",
        "header_row",
        "rows",
    }
    codes = set()
    for p in manifest["programmes"]:
        assert keys <= set(p), p["code"]
        assert p["unit"] in ("person", "family") and p["eligibility"]
        assert {"nik", "name"} <= set(p["column_mapping"])
        codes.add(p["code"])
    assert {"pkh", "bpnt", "pbi_jk", "pbi_apbd", "pip", "rtlh", "blt", "pmt_balita", "lansia"} <= codes
    assert {p["format"] for p in manifest["programmes"]} == {"csv", "xlsx"}
    assert any(p["title_rows"] for p in manifest["programmes"])
    assert "id_art" in manifest["registry"]["columns"]


def test_it_keeps_memory_flat_as_persons_grow(tmp_path, monkeypatch):
    """Live objects stay level while persons are generated (tracemalloc would take too long here;
    bench/bench_generate.py shows peak RSS at 100k vs 1M)."""
    monkeypatch.setattr(sys.modules["padu.synth.lists"], "BUFFER_ROWS", 100)
    samples: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        gc.collect()
        samples.append((done, len(gc.get_objects())))

    generate(tmp_path, 12_000, 2, progress=progress, parallel=False)
    counts = [n for done, n in samples if done >= 5_000]
    assert len(counts) >= 3
    assert max(counts) - min(counts) < 3_000, samples  # a leak of one object per person would add 7,000


def test_it_rejects_bad_arguments(tmp_path):
    for bad in (0, -3):
        with pytest.raises(GenerateError, match="positive integer"):
            check_arguments(bad, tmp_path / "x", False)
    with pytest.raises(GenerateError, match="at most"):
        check_arguments(10**9, tmp_path / "x", False)
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(GenerateError, match="--force"):
        generate(tmp_path, 50, 1)
    generate(tmp_path, 50, 1, overwrite=True)
    generate(tmp_path, 60, 1, overwrite=True)
    assert (tmp_path / "keep.txt").read_text() == "mine"
    assert (tmp_path / "manifest.json").is_file()


def test_it_writes_every_list_as_csv_above_the_xlsx_limit(tmp_path):
    result = generate(tmp_path, 400, 8, xlsx_max_persons=300)
    programmes = result.manifest["programmes"]
    assert {p["format"] for p in programmes} == {"csv"}
    meta = next(p for p in programmes if p["nik_numeric"])
    assert meta["declared_format"] == "xlsx" and meta["header_row"] == 1 and meta["title_rows"] == []
    header, rows = read_list(tmp_path, meta)
    niks = [r[header.index(meta["column_mapping"]["nik"])] for r in rows]
    assert all(n in ("", "-") or (len(n) == 16 and n.endswith("0")) for n in niks)
    identities = read_csv(tmp_path / "truth" / "list_identities.csv")
    assert {i["file_row"] for i in identities if i["programme"] == meta["code"]} == {
        str(n + 1) for n in range(1, len(rows) + 1)
    }


def test_it_reports_a_failing_list_process(tmp_path):
    from padu.synth.lists import ProcessSink, StageConfig

    (tmp_path / "file").write_text("not a directory")
    config = StageConfig(
        str(tmp_path / "file" / "out"), 1, DEFAULT_RATES, ("csv",) * 12, dt.date(2025, 6, 30)
    )
    sink = ProcessSink(config)
    with pytest.raises(RuntimeError, match="list writer failed"):
        sink.finish()
