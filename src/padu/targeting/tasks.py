"""Background targeting runs (``padu worker``), started from the web."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from padu.targeting import services
from padu.targeting.models import TargetingRun

log = logging.getLogger(__name__)


@task()
def targeting_task(run_id: int, user_id: int | None = None) -> dict[str, Any]:
    run = TargetingRun.objects.get(pk=run_id)
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        services.run_targeting(period=run.period, actor=actor, run=run)
    except Exception:
        log.exception("penargetan #%s gagal / targeting run failed", run_id)
    run.refresh_from_db()
    return {"run": run.pk, "status": run.status, "total": run.total}


def enqueue(*, user: Any, period: str) -> TargetingRun:
    """A queued run of ``period`` handed to the worker."""
    run = services.start_run(period=period, actor=user)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    result = targeting_task.enqueue(run.pk, user_id)
    TargetingRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run
