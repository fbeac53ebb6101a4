"""``padu demo``: the Kota Serang demo city — regions, OPDs, one login per role, and a registry loaded
from a synthetic DTSEN-style export (generated here or taken from a folder written by ``padu generate``).

Idempotent: running it again resets the demo passwords and loads nothing twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Min

from padu.accounts import services as accounts
from padu.accounts.models import Opd, Role, User
from padu.registry.models import WelfareRecord
from padu.wilayah.models import Level, Region

DEMO_PASSWORD = "padu-demo-2026"
DEMO_PERIOD = "2026-09"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str


def _demo_users() -> list[dict[str, Any]]:
    code = settings.REGION_CODE
    first_kec = Region.objects.filter(level=Level.KECAMATAN, parent_id=code).aggregate(c=Min("code"))["c"]
    first_kel = (
        Region.objects.filter(level=Level.DESA, parent_id=first_kec).aggregate(c=Min("code"))["c"]
        if first_kec
        else None
    )
    users: list[dict[str, Any]] = [
        {"username": "admin", "role": Role.ADMIN, "full_name": "Admin Bappeda"},
        {"username": "analis", "role": Role.ANALYST, "full_name": "Analis TKPK"},
        {"username": "dinsos", "role": Role.OPD_OPERATOR, "opd": "dinsos", "full_name": "Operator Dinsos"},
        {"username": "dinkes", "role": Role.OPD_OPERATOR, "opd": "dinkes", "full_name": "Operator Dinkes"},
        {"username": "pemantau", "role": Role.VIEWER, "full_name": "Pemantau Inspektorat"},
    ]
    if first_kec:
        users.append(
            {
                "username": "kecamatan",
                "role": Role.REGION_OPERATOR,
                "region_code": first_kec,
                "full_name": "Operator Kecamatan",
            }
        )
    if first_kel:
        users.append(
            {
                "username": "kelurahan",
                "role": Role.REGION_OPERATOR,
                "region_code": first_kel,
                "full_name": "Operator Kelurahan",
            }
        )
    return users


def ensure_demo_users(password: str = DEMO_PASSWORD) -> list[DemoLogin]:
    accounts.ensure_default_opds(actor=None)
    logins = []
    for spec in _demo_users():
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            user = accounts.user_create(actor=None, password=password, **spec)
        else:
            accounts.user_set_password(actor=None, user=user, password=password)
            if user.is_locked():
                accounts.user_unlock(actor=None, user=user)
        scope = ""
        if spec.get("opd"):
            scope = str(Opd.objects.get(code=spec["opd"]))
        elif spec.get("region_code"):
            region = Region.objects.get(code=spec["region_code"])
            scope = f"{region.label} ({region.code})"
        logins.append(DemoLogin(user.username, user.get_role_display(), scope))
    return logins


def demo_data_dir(persons: int, seed: int) -> Path:
    return Path(settings.DATA_DIR) / "demo" / f"serang-{persons}-{seed}"


def ensure_generated(persons: int, seed: int, progress: Callable[[int, int], None] | None = None) -> Path:
    from padu.synth.generate import generate

    out = demo_data_dir(persons, seed)
    if (out / "manifest.json").exists():
        return out
    generate(out, persons=persons, seed=seed, overwrite=True, progress=progress)
    return out


def load_registry(source_dir: Path, *, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Load the registry export of ``source_dir`` through the registry intake (``padu.ingest``) unless
    that file was loaded already for the demo period."""
    from padu.ingest import services as ingest
    from padu.ingest.models import BatchStatus, ImportBatch

    manifest = json.loads((source_dir / "manifest.json").read_text(encoding="utf-8"))
    registry_file = source_dir / "registry" / "dtsen_registry.csv"
    file_label = f"{registry_file.name} (seed {manifest.get('seed')}, {manifest.get('persons')} jiwa)"
    digest = hashlib.sha256()
    with registry_file.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    done = ImportBatch.objects.filter(
        sha256=digest.hexdigest(), period=DEMO_PERIOD, status=BatchStatus.COMMITTED
    ).exists()
    if done or WelfareRecord.objects.filter(imported_from=file_label).exists():
        return {"skipped": True, "file": file_label}
    batch = ingest.import_file(
        actor=None,
        path=registry_file,
        source="dtsen",
        period=DEMO_PERIOD,
        progress=(lambda n, _total: progress(n)) if progress is not None else None,
    )
    return {
        "skipped": False,
        "file": file_label,
        "batch": batch.pk,
        "families": int(batch.stats.get("families_new", 0)),
        "persons": int(batch.stats.get("persons_new", 0)),
        "rows": batch.rows,
        "rejected": batch.rejected,
    }


def load_programmes(source_dir: Path) -> dict[str, Any]:
    """The manifest's programmes (with their OPDs) and their beneficiary lists through the roll intake,
    for the period of the manifest's reference date. A list already committed (same file, same period)
    is not read again."""
    import time

    from padu.ingest.models import BatchStatus, ImportBatch
    from padu.programs import catalogue
    from padu.programs import services as programs

    started = time.monotonic()
    manifest = json.loads((source_dir / "manifest.json").read_text(encoding="utf-8"))
    specs = manifest.get("programmes") or []
    found = catalogue.ensure_programmes(specs)
    period = str(manifest.get("reference_date") or DEMO_PERIOD)[:7]
    rolls: dict[str, str] = {}
    for spec in specs:
        path = source_dir / spec["file"]
        if not path.exists():
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        done = ImportBatch.objects.filter(
            kind="roll",
            sha256=digest,
            period=period,
            status=BatchStatus.COMMITTED,
            target__programme=found[spec["code"]].pk,
        ).exists()
        if done:
            rolls[spec["code"]] = "skipped"
            continue
        batch = programs.roll_import(actor=None, programme=found[spec["code"]], period=period, path=path)
        rolls[spec["code"]] = batch.counts_line
    for spec in specs:  # a quota programme (not meant to reach every eligible unit): its list's size
        programme = found[spec["code"]]
        if spec.get("targeting") == "quota" and programme.quota is None:
            size = programme.rolls.filter(period=period).values_list("entries_count", flat=True).first()
            programs.programme_update(actor=None, programme=programme, quota=size or 1)
    return {
        "programmes": len(found),
        "period": period,
        "rolls": rolls,
        "seconds": round(time.monotonic() - started, 1),
    }


def link_lists() -> dict[str, Any]:
    """Train the linkage model (once) and link every list entry that has no link yet (``padu.linkage``);
    a re-run with nothing new links nothing."""
    import time

    from padu.linkage import services as linkage
    from padu.linkage.models import Link
    from padu.programs.models import RollEntry

    started = time.monotonic()
    trained = False
    if linkage.load_model() is None:
        linkage.train_model(actor=None)
        trained = True
    linked_now = 0
    if RollEntry.objects.filter(link__isnull=True).exists():
        linked_now = linkage.link_all(actor=None, only_unlinked=True).counts.get("left", 0)
    counts = dict(Link.objects.values_list("decision").annotate(n=Count("id")).order_by())
    return {
        "trained": trained,
        "linked_now": linked_now,
        "counts": counts,
        "seconds": round(time.monotonic() - started, 1),
    }


def run_targeting(period: str) -> dict[str, Any]:
    """Targeting of the lists' period after linking (``padu.targeting``); skipped when the period's latest
    finished run is newer than every linkage run, review decision and list change."""
    import time

    from django.db.models import Max

    from padu.linkage.models import Link, LinkRun
    from padu.programs.models import Roll
    from padu.targeting import services as targeting
    from padu.targeting.models import TargetingRun

    started = time.monotonic()
    last = TargetingRun.objects.filter(period=period, status="done").order_by("-created_at", "-id").first()
    changes = [
        LinkRun.objects.aggregate(m=Max("finished_at"))["m"],
        Link.objects.aggregate(m=Max("reviewed_at"))["m"],
        Roll.objects.filter(period=period).aggregate(m=Max("updated_at"))["m"],
    ]
    changed = max((c for c in changes if c is not None), default=None)
    skipped = last is not None and (changed is None or last.created_at >= changed)
    run = last if skipped and last is not None else targeting.run_targeting(period=period, actor=None)
    return {
        "period": period,
        "skipped": skipped,
        "total": run.total,
        "counts": run.counts,
        "rupiah_year": run.total_rupiah_year,
        "seconds": round(time.monotonic() - started, 1),
    }


def load_planning() -> dict[str, Any]:
    """A year of Musrenbang proposals, OPD ceilings, scenarios, lokasi prioritas and a draft RAT for the
    plan year after the demo period (``padu.planning.demo``; idempotent)."""
    from padu.planning.demo import ensure_demo_planning

    year = int(DEMO_PERIOD[:4]) + 1
    return {"year": year, **ensure_demo_planning(year=year, period=DEMO_PERIOD)}
