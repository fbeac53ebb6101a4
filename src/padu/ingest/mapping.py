"""A batch's intake kind, its table and its column mapping as the engine sees them.

Read helpers shared by the services, the selectors, the validation/commit runner and the report:
which kind a batch is (``kind_of``), its file as a table (``open_table``), the mapping in use
(``current_mapping``), and the bookkeeping that a new mapping changes on the batch. Saving a mapping
is a service (``padu.ingest.services.set_mapping``).
"""

from __future__ import annotations

from collections.abc import Mapping

from padu.ingest import kinds
from padu.ingest.engine import FIELDS, ColumnMapping, FieldSpec, Table, read_table
from padu.ingest.models import BatchSource, BatchStatus, ImportBatch, SavedMapping

LAYOUT_SOURCES = {"dtsen", "p3ke", "dtks"}


class MappingIncomplete(Exception):
    """Required fields have no column. ``str()`` is bilingual and names the fields, the file and the
    columns that are still free."""

    def __init__(
        self,
        file_name: str,
        missing: list[str],
        unmapped: list[str],
        fields: Mapping[str, FieldSpec] = FIELDS,
    ) -> None:
        self.missing = missing
        names = ", ".join(f"{name} ({fields[name].label_id})" if name in fields else name for name in missing)
        free = ", ".join(unmapped[:40]) or "-"
        super().__init__(
            f"Berkas '{file_name}': kolom wajib tidak ditemukan untuk {names}; kolom yang belum dipetakan: "
            f"{free}. Petakan dengan --mapping '{{\"{missing[0]}\": \"NAMA KOLOM\"}}' / File '{file_name}': "
            f"no column found for required field(s) {names}; unmapped columns: {free}. "
            "Map them with --mapping."
        )


def kind_of(batch: ImportBatch) -> kinds.IntakeKind:
    return kinds.get(batch.kind)


def open_table(batch: ImportBatch) -> Table:
    """The batch's file as a table, its header found with the aliases of the batch's kind."""
    return read_table(batch.file.path, sheet=batch.sheet or None, score=kind_of(batch).header_score)


def saved_mapping(batch: ImportBatch, columns: list[str]) -> dict[str, str] | None:
    auto = kind_of(batch).map_columns(columns, source=batch.requested_source)
    saved = SavedMapping.objects.filter(kind=batch.kind, signature=auto.signature()).first()
    return dict(saved.mapping) if saved is not None else None


def apply_mapping(batch: ImportBatch, mapping: ColumnMapping) -> None:
    batch.mapping = dict(mapping.fields)
    batch.layout = mapping.layout
    if batch.requested_source == BatchSource.AUTO:
        batch.source = mapping.layout if mapping.layout in LAYOUT_SOURCES else BatchSource.OTHER
    batch.status = BatchStatus.MAPPED if mapping.ok else BatchStatus.UPLOADED


def current_mapping(batch: ImportBatch) -> ColumnMapping:
    """The batch's mapping as the engine sees it (fields not chosen stay unmapped)."""
    kind = kind_of(batch)
    saved = {name: batch.mapping.get(name, "") for name in kind.fields}
    source = batch.source if batch.source in LAYOUT_SOURCES else "auto"
    return kind.map_columns(batch.columns, saved=saved, source=source)
