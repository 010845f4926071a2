"""The online form's words for template values: ``{% load online_text %}{{ smelter.metal|metal_name }}``
shows "Tin" as 锡 to a supplier reading Chinese; the file keeps the template's English value."""

from __future__ import annotations

from django import template

from oretrace.web.portal.online_forms import MINERAL_TEXT

register = template.Library()


@register.filter
def metal_name(value: str | None) -> str:
    return str(MINERAL_TEXT.get(value or "", value or ""))
