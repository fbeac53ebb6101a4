"""The generated documentation is complete and current (regenerate with ``make docs``)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from django.conf import settings

from padu.cli import COMMANDS, _help
from padu.config.env import VARIABLES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_it_documents_every_setting():
    assert settings.SECRET_KEY  # settings are loaded, so every variable is declared
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", text, flags=re.M))
    missing = sorted(set(VARIABLES) - documented)
    assert not missing, f"docs/settings.md lacks {missing}: run `make docs`"
    stale = sorted(documented - set(VARIABLES))
    assert not stale, f"docs/settings.md documents unknown variables {stale}: run `make docs`"
    for name, var in VARIABLES.items():
        assert var.help, f"{name} has no help text in padu/config/settings.py"


def test_it_has_a_current_settings_table(gen_docs):
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    assert text == gen_docs.render_settings(), "docs/settings.md is out of date: run `make docs`"


def test_it_shows_padu_help_in_the_cli_reference():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert f"```text\n{_help()}\n```" in text, "docs/cli.md is out of date: run `make docs`"


def test_it_has_a_section_for_every_command(gen_docs):
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"\n## `padu {name}`\n" in text, f"docs/cli.md lacks `padu {name}`: run `make docs`"
    assert text == gen_docs.render_cli(), "docs/cli.md is out of date: run `make docs`"


@pytest.mark.parametrize("name", [
    "index.md", "architecture.md", "settings.md", "cli.md", "privacy.md", "benchmarks.md",
    "adr/0001-django-monolith.md", "adr/0002-sqlite-default-postgresql-multiuser.md",
    "adr/0003-region-code-as-primary-key.md", "adr/0004-append-only-audit.md",
    "adr/0005-no-cdn-vendored-assets.md",
])
def test_it_has_the_documentation_page(name):
    assert (DOCS / name).read_text(encoding="utf-8").startswith("# ")


def test_it_links_only_to_pages_that_exist():
    pages = [ROOT / "README.md", ROOT / "AGENTS.md", *DOCS.rglob("*.md")]
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to {target}"
