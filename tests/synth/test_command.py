"""``padu generate``: the thin management command over padu.synth."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def test_it_generates_and_prints_a_summary(tmp_path):
    out = StringIO()
    call_command("generate", persons=300, seed=9, out=tmp_path / "city", no_progress=True, stdout=out)
    text = out.getvalue()
    assert "300 orang / persons" in text and "manifest.json" in text
    manifest = json.loads((tmp_path / "city" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["persons"] == 300 and manifest["seed"] == 9


def test_it_refuses_a_non_positive_size_in_both_languages(tmp_path):
    with pytest.raises(CommandError, match="harus bilangan bulat positif / persons must be a positive"):
        call_command("generate", persons=0, out=tmp_path / "x", no_progress=True)


def test_it_refuses_a_non_empty_directory_without_force(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match=r"tidak kosong.*--force"):
        call_command("generate", persons=50, out=tmp_path, no_progress=True)
    call_command("generate", persons=50, out=tmp_path, force=True, no_progress=True, stdout=StringIO())
    assert (tmp_path / "manifest.json").is_file() and (tmp_path / "old.txt").is_file()
