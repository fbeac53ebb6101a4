"""``padu worker``: runs queued background tasks (django-tasks database backend)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Jalankan pekerja tugas latar belakang (impor, hitung ulang peringkat, ekspor). / "
        "Run the background task worker (imports, ranking recomputation, exports)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue-name",
            default="default",
            help="Antrean yang diproses, dipisah koma; '*' untuk semua / "
            "queues to process, comma-separated; '*' for all "
            "(default: %(default)s)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Detik menunggu bila antrean kosong / seconds to wait when the "
            "queue is empty (default: %(default)s)",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Proses semua tugas yang menunggu lalu berhenti / process all waiting tasks, then exit",
        )
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=None,
            help="Berhenti setelah sekian tugas / stop after this many tasks",
        )

    def handle(
        self,
        *args: Any,
        queue_name: str,
        interval: float,
        batch: bool,
        max_tasks: int | None,
        **options: Any,
    ) -> None:
        kwargs: dict[str, Any] = {
            "queue_name": queue_name,
            "interval": interval,
            "batch": batch,
            "reload": False,
            "verbosity": options.get("verbosity", 1),
        }
        if max_tasks is not None:
            kwargs["max_tasks"] = max_tasks
        call_command("db_worker", **kwargs)
