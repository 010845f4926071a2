"""A customer's list of part numbers, imported into its request and mapped to our parts.

The core reads the list (oretrace.customers.read_part_list) and names each row it leaves out; the rows it
keeps replace the request's earlier list in one transaction. A customer's number maps to our part (or
product) by the "supplier part number" its list gives, else by the same number: reports.documents
.match_parts finds the suppliers behind it, as for the reports page's product-level CMRT.
"""

from __future__ import annotations

from django.db import transaction

from oretrace.customers import CustomerPart as ListedPart
from oretrace.customers import PartList, customer_product_scope, our_number, read_part_list
from oretrace.declaration import ProductScope
from oretrace.review.wording import plural
from oretrace.web.audit.models import AuditEntry
from oretrace.web.customers.models import CustomerPart, CustomerRequest
from oretrace.web.reports import documents


def import_part_list(request: CustomerRequest, data: bytes, filename: str, by) -> PartList:
    """Replace the request's part numbers with the usable rows of the list; BadInput for a file that is
    not a part list at all."""
    parts = read_part_list(data, filename)
    with transaction.atomic():
        CustomerRequest.objects.select_for_update().get(pk=request.pk)
        request.parts.all().delete()
        CustomerPart.objects.bulk_create(
            CustomerPart(
                request=request,
                row=part.row,
                number=part.number,
                our_number=part.our_number or "",
                description=(part.description or "")[:300],
            )
            for part in parts.parts
        )
        detail = f"{filename}: {plural(len(parts.parts), 'part number')}"
        if parts.problems:
            detail += f", {plural(len(parts.problems), 'row')} left out"
        AuditEntry.record(by, "customers.parts_imported", request, detail)
    return parts


def listed_parts(request: CustomerRequest) -> list[ListedPart]:
    return [
        ListedPart(p.row, p.number, p.our_number or None, p.description or None) for p in request.parts.all()
    ]


def mapped_parts(request: CustomerRequest) -> list[tuple[ListedPart, documents.PartMatch]]:
    """Each of the customer's parts with the part or product of ours it maps to and that one's suppliers."""
    parts = listed_parts(request)
    matches = {m.number: m for m in documents.match_parts([our_number(p) for p in parts])}
    return [(part, matches[our_number(part)]) for part in parts]


def product_scope(request: CustomerRequest) -> ProductScope:
    """The request's product scope for the core's derivation; BadInput when it lists no part."""
    mapped = mapped_parts(request)
    suppliers = {match.number: match.suppliers for _, match in mapped}
    names = {match.number: match.name for _, match in mapped if match.name}
    return customer_product_scope([part for part, _ in mapped], suppliers, names)
