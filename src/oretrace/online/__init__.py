"""A supplier's answers typed into the portal instead of Excel (issue #14 A).

The answers are a ``CompanyDeclaration``, the model our own CMRT is written from: converted from a
file the supplier uploaded or sent last year (answers.py), checked step by step by writing them into
the campaign's blank template and running the upload's own pipeline on that file (check.py), and on
submit written by the same writer (rmi.writer) into the file that becomes the supplier's response.
"""

from oretrace.online.answers import declaration_from_dict, declaration_from_response, declaration_to_dict
from oretrace.online.check import OnlineCheck, check_answers, write_response
from oretrace.online.search import search_lookup
from oretrace.online.steps import STEPS, Step, findings_for_step, step_named, steps_for

__all__ = [
    "STEPS",
    "OnlineCheck",
    "Step",
    "check_answers",
    "declaration_from_dict",
    "declaration_from_response",
    "declaration_to_dict",
    "findings_for_step",
    "search_lookup",
    "step_named",
    "steps_for",
    "write_response",
]
