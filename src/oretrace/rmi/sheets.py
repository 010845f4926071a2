"""A worksheet as a grid addressed the way Excel users speak: "D8", row 5 column "B"."""

from __future__ import annotations

import re
from typing import Any

from python_calamine import CalamineWorkbook

_ADDRESS = re.compile(r"^([A-Z]{1,3})(\d+)$")


def column_index(letters: str) -> int:
    """0-based index of a column: A -> 0, Z -> 25, AB -> 27."""
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class Grid:
    """The cached values of one sheet; cells beyond the stored area read as None."""

    def __init__(self, name: str, rows: list[list[Any]]):
        self.name = name
        self.rows = rows

    @classmethod
    def load(cls, book: CalamineWorkbook, name: str) -> Grid:
        return cls(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))

    @property
    def height(self) -> int:
        return len(self.rows)

    def at(self, row: int, column: str | int) -> Any:
        """The value at a 1-based row and a column letter (or 0-based index)."""
        col = column_index(column) if isinstance(column, str) else column
        if row < 1 or row > len(self.rows):
            return None
        values = self.rows[row - 1]
        if col >= len(values):
            return None
        value = values[col]
        return None if value == "" else value

    def get(self, address: str) -> Any:
        match = _ADDRESS.match(address)
        if not match:
            raise ValueError(f"not a cell address: {address!r}")
        return self.at(int(match.group(2)), match.group(1))

    def ref(self, address: str) -> str:
        return f"{self.name}!{address}"
