"""``padu serve`` (waitress + whitenoise) and ``padu worker`` (django-tasks database backend)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus, task

pytestmark = pytest.mark.slow


def _env(data_dir: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("PADU_", "DJANGO_")) and k != "DATABASE_URL"}
    environ.update(DJANGO_SETTINGS_MODULE="padu.config.settings", PADU_DATA_DIR=str(data_dir),
                   PADU_DEBUG="0", PADU_SECRET_KEY="s" * 50, PYTHONUNBUFFERED="1")
    return environ


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_it_serves_pages_and_static_files_in_production_mode(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "padu", "serve", "--port", str(port), "--threads", "2"],
        env=_env(tmp_path), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = server.stdout.readline() + server.stdout.readline()  # type: ignore[union-attr]
        assert f"http://127.0.0.1:{port}/" in banner
        assert f"http://127.0.0.1:{port}/akun/masuk/" in banner
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/static/padu/padu.css")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert status == 200 and body  # whitenoise, from the finders, with DEBUG off
        assert _get(f"http://127.0.0.1:{port}/static/vendor/htmx.min.js")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_it_refuses_a_bad_port(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "padu", "serve", "--port", "70000"],
        env=_env(tmp_path), cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "Port tidak sah / invalid port" in result.stderr


def test_it_explains_serve_and_worker_in_both_languages(tmp_path):
    for command, words in [("serve", ["Jalankan server web", "Run the Padu web server"]),
                           ("worker", ["pekerja tugas latar belakang", "background task worker"])]:
        result = subprocess.run([sys.executable, "-m", "padu", command, "--help"],
                                env=_env(tmp_path), cwd=tmp_path, capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0, result.stderr
        text = " ".join(result.stdout.split())
        for word in words:
            assert word in text


@task()
def add(a: int, b: int) -> int:
    return a + b


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection as it goes
def test_it_runs_waiting_tasks_and_exits_in_batch_mode():
    result = add.enqueue(2, 3)
    call_command("worker", "--batch", "--interval", "0.1", verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5
