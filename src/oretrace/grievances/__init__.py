"""The grievance mechanism's cases as the reports see them: figures for a reporting period and the case
register an auditor reads, with no reporter's personal data (OECD Guidance Step 1(e), EU Regulation
2017/821 Art. 4(e)). The web app keeps the cases; this package counts them."""

from oretrace.grievances.cases import CATEGORIES, SEVERITIES, GrievanceCase, category_label
from oretrace.grievances.figures import GrievanceFigures, grievance_figures
from oretrace.grievances.register import case_register, cases_in_period

__all__ = [
    "CATEGORIES",
    "SEVERITIES",
    "GrievanceCase",
    "GrievanceFigures",
    "case_register",
    "cases_in_period",
    "category_label",
    "grievance_figures",
]
