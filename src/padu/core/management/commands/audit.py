"""``padu audit``: the most recent audit log entries (read-only)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from padu.core.models import AuditAction, AuditLog


class Command(BaseCommand):
    help = "Tampilkan entri log audit terbaru. / Show the most recent audit log entries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help="Hanya pelaku ini (nama pengguna). / Only this actor (user name).")
        parser.add_argument(
            "--action", help="Hanya aksi ini / only this action: " + ", ".join(AuditAction.values)
        )
        parser.add_argument(
            "--object-type",
            help="Hanya jenis objek ini, mis. accounts.user. / Only this object type.",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=50,
            help="Jumlah entri (bawaan %(default)s). / Number of entries.",
        )
        parser.add_argument("--json", action="store_true", help="Keluaran JSON. / JSON output.")

    def handle(
        self,
        *args: Any,
        user: str | None,
        action: str | None,
        object_type: str | None,
        limit: int,
        json: bool,
        **options: Any,
    ) -> None:
        if action and action not in AuditAction.values:
            raise CommandError(
                f"--action: aksi {action!r} tidak dikenal / unknown action "
                f"(pilihan/choices: {', '.join(AuditAction.values)})"
            )
        if limit < 1:
            raise CommandError(f"--limit: harus 1 atau lebih / must be 1 or more: {limit}")
        qs = AuditLog.objects.order_by("-at", "-id")
        if user:
            qs = qs.filter(actor_username=user)
        if action:
            qs = qs.filter(action=action)
        if object_type:
            qs = qs.filter(object_type=object_type)
        entries = list(qs[:limit])
        if json:
            self.stdout.write(_dumps([_entry(e) for e in entries]))
            return
        if not entries:
            self.stdout.write("Tidak ada entri / no entries")
            return
        for e in entries:
            obj = f"{e.object_type}#{e.object_id}" if e.object_id else e.object_type
            parts = [
                f"{e.at:%Y-%m-%d %H:%M:%S}",
                e.actor_username or "(sistem/system)",
                e.action,
                obj or "-",
                e.object_repr,
                e.ip_address or "",
            ]
            if e.detail:
                parts.append(_dumps(e.detail, indent=None))
            self.stdout.write("  ".join(p for p in parts if p))


def _entry(e: AuditLog) -> dict[str, Any]:
    return {
        "id": e.id,
        "at": e.at.isoformat(),
        "actor": e.actor_username,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "object_repr": e.object_repr,
        "before": e.before,
        "after": e.after,
        "detail": e.detail,
        "ip_address": e.ip_address,
    }


def _dumps(value: Any, indent: int | None = 2) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=str)
