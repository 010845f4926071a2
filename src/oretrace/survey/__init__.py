"""The inquiry's suppliers and every figure counted from them, defined once.

>>> figures = survey_figures(Survey.of(suppliers, due=due))   # doctest: +SKIP
>>> figures.responded, figures.response_rate                  # doctest: +SKIP
"""

from oretrace.survey.figures import COUNTED_BY, members, survey_figures
from oretrace.survey.model import (
    FIGURES,
    QUEUE_FIGURES,
    REVIEW_FIGURES,
    FigureDefinition,
    Figures,
    OpenFinding,
    RequestState,
    ResultsRule,
    Survey,
    SurveyedSupplier,
    finding_key,
)

__all__ = [
    "COUNTED_BY",
    "FIGURES",
    "QUEUE_FIGURES",
    "REVIEW_FIGURES",
    "FigureDefinition",
    "Figures",
    "OpenFinding",
    "RequestState",
    "ResultsRule",
    "Survey",
    "SurveyedSupplier",
    "finding_key",
    "members",
    "survey_figures",
]
