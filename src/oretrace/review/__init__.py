"""Every check a compliance analyst makes on a supplier's RMI template, as data.

    >>> from oretrace.review import review
    >>> report = review(response)                      # doctest: +SKIP
    >>> report.checker_missing, report.counts          # doctest: +SKIP
    (1, {'error': 2, 'warning': 1, 'info': 0})

Rules live one family per module and register themselves in ``RULES`` (a dict keyed by code).
"""

from oretrace.review.checker import checker_missing
from oretrace.review.findings import Finding, ReviewReport
from oretrace.review.identity import ExpectedSupplier
from oretrace.review.registry import RULES, Rule
from oretrace.review.run import review

__all__ = ["RULES", "ExpectedSupplier", "Finding", "ReviewReport", "Rule", "checker_missing", "review"]
