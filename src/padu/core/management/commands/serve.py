"""``padu serve``: the production-ready WSGI server (waitress) with static files from whitenoise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse


class Command(BaseCommand):
    help = (
        "Jalankan server web Padu (waitress); berkas statis dilayani whitenoise. / "
        "Run the Padu web server (waitress); static files are served by whitenoise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Alamat yang didengarkan / address to listen on (default: %(default)s)",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=8000,
            help="Port yang didengarkan / port to listen on (default: %(default)s)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=8,
            help="Jumlah thread pekerja / number of worker threads (default: %(default)s)",
        )

    def handle(self, *args: Any, host: str, port: int, threads: int, **options: Any) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"Port tidak sah / invalid port: {port}")
        if threads < 1:
            raise CommandError(f"Jumlah thread tidak sah / invalid thread count: {threads}")
        from waitress import serve

        # whitenoise serves from the finders (no collectstatic); it warns if STATIC_ROOT is absent.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

        from padu.config.wsgi import application

        shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
        if ":" in shown:
            shown = f"[{shown}]"
        login = reverse(settings.LOGIN_URL)
        self.stdout.write(
            f"Padu berjalan di / Padu is running at http://{shown}:{port}/\n"
            f"Masuk di / Log in at http://{shown}:{port}{login}\n"
            "Tekan Ctrl+C untuk berhenti / Press Ctrl+C to stop."
        )
        self.stdout.flush()
        serve(application, host=host, port=port, threads=threads, ident="Padu")
