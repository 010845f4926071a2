"""Which supplier each of our parts comes from, for a product-level answer on the command line.

The web app keeps these links (suppliers.SupplierPart); ``oretrace customers answer`` reads them from a
two-column export of our ERP or BOM: our part number and the supplier, named as the roll-up names it
(the company name its file declares, or the file's name). A part with several suppliers has a row for
each. A row that cannot be used is named and left out, as in a customer's part list.
"""

from __future__ import annotations

from dataclasses import dataclass

from oretrace.customers.partlist import MAX_NUMBER_LENGTH, RowProblem, cell_text
from oretrace.errors import BadInput
from oretrace.smelters.tables import columns_by_header, header_key, read_table

_WORDINGS = {
    "part": ("our part number", "part number", "part no", "part", "item number", "item", "material"),
    "supplier": ("supplier", "supplier name", "vendor", "vendor name", "supplier file", "file"),
}


@dataclass(frozen=True)
class SupplierLinks:
    suppliers_of: dict[str, tuple[str, ...]]  # our part number -> its suppliers
    problems: tuple[RowProblem, ...]


def read_supplier_links(data: bytes, name: str) -> SupplierLinks:
    """Our part numbers with their suppliers; BadInput when the file has no part and supplier columns."""

    def recognise(headers) -> bool:
        keys = {header_key(h) for h in headers}
        return all(keys & set(wordings) for wordings in _WORDINGS.values())

    table = read_table(data, name=name, recognise=recognise, expected="a part number and a supplier column")
    columns = columns_by_header(table.headers, _WORDINGS)
    links: dict[str, list[str]] = {}
    problems = []
    for offset, cells in enumerate(table.rows, start=1):
        row = table.header_row + offset
        part, supplier = (cell_text(cells, columns[field]) for field in ("part", "supplier"))
        if not part and not supplier:
            continue
        if not part or not supplier:
            problems.append(
                RowProblem(row, "no part number" if not part else f"part {part} names no supplier")
            )
        elif len(part) > MAX_NUMBER_LENGTH:
            problems.append(RowProblem(row, f"the part number is longer than {MAX_NUMBER_LENGTH} characters"))
        elif supplier not in links.setdefault(part, []):
            links[part].append(supplier)
    if not links and not problems:
        raise BadInput(
            f"{name} links no part to a supplier under its header (row {table.header_row}).", file=name
        )
    return SupplierLinks({part: tuple(names) for part, names in links.items()}, tuple(problems))
