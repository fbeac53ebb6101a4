"""Planning models: kelurahan priority (sector indicators, analyses, lokasi prioritas), Musrenbang
proposals, allocation (OPD ceilings, scenarios, runs)."""

from padu.planning.models.allocation import AllocationRun, AllocationScenario, OpdCeiling, Weighting
from padu.planning.models.musrenbang import Proposal
from padu.planning.models.priority import LokasiPrioritas, PriorityAnalysis, SectorIndicator

__all__ = [
    "AllocationRun",
    "AllocationScenario",
    "LokasiPrioritas",
    "OpdCeiling",
    "PriorityAnalysis",
    "Proposal",
    "SectorIndicator",
    "Weighting",
]
