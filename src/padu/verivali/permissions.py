"""Who plays which part in the verivali workflow. Row scope itself lives in ``accounts/scope.py`` and the
querysets in ``models.py``; these predicates add the workflow roles on top of it.

- Kelurahan operator (region operator whose region is a desa/kelurahan): builds and submits the batches of
  their kelurahan.
- Verifier: OPD operator of the OPD ``settings.VERIVALI_VERIFIER_OPD`` (Dinsos).
- Approver: ``settings.VERIVALI_APPROVER_ROLE`` (Bappeda administrator by default; a Django superuser
  counts as administrator).
- Kecamatan operators, analysts and administrators read; viewers and other OPDs see nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from padu.accounts.models import Role
from padu.accounts.scope import effective_role

KELURAHAN_CODE_PARTS = 4  # 36.73.01.1001


def is_kelurahan_operator(user: Any) -> bool:
    region = str(getattr(user, "region_id", "") or "")
    return effective_role(user) == Role.REGION_OPERATOR and len(region.split(".")) == KELURAHAN_CODE_PARTS


def is_verifier(user: Any) -> bool:
    if effective_role(user) != Role.OPD_OPERATOR or not getattr(user, "opd_id", None):
        return False
    return bool(user.opd.code == settings.VERIVALI_VERIFIER_OPD)


def is_approver(user: Any) -> bool:
    return effective_role(user) == settings.VERIVALI_APPROVER_ROLE


def may_edit(user: Any, kelurahan_code: str) -> bool:
    """Only the operator of that very kelurahan edits its batches (a kecamatan operator only reads)."""
    return is_kelurahan_operator(user) and str(user.region_id) == kelurahan_code
