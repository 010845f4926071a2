"""Reading a list of conflict-affected and high-risk areas (CAHRA) from the file a team has.

The EU's indicative list (RAND Europe) and companies' own lists arrive as CSV, as workbooks or as
plain text; each becomes the country names it holds, in the file's order, so that
``CountryList(read_country_list(data, name))`` flags the smelters in those countries.
"""

from __future__ import annotations

from pathlib import Path

from oretrace.errors import BadInput
from oretrace.rmi import normalise
from oretrace.rollup.countries import country_key
from oretrace.smelters.tables import decode_text, header_key, read_table

# Headers of a CAHRA file's country column, compared after header_key(): "Country", "Country name",
# "Country or area"; the EU list (RAND Europe's indicative list) names areas by country.
_COUNTRY_HEADERS = ("country", "countries", "country name", "country or area", "area", "cahra")
_TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls")
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # XLSX (a ZIP), XLS (OLE2)
LONGEST_COUNTRY = 100  # characters: "The United Kingdom of Great Britain and Northern Ireland" is 56


def _country_column(headers) -> int | None:
    keys = [header_key(h) for h in headers]
    for wanted in _COUNTRY_HEADERS:
        if wanted in keys:
            return keys.index(wanted)
    return next((i for i, k in enumerate(keys) if k.startswith("country ")), None)


def read_country_list(data: bytes, filename: str) -> list[str]:
    """The countries of a CAHRA list, each once, in the file's order.

    A CSV or workbook needs a column headed "Country" (or "Country name", "Area"); any other file is
    read as plain text, one country per line (a "Country" heading and lines starting with # skipped).
    Raises BadInput saying what is wrong; a name is never guessed from a line that is not one.
    """
    if not data.strip():
        raise BadInput("The file is empty.", file=filename)
    names: list[tuple[int, str]] = []  # (line or row number, name)
    if data.startswith(_WORKBOOK_MAGIC) or filename.lower().endswith(_TABLE_SUFFIXES):
        table = read_table(
            data,
            name=filename,
            recognise=lambda headers: _country_column(headers) is not None,
            expected='a "Country" column',
        )
        column = _country_column(table.headers)
        for offset, row in enumerate(table.rows):
            value = normalise.text(row[column]) if column < len(row) else None
            names.append((table.header_row + 1 + offset, (value or "").strip()))
    else:
        text, _ = decode_text(data, filename)
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if line.startswith("#") or (not names and _country_column([line]) is not None):
                continue
            names.append((number, line))
    too_long = [str(n) for n, name in names if len(name) > LONGEST_COUNTRY]
    if too_long:
        raise BadInput(
            f"Line {', '.join(too_long[:5])} {'is' if len(too_long) == 1 else 'are'} longer than "
            f"{LONGEST_COUNTRY} characters, which no country name is: the file does not look like a list "
            "of countries (one per line, or a CSV or workbook with a Country column).",
            file=filename,
        )
    countries: dict[str, str] = {}
    for _, name in names:
        if name and country_key(name):
            countries.setdefault(country_key(name), name)
    if not countries:
        raise BadInput("The file names no country.", file=filename)
    return list(countries.values())


def read_country_file(path: Path) -> list[str]:
    """read_country_list() of a file on disk, with a clear message when it cannot be opened."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadInput(f"The CAHRA list cannot be read: {error.strerror or error}.", file=str(path)) from None
    return read_country_list(data, path.name)
