"""Bahasa Indonesia is the source language; English is complete and a switch away.

When a test here fails after adding strings: run ``make messages``, translate what it lists in
``src/padu/locale/en/LC_MESSAGES/django.po``, then ``make compilemessages``.
"""

from __future__ import annotations

import ast
import gettext
import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "padu"
LOCALE = PACKAGE / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
SKIP_DIRS = {"migrations", "static", "locale", "__pycache__"}


@pytest.fixture(scope="module")
def po():
    spec = importlib.util.spec_from_file_location("po", ROOT / "scripts" / "po.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _sources(suffix: str):
    for path in sorted(PACKAGE.rglob(f"*{suffix}")):
        if not SKIP_DIRS & set(path.relative_to(PACKAGE).parts):
            yield path


def _python_msgids() -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for path in _sources(".py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in GETTEXT_NAMES):
                continue
            args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                    for a in node.args]
            if node.func.id.startswith("pgettext") and len(args) >= 2 and None not in args[:2]:
                found.add((args[0], args[1]))
            elif args and args[0] is not None and not node.func.id.startswith("pgettext"):
                found.add((None, args[0]))
    return found


TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')(.*?)%\}""")


def _template_msgids() -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for path in _sources(".html"):
        for match in TRANSLATE_TAG.finditer(path.read_text(encoding="utf-8")):
            msgid = match[1] if match[1] is not None else match[2]
            context = re.search(r"""context\s+["']([^"']*)["']""", match[3])
            found.add((context[1] if context else None, msgid))
    return found


def test_it_translates_every_english_entry(po):
    missing = [(e.msgid, "fuzzy" if e.fuzzy else "untranslated") for e in po.todo(EN_PO)]
    assert not missing, f"{EN_PO.relative_to(ROOT)}: {missing} (see scripts/i18n.sh --todo)"


def test_it_keeps_placeholders_in_translations(po):
    for entry in po.parse(EN_PO):
        if not entry.msgid or entry.obsolete:
            continue
        wanted = sorted(re.findall(r"%\(\w+\)[sd]|\{\w*\}", entry.msgid))
        for text in entry.msgstr.values():
            assert sorted(re.findall(r"%\(\w+\)[sd]|\{\w*\}", text)) == wanted, entry.msgid


def test_it_has_every_source_string_in_the_english_catalogue(po):
    catalogue = {(e.msgctxt, e.msgid) for e in po.parse(EN_PO) if not e.obsolete}
    used = _python_msgids() | _template_msgids()
    assert len(used) > 10
    missing = sorted(
        msgid for ctx, msgid in used
        if (ctx, msgid) not in catalogue and (ctx, msgid.replace("%", "%%")) not in catalogue
    )
    assert not missing, f"not in {EN_PO.relative_to(ROOT)}: {missing}: run `make messages`"


@pytest.mark.parametrize("language", ["en", "id"])
def test_it_has_compiled_catalogues_that_match_the_sources(po, tmp_path, language):
    source = LOCALE / language / "LC_MESSAGES" / "django.po"
    committed = source.with_suffix(".mo")
    assert committed.exists(), f"{committed} missing: run `make compilemessages`"
    copy = tmp_path / "django.po"
    shutil.copy(source, copy)
    fresh = po.compile_mo(copy)
    with committed.open("rb") as a, fresh.open("rb") as b:
        have, want = gettext.GNUTranslations(a)._catalog, gettext.GNUTranslations(b)._catalog
    have.pop("", None)
    want.pop("", None)
    assert have == want, f"{committed.relative_to(ROOT)} is stale: run `make compilemessages`"


@pytest.mark.django_db
def test_it_speaks_bahasa_indonesia_by_default(client):
    page = client.get("/akun/masuk/").content.decode()
    assert '<html lang="id">' in page
    assert "Masuk ke Padu" in page


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["cookie", "header"])
def test_it_speaks_english_when_asked(client, how):
    if how == "cookie":
        client.cookies["django_language"] = "en"
        response = client.get("/akun/masuk/")
    else:
        response = client.get("/akun/masuk/", headers={"accept-language": "en-US,en;q=0.9"})
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Log in to Padu" in page
    assert "Masuk ke Padu" not in page
