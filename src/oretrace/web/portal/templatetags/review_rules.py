"""The review rules' titles in the supplier's language: ``{% load review_rules %}{{ finding.code|rule_title }}``.

The core (oretrace.review) stays free of Django and writes its findings in English. Here each rule's
English title, read from RULES at the time of the page, is the msgid of this app's catalogue
(locale/zh_Hans/LC_MESSAGES/django.po), so a rule the core adds or renames shows its English title until
it is translated, and tests/web/test_web_rule_titles.py fails until then.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from oretrace.review import RULES

register = template.Library()


@register.filter
def rule_title(code) -> str:
    """The title of the rule with this code in the active language; "" for a code the core no longer
    has (a file reviewed before a rule was retired), so the page shows the finding's own text only."""
    rule = RULES.get(code or "")
    return gettext(rule.title) if rule else ""
