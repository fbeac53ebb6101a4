"""The RPKD document (Rencana Penanggulangan Kemiskinan Daerah, Permendagri 53/2020) for a plan year,
assembled from Padu data in five chapters, each with the analyst's editable narrative followed by
tables: I Pendahuluan, II Kondisi Umum Daerah, III Profil Kemiskinan Daerah, IV Prioritas Program,
V Lokasi Prioritas. Aggregates only; counts below ``MIN_CELL_SIZE`` are shown as "< n"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum

from padu.core import audit
from padu.core.models import AuditAction
from padu.planning.choices import ProposalStatus, Strategy
from padu.planning.engine.text import rupiah
from padu.planning.models import LokasiPrioritas, PriorityAnalysis, Proposal, RatActivity, RpkdDocument
from padu.planning.services.rat import CHAPTERS

TITLES = {
    "pendahuluan": "BAB I PENDAHULUAN",
    "kondisi_umum": "BAB II KONDISI UMUM DAERAH",
    "profil_kemiskinan": "BAB III PROFIL KEMISKINAN DAERAH",
    "prioritas_program": "BAB IV PRIORITAS PROGRAM",
    "lokasi_prioritas": "BAB V LOKASI PRIORITAS",
}
DEFAULT_TEXT = {
    "pendahuluan": (
        "Rencana Penanggulangan Kemiskinan Daerah (RPKD) disusun sesuai Permendagri Nomor 53 Tahun 2020 "
        "sebagai acuan perangkat daerah dalam penanggulangan kemiskinan, selaras dengan Inpres Nomor 4 Tahun "
        "2022 tentang Percepatan Penghapusan Kemiskinan Ekstrem."
    ),
    "kondisi_umum": "Gambaran umum wilayah dan penduduk berdasarkan data registri sosial Padu.",
    "profil_kemiskinan": "Profil kemiskinan per kecamatan dari registri sosial (keluarga desil 1–2).",
    "prioritas_program": (
        "Kegiatan Rencana Aksi Tahunan (RAT) perangkat daerah menurut strategi: pengurangan beban "
        "pengeluaran, peningkatan pendapatan, dan penurunan kantong kemiskinan."
    ),
    "lokasi_prioritas": "Kelurahan lokasi prioritas (kantong kemiskinan) hasil indeks prioritas kelurahan.",
}


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class Chapter:
    key: str
    title: str
    paragraphs: list[str]
    tables: list[Table] = field(default_factory=list)


@dataclass
class Document:
    year: int
    title: str
    region: str
    chapters: list[Chapter]


def _count(n: int | None) -> str:
    if n is None:
        return "—"
    small = settings.MIN_CELL_SIZE
    return f"< {small}" if 0 < n < small else f"{n:,}".replace(",", ".")


def _pct(num: int, den: int) -> str:
    if den < settings.MIN_CELL_SIZE:
        return "—"
    return f"{100 * num / den:.1f}%".replace(".", ",")


def _region_name() -> str:
    from padu.wilayah.models import Region

    region = Region.objects.filter(code=settings.REGION_CODE).first()
    return region.label if region else settings.REGION_CODE


def _kondisi(narrative: list[str]) -> Chapter:
    from padu.registry.choices import Status
    from padu.registry.models import Family, Person
    from padu.wilayah.models import Level, Region

    regions = Region.objects.within(settings.REGION_CODE)
    n_kec = regions.filter(level=Level.KECAMATAN).count()
    n_kel = regions.filter(level=Level.DESA).count()
    families = Family.objects.filter(status=Status.AKTIF).count()
    persons = Person.objects.filter(status=Status.AKTIF).count()
    rows = [
        ["Kecamatan", _count(n_kec)],
        ["Kelurahan/desa", _count(n_kel)],
        ["Keluarga dalam registri sosial", _count(families)],
        ["Individu dalam registri sosial", _count(persons)],
    ]
    return Chapter(
        "kondisi_umum",
        TITLES["kondisi_umum"],
        narrative,
        [Table("Tabel 2.1 Wilayah dan registri", ["Uraian", "Jumlah"], rows)],
    )


def _profil(narrative: list[str]) -> Chapter:
    from padu.registry.choices import Status
    from padu.registry.models import Family
    from padu.wilayah.models import Level, Region

    names = dict(
        Region.objects.within(settings.REGION_CODE).filter(level=Level.KECAMATAN).values_list("code", "name")
    )
    agg: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        Family.objects.filter(status=Status.AKTIF)
        .values("kelurahan_id")
        .annotate(
            n=Count("id"),
            poor=Count("id", filter=Q(desil__lte=2)),
            d1=Count("id", filter=Q(desil=1)),
            ext=Count("id", filter=Q(extreme_poor=True)),
        )
    )
    for r in rows:
        kec = r["kelurahan_id"].rsplit(".", 1)[0]
        for k in ("n", "poor", "d1", "ext"):
            agg[kec][k] += r[k]
    table = [
        [
            names.get(k, k),
            _count(v["n"]),
            _count(v["poor"]),
            _pct(v["poor"], v["n"]),
            _count(v["d1"]),
            _count(v["ext"]),
        ]
        for k, v in sorted(agg.items())
    ]
    total = {k: sum(v[k] for v in agg.values()) for k in ("n", "poor", "d1", "ext")}
    if agg:
        table.append(
            [
                "Jumlah",
                _count(total["n"]),
                _count(total["poor"]),
                _pct(total["poor"], total["n"]),
                _count(total["d1"]),
                _count(total["ext"]),
            ]
        )
    header = ["Kecamatan", "Keluarga", "Desil 1–2", "%", "Desil 1", "Miskin ekstrem"]
    return Chapter(
        "profil_kemiskinan",
        TITLES["profil_kemiskinan"],
        narrative,
        [Table("Tabel 3.1 Keluarga miskin per kecamatan", header, table)],
    )


def _prioritas(year: int, narrative: list[str]) -> Chapter:
    acts = (
        RatActivity.objects.filter(year=year)
        .select_related("opd", "kelurahan")
        .order_by("strategy", "opd__short_name", "name")
    )
    tables = []
    for value, label in Strategy.choices:
        rows = [
            [
                a.opd.short_name,
                a.name,
                a.sipd_code or "—",
                f"{a.output_indicator} {a.target if a.target is not None else ''} {a.unit}".strip() or "—",
                a.kelurahan.name if a.kelurahan else "Seluruh kota",
                rupiah(a.budget),
                a.get_funding_source_display(),
            ]
            for a in acts
            if a.strategy == value
        ]
        if rows:
            total = sum(a.budget for a in acts if a.strategy == value)
            rows.append(["", "Jumlah", "", "", "", rupiah(total), ""])
            header = ["OPD", "Kegiatan", "Kode SIPD", "Indikator/target", "Lokasi", "Anggaran", "Sumber dana"]
            tables.append(Table(f"Strategi {label}", header, rows))
    usulan = Proposal.objects.filter(year=year).values("status").annotate(n=Count("id"), cost=Sum("cost"))
    labels = dict(ProposalStatus.choices)
    rows = [
        [str(labels.get(u["status"], u["status"])), _count(u["n"]), rupiah(u["cost"] or 0)] for u in usulan
    ]
    if rows:
        tables.append(
            Table("Usulan Musrenbang menurut status", ["Status", "Usulan", "Perkiraan biaya"], rows)
        )
    if not tables:
        narrative = [*narrative, "Belum ada kegiatan RAT untuk tahun ini."]
    return Chapter("prioritas_program", TITLES["prioritas_program"], narrative, tables)


def _lokasi(year: int, narrative: list[str]) -> Chapter:
    lokasi = list(LokasiPrioritas.objects.filter(year=year).select_related("kelurahan", "kelurahan__parent"))
    analysis = PriorityAnalysis.objects.filter(year=year).order_by("-created_at", "-id").first()
    paragraphs = list(narrative)
    if analysis is not None and analysis.explanation:
        paragraphs.append(f"Metode: {analysis.explanation}")
    rows = [
        [
            str(lp.rank or "—"),
            lp.kelurahan.name,
            lp.kelurahan.parent.name if lp.kelurahan.parent else "",
            f"{lp.composite:.2f}".replace(".", ",") if lp.composite is not None else "—",
        ]
        for lp in lokasi
    ]
    if not rows:
        paragraphs.append("Lokasi prioritas tahun ini belum ditetapkan.")
    tables = (
        [Table("Tabel 5.1 Lokasi prioritas", ["Peringkat", "Kelurahan", "Kecamatan", "Indeks"], rows)]
        if rows
        else []
    )
    return Chapter("lokasi_prioritas", TITLES["lokasi_prioritas"], paragraphs, tables)


def _paragraphs(text: str, key: str) -> list[str]:
    text = (text or "").strip() or DEFAULT_TEXT[key]
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def assemble(year: int) -> Document:
    doc = RpkdDocument.objects.filter(year=year).first()
    narrative = doc.narrative if doc else {}
    text = {k: _paragraphs(narrative.get(k, ""), k) for k in CHAPTERS}
    region = _region_name()
    title = (
        doc.title if doc and doc.title else ""
    ) or f"Rencana Penanggulangan Kemiskinan Daerah {region} {year}"
    chapters = [
        Chapter("pendahuluan", TITLES["pendahuluan"], text["pendahuluan"]),
        _kondisi(text["kondisi_umum"]),
        _profil(text["profil_kemiskinan"]),
        _prioritas(year, text["prioritas_program"]),
        _lokasi(year, text["lokasi_prioritas"]),
    ]
    return Document(year, title, region, chapters)


def export(*, actor: Any, year: int, fmt: str) -> bytes:
    """The RPKD of ``year`` as DOCX or PDF bytes (audited as an export of aggregates)."""
    from padu.planning import rpkd_export

    document = assemble(year)
    data = rpkd_export.to_docx(document) if fmt == "docx" else rpkd_export.to_pdf(document)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="planning.rpkd",
        object_id=str(year),
        object_repr=f"RPKD {year} ({fmt})",
        detail={"format": fmt, "bytes": len(data)},
    )
    return data
