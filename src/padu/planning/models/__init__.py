"""Planning models: kelurahan priority (sector indicators, analyses, lokasi prioritas)."""

from padu.planning.models.priority import LokasiPrioritas, PriorityAnalysis, SectorIndicator

__all__ = ["LokasiPrioritas", "PriorityAnalysis", "SectorIndicator"]
