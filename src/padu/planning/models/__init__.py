"""Planning models: kelurahan priority (sector indicators, analyses, lokasi prioritas), Musrenbang
proposals, allocation (OPD ceilings, scenarios, runs), RAT activities and the RPKD narrative."""

from padu.planning.models.allocation import AllocationRun, AllocationScenario, OpdCeiling, Weighting
from padu.planning.models.musrenbang import Proposal
from padu.planning.models.priority import LokasiPrioritas, PriorityAnalysis, SectorIndicator
from padu.planning.models.rat import FundingSource, RatActivity, RpkdDocument
from padu.planning.models.sector import SectorBatch, SectorRejectedRow

__all__ = [
    "AllocationRun",
    "AllocationScenario",
    "FundingSource",
    "LokasiPrioritas",
    "OpdCeiling",
    "PriorityAnalysis",
    "Proposal",
    "RatActivity",
    "RpkdDocument",
    "SectorBatch",
    "SectorIndicator",
    "SectorRejectedRow",
    "Weighting",
]
