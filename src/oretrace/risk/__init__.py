"""Risk assessment and response (OECD DDG Steps 2 and 3): red flags on suppliers and smelters, a rating
for each, the standard corrective actions, and a one-page summary for senior management.

Pure core: the web app stores the thresholds per reporting year and the register entries; the CLI and
the web app both call ``assess``.
"""

from oretrace.risk.actions import RESPONSES, Response, SuggestedAction, actions_for, suggested_actions
from oretrace.risk.assess import AwaitingResponse, RiskAssessment, RiskRating, assess
from oretrace.risk.codes import FLAG_KINDS, FlagKind
from oretrace.risk.flags import RedFlag, rmi_country_level
from oretrace.risk.summary import ManagementSummary, OpenAction, build_summary
from oretrace.risk.summary import render as render_summary
from oretrace.risk.thresholds import RiskThresholds

__all__ = [
    "FLAG_KINDS",
    "RESPONSES",
    "AwaitingResponse",
    "FlagKind",
    "ManagementSummary",
    "OpenAction",
    "RedFlag",
    "Response",
    "RiskAssessment",
    "RiskRating",
    "RiskThresholds",
    "SuggestedAction",
    "actions_for",
    "assess",
    "build_summary",
    "render_summary",
    "rmi_country_level",
    "suggested_actions",
]
