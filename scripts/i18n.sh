#!/usr/bin/env bash
# Update the translation catalogues from the source (Bahasa Indonesia) strings, then compile them.
#
#   scripts/i18n.sh          makemessages -l en -l id, un-fuzzy the headers, compile .mo (if msgfmt)
#   scripts/i18n.sh --todo   only list English entries that are untranslated or fuzzy
#
# Source strings are Bahasa Indonesia; src/padu/locale/en holds the English translations and
# src/padu/locale/id stays an identity catalogue (empty msgstr falls back to the source string).
# msgmerge's fuzzy guesses are emptied (they are usually wrong). Then translate what it lists, either
# by editing src/padu/locale/en/LC_MESSAGES/django.po or with
#   python scripts/po.py fill src/padu/locale/en/LC_MESSAGES/django.po en.json   ({"msgid": "English"};
#   a list of forms for plural entries), and run `make compilemessages`.
# It exits 1 while entries are untranslated; tests/test_i18n.py fails likewise. Needs gettext's
# xgettext/msgmerge (apt-get install gettext); compiling does not.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${PADU_VENV:-.venv}
case "$VENV" in /*) PY="$VENV/bin/python" ;; *) PY="$ROOT/$VENV/bin/python" ;; esac
[ -x "$PY" ] || PY=python3

if [ "${1:-}" != "--todo" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # Run from src/padu so that only the package is scanned; the data directory goes to a temp dir.
  (cd src/padu && PADU_DATA_DIR="$tmp" DJANGO_SETTINGS_MODULE=padu.config.settings \
     "$PY" -m django makemessages -l en -l id --no-obsolete --no-location \
       --ignore 'migrations/*' --ignore 'static/*' --ignore 'locale/*')
  "$PY" scripts/po.py fix-headers src/padu/locale/*/LC_MESSAGES/django.po
  "$PY" scripts/po.py clear-fuzzy src/padu/locale/*/LC_MESSAGES/django.po
  "$PY" scripts/po.py sync src/padu/locale/*/LC_MESSAGES/django.po
fi
"$PY" scripts/po.py todo src/padu/locale/en/LC_MESSAGES/django.po
