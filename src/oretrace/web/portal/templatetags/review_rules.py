"""The review rules' words in the supplier's language: ``{% load review_rules %}{{ finding.code|for_supplier }}``
(what the rule found, said to the supplier) and ``{{ finding.code|rule_title }}`` (the analyst's title).

The core (oretrace.review) stays free of Django and writes its findings in English. Here each rule's
English text, read from RULES at the time of the page, is the msgid of this app's catalogue
(locale/zh_Hans/LC_MESSAGES/django.po), so a rule the core adds or renames shows its English title until
it is translated, and tests/web/test_web_rule_titles.py and test_web_portal_supplier_wording.py fail until then.
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


@register.filter
def for_supplier(code) -> str:
    """What the rule with this code found, said to the supplier, in the active language; "" for a code
    the core no longer has (the page then shows the finding's own text)."""
    rule = RULES.get(code or "")
    return gettext(rule.for_supplier) if rule and rule.for_supplier else ""
