"""Background tasks of the intake (run by ``padu worker``): validation and commit of large files."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from padu.ingest import services
from padu.ingest.models import ImportBatch

log = logging.getLogger(__name__)


def _actor(user_id: int | None) -> Any:
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def _result(batch: ImportBatch) -> dict[str, Any]:
    return {
        "batch": batch.pk,
        "status": batch.status,
        "rows": batch.rows,
        "accepted": batch.accepted,
        "rejected": batch.rejected,
        "unchanged": batch.unchanged,
        "error": batch.error,
    }


@task()
def validate_batch_task(batch_id: int, user_id: int | None = None) -> dict[str, Any]:
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        services.validate_batch(actor=_actor(user_id), batch=batch)
    except Exception:
        log.exception("validasi impor #%s gagal / import validation failed", batch_id)
    return _result(batch)


@task()
def commit_batch_task(batch_id: int, user_id: int | None = None, retry: bool = False) -> dict[str, Any]:
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        services.commit_batch(actor=_actor(user_id), batch=batch, retry=retry)
    except Exception:
        log.exception("penyimpanan impor #%s gagal / import commit failed", batch_id)
    return _result(batch)


def enqueue(kind: str, *, batch: ImportBatch, user: Any, retry: bool = False) -> str:
    """Queue validation (``"validate"``) or commit (``"commit"``) of ``batch``; returns the task id."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    ImportBatch.objects.filter(pk=batch.pk).update(progress_phase=f"queued-{kind}", progress_done=0)
    if kind == "validate":
        result = validate_batch_task.enqueue(batch.pk, user_id)
    else:
        result = commit_batch_task.enqueue(batch.pk, user_id, retry)
    ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])
    return str(result.id)
