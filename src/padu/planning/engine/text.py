"""Bilingual text and rupiah/percentage formatting for planning messages. Django-free."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    """A message in Bahasa Indonesia (``id``) and English (``en``)."""

    id: str
    en: str

    def __str__(self) -> str:
        return f"{self.id} / {self.en}"

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "en": self.en}


def _num(value: float, decimals: int, lang: str) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "id":  # 1,234.5 -> 1.234,5
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def rupiah(amount: float, lang: str = "id") -> str:
    """``6_200_000_000`` -> ``"Rp 6,2 M"`` (id) / ``"Rp 6.2 bn"`` (en); juta below a miliar."""
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    if value >= 1e12:
        unit, div = ("T", 1e12) if lang == "id" else ("tn", 1e12)
    elif value >= 1e9:
        unit, div = ("M", 1e9) if lang == "id" else ("bn", 1e9)
    elif value >= 1e6:
        unit, div = ("jt", 1e6) if lang == "id" else ("m", 1e6)
    else:
        return f"{sign}Rp {_num(value, 0, lang)}"
    scaled = value / div
    decimals = 0 if scaled >= 100 or scaled == round(scaled) else (1 if scaled >= 10 else 2)
    text = _num(scaled, decimals, lang)
    if "," in text or "." in text:
        text = text.rstrip("0").rstrip(",.") if decimals else text
    return f"{sign}Rp {text} {unit}"


def percent(share: float, lang: str = "id", decimals: int = 1) -> str:
    """``0.125`` -> ``"12,5%"`` (id) / ``"12.5%"`` (en)."""
    text = _num(share * 100.0, decimals, lang)
    if decimals and ("," in text or "." in text):
        text = text.rstrip("0").rstrip(",.")
    return f"{text}%"


def both(id_text: str, en_text: str) -> Text:
    return Text(id_text, en_text)
