"""``{% load verivali %}{% verivali_decisions family %}``: the verivali decisions about a family, for the
registry's family profile (scoped to the viewing user)."""

from __future__ import annotations

from typing import Any

from django import template

from padu.verivali import selectors

register = template.Library()


@register.inclusion_tag("verivali/_family_decisions.html", takes_context=True)
def verivali_decisions(context: dict[str, Any], family: Any) -> dict[str, Any]:
    user = context.get("user")
    return {"decisions": list(selectors.family_decisions(user=user, family=family)), "user": user}
