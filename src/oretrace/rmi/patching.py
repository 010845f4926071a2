"""Changing input cells of an RMI workbook in place, leaving everything else byte-for-byte intact.

Re-creating RMI's workbook (openpyxl and friends) loses data validations, conditional formats,
comments, the hidden helper sheets' quirks and the workbook protection. So we patch the sheet XML
of the user's own template copy: only the cells we set change, every other zip member is copied
unchanged, and Excel or LibreOffice recalculate the formulas on open (fullCalcOnLoad). Text loses the
characters XML cannot hold (oretrace.xmltext) on its way in: lxml refuses them, and a name stored before
the reader and the forms cleaned such text must not stop our CMRT from being written.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from oretrace.errors import BadInput
from oretrace.rmi.archive import check_zip_bounds
from oretrace.rmi.sheets import column_index
from oretrace.xmltext import xml_safe

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS = {"m": MAIN_NS}
_ADDRESS = re.compile(r"^([A-Z]{1,3})(\d+)$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class CellWrite:
    """Put ``value`` into ``sheet!address``.

    ``cached_only`` keeps the cell's formula and only refreshes its cached result, so that a reader
    that does not calculate (ours, pandas, an ERP import) sees the same value Excel will compute.
    """

    sheet: str
    address: str
    value: Any
    cached_only: bool = False


def patch_workbook(template: bytes, writes: Iterable[CellWrite]) -> bytes:
    """The template's bytes with the given cells changed; every other part copied as it was."""
    check_zip_bounds(template, "template")
    by_sheet: dict[str, list[CellWrite]] = defaultdict(list)
    for write in writes:
        by_sheet[write.sheet].append(write)
    with zipfile.ZipFile(io.BytesIO(template)) as source:
        parts = _sheet_parts(source)
        missing = sorted(set(by_sheet) - set(parts))
        if missing:
            raise BadInput(f"The template has no sheet named {', '.join(missing)}; is it an RMI template?")
        patched = {
            parts[name]: _patch_sheet(source.read(parts[name]), cells) for name, cells in by_sheet.items()
        }
        patched["xl/workbook.xml"] = _recalculate_on_load(source.read("xl/workbook.xml"))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = patched.get(item.filename)
                if data is None:
                    target.writestr(item, source.read(item.filename))
                else:
                    target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member path, through the workbook's relationships."""
    workbook = etree.fromstring(archive.read("xl/workbook.xml"))
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{{{PKG_REL_NS}}}Relationship")}
    parts = {}
    for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{REL_NS}}}id"), "")
        path = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        )
        parts[sheet.get("name")] = path
    return parts


def _recalculate_on_load(workbook_xml: bytes) -> bytes:
    root = etree.fromstring(workbook_xml)
    calc = root.find("m:calcPr", _NS)
    if calc is None:
        calc = etree.SubElement(root, f"{{{MAIN_NS}}}calcPr")
    calc.set("fullCalcOnLoad", "1")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _patch_sheet(sheet_xml: bytes, writes: list[CellWrite]) -> bytes:
    root = etree.fromstring(sheet_xml)
    sheet_data = root.find("m:sheetData", _NS)
    rows = {int(row.get("r")): row for row in sheet_data.iterfind("m:row", _NS)}
    for write in writes:
        match = _ADDRESS.match(write.address)
        if not match:
            raise BadInput(f"{write.address!r} is not a cell address")
        row_number = int(match.group(2))
        row = rows.get(row_number)
        if row is None:
            row = _insert_row(sheet_data, row_number)
            rows[row_number] = row
        cell = _cell(row, write.address, match.group(1))
        _set_value(cell, write.value, keep_formula=write.cached_only)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _insert_row(sheet_data: etree._Element, number: int) -> etree._Element:
    row = etree.Element(f"{{{MAIN_NS}}}row", r=str(number))
    for index, existing in enumerate(sheet_data.iterfind("m:row", _NS)):
        if int(existing.get("r")) > number:
            sheet_data.insert(index, row)
            return row
    sheet_data.append(row)
    return row


def _cell(row: etree._Element, address: str, letters: str) -> etree._Element:
    wanted = column_index(letters)
    for index, cell in enumerate(row.iterfind("m:c", _NS)):
        ref = cell.get("r")
        if ref == address:
            return cell
        if column_index(_ADDRESS.match(ref).group(1)) > wanted:
            new = etree.Element(f"{{{MAIN_NS}}}c", r=address)
            row.insert(index, new)
            return new
    new = etree.SubElement(row, f"{{{MAIN_NS}}}c", r=address)
    return new


def _set_value(cell: etree._Element, value: Any, *, keep_formula: bool) -> None:
    formula = cell.find("m:f", _NS)
    if formula is not None and not keep_formula and formula.get("t") == "shared" and formula.get("ref"):
        # Other cells borrow this formula; overwriting it would silently break them.
        raise BadInput(
            f"Cell {cell.get('r')} holds a shared formula that other cells use; it cannot be overwritten"
        )
    for child in list(cell):
        if child is formula and keep_formula:
            continue
        cell.remove(child)
    if "t" in cell.attrib:
        del cell.attrib["t"]
    if value is None or value == "":
        if keep_formula and formula is not None:
            cell.set("t", "str")
            etree.SubElement(cell, f"{{{MAIN_NS}}}v")
        return
    if isinstance(value, bool):
        cell.set("t", "b")
        etree.SubElement(cell, f"{{{MAIN_NS}}}v").text = "1" if value else "0"
    elif isinstance(value, int | float):
        etree.SubElement(cell, f"{{{MAIN_NS}}}v").text = repr(float(value)).removesuffix(".0")
    elif isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        etree.SubElement(cell, f"{{{MAIN_NS}}}v").text = str((day - _EXCEL_EPOCH).days)
    elif keep_formula and formula is not None:
        cell.set("t", "str")  # a formula's cached text result
        etree.SubElement(cell, f"{{{MAIN_NS}}}v").text = xml_safe(str(value))
    else:
        cell.set("t", "inlineStr")
        container = etree.SubElement(cell, f"{{{MAIN_NS}}}is")
        text = etree.SubElement(container, f"{{{MAIN_NS}}}t")
        text.text = xml_safe(str(value))
        if text.text != text.text.strip():
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
