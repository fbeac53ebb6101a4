# Padu — the only commands a newcomer needs.
#
#   make demo     virtual environment + demo database + web server on http://127.0.0.1:8000
#   make test     every test: unit, database, browser (SQLite unless DATABASE_URL is set)
#   make lint     ruff, mypy, migrations check
#   make docs     regenerate docs/cli.md and docs/settings.md
#   make messages / make compilemessages   update / compile the translation catalogues
#
# Needs only Python >= 3.11 (python3 on PATH, or PYTHON=...). Browser tests need Debian's chromium
# (apt-get install chromium). Variables: PADU_VENV (default .venv), PADU_DATA_DIR (default var),
# HOST/PORT for `make demo`/`make serve`, DEMO_ARGS for `padu demo` (e.g. --persons 50000),
# PYTEST_ARGS for `make test`.

PYTHON ?= python3
PADU_VENV ?= .venv
PADU_DATA_DIR ?= var
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
DEMO_ARGS ?=

export PADU_DATA_DIR
export PIP_DISABLE_PIP_VERSION_CHECK = 1

VENV_BIN := $(PADU_VENV)/bin
PADU := $(VENV_BIN)/padu
STAMP := $(PADU_VENV)/.padu-installed
SPARK_STAMP := $(PADU_VENV)/.padu-spark-installed
PO_FILES := $(wildcard src/padu/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.DEFAULT_GOAL := help
.PHONY: help venv demo setup serve worker test lint docs messages compilemessages ci clean-demo

help:
	@echo "Padu"
	@echo "  make demo             siapkan dan jalankan demo / set up and run the demo (http://$(HOST):$(PORT))"
	@echo "  make test             jalankan semua tes / run every test"
	@echo "  make lint             ruff + mypy + cek migrasi / ruff + mypy + migrations check"
	@echo "  make docs             buat ulang docs/cli.md, docs/settings.md / regenerate them"
	@echo "  make messages         perbarui katalog terjemahan / update translation catalogues"
	@echo "  make compilemessages  kompilasi katalog / compile catalogues"
	@echo "  make ci               seperti CI / what CI runs (.ci/run)"

# The virtual environment, reinstalled only when pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Padu memerlukan Python >= 3.11 / Padu needs Python >= 3.11 (found " + sys.version.split()[0] + ")")'
	@test -x $(VENV_BIN)/python || $(PYTHON) -m venv $(PADU_VENV)
	$(VENV_BIN)/python -m pip install --quiet --upgrade pip
	$(VENV_BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# The tests also run the linkage engine on Apache Spark (local mode): the `spark` extra (PySpark,
# about 450 MB) is installed for `make test` only, so `make demo` stays quick.
$(SPARK_STAMP): $(STAMP)
	$(VENV_BIN)/python -m pip install --quiet -e '.[dev,spark]'
	@touch $@

venv: $(STAMP)

# .mo files are committed. When a .po is newer, scripts/po.py (standard library only) recompiles
# the .mo, with gettext's msgfmt where installed, and only if its messages really changed.
%.mo: %.po
	@$(PYTHON) scripts/po.py sync $<

compilemessages: $(MO_FILES)

messages: $(STAMP)
	PADU_VENV=$(PADU_VENV) bash scripts/i18n.sh

setup: $(STAMP) $(MO_FILES)
	$(PADU) setup

# `padu demo` runs `padu setup` itself (migrations, regions, boundaries), then builds the demo city.
demo: $(STAMP) $(MO_FILES)
	$(PADU) demo $(DEMO_ARGS)
	@echo
	@echo "== Padu demo: buka / open http://$(HOST):$(PORT)/akun/masuk/ (login di atas / logins above) =="
	$(PADU) serve --host $(HOST) --port $(PORT)

serve: $(STAMP) $(MO_FILES)
	$(PADU) serve --host $(HOST) --port $(PORT)

worker: $(STAMP)
	$(PADU) worker

test: $(SPARK_STAMP) $(MO_FILES)
	@test -x /usr/bin/chromium || test -n "$${PADU_CHROMIUM:-}" || \
	  echo "PERINGATAN/WARNING: chromium not found: apt-get install chromium (browser tests will FAIL)"
	$(VENV_BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	@status=0; \
	echo "ruff check src tests bench"; $(VENV_BIN)/ruff check src tests bench || status=1; \
	echo "mypy src/padu"; $(VENV_BIN)/mypy src/padu || status=1; \
	echo "padu manage makemigrations --check --dry-run"; \
	$(PADU) manage makemigrations --check --dry-run || status=1; \
	exit $$status

docs: $(STAMP)
	$(VENV_BIN)/python scripts/gen_docs.py

ci:
	bash .ci/run

clean-demo:
	rm -f $(PADU_DATA_DIR)/padu.sqlite3 $(PADU_DATA_DIR)/padu.sqlite3-wal $(PADU_DATA_DIR)/padu.sqlite3-shm
