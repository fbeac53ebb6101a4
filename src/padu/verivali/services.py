"""Writes of the verivali workflow. Keyword-only, transactional, permission-checked, audited.

States: draft → submitted (kelurahan operator, with the Berita Acara and at least one decision or usulan)
→ verified (Dinsos) → approved (Bappeda; decisions are applied to the registry as history). Dinsos may
return a submitted batch and Bappeda a verified one, with a note: it goes back to draft for the kelurahan.
Every step is a ``Transition`` row and an audit entry. Refusals raise ``PermissionDenied``; bad values
raise ``ValidationError`` with messages in Bahasa Indonesia.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from padu.core import audit
from padu.core.models import AuditAction
from padu.lib.kk import parse_kk
from padu.lib.nik import normalise_number, parse_nik
from padu.registry.choices import Status
from padu.registry.models import Family, Membership, Person
from padu.verivali import periods
from padu.verivali import tasks as field_tasks
from padu.verivali.apply import apply_batch
from padu.verivali.choices import BatchState, Reason, TransitionAction, Verdict
from padu.verivali.models import Batch, Decision, FieldTask, Proposal, Transition
from padu.verivali.permissions import is_approver, is_kelurahan_operator, is_verifier, may_edit
from padu.verivali.uploads import check_upload

MAX_MEMBERS = 30

MSG_NOT_IN_SCOPE = _("Batch ini tidak berada dalam wilayah kerja Anda.")
MSG_ONLY_OPERATOR = _("Hanya operator kelurahan yang bersangkutan yang dapat mengubah batch ini.")
MSG_NOT_DRAFT = _("Batch sudah diajukan dan tidak dapat diubah lagi.")
MSG_FAMILY_ELSEWHERE = _("Keluarga ini tidak terdaftar di kelurahan batch ini.")


def current_period(today: dt.date | None = None) -> str:
    """The period a batch submitted today belongs to (cut-off ``PADU_VERIVALI_CUTOFF_DAY``)."""
    return periods.period_for(today or timezone.localdate(), settings.VERIVALI_CUTOFF_DAY)


# --------------------------------------------------------------------------------------------------
# Checks


def _locked(actor: Any, batch: Batch) -> Batch:
    """``batch`` re-read under a row lock, provided ``actor`` may see it."""
    if not Batch.objects.restrict(actor).filter(pk=batch.pk).exists():
        raise PermissionDenied(MSG_NOT_IN_SCOPE)
    return Batch.objects.select_for_update().get(pk=batch.pk)


def _editable(actor: Any, batch: Batch) -> Batch:
    batch = _locked(actor, batch)
    if not may_edit(actor, str(batch.kelurahan_id)):
        raise PermissionDenied(MSG_ONLY_OPERATOR)
    if batch.state != BatchState.DRAFT:
        raise ValidationError(MSG_NOT_DRAFT, code="not_draft")
    return batch


def _transition(
    *,
    batch: Batch,
    actor: Any,
    action: str,
    to_state: str,
    note: str = "",
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> Transition:
    from_state = batch.state
    batch.state = to_state
    batch.save(update_fields=["state", "period", "submitted_at", "applied_at", "updated_at"])
    row = Transition.objects.create(
        batch=batch,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=_display_name(actor),
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=batch,
        before={"state": from_state},
        after={"state": to_state},
        detail={"transition": action, "note": note, "period": batch.period, **(detail or {})},
        request=request,
    )
    return row


def _batch_snapshot(batch: Batch) -> dict[str, Any]:
    return {**audit.snapshot(batch), "berita_acara": batch.berita_acara.name or ""}


def _display_name(actor: Any) -> str:
    if actor is None:
        return "sistem"
    return (actor.get_full_name() or actor.username)[:150]


# --------------------------------------------------------------------------------------------------
# Batches


@transaction.atomic
def create_batch(
    *,
    actor: Any,
    kelurahan_code: str | None = None,
    musyawarah_date: dt.date | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> Batch:
    """A new draft batch for the actor's kelurahan (kelurahan operators only)."""
    if not is_kelurahan_operator(actor):
        raise PermissionDenied(_("Hanya operator kelurahan yang dapat membuat batch verivali."))
    code = kelurahan_code or str(actor.region_id)
    if code != str(actor.region_id):
        raise PermissionDenied(MSG_ONLY_OPERATOR)
    if musyawarah_date is not None and musyawarah_date > timezone.localdate():
        raise ValidationError({"musyawarah_date": _("Tanggal musyawarah tidak boleh di masa depan.")})
    batch = Batch.objects.create(
        kelurahan_id=code,
        period=current_period(),
        musyawarah_date=musyawarah_date,
        note=(note or "").strip(),
        created_by=actor,
    )
    Transition.objects.create(
        batch=batch,
        action=TransitionAction.CREATE,
        from_state="",
        to_state=BatchState.DRAFT,
        actor=actor,
        actor_name=_display_name(actor),
    )
    audit.record(
        actor=actor, action=AuditAction.CREATE, obj=batch, after=_batch_snapshot(batch), request=request
    )
    return batch


@transaction.atomic
def attach_berita_acara(
    *, actor: Any, batch: Batch, upload: Any, request: HttpRequest | None = None
) -> Batch:
    """Store the Berita Acara of the musyawarah (PDF/JPG/PNG, checked) under ``MEDIA_ROOT/verivali/``.

    A replaced file stays on disk; its checksum stays in the audit log.
    """
    batch = _editable(actor, batch)
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"berita_acara": exc.error_list}) from exc
    before = {"sha256": batch.berita_acara_sha256 or None, "name": batch.berita_acara.name or None}
    batch.berita_acara.save(f"berita_acara{checked.extension}", upload, save=False)
    batch.berita_acara_name = str(upload.name)[:200]
    batch.berita_acara_type = checked.content_type
    batch.berita_acara_size = checked.size
    batch.berita_acara_sha256 = checked.sha256
    batch.berita_acara_at = timezone.now()
    batch.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=batch,
        before=before,
        after={"sha256": checked.sha256, "name": batch.berita_acara.name},
        detail={"berita_acara": batch.berita_acara_name, "size": checked.size, "type": checked.content_type},
        request=request,
    )
    return batch


@transaction.atomic
def submit_batch(*, actor: Any, batch: Batch, note: str = "", request: HttpRequest | None = None) -> Batch:
    """Draft → submitted. Needs the Berita Acara and at least one decision or usulan baru. The period
    is fixed now from the submission date and the cut-off day."""
    batch = _editable(actor, batch)
    problems = []
    if not batch.berita_acara:
        problems.append(_("Berita Acara musyawarah kelurahan belum diunggah."))
    if not batch.decisions.exists() and not batch.proposals.exists():
        problems.append(_("Batch belum berisi keputusan atau usulan baru."))
    if problems:
        raise ValidationError(problems, code="incomplete")
    batch.period = current_period()
    batch.submitted_at = timezone.now()
    _transition(
        batch=batch,
        actor=actor,
        action=TransitionAction.SUBMIT,
        to_state=BatchState.SUBMITTED,
        note=(note or "").strip(),
        request=request,
    )
    return batch


@transaction.atomic
def verify_batch(*, actor: Any, batch: Batch, note: str = "", request: HttpRequest | None = None) -> Batch:
    """Submitted → verified, by the verifying OPD (Dinsos)."""
    batch = _locked(actor, batch)
    if not is_verifier(actor):
        raise PermissionDenied(_("Hanya operator Dinas Sosial yang dapat memverifikasi batch verivali."))
    if batch.state != BatchState.SUBMITTED:
        raise ValidationError(_("Hanya batch yang sudah diajukan yang dapat diverifikasi."), code="state")
    _transition(
        batch=batch,
        actor=actor,
        action=TransitionAction.VERIFY,
        to_state=BatchState.VERIFIED,
        note=(note or "").strip(),
        request=request,
    )
    return batch


@transaction.atomic
def return_batch(*, actor: Any, batch: Batch, note: str = "", request: HttpRequest | None = None) -> Batch:
    """Back to draft with a note: Dinsos returns a submitted batch, Bappeda a verified one."""
    batch = _locked(actor, batch)
    allowed = (batch.state == BatchState.SUBMITTED and is_verifier(actor)) or (
        batch.state == BatchState.VERIFIED and is_approver(actor)
    )
    if batch.state not in {BatchState.SUBMITTED, BatchState.VERIFIED}:
        raise ValidationError(_("Batch dalam status ini tidak dapat dikembalikan."), code="state")
    if not allowed:
        raise PermissionDenied(_("Anda tidak berwenang mengembalikan batch ini pada tahap ini."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Tuliskan catatan: apa yang harus diperbaiki kelurahan.")})
    batch.submitted_at = None
    _transition(
        batch=batch,
        actor=actor,
        action=TransitionAction.RETURN,
        to_state=BatchState.DRAFT,
        note=note,
        request=request,
    )
    return batch


@transaction.atomic
def approve_batch(*, actor: Any, batch: Batch, note: str = "", request: HttpRequest | None = None) -> Batch:
    """Verified → approved, by the approver (Bappeda); applies every decision to the registry."""
    batch = _locked(actor, batch)
    if not is_approver(actor):
        raise PermissionDenied(_("Hanya Bappeda yang dapat menyetujui batch verivali."))
    if batch.state != BatchState.VERIFIED:
        raise ValidationError(_("Hanya batch yang sudah diverifikasi Dinsos yang dapat disetujui."))
    applied = apply_batch(batch=batch, actor=actor)
    closed = field_tasks.close_for_batch(batch=batch, actor=actor, actor_name=_display_name(actor))
    batch.applied_at = timezone.now()
    _transition(
        batch=batch,
        actor=actor,
        action=TransitionAction.APPROVE,
        to_state=BatchState.APPROVED,
        note=(note or "").strip(),
        request=request,
        detail={"applied_decisions": applied, "closed_field_tasks": closed, "source": batch.source},
    )
    return batch


TRANSITIONS = {
    "submit": submit_batch,
    "verify": verify_batch,
    "return": return_batch,
    "approve": approve_batch,
}


# --------------------------------------------------------------------------------------------------
# Decisions and usulan baru


def _clean_decision(
    *,
    actor: Any,
    family: Family,
    person: Person | None,
    verdict: str,
    reason: str,
    event_date: dt.date | None,
    duplicate_of_family: Family | None,
    duplicate_of_person: Person | None,
    note: str,
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if verdict not in Verdict.values:
        errors["verdict"] = _("Pilih layak atau tidak layak.")
    if verdict != Verdict.TIDAK_LAYAK:
        reason, event_date, duplicate_of_family, duplicate_of_person = "", None, None, None
    elif reason not in Reason.values:
        errors["reason"] = _("Pilih alasan tidak layak.")
    if reason == Reason.MENINGGAL and event_date is None:
        errors["event_date"] = _("Isi tanggal meninggal.")
    if event_date is not None and event_date > timezone.localdate():
        errors["event_date"] = _("Tanggal kejadian tidak boleh di masa depan.")
    if reason == Reason.LAINNYA and not note:
        errors["note"] = _("Alasan lainnya wajib dijelaskan.")
    if reason == Reason.GANDA:
        errors.update(
            _clean_duplicate(
                actor=actor,
                family=family,
                person=person,
                of_family=duplicate_of_family,
                of_person=duplicate_of_person,
            )
        )
    if reason != Reason.GANDA:
        duplicate_of_family = duplicate_of_person = None
    elif person is not None:
        duplicate_of_family = None
    else:
        duplicate_of_person = None
    if errors:
        raise ValidationError(errors)
    return {
        "verdict": verdict,
        "reason": reason,
        "event_date": event_date,
        "duplicate_of_family": duplicate_of_family,
        "duplicate_of_person": duplicate_of_person,
    }


def _clean_duplicate(
    *, actor: Any, family: Family, person: Person | None, of_family: Family | None, of_person: Person | None
) -> dict[str, Any]:
    if person is not None:
        if of_person is None:
            return {"duplicate_of": _("Pilih individu yang dipertahankan (NIK).")}
        if of_person.pk == person.pk:
            return {"duplicate_of": _("Individu yang dipertahankan harus individu lain.")}
        if not Person.objects.restrict(actor).filter(pk=of_person.pk).exists():
            return {"duplicate_of": _("Individu yang dipertahankan tidak ditemukan di wilayah Anda.")}
        return {}
    if of_family is None:
        return {"duplicate_of": _("Pilih keluarga yang dipertahankan (nomor KK).")}
    if of_family.pk == family.pk:
        return {"duplicate_of": _("Keluarga yang dipertahankan harus keluarga lain.")}
    if not Family.objects.restrict(actor).filter(pk=of_family.pk).exists():
        return {"duplicate_of": _("Keluarga yang dipertahankan tidak ditemukan di wilayah Anda.")}
    return {}


@transaction.atomic
def add_decision(
    *,
    actor: Any,
    batch: Batch,
    family: Family,
    verdict: str,
    reason: str = "",
    person: Person | None = None,
    event_date: dt.date | None = None,
    duplicate_of_family: Family | None = None,
    duplicate_of_person: Person | None = None,
    note: str = "",
    task: FieldTask | None = None,
    request: HttpRequest | None = None,
) -> Decision:
    """Record layak / tidak layak (with a reason) for a family of the batch's kelurahan, or for one of
    its current members; with ``task``, the answer to that field check (``padu.verivali.tasks``)."""
    batch = _editable(actor, batch)
    if not Family.objects.restrict(actor).filter(pk=family.pk, kelurahan_id=batch.kelurahan_id).exists():
        raise PermissionDenied(MSG_FAMILY_ELSEWHERE)
    if (
        person is not None
        and not Membership.objects.filter(person=person, family=family, valid_to__isnull=True).exists()
    ):
        raise ValidationError({"person": _("Individu ini bukan anggota aktif keluarga tersebut.")})
    note = (note or "").strip()
    values = _clean_decision(
        actor=actor,
        family=family,
        person=person,
        verdict=verdict,
        reason=reason,
        event_date=event_date,
        duplicate_of_family=duplicate_of_family,
        duplicate_of_person=duplicate_of_person,
        note=note,
    )
    exists = Decision.objects.filter(batch=batch, family=family, person=person)
    if exists.exists():
        raise ValidationError(
            _("Anggota ini sudah punya keputusan dalam batch ini.")
            if person is not None
            else _("Keluarga ini sudah punya keputusan dalam batch ini."),
            code="duplicate",
        )
    decision = Decision.objects.create(
        batch=batch, family=family, person=person, note=note, created_by=actor, **values
    )
    if task is not None:
        field_tasks.attach(task=task, decision=decision)
    audit.record(
        actor=actor, action=AuditAction.CREATE, obj=decision, after=audit.snapshot(decision), request=request
    )
    return decision


@transaction.atomic
def remove_decision(*, actor: Any, decision: Decision, request: HttpRequest | None = None) -> None:
    _editable(actor, decision.batch)
    before = audit.snapshot(decision)
    audit.record(actor=actor, action=AuditAction.DELETE, obj=decision, before=before, request=request)
    field_tasks.reopen(decision=decision)
    decision.delete()


def _clean_identifier(value: str, *, field: str, kind: str) -> tuple[str | None, Any]:
    digits, issue = normalise_number(value, prefix=kind, label="NIK" if kind == "nik" else "Nomor KK")
    if issue is not None or digits is None:
        return None, {field: issue.message_id if issue else _("Nomor tidak sah.")}
    result = parse_nik(digits) if kind == "nik" else parse_kk(digits)
    if not result.valid:
        return None, {field: result.errors[0].message_id}
    return digits, {}


@transaction.atomic
def add_proposal(
    *,
    actor: Any,
    batch: Batch,
    head_name: str,
    nik: str,
    kk: str,
    address: str,
    member_count: int,
    reason: str,
    rt: str = "",
    rw: str = "",
    request: HttpRequest | None = None,
) -> Proposal:
    """Usulan baru: a family the musyawarah proposes for the registry."""
    batch = _editable(actor, batch)
    errors: dict[str, Any] = {}
    head_name = (head_name or "").strip()
    if not head_name:
        errors["head_name"] = _("Isi nama kepala keluarga.")
    nik_digits, nik_errors = _clean_identifier(nik, field="nik", kind="nik")
    kk_digits, kk_errors = _clean_identifier(kk, field="kk", kind="kk")
    errors.update(nik_errors)
    errors.update(kk_errors)
    if not (address or "").strip():
        errors["address"] = _("Isi alamat.")
    if not isinstance(member_count, int) or not 1 <= member_count <= MAX_MEMBERS:
        errors["member_count"] = _("Jumlah anggota harus 1 sampai %(n)d.") % {"n": MAX_MEMBERS}
    if not (reason or "").strip():
        errors["reason"] = _("Tuliskan alasan keluarga ini diusulkan.")
    for field, value in (("rt", rt), ("rw", rw)):
        if value and not (str(value).strip().isdigit() and len(str(value).strip()) <= 3):
            errors[field] = _("RT/RW berupa angka, paling banyak 3 digit.")
    if (
        nik_digits
        and Person.objects.restrict(actor).filter(nik=nik_digits).exclude(status=Status.GANDA).exists()
    ):
        errors["nik"] = _(
            "NIK ini sudah terdaftar di registri wilayah Anda: catat keputusan untuk keluarganya, "
            "bukan usulan baru."
        )
    if nik_digits and batch.proposals.filter(nik=nik_digits).exists():
        errors["nik"] = _("NIK ini sudah diusulkan dalam batch ini.")
    if errors:
        raise ValidationError(errors)
    proposal = Proposal.objects.create(
        batch=batch,
        head_name=head_name,
        nik=nik_digits or "",
        kk=kk_digits or "",
        address=address.strip(),
        rt=str(rt or "").strip().zfill(3) if rt else "",
        rw=str(rw or "").strip().zfill(3) if rw else "",
        member_count=member_count,
        reason=reason.strip(),
        created_by=actor,
    )
    audit.record(
        actor=actor, action=AuditAction.CREATE, obj=proposal, after=audit.snapshot(proposal), request=request
    )
    return proposal


@transaction.atomic
def remove_proposal(*, actor: Any, proposal: Proposal, request: HttpRequest | None = None) -> None:
    _editable(actor, proposal.batch)
    audit.record(
        actor=actor, action=AuditAction.DELETE, obj=proposal, before=audit.snapshot(proposal), request=request
    )
    proposal.delete()
