"""Reads for the RAT: activities per OPD and consistency warnings."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from padu.planning.choices import Strategy
from padu.planning.engine.text import rupiah
from padu.planning.models import LokasiPrioritas, OpdCeiling, RatActivity

SIPD_CODE = re.compile(r"^\d+(\.\d+|\.[A-Z]+)*$")


def activities(*, user: Any, year: int, opd: str = "") -> QuerySet[RatActivity]:
    qs = (
        RatActivity.objects.restrict(user, "view")
        .filter(year=year)
        .select_related("opd", "kelurahan")
        .prefetch_related("depends_on")
    )
    if opd:
        qs = qs.filter(opd__code=opd)
    return qs.order_by("opd__short_name", "strategy", "name")


def activity_get(*, user: Any, pk: int, action: str = "view") -> RatActivity:
    obj = RatActivity.objects.restrict(user, action).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


@dataclass(frozen=True)
class Warning:
    activity_id: int | None
    text: str


def warnings(*, year: int) -> list[Warning]:
    """Consistency checks of the year's RAT (city-wide; no personal data)."""
    rows = list(
        RatActivity.objects.filter(year=year)
        .select_related("opd", "kelurahan")
        .prefetch_related("depends_on")
    )
    out: list[Warning] = []
    lokasi = set(LokasiPrioritas.objects.filter(year=year).values_list("kelurahan_id", flat=True))
    seen: dict[tuple[int, str, str | None], int] = {}
    per_opd: dict[str, int] = defaultdict(int)
    for a in rows:
        per_opd[a.opd.code] += a.budget
        if not a.output_indicator or a.target is None:
            out.append(
                Warning(a.pk, _("'%(name)s': indikator keluaran atau target belum diisi.") % {"name": a.name})
            )
        if a.sipd_code and not SIPD_CODE.match(a.sipd_code):
            out.append(
                Warning(
                    a.pk,
                    _("'%(name)s': kode SIPD '%(code)s' tidak sesuai format (angka bertitik).")
                    % {"name": a.name, "code": a.sipd_code},
                )
            )
        if a.sipd_code and not a.sipd_name:
            out.append(Warning(a.pk, _("'%(name)s': nomenklatur SIPD belum diisi.") % {"name": a.name}))
        if a.strategy == Strategy.KANTONG and lokasi and a.kelurahan_id and a.kelurahan_id not in lokasi:
            out.append(
                Warning(
                    a.pk,
                    _("'%(name)s': strategi kantong kemiskinan di luar lokasi prioritas (%(kel)s).")
                    % {"name": a.name, "kel": a.kelurahan.name if a.kelurahan else ""},
                )
            )
        if a.budget == 0:
            out.append(Warning(a.pk, _("'%(name)s': anggaran nol.") % {"name": a.name}))
        key = (a.opd_id, a.name.strip().lower(), a.kelurahan_id)
        if key in seen:
            out.append(
                Warning(
                    a.pk, _("'%(name)s' tercatat dua kali untuk OPD dan lokasi yang sama.") % {"name": a.name}
                )
            )
        seen[key] = a.pk
        for dep in a.depends_on.all():
            if dep.kelurahan_id and a.kelurahan_id and dep.kelurahan_id != a.kelurahan_id:
                out.append(
                    Warning(
                        a.pk,
                        _("'%(name)s' bergantung pada '%(dep)s' di kelurahan lain.")
                        % {"name": a.name, "dep": dep.name},
                    )
                )
            if dep.budget == 0:
                out.append(
                    Warning(
                        a.pk,
                        _("'%(name)s' bergantung pada '%(dep)s' yang belum dianggarkan.")
                        % {"name": a.name, "dep": dep.name},
                    )
                )
    for c in OpdCeiling.objects.filter(year=year).select_related("opd"):
        if per_opd.get(c.opd.code, 0) > c.amount:
            out.append(
                Warning(
                    None,
                    _("Anggaran RAT %(opd)s %(total)s melebihi plafonnya %(ceiling)s.")
                    % {
                        "opd": c.opd.short_name,
                        "total": rupiah(per_opd[c.opd.code]),
                        "ceiling": rupiah(c.amount),
                    },
                )
            )
    covered = {a.kelurahan_id for a in rows if a.kelurahan_id}
    missing = sorted(lokasi - covered)
    if rows and missing:
        out.append(
            Warning(
                None,
                _("%(n)s lokasi prioritas belum mendapat kegiatan RAT: %(codes)s.")
                % {"n": len(missing), "codes": ", ".join(missing)},
            )
        )
    return out
