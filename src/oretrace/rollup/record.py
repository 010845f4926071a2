"""A FileAnalysis as JSON-ready data and back, exactly: what the web app stores per supplier file.

``analysis_from_dict(analysis_to_dict(a)) == a`` for every analysis (a test holds it), so a figure
built from stored records is the figure the command line prints for the same files. The facilities
named in identifications are stored by their reference fields without aliases: the roll-up reads
no alias, and a record then stays small.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from oretrace.review.findings import Finding, ReviewReport
from oretrace.rmi.model import MineRow, SmelterRow
from oretrace.smelters.identify import Candidate, Identification, Method
from oretrace.smelters.reference import Facility

if TYPE_CHECKING:
    from oretrace.rollup.analyse import FileAnalysis

# Bumped when the shape changes; a record of another shape is analysed again from its file.
RECORD_FORMAT = 1
# A facility RMI does not list keeps its mark and its source in the record, so that every page and
# table built from stored records shows it as added by hand (smelters.unlisted).
_FACILITY_FIELDS = (
    "smelter_id",
    "metal",
    "name",
    "country",
    "listed_by_rmi",
    "id_programme",
    "source",
    "source_url",
)
_ROW_FIELDS = tuple(f.name for f in dataclasses.fields(SmelterRow) if f.name != "raw")
_MINE_FIELDS = tuple(f.name for f in dataclasses.fields(MineRow))
_FINDING_FIELDS = ("code", "severity", "sheet", "cell", "message", "question", "mineral")


def analysis_to_dict(analysis: FileAnalysis) -> dict[str, Any]:
    report = analysis.report
    return {
        "format": RECORD_FORMAT,
        "file_name": analysis.file_name,
        "path": analysis.path,
        "sha256": analysis.sha256,
        "size": analysis.size,
        "kind": analysis.kind,
        "version": analysis.version,
        "company_name": analysis.company_name,
        "scope": analysis.scope,
        "effective_date": analysis.effective_date.isoformat() if analysis.effective_date else None,
        "answers": {mineral: dict(questions) for mineral, questions in analysis.answers.items()},
        "review": None
        if report is None
        else {
            "file": report.file,
            "kind": report.kind,
            "version": report.version,
            "checker_missing": report.checker_missing,
            "checker_missing_by_rmi_rules": report.checker_missing_by_rmi_rules,
            "findings": [{key: getattr(f, key) for key in _FINDING_FIELDS} for f in report.findings],
        },
        # Most columns of a smelter row are blank: only the filled ones are kept.
        "smelters": [
            {key: value for key in _ROW_FIELDS if (value := getattr(row, key)) is not None}
            for row in analysis.smelters
        ],
        "identifications": [_identification_to_dict(found) for found in analysis.identifications],
        "supplier": analysis.supplier,
        "error_code": analysis.error_code,
        "error_message": analysis.error_message,
        "company_answers": dict(analysis.company_answers),
        "mines": [
            {key: value for key in _MINE_FIELDS if (value := getattr(row, key)) is not None}
            for row in analysis.mines
        ],
    }


def analysis_from_dict(data: Mapping[str, Any]) -> FileAnalysis:
    from oretrace.rollup.analyse import FileAnalysis

    if data.get("format") != RECORD_FORMAT:
        raise ValueError(f"not a file record of format {RECORD_FORMAT}: {data.get('format')!r}")
    review = data.get("review")
    effective = data.get("effective_date")
    return FileAnalysis(
        file_name=data["file_name"],
        path=data.get("path"),
        sha256=data.get("sha256"),
        size=data.get("size"),
        kind=data.get("kind"),
        version=data.get("version"),
        company_name=data.get("company_name"),
        scope=data.get("scope"),
        effective_date=dt.date.fromisoformat(effective) if effective else None,
        answers={mineral: dict(questions) for mineral, questions in (data.get("answers") or {}).items()},
        report=None
        if review is None
        else ReviewReport(
            file=review["file"],
            kind=review["kind"],
            version=review["version"],
            checker_missing=review.get("checker_missing"),
            findings=tuple(Finding(**{k: f.get(k) for k in _FINDING_FIELDS}) for f in review["findings"]),
            checker_missing_by_rmi_rules=review.get("checker_missing_by_rmi_rules"),
        ),
        smelters=tuple(
            SmelterRow(**{k: row.get(k) for k in _ROW_FIELDS}) for row in data.get("smelters", ())
        ),
        identifications=tuple(_identification_from_dict(f) for f in data.get("identifications", ())),
        supplier=data.get("supplier"),
        error_code=data.get("error_code"),
        error_message=data.get("error_message"),
        # Records stored before company answers were kept have none: nothing is flagged for them.
        company_answers=dict(data.get("company_answers") or {}),
        # Records stored before the Mine List was kept have no mines: the file is read again for them
        # only when its record is rebuilt.
        mines=tuple(MineRow(**{k: row.get(k) for k in _MINE_FIELDS}) for row in data.get("mines") or ()),
    )


def bare_identification(found: Identification) -> Identification:
    """The identification as a record keeps it: facilities by their reference fields alone."""
    runner = found.runner_up
    return dataclasses.replace(
        found,
        facility=_bare(found.facility),
        runner_up=None if runner is None else dataclasses.replace(runner, facility=_bare(runner.facility)),
    )


def _bare(facility: Facility | None) -> Facility | None:
    if facility is None:
        return None
    bare = Facility(**{key: getattr(facility, key) for key in _FACILITY_FIELDS})
    # An RMI facility's source is the release it came from, which the record keeps once, not per row.
    return bare if not bare.listed_by_rmi else dataclasses.replace(bare, source=None)


def _facility_to_dict(facility: Facility | None) -> dict[str, Any] | None:
    bare = _bare(facility)
    if bare is None:
        return None
    data = {key: getattr(bare, key) for key in _FACILITY_FIELDS}
    if bare.listed_by_rmi:  # RMI's facilities, nearly all of them, are stored as before
        return {key: data[key] for key in ("smelter_id", "metal", "name", "country")}
    return data


def _facility_from_dict(data: Mapping[str, Any] | None) -> Facility | None:
    if data is None:
        return None
    fields = {key: data.get(key) for key in _FACILITY_FIELDS}
    # Records written before facilities could be added by hand hold RMI's facilities alone.
    fields["listed_by_rmi"] = data.get("listed_by_rmi", True) is not False
    return Facility(**fields)


def _identification_to_dict(found: Identification) -> dict[str, Any]:
    runner = found.runner_up
    return {
        "method": str(found.method),
        "facility": _facility_to_dict(found.facility),
        "score": found.score,
        "reason": found.reason,
        "query": found.query,
        "metal": found.metal,
        "row": found.row,
        "runner_up": None
        if runner is None
        else {
            "facility": _facility_to_dict(runner.facility),
            "score": runner.score,
            "matched_name": runner.matched_name,
        },
        "metal_mismatch": found.metal_mismatch,
        "removed_in": found.removed_in,
    }


def _identification_from_dict(data: Mapping[str, Any]) -> Identification:
    runner = data.get("runner_up")
    return Identification(
        method=Method(data["method"]),
        facility=_facility_from_dict(data.get("facility")),
        score=data["score"],
        reason=data["reason"],
        query=data.get("query"),
        metal=data.get("metal"),
        row=data.get("row"),
        runner_up=None
        if runner is None
        else Candidate(_facility_from_dict(runner["facility"]), runner["score"], runner["matched_name"]),
        metal_mismatch=data.get("metal_mismatch", False),
        removed_in=data.get("removed_in"),
    )
