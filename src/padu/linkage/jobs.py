"""Background linkage runs (``padu worker``): a roll, or every roll, started from the web."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from padu.linkage import services
from padu.linkage.models import LinkRun
from padu.programs.models import Roll

log = logging.getLogger(__name__)


@task()
def link_task(run_id: int, user_id: int | None = None) -> dict[str, Any]:
    run = LinkRun.objects.get(pk=run_id)
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        if run.roll_id:
            services.link_roll(actor=actor, roll=Roll.objects.get(pk=run.roll_id), run=run)
        else:
            services.link_all(actor=actor, run=run)
    except Exception:
        log.exception("pencocokan #%s gagal / linkage run failed", run_id)
    run.refresh_from_db()
    return {"run": run.pk, "status": run.status, "counts": run.counts}


def enqueue(*, user: Any, roll: Roll | None = None) -> LinkRun:
    """Create a queued run and hand it to the worker."""
    run = services.start_run(actor=user, roll=roll)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    result = link_task.enqueue(run.pk, user_id)
    LinkRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run
