"""Checks on an uploaded Berita Acara: size, extension, declared content type and the file's own first
bytes (so that a renamed executable is refused whatever it is called). Django-free apart from the
messages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024

# kind -> (accepted extensions, accepted declared content types, magic prefixes, served content type)
KINDS: dict[str, tuple[frozenset[str], frozenset[str], tuple[bytes, ...], str]] = {
    "pdf": (
        frozenset({".pdf"}),
        frozenset({"application/pdf", "application/x-pdf"}),
        (b"%PDF-",),
        "application/pdf",
    ),
    "png": (frozenset({".png"}), frozenset({"image/png"}), (b"\x89PNG\r\n\x1a\n",), "image/png"),
    "jpg": (
        frozenset({".jpg", ".jpeg"}),
        frozenset({"image/jpeg", "image/pjpeg"}),
        (b"\xff\xd8\xff",),
        "image/jpeg",
    ),
}


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    content_type: str
    size: int
    sha256: str
    extension: str


def check_upload(upload: Any) -> CheckedUpload:
    """Accept a PDF, JPG or PNG of at most ``MAX_BYTES``; raise ``ValidationError`` otherwise."""
    if upload is None:
        raise ValidationError(_("Pilih berkas Berita Acara."), code="required")
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise ValidationError(_("Berkas kosong."), code="empty")
    if size > MAX_BYTES:
        raise ValidationError(
            _("Berkas terlalu besar: paling besar %(mb)d MB."),
            code="too_big",
            params={"mb": MAX_BYTES // 2**20},
        )
    extension = PurePath(str(upload.name or "")).suffix.lower()
    kind = next((k for k, spec in KINDS.items() if extension in spec[0]), None)
    if kind is None:
        raise ValidationError(_("Berita Acara harus berupa PDF, JPG atau PNG."), code="extension")
    _extensions, declared, magic, served = KINDS[kind]
    content_type = str(getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type not in declared:
        raise ValidationError(
            _("Jenis berkas (%(type)s) tidak sesuai dengan ekstensinya."),
            code="content_type",
            params={"type": content_type or "?"},
        )
    upload.seek(0)
    head = upload.read(16)
    if not any(head.startswith(m) for m in magic):
        raise ValidationError(_("Isi berkas bukan PDF, JPG atau PNG yang sah; berkas ditolak."), code="magic")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        kind=kind,
        content_type=served,
        size=size,
        sha256=digest.hexdigest(),
        extension=".jpg" if kind == "jpg" else f".{kind}",
    )
