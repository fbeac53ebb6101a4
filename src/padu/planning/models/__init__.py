"""Planning models: kelurahan priority (sector indicators, analyses, lokasi prioritas), Musrenbang
proposals."""

from padu.planning.models.musrenbang import Proposal
from padu.planning.models.priority import LokasiPrioritas, PriorityAnalysis, SectorIndicator

__all__ = ["LokasiPrioritas", "PriorityAnalysis", "Proposal", "SectorIndicator"]
