"""The intake engine must stay importable and usable without Django (like padu.lib)."""

from __future__ import annotations

import subprocess
import sys

from tests.ingest_engine.helpers import DTSEN, P3KE


def test_it_keeps_the_engine_free_of_django(tmp_path):
    code = f"""
import sys
sys.modules["django"] = None  # any "import django..." now fails
import padu.ingest.engine as e
for path in ({str(DTSEN)!r}, {str(P3KE)!r}):
    with e.read_table(path) as table:
        results = list(e.validate_rows(table.rows, e.map_columns(table.columns), e.ValidationContext()))
        e.write_report({str(tmp_path / "r.xlsx")!r}, results, file_name="x", columns=table.columns)
bad = sorted(m for m in sys.modules if m.startswith("django.") or m.startswith("rest_framework"))
print(bad)
sys.exit(1 if bad else 0)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
