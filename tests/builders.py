"""Small RMI-shaped workbooks built with openpyxl, so tests run on a machine without ../shared.

Each builder writes only what the reader looks at: the sheet names, the title in Declaration!D2,
the revision in J3, the question labels in column B (their "1)" / "A." prefixes are what the
reader's structural check looks for), the answers in column D, and the list sheets. The cell
addresses are written out here on purpose, independently of oretrace's layouts, so that a wrong
address in a layout makes a test fail instead of agreeing with itself.

    path = build_cmrt6(tmp_path / "a.xlsx", company={"name": "Acme"}, answers={"Q1": "Yes"})

Answers: ``{"Q1": "Yes"}`` answers Q1 for every mineral; ``{"Q1": {"Tin": "No"}}`` for one.
Company questions: ``{"A": "Yes"}``; EMRT C per mineral: ``{"C": {"Cobalt": "Yes"}}``.
Smelters: dicts of field name (as in oretrace.rmi.model.SmelterRow) to value.
Every builder returns the path it wrote.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook

CMRT_METALS = ("Tantalum", "Tin", "Gold", "Tungsten")
EMRT2_MINERALS = ("Cobalt", "Copper", "Graphite", "Lithium", "Mica", "Nickel")

CMRT_TITLE = "Conflict Minerals Reporting Template (CMRT)"
EMRT_TITLE = "Extended Minerals Reporting Template (EMRT)"
AMRT_TITLE = "Additional Minerals Reporting Template (AMRT)"

# CMRT 6.x (and 3.x, whose company block is the same) Declaration!D8-D22.
COMPANY_CELLS_6 = {
    "name": "D8",
    "declaration_scope": "D9",
    "scope_description": "D10",
    "unique_id": "D12",
    "unique_id_authority": "D13",
    "address": "D14",
    "contact_name": "D15",
    "contact_email": "D16",
    "contact_phone": "D17",
    "authorizer_name": "D18",
    "authorizer_title": "D19",
    "authorizer_email": "D20",
    "authorizer_phone": "D21",
    "effective_date": "D22",
}
# EMRT 2.x: the mineral pick list pushes the block from D12 down to D16-D26.
COMPANY_CELLS_EMRT2 = {
    **{k: COMPANY_CELLS_6[k] for k in ("name", "declaration_scope", "scope_description")},
    **dict(
        zip(
            list(COMPANY_CELLS_6)[3:],
            (f"D{row}" for row in range(16, 27)),
            strict=True,
        )
    ),
}
# AMRT 1.3: pick list D12:I13 and "Other" names D15:I16, then the block at D17-D27.
COMPANY_CELLS_AMRT13 = {
    **{k: COMPANY_CELLS_6[k] for k in ("name", "declaration_scope", "scope_description")},
    **dict(zip(list(COMPANY_CELLS_6)[3:], (f"D{row}" for row in range(17, 28)), strict=True)),
}

QUESTION_ROWS_6 = (25, 31, 37, 43, 49, 55, 61, 67)
COMPANY_ROWS_6 = dict(zip("ABCDEFGH", range(75, 90, 2), strict=True))
QUESTION_ROWS_3 = QUESTION_ROWS_6[:7]
COMPANY_ROWS_3 = dict(zip("ABCDEFGHIJ", range(69, 88, 2), strict=True))
QUESTION_ROWS_EMRT2 = (29, 41, 53, 65, 77, 89, 101)
COMPANY_ROWS_EMRT2 = {"A": 115, "B": 117, "C": 119, "D": 131, "E": 133, "F": 135, "G": 137}
EMRT2_PICK_CELLS = ("D12", "E12", "G12", "D13", "E13", "G13")  # Cobalt, Copper, ... Nickel
AMRT13_PICK_CELLS = ("D12", "E12", "G12", "H12", "I12", "D13", "E13", "G13", "H13", "I13")
AMRT13_OTHER_CELLS = ("D15", "E15", "G15", "H15", "I15", "D16", "E16", "G16", "H16", "I16")

SMELTER_COLUMNS_6 = {
    "id_input": "A",
    "metal": "B",
    "lookup_name": "C",
    "name": "D",
    "country": "E",
    "smelter_id": "F",
    "id_source": "G",
    "street": "H",
    "city": "I",
    "state": "J",
    "contact_name": "K",
    "contact_email": "L",
    "next_steps": "M",
    "mine_names": "N",
    "mine_countries": "O",
    "recycled_or_scrap": "P",
    "comments": "Q",
}
MINE_COLUMNS = {
    "metal": "A",
    "smelter_name": "B",
    "mine_name": "C",
    "mine_id": "D",
    "id_source": "E",
    "country": "F",
}

# A few real-looking look-up rows: (metal, alias, standard name, country, CID).
SMALL_LOOKUP_6 = (
    ("Tungsten", "Xiamen Tungsten Co., Ltd.", "Xiamen Tungsten Co., Ltd.", "CHINA", "CID002082"),
    ("Tin", "Alpha", "Alpha", "UNITED STATES OF AMERICA", "CID000292"),
    ("Tin", "Alpha Metals", "Alpha", "UNITED STATES OF AMERICA", "CID000292"),
    ("Gold", "Smelter not listed", "Smelter not listed", None, None),
)


def build_cmrt6(
    path: str | Path,
    *,
    revision: str = "Revision 6.4\nApril 26, 2024",
    company: Mapping[str, Any] | None = None,
    answers: Mapping[str, Any] | None = None,
    company_answers: Mapping[str, str] | None = None,
    policy_url: str | None = None,
    smelters: Iterable[Mapping[str, Any]] = (),
    products: Iterable[tuple[Any, ...]] = (),
    lookup: Iterable[tuple[Any, ...]] = SMALL_LOOKUP_6,
    checker_total: int | None = None,
    language: str = "English",
) -> Path:
    """A CMRT 6.x: Q1-Q8 below rows 25 ... 67, company questions A-H at D75 ... D89."""
    book, declaration = _declaration(CMRT_TITLE, revision, language)
    _company(declaration, COMPANY_CELLS_6, company)
    _questions(declaration, QUESTION_ROWS_6, CMRT_METALS, answers)
    _company_questions(declaration, COMPANY_ROWS_6, company_answers, policy_url)
    _smelter_list(book, SMELTER_COLUMNS_6, smelters)
    _checker(book, checker_total)
    _product_list(book, products, columns="BCD")
    _lookup_sheet(book, "Smelter Look-up", 5, lookup)
    return _save(book, path)


def build_cmrt3(
    path: str | Path,
    *,
    revision: str = "Revision 3.01\nMay 30, 2014",
    company: Mapping[str, Any] | None = None,
    answers: Mapping[str, Any] | None = None,
    company_answers: Mapping[str, str] | None = None,
    company_letters: str = "ABCDEFGHIJ",
    policy_url: str | None = None,
    smelters: Iterable[Mapping[str, Any]] = (),
    products: Iterable[tuple[Any, ...]] = (),
    standard_names: Iterable[tuple[Any, ...]] = (),
) -> Path:
    """A CMRT 3.x: Q1-Q7 at the 6.x rows, company questions A-J at D69 ... D87, no column A input.

    ``company_letters="ABCDEFGHI"`` gives the A-I Declaration of CMRT 5.x (with a 5.x revision).
    ``standard_names`` rows are (metal, name, country, old ID, new ID) from row 3 of the
    "Standard Smelter Names" sheet.
    """
    book, declaration = _declaration(CMRT_TITLE, revision, "English")
    _company(declaration, COMPANY_CELLS_6, company)
    _questions(declaration, QUESTION_ROWS_3, CMRT_METALS, answers)
    rows = {letter: 69 + 2 * i for i, letter in enumerate(company_letters)}
    _company_questions(declaration, rows, company_answers, policy_url)
    columns = {k: v for k, v in SMELTER_COLUMNS_6.items() if k != "id_input"}
    _smelter_list(book, columns, smelters)
    names = book.create_sheet("Standard Smelter Names")
    for column, header in zip(
        "ABCDE", ("Metal", "Standard Smelter Names", "Country", "Old ID", "New ID"), strict=True
    ):
        names[f"{column}2"] = header
    for row, values in enumerate(standard_names, start=3):
        for column, value in zip("ABCDE", values, strict=False):
            names[f"{column}{row}"] = value
    _checker(book, None)
    _product_list(book, products, columns="BCD")
    return _save(book, path)


def build_emrt2(
    path: str | Path,
    *,
    revision: str = "Revision 2.1\nOctober 17, 2025",
    picked: Iterable[str] = ("Cobalt", "Mica"),
    company: Mapping[str, Any] | None = None,
    answers: Mapping[str, Any] | None = None,
    company_answers: Mapping[str, Any] | None = None,
    smelters: Iterable[Mapping[str, Any]] = (),
    mines: Iterable[Mapping[str, Any]] = (),
    products: Iterable[tuple[Any, ...]] = (),
    cache_labels: bool = True,
) -> Path:
    """An EMRT 2.x: minerals picked in D12:G13 ("(Delete X)" when not), answers on the rows below
    each header in alphabetical order of the picked minerals, C per mineral in D120:D129.

    ``cache_labels=False`` leaves column B below the headers empty, as a file saved by a program
    that does not calculate would.
    """
    picked = tuple(picked)
    book, declaration = _declaration(EMRT_TITLE, revision, "English")
    for mineral, address in zip(EMRT2_MINERALS, EMRT2_PICK_CELLS, strict=True):
        declaration[address] = mineral if mineral in picked else f"(Delete {mineral})"
    order = sorted(picked, key=str.casefold)
    _company(declaration, COMPANY_CELLS_EMRT2, company)
    _questions(declaration, QUESTION_ROWS_EMRT2, order, answers, labels=cache_labels)
    plain = {k: v for k, v in (company_answers or {}).items() if k != "C"}
    _company_questions(declaration, COMPANY_ROWS_EMRT2, plain, None)
    for offset, mineral in enumerate(order, start=1):
        if cache_labels:
            declaration[f"B{119 + offset}"] = mineral
        declaration[f"D{119 + offset}"] = (company_answers or {}).get("C", {}).get(mineral)
    _smelter_list(book, SMELTER_COLUMNS_6, smelters)
    _checker(book, None)
    _list_sheet(book, "Mine List", 5, MINE_COLUMNS, mines)
    _product_list(book, products, columns="BCDEF")
    _lookup_sheet(book, "Smelter Look-up", 5, ())
    return _save(book, path)


def build_amrt13(
    path: str | Path,
    *,
    revision: str = "Revision 1.3\nOctober 17, 2025",
    picked: Iterable[str] = ("Zinc", "Silver"),
    other: Iterable[str] = (),
    company: Mapping[str, Any] | None = None,
    answers: Mapping[str, Any] | None = None,
    products: Iterable[tuple[Any, ...]] = (),
    mines: Iterable[Mapping[str, Any]] = (),
) -> Path:
    """An AMRT 1.3 with a Minerals Scope sheet: ``picked`` from the list, then one "Other [specify
    below]" per name in ``other`` with the name in the cell below its pick cell; Q1 below row 30 and
    Q2 below row 42, one row per mineral in alphabetical order."""
    picked, other = tuple(picked), tuple(other)
    book, declaration = _declaration(AMRT_TITLE, revision, "English")
    for index, mineral in enumerate(picked):
        declaration[AMRT13_PICK_CELLS[index]] = mineral
    for index, name in enumerate(other, start=len(picked)):
        declaration[AMRT13_PICK_CELLS[index]] = "Other [specify below]"
        declaration[AMRT13_OTHER_CELLS[index]] = name
    order = sorted({m.casefold(): m for m in picked + other}.values(), key=str.casefold)
    _company(declaration, COMPANY_CELLS_AMRT13, company)
    _questions(declaration, (30, 42), order, answers)
    book.create_sheet("Minerals Scope")["B7"] = "Select Minerals/Metals in Scope"
    _smelter_list(book, SMELTER_COLUMNS_6, ())
    _checker(book, None)
    _list_sheet(book, "Mine List", 5, MINE_COLUMNS, mines)
    _product_list(book, products, columns="BCDEF")
    _lookup_sheet(book, "Smelter Look-up", 5, ())
    return _save(book, path)


# --- parts -----------------------------------------------------------------------------------------


def _declaration(title: str, revision: str, language: str):
    book = Workbook()
    book.active.title = "Revision"
    book.create_sheet("Instructions")
    declaration = book.create_sheet("Declaration")
    declaration["D2"] = title
    declaration["D3"] = language
    declaration["J3"] = revision
    return book, declaration


def _company(sheet, cells: Mapping[str, str], values: Mapping[str, Any] | None) -> None:
    for field_name, value in (values or {}).items():
        if isinstance(value, dt.datetime | dt.date):
            sheet[cells[field_name]] = value
            sheet[cells[field_name]].number_format = "DD-MMM-YYYY"
        else:
            sheet[cells[field_name]] = value


def _questions(
    sheet,
    header_rows: Iterable[int],
    minerals: Iterable[str],
    answers: Mapping[str, Any] | None,
    labels: bool = True,
) -> None:
    minerals = tuple(minerals)
    for number, header in enumerate(header_rows, start=1):
        sheet[f"B{header}"] = f"{number}) Question {number} (*)"
        sheet[f"D{header}"] = "Answer"
        sheet[f"G{header}"] = "Comments"
        given = (answers or {}).get(f"Q{number}")
        for offset, mineral in enumerate(minerals, start=1):
            if labels:
                sheet[f"B{header + offset}"] = f"{mineral}(*)"
            value = given.get(mineral) if isinstance(given, Mapping) else given
            if value is not None:
                sheet[f"D{header + offset}"] = value


def _company_questions(
    sheet, rows: Mapping[str, int], answers: Mapping[str, str] | None, policy_url: str | None
) -> None:
    for letter, row in rows.items():
        sheet[f"B{row}"] = f"{letter}. Company question {letter} (*)"
        if answers and letter in answers:
            sheet[f"D{row}"] = answers[letter]
    if policy_url is not None:
        sheet[f"G{rows['B']}"] = policy_url


def _smelter_list(book, columns: Mapping[str, str], smelters: Iterable[Mapping[str, Any]]) -> None:
    _list_sheet(book, "Smelter List", 5, columns, smelters)


def _list_sheet(
    book, name: str, first_row: int, columns: Mapping[str, str], rows: Iterable[Mapping[str, Any]]
):
    sheet = book.create_sheet(name)
    for field_name, column in columns.items():
        sheet[f"{column}{first_row - 1}"] = field_name
    for row, values in enumerate(rows, start=first_row):
        for field_name, value in values.items():
            sheet[f"{columns[field_name]}{row}"] = value
    return sheet


def _checker(book, total: int | None) -> None:
    sheet = book.create_sheet("Checker")
    if total is not None:
        sheet["D2"] = total


def _product_list(book, products: Iterable[tuple[Any, ...]], columns: str) -> None:
    sheet = book.create_sheet("Product List")
    sheet["B5"] = "Product Number (*)"
    for row, values in enumerate(products, start=6):
        for column, value in zip(columns, values, strict=False):
            sheet[f"{column}{row}"] = value


def _lookup_sheet(book, name: str, first_row: int, rows: Iterable[tuple[Any, ...]]) -> None:
    sheet = book.create_sheet(name)
    for column, header in zip(
        "ABCDEF", ("Metal", "Smelter Look-up", "Standard", "Country", "ID", "Source"), strict=True
    ):
        sheet[f"{column}{first_row - 1}"] = header
    for row, values in enumerate(rows, start=first_row):
        for column, value in zip("ABCDE", values, strict=False):
            sheet[f"{column}{row}"] = value
        sheet[f"F{row}"] = "RMI" if values[4] else None


def _save(book, path: str | Path) -> Path:
    path = Path(path)
    book.save(path)
    return path


def workbook_bytes(rows: list[list[Any]]) -> bytes:
    """A one-sheet .xlsx holding ``rows``, as a user's export would."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_checker_line_moved(data: bytes, row: int, to: str) -> bytes:
    """The workbook with Checker!B{row}'s reference changed to Declaration!{to}, as a cut-and-paste
    in Excel leaves it (the cached values are left as they were)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    checker = _sheet_part(source, "Checker")
    xml = source.read(checker)
    moved, count = re.subn(
        rb'(<c r="B%d"[^>]*><f>)Declaration!\$?D\$?\d+(</f>)' % row,
        rb"\1Declaration!" + to.encode() + rb"\2",
        xml,
    )
    assert count == 1, f"Checker!B{row} is not a plain Declaration reference in this file"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, moved if info.filename == checker else source.read(info.filename))
    return out.getvalue()


def _sheet_part(source: zipfile.ZipFile, name: str) -> str:
    workbook = source.read("xl/workbook.xml").decode()
    relationships = source.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{name}"[^>]*r:id="(rId\d+)"', workbook).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', relationships) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', relationships
    )
    path = target.group(1)
    return path.lstrip("/") if path.startswith("/") else f"xl/{path}"
