"""Production settings pass Django's deployment checklist with no warning."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_it_passes_check_deploy_in_production(tmp_path):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("PADU_", "DJANGO_")) and k != "DATABASE_URL"}
    environ.update(
        DJANGO_SETTINGS_MODULE="padu.config.settings",
        PADU_DEBUG="0",
        PADU_SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        PADU_ALLOWED_HOSTS="padu.serangkota.go.id",
        PADU_HTTPS="1",
        PADU_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=environ, capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
