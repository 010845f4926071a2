"""A customer's list of its part numbers (CSV or XLSX), for a product-level declaration.

Customers send the list they ask about as it comes out of their ERP: a part-number column, sometimes
our (the supplier's) part number beside it, sometimes a description. A row that cannot be used is
reported with its row number and left out; the other rows are kept, so one bad row never hides the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from oretrace.errors import BadInput
from oretrace.smelters.tables import header_key, read_table

# The longest part number we keep: the Product List's cells and our Part.number hold 100 characters.
MAX_NUMBER_LENGTH = 100

# Headers as header_key reads them. "Supplier part number" is ours: the customer wrote the list, and we
# are its supplier.
_THEIR_NUMBER = (
    "customer part number",
    "customer part no",
    "customer pn",
    "part number",
    "part no",
    "part",
    "pn",
    "p n",
    "item number",
    "item",
    "material",
    "material number",
)
_OUR_NUMBER = (
    "supplier part number",
    "supplier part no",
    "supplier pn",
    "vendor part number",
    "vendor part no",
    "manufacturer part number",
    "mpn",
    "our part number",
)
_DESCRIPTION = ("description", "part description", "item description", "name", "part name")


@dataclass(frozen=True)
class CustomerPart:
    row: int  # as the spreadsheet shows it
    number: str  # the customer's part number
    our_number: str | None  # our part number when the list gives it
    description: str | None


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}"


@dataclass(frozen=True)
class PartList:
    parts: tuple[CustomerPart, ...]
    problems: tuple[RowProblem, ...]


def read_part_list(data: bytes, name: str) -> PartList:
    """The usable rows of a customer's part list and a problem for each row left out.

    Raises BadInput when the file is not a table or has no part-number column.
    """
    table = read_table(data, name=name, recognise=_recognise, expected="a part number column")
    columns = _columns(table.headers)
    parts: list[CustomerPart] = []
    problems: list[RowProblem] = []
    first_row: dict[str, int] = {}
    for offset, cells in enumerate(table.rows, start=1):
        row = table.header_row + offset
        values = {key: cell_text(cells, index) for key, index in columns.items()}
        if not any(cell_text(cells, i) for i in range(len(cells))):
            continue  # a blank line between blocks, or the sheet's trailing rows
        number = values.get("number") or ""
        problem = _number_problem(number, first_row)
        if problem:
            problems.append(RowProblem(row, problem))
            continue
        our = values.get("our_number") or None
        if our and len(our) > MAX_NUMBER_LENGTH:
            problems.append(RowProblem(row, f"our part number is longer than {MAX_NUMBER_LENGTH} characters"))
            continue
        first_row[number] = row
        parts.append(CustomerPart(row, number, our, values.get("description") or None))
    if not parts and not problems:
        raise BadInput(f"{name} lists no part numbers under its header (row {table.header_row}).", file=name)
    return PartList(tuple(parts), tuple(problems))


def _number_problem(number: str, first_row: dict[str, int]) -> str | None:
    if not number:
        return "no part number"
    if len(number) > MAX_NUMBER_LENGTH:
        return f"the part number is longer than {MAX_NUMBER_LENGTH} characters"
    if any(ord(c) < 32 for c in number):
        return f"the part number {number!r} holds a control character"
    if number in first_row:
        return f"part number {number} is listed already on row {first_row[number]}"
    return None


def _recognise(headers: Sequence[str]) -> bool:
    return any(header_key(h) in _THEIR_NUMBER for h in headers)


def _columns(headers: Sequence[str]) -> dict[str, int]:
    keys = [header_key(h) for h in headers]
    columns = {}
    for field, names in (
        ("number", _THEIR_NUMBER),
        ("our_number", _OUR_NUMBER),
        ("description", _DESCRIPTION),
    ):
        # The most specific header wins: "Customer part number" over a plain "Part".
        for name in names:
            if name in keys and keys.index(name) not in columns.values():
                columns[field] = keys.index(name)
                break
    return columns


def cell_text(cells: Sequence[Any], index: int) -> str:
    if index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a numeric part number read from a workbook: 4711.0 is part 4711
    return str(value).strip()
