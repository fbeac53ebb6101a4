"""``{% load linkage %}{% linkage_benefits family %}``: the programme entries linked to a family's
members, for the registry's family profile ("Bantuan yang diterima")."""

from __future__ import annotations

from typing import Any

from django import template

from padu.linkage import selectors

register = template.Library()


@register.inclusion_tag("linkage/_family_benefits.html", takes_context=True)
def linkage_benefits(context: dict[str, Any], family: Any) -> dict[str, Any]:
    user = context.get("user")
    return {"links": list(selectors.family_benefits(user=user, family=family)), "user": user}
