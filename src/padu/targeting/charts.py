"""Plotly figures (plain dicts, drawn offline by ``targeting/charts.js``) of the findings pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from padu.targeting.choices import Category

COLOURS = {"inclusion": "#c0392b", "exclusion": "#2471a3", "double": "#d68910"}


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": 14}},
        "barmode": "stack",
        "margin": {"l": 60, "r": 10, "t": 40, "b": 90},
        "height": 320,
        "legend": {"orientation": "h"},
        "yaxis": {"title": {"text": _("Rp per tahun")}},
        **extra,
    }


def stacked_rupiah(rows: list[dict[str, Any]], title: str, limit: int = 20) -> dict[str, Any]:
    """A bar per row (its label), stacked by category, rupiah a year."""
    rows = rows[:limit]
    labels = [str(r["label"]) for r in rows]
    data = [
        {
            "type": "bar",
            "name": str(c.label),
            "x": labels,
            "y": [r[c.value] for r in rows],
            "marker": {"color": COLOURS[c.value]},
        }
        for c in Category
    ]
    return {"data": data, "layout": _layout(title)}


def history_lines(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Findings per period, a line per category."""
    periods = [r["period"] for r in rows]
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": str(c.label),
            "x": periods,
            "y": [next(x["n"] for x in r["categories"] if x["code"] == c.value) for r in rows],
            "line": {"color": COLOURS[c.value]},
        }
        for c in Category
    ]
    layout = _layout(_("Temuan per periode"), yaxis={"title": {"text": _("temuan")}})
    layout["xaxis"] = {"type": "category"}
    return {"data": data, "layout": layout}
