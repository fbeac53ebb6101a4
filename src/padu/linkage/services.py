"""Writes of the linkage app: train the model, link rolls, record reviewers' verdicts.

Keyword-only, transactional, audited (``padu.core.audit.record``). Volume (a city: ~220k list rows)
is written set-based: link rows by COPY/executemany, ``RollEntry.person``/``family`` by one UPDATE.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from padu.core import audit
from padu.core.models import AuditAction
from padu.ingest.commit import bulk_insert, db_value
from padu.linkage import engine, frames
from padu.linkage.choices import LINKED, Decision, RunStatus, Verdict
from padu.linkage.engine.link import weight
from padu.linkage.models import Link, LinkFinding, LinkRun, ReviewDecision, identity_key
from padu.linkage.resolve import candidates_by_left, resolve
from padu.programs.models import Roll, RollEntry

LINK_COLUMNS = (
    "entry_id",
    "person_id",
    "family_id",
    "probability",
    "match_weight",
    "stage",
    "decision",
    "evidence_text",
    "evidence",
    "run_id",
    "reviewed_by_id",
    "reviewed_at",
)
FINDING_COLUMNS = ("entry_id", "person_id", "kind", "run_id")


def model_path() -> Path:
    return Path(settings.DATA_DIR) / "linkage" / "model.json"


def cache_dir() -> Path:
    """Where the engine keeps the cleaned registry between runs (see ``engine.cache``)."""
    return Path(settings.DATA_DIR) / "linkage" / "cache"


def load_model() -> engine.Model | None:
    path = model_path()
    return engine.Model.load(path) if path.exists() else None


@transaction.atomic
def train_model(*, actor: Any = None, u_pairs: float = 3e5, seed: int = 1) -> engine.Model:
    """Train the engine on the registry and save it (``DATA_DIR/linkage/model.json``) with a version."""
    started = time.perf_counter()
    right, _families = frames.right_frame()
    if len(right) < 2:
        raise ValidationError(_("Registri kosong: model pencocokan tidak dapat dilatih."))
    model = engine.train(right, u_pairs=min(u_pairs, max(1000.0, len(right) * 20.0)), seed=seed)
    now = timezone.now()
    model.meta["version"] = f"{now:%Y%m%d-%H%M%S}-{len(right)}"
    model.meta["trained_at"] = now.isoformat()
    path = model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="linkage.model",
        object_id=model.meta["version"],
        object_repr=f"model pencocokan {model.meta['version']}",
        detail={
            "path": str(path),
            "registry_rows": len(right),
            "seconds": round(time.perf_counter() - started, 2),
        },
    )
    return model


def _rolls_for_all(*, only_unlinked: bool) -> list[int]:
    if only_unlinked:
        return sorted(set(RollEntry.objects.filter(link__isnull=True).values_list("roll_id", flat=True)))
    return list(Roll.objects.order_by("pk").values_list("pk", flat=True))


def start_run(*, actor: Any = None, roll: Roll | None = None) -> LinkRun:
    return LinkRun.objects.create(
        roll=roll, actor=actor if getattr(actor, "is_authenticated", False) else None
    )


def link_roll(*, actor: Any = None, roll: Roll, run: LinkRun | None = None) -> LinkRun:
    """Link one roll's entries to the registry (training the model first if none is saved)."""
    run = run or start_run(actor=actor, roll=roll)
    return _run(actor=actor, run=run, roll_ids=[roll.pk])


def link_all(
    *,
    actor: Any = None,
    run: LinkRun | None = None,
    only_unlinked: bool = False,
    progress: Callable[[str], None] | None = None,
) -> LinkRun:
    """Link every roll (``only_unlinked``: only rolls with entries that have no link yet, e.g. new
    uploads — what ``padu demo`` does on a re-run)."""
    run = run or start_run(actor=actor)
    return _run(actor=actor, run=run, roll_ids=_rolls_for_all(only_unlinked=only_unlinked), progress=progress)


def _run(
    *, actor: Any, run: LinkRun, roll_ids: list[int], progress: Callable[[str], None] | None = None
) -> LinkRun:
    LinkRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    try:
        _link(actor=actor, run=run, roll_ids=roll_ids, progress=progress)
    except Exception as exc:
        LinkRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    run.refresh_from_db()
    return run


def _verdicts(
    roll_ids: list[int], left: Any, rolls: dict[str, int]
) -> dict[str, dict[int, tuple[str, int | None, Any]]]:
    programme_of = dict(Roll.objects.filter(pk__in=roll_ids).values_list("pk", "programme_id"))
    decided: dict[tuple[int, str], dict[int, tuple[str, int | None, Any]]] = {}
    rows = ReviewDecision.objects.filter(programme_id__in=set(programme_of.values())).values_list(
        "programme_id", "entry_key", "person_id", "verdict", "actor_id", "decided_at"
    )
    for programme_id, key, person_id, verdict, actor_id, when in rows.iterator(chunk_size=5000):
        decided.setdefault((programme_id, key), {})[person_id] = (verdict, actor_id, when)
    if not decided:
        return {}
    out = {}
    for rid, nik, name, bd in left[["record_id", "id_number", "name", "birth_date"]].itertuples(
        index=False, name=None
    ):
        key = identity_key(str(nik or "").removesuffix(".0"), name, bd)
        hit = decided.get((programme_of[rolls[rid]], key))
        if hit:
            out[rid] = hit
    return out


@transaction.atomic
def _link(*, actor: Any, run: LinkRun, roll_ids: list[int], progress: Callable[[str], None] | None) -> None:
    say = progress or (lambda _text: None)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    model = load_model()
    if model is None:
        say("melatih model / training the model")
        t = time.perf_counter()
        model = train_model(actor=actor)
        timings["train"] = time.perf_counter() - t
    t = time.perf_counter()
    left, rolls = frames.left_frame(frames.entries_of(roll_ids))
    right, families = frames.right_frame()
    timings["read"] = time.perf_counter() - t
    say(f"mencocokkan / linking {len(left):,} x {len(right):,}")
    counts: dict[str, Any] = {"rolls": len(roll_ids), "left": len(left), "right": len(right)}
    thresholds = engine.Thresholds()
    if len(left) and len(right):
        result = engine.link(
            left, right, model=model, thresholds=thresholds, keep_candidates=True, cache_dir=cache_dir()
        )
        timings.update({f"engine_{k}": v for k, v in result.timings.items()})
        links, findings, cands = result.links, result.findings, result.candidates
        counts["findings"] = len(findings)
        # label-free calibration of the run (engine.posterior): NIK links counted, pi, expected false
        cal = result.calibration
        counts["calibration"] = {k: cal[k] for k in ("pairs", "pi", "expected_false_auto") if k in cal}
    else:
        links = pd.DataFrame(columns=engine.LINK_COLUMNS)
        findings, cands = None, None
        counts["findings"] = 0
    t = time.perf_counter()
    rows = resolve(
        links=links,
        entry_ids=list(left["record_id"]),
        verdicts=_verdicts(roll_ids, left, rolls),
        candidates=candidates_by_left(cands),
        min_weight=weight(thresholds.lower),
    )
    _write(run=run, rows=rows, families=families, findings=findings, roll_ids=roll_ids)
    timings["write"] = time.perf_counter() - t
    for decision in Decision.values:
        counts[decision] = sum(1 for r in rows if r.decision == decision)
    timings["total"] = time.perf_counter() - t0
    LinkRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        counts=counts,
        timings={k: round(v, 2) for k, v in timings.items()},
        model_version=str(model.meta.get("version", "")),
        model_path=str(model_path()),
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=run,
        object_repr=f"pencocokan #{run.pk}: {len(roll_ids)} daftar",
        detail={"rolls": roll_ids[:50], "counts": counts},
    )


def _write(
    *, run: LinkRun, rows: list[Any], families: dict[int, int | None], findings: Any, roll_ids: list[int]
) -> None:
    vendor = connection.vendor
    entries = RollEntry.objects.filter(roll_id__in=roll_ids).values("pk")
    Link.objects.filter(entry_id__in=entries)._raw_delete(Link.objects.db)  # no cascades hang on Link
    LinkFinding.objects.filter(entry_id__in=entries)._raw_delete(LinkFinding.objects.db)
    data = [
        (
            r.entry_id,
            r.person_id,
            families.get(r.person_id) if r.person_id else None,
            r.probability,
            r.match_weight,
            r.stage,
            r.decision,
            r.evidence_text[:300],
            db_value(r.evidence, vendor),
            run.pk,
            r.reviewed_by,
            db_value(r.reviewed_at, vendor) if r.reviewed_at else None,
        )
        for r in rows
    ]
    for start in range(0, len(data), 20_000):
        bulk_insert(Link, LINK_COLUMNS, data[start : start + 20_000])
    if findings is not None and len(findings):
        found = [
            (int(e), int(p) if p is not None and str(p) != "nan" else None, str(k), run.pk)
            for e, p, k in findings[["left_id", "right_id", "kind"]].itertuples(index=False, name=None)
        ]
        bulk_insert(LinkFinding, FINDING_COLUMNS, found)
    fill_entries(roll_ids=roll_ids)


def fill_entries(*, roll_ids: list[int]) -> int:
    """Set ``RollEntry.person``/``family`` from the auto and accepted links (one UPDATE)."""
    linked = Link.objects.filter(entry_id=OuterRef("pk"), decision__in=LINKED)
    return RollEntry.objects.filter(roll_id__in=roll_ids).update(
        person_id=Subquery(linked.values("person_id")[:1]), family_id=Subquery(linked.values("family_id")[:1])
    )


def entry_key_of(entry: RollEntry) -> str:
    return identity_key(entry.nik, entry.name, entry.birth_date)


@transaction.atomic
def record_review_decision(*, actor: Any, link: Link, verdict: str, request: Any = None) -> Link:
    """A reviewer's verdict on ``link`` (its entry and its proposed person). Stored per programme and
    entry identity, so the same pair is never asked again (also after a re-upload).

    ``accepted`` links the pair; ``not_same`` turns down this candidate only (re-linking proposes the
    entry's next candidate, for review); ``rejected`` turns down the row (no registry person is this
    recipient: re-linking proposes nobody, the row is listed as not found). See :mod:`.resolve`."""
    if verdict not in Verdict.values:
        raise ValidationError(_("Keputusan tidak dikenal."))
    found = Link.objects.restrict(actor, "change").select_related("entry__roll").filter(pk=link.pk).first()
    if found is None:
        raise PermissionDenied
    link = found
    if link.person_id is None:
        raise ValidationError(_("Baris ini tidak punya calon pasangan untuk diperiksa."))
    before = audit.snapshot(link)
    decision, _created = ReviewDecision.objects.update_or_create(
        programme_id=link.entry.roll.programme_id,
        entry_key=entry_key_of(link.entry),
        person_id=link.person_id,
        defaults={"verdict": verdict, "actor": actor if getattr(actor, "is_authenticated", False) else None},
    )
    now = timezone.now()
    user_id = decision.actor_id
    if verdict == Verdict.ACCEPTED:
        Link.objects.filter(pk=link.pk).update(
            decision=Decision.ACCEPTED, reviewed_by_id=user_id, reviewed_at=now
        )
    else:
        Link.objects.filter(pk=link.pk).update(
            decision=Decision.REJECTED, person=None, family=None, reviewed_by_id=user_id, reviewed_at=now
        )
    fill_one(link.entry_id)
    link.refresh_from_db()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=link,
        before=before,
        after=audit.snapshot(link),
        detail={"verdict": verdict, "person": decision.person_id, "programme": decision.programme_id},
        request=request,
    )
    return link


@transaction.atomic
def undo_review_decision(*, actor: Any, link: Link, request: Any = None) -> Link:
    """Withdraw the latest verdict on ``link``'s entry: the decision is deleted (audited, with what it
    was) and the pair it was about returns to the review queue."""
    found = Link.objects.restrict(actor, "change").select_related("entry__roll").filter(pk=link.pk).first()
    if found is None:
        raise PermissionDenied
    link = found
    decision = (
        ReviewDecision.objects.filter(
            programme_id=link.entry.roll.programme_id, entry_key=entry_key_of(link.entry)
        )
        .select_related("person")
        .order_by("-decided_at", "-pk")
        .first()
    )
    if decision is None:
        raise ValidationError(_("Tidak ada keputusan untuk dibatalkan pada baris ini."))
    before = audit.snapshot(link)
    withdrawn = {
        "verdict": decision.verdict,
        "person": decision.person_id,
        "programme": decision.programme_id,
        "decided_by": decision.actor_id,
        "decided_at": decision.decided_at.isoformat(),
    }
    decision.delete()
    Link.objects.filter(pk=link.pk).update(
        person_id=decision.person_id,
        family_id=decision.person.family_id,
        decision=Decision.REVIEW,
        reviewed_by=None,
        reviewed_at=None,
    )
    fill_one(link.entry_id)
    link.refresh_from_db()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=link,
        before=before,
        after=audit.snapshot(link),
        detail={"undo": withdrawn},
        request=request,
    )
    return link


def fill_one(entry_id: int) -> None:
    link = Link.objects.filter(entry_id=entry_id).values("person_id", "family_id", "decision").first()
    values = link if link is not None and link["decision"] in LINKED else {}
    RollEntry.objects.filter(pk=entry_id).update(
        person_id=values.get("person_id"), family_id=values.get("family_id")
    )
