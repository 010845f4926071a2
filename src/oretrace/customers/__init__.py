"""Our side as a supplier: our customers ask us for a CMRT, sometimes for a list of their part numbers.

``partlist`` reads a customer's list of part numbers, ``answers`` says whether what we sent a customer
still holds and why not (``update_reasons``), ``deadlines`` when to remind ourselves of a customer's due date. The declaration itself is
derived by ``oretrace.declaration`` and written by ``oretrace.rmi.writer``, as for any CMRT of ours.
"""

from oretrace.customers.answers import (
    AnswerSource,
    answer_changes,
    answer_fingerprint,
    answer_summary,
    update_reasons,
)
from oretrace.customers.deadlines import REMINDER_DAYS_BEFORE, due_reminder
from oretrace.customers.links import SupplierLinks, read_supplier_links
from oretrace.customers.partlist import CustomerPart, PartList, RowProblem, read_part_list
from oretrace.customers.scope import customer_product_scope, our_number

__all__ = [
    "REMINDER_DAYS_BEFORE",
    "AnswerSource",
    "CustomerPart",
    "PartList",
    "RowProblem",
    "SupplierLinks",
    "answer_changes",
    "answer_fingerprint",
    "answer_summary",
    "customer_product_scope",
    "due_reminder",
    "our_number",
    "read_part_list",
    "read_supplier_links",
    "update_reasons",
]
