"""{% results_rule campaign %}: which responses our CMRT and the report are built from, with the count,
and for an analyst the form that changes it (the CMRT page and the report page show it alike)."""

from django import template

from oretrace.survey import ResultsRule
from oretrace.web.accounts.models import can_edit
from oretrace.web.campaigns.rollup import campaign_survey

register = template.Library()


@register.inclusion_tag("staff/_results_rule.html", takes_context=True)
def results_rule(context, campaign):
    request = context.get("request")
    figures = campaign_survey(campaign).figures
    return {
        "campaign": campaign,
        "rule": ResultsRule(campaign.results_rule),
        "rules": list(ResultsRule),
        "in_results": figures.in_results,
        "returned": figures.returned,
        "left_out": figures.returned - (figures.in_results or 0),
        "can_edit": bool(request and can_edit(request.user)),
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }
