"""Template filters for planning pages: rupiah (``Rp 6,2 M``), shares, bilingual engine texts."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import get_language

from padu.planning.engine.text import percent, rupiah

register = template.Library()


def _lang() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@register.filter(name="rupiah")
def rupiah_filter(value: Any) -> str:
    if value in (None, ""):
        return "—"
    return rupiah(float(value), _lang())


@register.filter(name="share")
def share_filter(value: Any) -> str:
    if value in (None, ""):
        return "—"
    return percent(float(value), _lang())


@register.filter(name="bilingual")
def bilingual(obj: Any, base: str) -> str:
    """``row|bilingual:"text"`` -> ``row["text_en"]`` in English when set, else ``row["text"]``."""
    if _lang() == "en":
        english = obj.get(f"{base}_en") if isinstance(obj, dict) else getattr(obj, f"{base}_en", "")
        if english:
            return str(english)
    return str(obj.get(base, "") if isinstance(obj, dict) else getattr(obj, base, ""))
