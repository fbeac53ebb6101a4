"""Indeks prioritas kelurahan / kelurahan priority index (kantong kemiskinan). Django-free.

Input: one row per kelurahan with indicator columns (counts or shares). For each indicator ``i`` with
weight ``w_i`` and polarity ``p_i`` (+1: a higher value is worse, -1: a higher value is better):

* standardise over the kelurahan that have a value:
  ``zscore``: ``s = p * (x - mean) / std`` (population std), or
  ``minmax``: ``s = (x - min) / (max - min)`` for ``p = +1`` and ``(max - x) / (max - min)`` for ``-1``;
* composite ``C_k = sum_i w_i s_ik / sum_i w_i`` over the indicators present for kelurahan ``k``
  (weights are renormalised per kelurahan when a value is missing, so a gap neither helps nor hurts);
* rank 1 = highest composite = highest priority; equal composites share the lowest rank (1, 2, 2, 4).

An indicator that is constant over the kelurahan (std or range 0) cannot tell them apart: it gets
standardised value 0 and is left out of the composite (a note says so). An indicator with no values
at all is left out likewise. Weights must be >= 0; only their ratios matter (scale-invariant).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pyarrow as pa

from padu.planning.engine.text import Text

Method = Literal["zscore", "minmax"]


@dataclass(frozen=True, slots=True)
class Indicator:
    """A known indicator: column name, labels and polarity (+1: higher = worse)."""

    key: str
    label_id: str
    label_en: str
    polarity: int = 1


#: Indicators computed by :func:`padu.planning.engine.aggregate.indicators_from_persons`, plus
#: common imported ones. Any other numeric column can be used too (label = column, polarity +1).
INDICATORS: dict[str, Indicator] = {
    ind.key: ind
    for ind in (
        Indicator("poor_families", "Jumlah keluarga miskin", "Poor families"),
        Indicator("poor_family_share", "Persentase keluarga miskin", "Share of poor families"),
        Indicator("desil1_share", "Persentase keluarga desil 1", "Share of decile-1 families"),
        Indicator("extreme_poor", "Jumlah penduduk miskin ekstrem", "Extreme-poor persons"),
        Indicator("uninhabitable_houses", "Rumah tidak layak huni", "Uninhabitable houses"),
        Indicator("no_latrine", "Keluarga tanpa jamban", "Families without a latrine"),
        Indicator("no_safe_water", "Keluarga tanpa air minum layak", "Families without safe water"),
        Indicator("no_electricity", "Keluarga tanpa listrik", "Families without electricity"),
        Indicator("unemployed_heads", "Kepala keluarga tidak bekerja", "Unemployed family heads"),
        Indicator("stunting_cases", "Kasus stunting", "Stunting cases"),
        Indicator("stunting_prevalence", "Prevalensi stunting", "Stunting prevalence"),
        Indicator("school_participation", "Angka partisipasi sekolah", "School participation", -1),
    )
}

#: Default analyst weights (equal over the registry indicators). Override per analysis.
DEFAULT_WEIGHTS: dict[str, float] = {
    "poor_family_share": 1.0,
    "poor_families": 1.0,
    "desil1_share": 1.0,
    "extreme_poor": 1.0,
    "uninhabitable_houses": 1.0,
    "no_latrine": 1.0,
    "no_safe_water": 1.0,
    "no_electricity": 1.0,
    "unemployed_heads": 1.0,
}


@dataclass(frozen=True)
class PriorityResult:
    """Standardised indicators, composite index and ranks, row order = input order."""

    codes: tuple[str, ...]
    method: Method
    weights: dict[str, float]  # normalised to sum 1 over the indicators actually used
    polarity: dict[str, int]
    standardised: dict[str, np.ndarray]  # NaN where the input was missing
    composite: np.ndarray
    rank: np.ndarray  # int, 1 = highest priority
    missing: np.ndarray  # per kelurahan: number of used indicators without a value
    notes: tuple[Text, ...] = ()
    explanation: Text = field(default_factory=lambda: Text("", ""))

    def order(self) -> np.ndarray:
        """Row positions by rank (ties by code), highest priority first."""
        return np.lexsort((np.asarray(self.codes), self.rank))

    def top(self, n: int = 10) -> list[str]:
        return [self.codes[i] for i in self.order()[:n]]

    def drivers(self, code: str, n: int = 3) -> list[tuple[str, float]]:
        """The ``n`` indicators contributing most (``w_i * s_ik``) to one kelurahan's composite."""
        row = self.codes.index(code)
        parts = [(k, w * float(self.standardised[k][row])) for k, w in self.weights.items()]
        parts = [(k, v) for k, v in parts if not np.isnan(v)]
        return sorted(parts, key=lambda kv: (-kv[1], kv[0]))[:n]

    def location_weights(self, low: float = 1.0, high: float = 2.0) -> dict[str, float]:
        """Composite mapped linearly onto ``[low, high]`` (lowest composite -> ``low``), for the
        optimiser's location priority. A kelurahan without any value gets ``low``."""
        comp = self.composite
        ok = ~np.isnan(comp)
        if not ok.any():
            return dict.fromkeys(self.codes, low)
        lo, hi = float(comp[ok].min()), float(comp[ok].max())
        span = hi - lo
        scaled = np.where(ok, (comp - lo) / span if span > 0 else 1.0, 0.0)
        return {c: float(low + (high - low) * s) for c, s in zip(self.codes, scaled, strict=True)}

    def to_table(self) -> pa.Table:
        cols: dict[str, Any] = {"kelurahan_code": list(self.codes)}
        for key, values in self.standardised.items():
            cols[f"s_{key}"] = values
        cols |= {"composite": self.composite, "rank": self.rank, "missing": self.missing}
        return pa.table(cols)


def _columns(table: Any, key: str) -> tuple[list[str], dict[str, np.ndarray]]:
    """Codes and float columns (NaN = missing) from a pyarrow Table, pandas DataFrame or mapping."""
    if isinstance(table, pa.Table):
        names = table.column_names
        get = table.column
    elif hasattr(table, "columns") and hasattr(table, "to_numpy"):  # pandas
        names = [str(c) for c in table.columns]

        def get(name: str) -> Any:
            return table[name]
    elif isinstance(table, Mapping):
        names = list(table)
        get = table.__getitem__
    else:
        raise TypeError("table: pyarrow.Table, pandas.DataFrame or mapping of columns")
    if key not in names:
        raise KeyError(f"kolom kode '{key}' tidak ada / key column '{key}' missing")
    codes = [str(c) for c in _to_list(get(key))]
    data = {n: _to_float(get(n)) for n in names if n != key}
    return codes, data


def _to_list(col: Any) -> list[Any]:
    return col.to_pylist() if hasattr(col, "to_pylist") else list(col)


def _to_float(col: Any) -> np.ndarray:
    if isinstance(col, pa.ChunkedArray | pa.Array):
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            return np.full(len(col), np.nan)
        col = col.cast(pa.float64()).to_numpy(zero_copy_only=False)
    try:
        return np.asarray(col, dtype=np.float64).copy()
    except (TypeError, ValueError):
        return np.full(len(col), np.nan)


def standardise(values: np.ndarray, method: Method, polarity: int) -> tuple[np.ndarray, bool]:
    """Standardised values (higher = worse) and whether the indicator discriminates at all."""
    ok = ~np.isnan(values)
    out = np.full(values.shape, np.nan)
    if not ok.any():
        return out, False
    x = values[ok]
    if method == "zscore":
        std = float(x.std())
        if std <= 1e-12 * max(1.0, float(np.abs(x).max())):
            out[ok] = 0.0
            return out, False
        out[ok] = polarity * (x - x.mean()) / std
    elif method == "minmax":
        lo, hi = float(x.min()), float(x.max())
        if hi - lo <= 1e-12 * max(1.0, abs(hi)):
            out[ok] = 0.0
            return out, False
        out[ok] = (x - lo) / (hi - lo) if polarity > 0 else (hi - x) / (hi - lo)
    else:
        raise ValueError(f"method harus 'zscore' atau 'minmax' / method must be zscore|minmax: {method}")
    return out, True


def competition_rank(score: np.ndarray, decimals: int = 9) -> np.ndarray:
    """Rank 1 = highest score; ties share the lowest rank (1, 2, 2, 4); NaN ranks last."""
    s = np.where(np.isnan(score), -np.inf, np.round(score, decimals))
    order = np.argsort(-s, kind="stable")
    sorted_s = s[order]
    first = np.ones(len(s), dtype=bool)
    first[1:] = sorted_s[1:] != sorted_s[:-1]
    pos = np.arange(1, len(s) + 1)
    ranks_sorted = np.maximum.accumulate(np.where(first, pos, 0))
    ranks = np.empty(len(s), dtype=np.int64)
    ranks[order] = ranks_sorted
    return ranks


def priority_index(
    table: Any,
    *,
    weights: Mapping[str, float] | None = None,
    method: Method = "zscore",
    polarity: Mapping[str, int] | None = None,
    key: str = "kelurahan_code",
) -> PriorityResult:
    """Composite priority index per kelurahan (see the module docstring for the formula).

    ``table``: pyarrow Table, pandas DataFrame or mapping with column ``key`` and one numeric column
    per weighted indicator (nulls/NaN = missing). ``weights``: indicator -> weight >= 0 (default
    :data:`DEFAULT_WEIGHTS`, restricted to columns present). ``polarity``: indicator -> +1/-1,
    overriding :data:`INDICATORS`.
    """
    codes, data = _columns(table, key)
    if weights is None:
        weights = {k: w for k, w in DEFAULT_WEIGHTS.items() if k in data}
    missing_cols = [k for k in weights if k not in data]
    if missing_cols:
        raise KeyError(f"kolom indikator tidak ada / indicator columns missing: {missing_cols}")
    if any(w < 0 or not np.isfinite(w) for w in weights.values()):
        raise ValueError("bobot harus >= 0 / weights must be >= 0")
    pol = {k: (INDICATORS[k].polarity if k in INDICATORS else 1) for k in weights}
    pol |= {k: (1 if v >= 0 else -1) for k, v in (polarity or {}).items() if k in weights}
    notes: list[Text] = []
    standardised: dict[str, np.ndarray] = {}
    used: dict[str, float] = {}
    for k, w in weights.items():
        s, informative = standardise(data[k], method, pol[k])
        standardised[k] = s
        if not informative:
            label = _label(k)
            if np.isnan(data[k]).all():
                notes.append(Text(f"{label[0]}: tidak ada data, tidak dipakai.",
                                  f"{label[1]}: no data, left out."))
            else:
                notes.append(Text(f"{label[0]}: nilainya sama di semua kelurahan, tidak dipakai.",
                                  f"{label[1]}: same value in every kelurahan, left out."))
        elif w > 0:
            used[k] = float(w)
    n = len(codes)
    if used:
        s_mat = np.vstack([standardised[k] for k in used])  # (indicators, kelurahan)
        w_vec = np.array(list(used.values()))[:, None]
        present = ~np.isnan(s_mat)
        w_present = (w_vec * present).sum(axis=0)
        total = np.nansum(w_vec * s_mat, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            composite = np.where(w_present > 0, total / w_present, np.nan)
        missing = (~present).sum(axis=0).astype(np.int64)
        norm = float(sum(used.values()))
        used = {k: v / norm for k, v in used.items()}
    else:
        composite = np.full(n, np.nan)
        missing = np.zeros(n, dtype=np.int64)
        notes.append(Text("Tidak ada indikator yang membedakan kelurahan.",
                          "No indicator tells the kelurahan apart."))
    if missing.any():
        notes.append(Text(
            f"{int((missing > 0).sum())} kelurahan memiliki nilai kosong; bobotnya dinormalkan ulang "
            "atas indikator yang tersedia.",
            f"{int((missing > 0).sum())} kelurahan have missing values; their weights are renormalised "
            "over the indicators available."))
    return PriorityResult(
        codes=tuple(codes), method=method, weights=used, polarity=pol, standardised=standardised,
        composite=composite, rank=competition_rank(composite), missing=missing, notes=tuple(notes),
        explanation=explain_method(method, used),
    )


def _label(key: str) -> tuple[str, str]:
    ind = INDICATORS.get(key)
    return (ind.label_id, ind.label_en) if ind else (key, key)


def explain_method(method: Method, weights: Mapping[str, float]) -> Text:
    """Short bilingual description of how the index was computed, for display next to it."""
    parts = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    w_id = "; ".join(f"{_label(k)[0]} {w * 100:.0f}%".replace(".", ",") for k, w in parts)
    w_en = "; ".join(f"{_label(k)[1]} {w * 100:.0f}%" for k, w in parts)
    if method == "zscore":
        std_id = ("dibakukan dengan skor-z (selisih dari rata-rata kota dibagi simpangan baku), "
                  "sehingga 0 = rata-rata kota")
        std_en = ("standardised as z-scores (difference from the city mean divided by the standard "
                  "deviation), so 0 = city average")
    else:
        std_id = "diskalakan min-maks ke 0–1 (0 = kelurahan terbaik, 1 = terburuk)"
        std_en = "min-max scaled to 0–1 (0 = best kelurahan, 1 = worst)"
    return Text(
        f"Setiap indikator {std_id}; arahnya disamakan sehingga nilai lebih tinggi = kondisi lebih buruk. "
        f"Indeks = rata-rata tertimbang ({w_id}). Peringkat 1 = prioritas tertinggi; nilai sama berbagi "
        "peringkat; nilai kosong tidak dihitung dan bobot dinormalkan ulang.",
        f"Each indicator is {std_en}; directions are aligned so a higher value = worse conditions. "
        f"Index = weighted mean ({w_en}). Rank 1 = highest priority; equal values share a rank; "
        "missing values are skipped and the weights renormalised.",
    )
