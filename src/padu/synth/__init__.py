"""Deterministic, streaming synthetic data of Kota Serang with ground truth (Django-free).

``generate(out_dir, persons, seed)`` writes a DTSEN/P3KE-style registry, the beneficiary lists twelve
OPD programmes would send (CSV/XLSX, with realistic faults) and ``truth/`` files that say who each list
row really is and which faults were injected. ``manifest.json`` describes everything. CLI:
``padu generate --persons N --seed S --out DIR [--noise hard]``.
"""

from __future__ import annotations

from padu.synth.faults import DEFAULT_RATES, FAULT_TYPES, HARD_RATES, NOISE_PROFILES, FaultRates
from padu.synth.generate import (
    DEFAULT_PERSONS,
    DEFAULT_SEED,
    MAX_PERSONS,
    GenerateError,
    GenerateResult,
    check_arguments,
    generate,
)
from padu.synth.population import REFERENCE_DATE
from padu.synth.programmes import PROGRAMMES, Programme

__all__ = [
    "DEFAULT_PERSONS",
    "DEFAULT_RATES",
    "DEFAULT_SEED",
    "FAULT_TYPES",
    "HARD_RATES",
    "MAX_PERSONS",
    "NOISE_PROFILES",
    "PROGRAMMES",
    "REFERENCE_DATE",
    "FaultRates",
    "GenerateError",
    "GenerateResult",
    "Programme",
    "check_arguments",
    "generate",
]
