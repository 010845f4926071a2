"""Small text filters for the pages: ``{% load oretrace_text %}``."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def period(value) -> str:
    """The value ending one sentence: "Co., Ltd." stays "Co., Ltd.", "Supplier" becomes "Supplier.",
    so that a company name ending in a period is not followed by a second one ("Co., Ltd..")."""
    text = str(value or "").rstrip()
    return text if text.endswith((".", "!", "?", "。")) else f"{text}."
