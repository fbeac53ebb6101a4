"""Several scenarios side by side. Django-free."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from padu.planning.engine.model import Item, Scenario
from padu.planning.engine.optimise import Solution, optimise
from padu.planning.engine.text import rupiah


@dataclass(frozen=True)
class Comparison:
    """``rows``: (metric key, label id, label en, one value per scenario). Amounts in rupiah."""

    scenarios: tuple[str, ...]
    rows: tuple[tuple[str, str, str, tuple[float | str | None, ...]], ...]
    solutions: tuple[Solution, ...]

    def value(self, metric: str, scenario: str) -> float | str | None:
        col = self.scenarios.index(scenario)
        for key, _, _, values in self.rows:
            if key == metric:
                return values[col]
        raise KeyError(metric)

    def to_markdown(self, lang: str = "id") -> str:
        head = "| " + ("Ukuran" if lang == "id" else "Measure") + " | " + " | ".join(self.scenarios) + " |"
        lines = [head, "|" + "---|" * (len(self.scenarios) + 1)]
        for key, label_id, label_en, values in self.rows:
            cells = [_cell(key, v, lang) for v in values]
            lines.append(f"| {label_id if lang == 'id' else label_en} | " + " | ".join(cells) + " |")
        return "\n".join(lines)


def _cell(key: str, value: float | str | None, lang: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if key.startswith(("total", "kecamatan:", "opd:")):
        return rupiah(value, lang)
    if key in ("nonphysical_share", "gap"):
        digits = 3 if key == "gap" else 1
        text = f"{value * 100:.{digits}f}%"
        return text if lang == "en" else text.replace(".", ",")
    if key == "count":
        return str(int(value))
    text = f"{value:,.2f}"
    return text if lang == "en" else text.replace(",", "_").replace(".", ",").replace("_", ".")


def compare_scenarios(items: list[Item], scenarios: Sequence[Scenario]) -> Comparison:
    """Solve every scenario on the same items; one column per scenario."""
    sols = tuple(optimise(items, s) for s in scenarios)
    kecs = sorted({k for s in sols for k in s.by_kecamatan} | {it.kecamatan for it in items})
    opds = sorted({o for s in sols for o in s.by_opd} | {it.opd for it in items})
    labels = scenarios[0].labels if scenarios else {}
    rows: list[tuple[str, str, str, tuple[float | str | None, ...]]] = [
        ("status", "Status", "Status", tuple(s.status for s in sols)),
        ("objective", "Nilai tujuan", "Objective", tuple(s.objective for s in sols)),
        ("gap", "Selisih (gap)", "Gap", tuple(s.gap for s in sols)),
        ("count", "Jumlah didanai", "Items funded", tuple(float(s.count) for s in sols)),
        ("total", "Total didanai", "Total funded", tuple(s.total for s in sols)),
        ("nonphysical_share", "Porsi non-fisik", "Non-physical share",
         tuple(s.nonphysical_share for s in sols)),
    ]
    for k in kecs:
        name = labels.get(k, k)
        rows.append((f"kecamatan:{k}", f"Kec. {name}", f"Kec. {name}",
                     tuple(s.by_kecamatan.get(k, 0.0) for s in sols)))
    for o in opds:
        name = labels.get(o, o)
        rows.append((f"opd:{o}", name, name, tuple(s.by_opd.get(o, 0.0) for s in sols)))
    return Comparison(tuple(s.name for s in scenarios), tuple(rows), sols)
