"""The roll-up as tables a compliance manager opens and filters: Suppliers, Findings, Smelters,
Unidentified, Mines, Countries of origin; as one XLSX workbook, as CSV files, or as JSON."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from oretrace.rmi.serialise import plain
from oretrace.rollup.model import Rollup
from oretrace.tabular import Table, to_csv, to_xlsx

QUESTIONS = ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8")


def rollup_tables(rollup: Rollup) -> list[Table]:
    tables = [_suppliers(rollup), _findings(rollup), _smelters(rollup), _unidentified(rollup)]
    return [*tables, _mines(rollup), _origins(rollup)]


def _suppliers(rollup: Rollup) -> Table:
    minerals = list(dict.fromkeys(m for s in rollup.suppliers for m in s.answers))
    answer_headers = [f"{mineral} {q}" for mineral in minerals for q in QUESTIONS]
    headers = ["File", "Supplier", "Company declared", "Template", "Version", "Scope", "Effective date"]
    headers += ["Smelter rows"]
    headers += ["Checker missing", "Errors", "Warnings", "Info", "Read error", *answer_headers]
    rows = []
    for s in rollup.suppliers:
        answers = [s.answers.get(mineral, {}).get(q) for mineral in minerals for q in QUESTIONS]
        counts = s.findings_by_severity
        rows.append(
            [
                s.file_name,
                s.label,
                s.company_name,
                s.kind,
                s.version,
                s.scope,
                s.effective_date,
                s.smelter_rows,
                s.checker_missing,
                counts.get("error"),
                counts.get("warning"),
                counts.get("info"),
                f"{s.read_error}: {s.read_error_message}" if s.read_error else None,
                *answers,
            ]
        )
    return Table("Suppliers", headers, rows)


def _findings(rollup: Rollup) -> Table:
    headers = [
        "File",
        "Supplier",
        "Severity",
        "Code",
        "Mineral",
        "Sheet",
        "Cell",
        "Message",
        "Question to supplier",
    ]
    rows = [
        [f.file_name, f.company_name, f.severity, f.code, f.mineral, f.sheet, f.cell, f.message, f.question]
        for f in rollup.findings
    ]
    return Table("Findings", headers, rows)


def _smelters(rollup: Rollup) -> Table:
    headers = ["Metal", "Smelter ID", "Standard name", "Country", "Audit status", "Status as of"]
    headers += ["Covered country", "CAHRA", "Suppliers naming it", "Suppliers", "Identified by"]
    headers += ["Listed by RMI"]
    rows = [
        [
            s.metal,
            s.smelter_id,
            s.name,
            s.country,
            s.audit_status or "Unknown",
            s.status_as_of,
            "Yes" if s.covered_country else "No",
            "Yes" if s.cahra else "No",
            s.supplier_count,
            list(s.suppliers),
            list(s.methods),
            s.listing,
        ]
        for s in rollup.smelters
    ]
    return Table("Smelters", headers, rows)


def _unidentified(rollup: Rollup) -> Table:
    headers = ["Metal", "Name as reported", "Country", "Suppliers", "Why unidentified", "Best candidates"]
    rows = [
        [
            u.metal,
            u.name,
            u.country,
            list(u.suppliers),
            u.reason,
            [c.describe() for c in u.candidates],
        ]
        for u in rollup.unidentified
    ]
    return Table("Unidentified", headers, rows)


def _mines(rollup: Rollup) -> Table:
    headers = ["Mineral", "Mine", "Mine ID", "Country", "Covered country", "CAHRA"]
    headers += ["Suppliers reporting it", "Suppliers", "Supplies smelters"]
    rows = [
        [
            m.mineral,
            m.name,
            m.mine_id,
            m.country,
            "Yes" if m.covered_country else "No",
            "Yes" if m.cahra else "No",
            m.supplier_count,
            list(m.suppliers),
            list(m.smelters),
        ]
        for m in rollup.mines
    ]
    return Table("Mines", headers, rows)


def _origins(rollup: Rollup) -> Table:
    rows = [[o.mineral, o.country, list(o.sources)] for o in rollup.origin_countries()]
    return Table("Origins", ["Mineral", "Country of origin", "Source"], rows)


def write_xlsx(rollup: Rollup, path: Path) -> Path:
    path.write_bytes(to_xlsx(rollup_tables(rollup)))
    return path


def write_csv(rollup: Rollup, path: Path) -> list[Path]:
    """One CSV per table, named after ``path``: rollup.csv -> rollup-suppliers.csv, rollup-findings.csv …"""
    written = []
    for table in rollup_tables(rollup):
        target = path.with_name(f"{path.stem}-{table.name.lower()}.csv")
        target.write_text(to_csv(table), encoding="utf-8-sig")  # with a BOM, so Excel reads UTF-8
        written.append(target)
    return written


def rollup_to_dict(rollup: Rollup) -> dict[str, Any]:
    data = dataclasses.asdict(rollup)
    data["origin_countries"] = [dataclasses.asdict(o) for o in rollup.origin_countries()]
    return _jsonable(data)


def write_json(rollup: Rollup, path: Path) -> Path:
    path.write_text(json.dumps(rollup_to_dict(rollup), ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return plain(value)
