"""Adding up analysed supplier files: the consolidated smelter list per metal, the unidentified
names with their best candidates, the supplier summary and every finding."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from oretrace.rollup.analyse import FileAnalysis
from oretrace.rollup.countries import CountryList, country_key, country_name, covered_country
from oretrace.rollup.model import (
    Candidate,
    FindingRow,
    MineSummary,
    Rollup,
    SmelterSummary,
    SupplierSummary,
    UnidentifiedName,
)
from oretrace.smelters import Identification, Method, StatusHistory
from oretrace.smelters.identify import CONFIDENT_CANDIDATE, TIE_MARGIN
from oretrace.smelters.names import name_key


def build_rollup(
    analyses: Sequence[FileAnalysis],
    *,
    statuses: StatusHistory | None = None,
    as_of: dt.date | None = None,
    cahra: CountryList | None = None,
    reference_release: str | None = None,
    generated_at: dt.datetime | None = None,
) -> Rollup:
    """``as_of``: the day whose audit status counts (default today); ``cahra``: an imported CAHRA list."""
    statuses = statuses or StatusHistory()
    as_of = as_of or dt.date.today()
    cahra = cahra or CountryList()
    # By supplier, whatever order the files came in: the same files give the same roll-up, row for row,
    # from a folder (sorted by file name) and from the web app (its requests).
    analyses = sorted(analyses, key=lambda a: (supplier_label(a).casefold(), a.file_name))
    return Rollup(
        generated_at=generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0),
        reference_release=reference_release,
        status_lists=tuple(status_list.name for status_list in statuses.lists),
        suppliers=tuple(_supplier(a) for a in analyses),
        findings=tuple(_findings(analyses)),
        smelters=_smelters(analyses, statuses, as_of, cahra),
        unidentified=_unidentified(analyses),
        excluded=_unidentified(analyses, excluded=True),
        mines=_mines(analyses, cahra),
    )


def supplier_label(analysis: FileAnalysis) -> str:
    """Who named a smelter: the supplier the file came from when known, else the company its
    declaration names, else the file when the company block is blank."""
    return analysis.supplier or analysis.company_name or analysis.file_name


def _supplier(analysis: FileAnalysis) -> SupplierSummary:
    report = analysis.report
    return SupplierSummary(
        file_name=analysis.file_name,
        sha256=analysis.sha256,
        company_name=analysis.company_name,
        supplier=analysis.supplier,
        kind=analysis.kind,
        version=analysis.version,
        scope=analysis.scope,
        effective_date=analysis.effective_date,
        answers={mineral: dict(questions) for mineral, questions in analysis.answers.items()},
        findings_by_severity=report.counts if report else {},
        checker_missing=report.checker_missing if report else None,
        smelter_rows=len(analysis.smelters),
        read_error=analysis.error_code,
        read_error_message=analysis.error_message,
        company_answers=dict(analysis.company_answers),
    )


def _findings(analyses: Iterable[FileAnalysis]) -> Iterable[FindingRow]:
    for analysis in analyses:
        if analysis.report is None:
            continue
        company = supplier_label(analysis)
        for finding in analysis.report.findings:
            yield FindingRow(
                file_name=analysis.file_name,
                company_name=company,
                code=finding.code,
                severity=finding.severity,
                mineral=finding.mineral,
                sheet=finding.sheet,
                cell=finding.cell,
                message=finding.message,
                question=finding.question,
            )


def _smelters(
    analyses: Sequence[FileAnalysis], statuses: StatusHistory, as_of: dt.date, cahra: CountryList
) -> tuple[SmelterSummary, ...]:
    named_by: dict[str, dict[str, None]] = defaultdict(dict)  # CID -> suppliers, in order of first mention
    methods: dict[str, dict[str, None]] = defaultdict(dict)
    recycled: dict[str, dict[str, None]] = defaultdict(dict)
    facilities = {}
    for analysis in analyses:
        label = supplier_label(analysis)
        rows = {row.row: row for row in analysis.smelters}
        for found in analysis.identifications:
            if not found.identified:
                continue
            cid = found.facility.smelter_id
            facilities[cid] = found.facility
            named_by[cid][label] = None
            methods[cid][str(found.method)] = None
            row = rows.get(found.row)
            if row is not None and row.recycled_or_scrap:
                recycled[cid][row.recycled_or_scrap] = None
    summaries = []
    for cid, facility in facilities.items():
        record = statuses.record_on(cid, as_of)
        summaries.append(
            SmelterSummary(
                metal=facility.metal,
                smelter_id=cid,
                name=facility.name,
                country=facility.country,
                audit_status=str(record.status) if record and record.status else None,
                status_as_of=record.as_of if record else None,
                covered_country=covered_country(facility.country) is not None,
                cahra=covered_country(facility.country) is not None or facility.country in cahra,
                suppliers=tuple(named_by[cid]),
                methods=tuple(methods[cid]),
                recycled_answers=tuple(recycled[cid]),
                listed_by_rmi=facility.listed_by_rmi,
                provenance=None if facility.listed_by_rmi else facility.provenance(),
            )
        )
    return tuple(sorted(summaries, key=lambda s: (s.metal, s.name.casefold())))


def _mines(analyses: Sequence[FileAnalysis], cahra: CountryList) -> tuple[MineSummary, ...]:
    """The mines of every Mine List, each once per mineral: the same mine ID, or without one the same
    name and country, is one mine however many suppliers report it and however they spell it."""
    grouped: dict[str, dict] = {}
    for analysis in analyses:
        label = supplier_label(analysis)
        for row in analysis.mines:
            mineral = row.metal or "Unknown"
            country = country_name(row.country) or row.country
            key = mine_key(mineral, row.mine_id, row.mine_name, country)
            entry = grouped.setdefault(
                key,
                {"row": row, "mineral": mineral, "country": country, "suppliers": {}, "smelters": {}},
            )
            entry["suppliers"][label] = None
            if row.smelter_name:
                entry["smelters"][row.smelter_name] = None
    summaries = (_mine_summary(entry, cahra) for entry in grouped.values())
    return tuple(sorted(summaries, key=lambda m: (m.mineral, m.name.casefold(), m.country or "")))


def _mine_summary(entry: dict, cahra: CountryList) -> MineSummary:
    row, country = entry["row"], entry["country"]
    covered = covered_country(country) is not None
    return MineSummary(
        mineral=entry["mineral"],
        name=row.mine_name or row.mine_id,
        mine_id=row.mine_id,
        country=country,
        covered_country=covered,
        cahra=covered or country in cahra,
        suppliers=tuple(entry["suppliers"]),
        smelters=tuple(entry["smelters"]),
    )


def mine_key(mineral: str, mine_id: str | None, name: str | None, country: str | None) -> str:
    """When two Mine List rows are one mine: the same mineral and ID, or, without an ID, the same
    mineral, name and country whatever their case, spacing or punctuation."""
    if mine_id and mine_id.strip():
        return "|".join((mineral.casefold(), "id", mine_id.strip().casefold()))
    return "|".join((mineral.casefold(), "name", name_key(name or ""), country_key(country)))


def _unidentified(
    analyses: Sequence[FileAnalysis], *, excluded: bool = False
) -> tuple[UnidentifiedName, ...]:
    """The names no facility matched; with ``excluded``, instead the names an analyst recorded as no 3TG
    smelter (Method.EXCLUDED), which are neither a smelter nor a gap to close."""
    grouped: dict[tuple, dict] = {}
    for analysis in analyses:
        label = supplier_label(analysis)
        rows = {row.row: row for row in analysis.smelters}
        for found in analysis.identifications:
            if found.identified or (found.method == Method.EXCLUDED) != excluded:
                continue
            row = rows.get(found.row)
            name = (row.display_name if row else None) or found.query
            country = row.country if row else None
            key = unidentified_key(found.metal, name, country)
            entry = grouped.setdefault(
                key,
                {"metal": found.metal, "name": name, "country": country, "suppliers": {}, "found": found},
            )
            entry["suppliers"][label] = None
    return tuple(
        UnidentifiedName(
            metal=entry["metal"],
            name=entry["name"],
            country=entry["country"],
            suppliers=tuple(entry["suppliers"]),
            reason=entry["found"].reason,
            candidates=candidates(entry["found"]),
        )
        for entry in sorted(grouped.values(), key=lambda e: (e["metal"] or "", (e["name"] or "").casefold()))
    )


def unidentified_key(metal: str | None, name: str | None, country: str | None) -> str:
    """When two unidentified rows are the same name: the same metal, name and country, whatever their
    case, spacing or punctuation. The web app stores it per row to count names as this roll-up does."""
    return "|".join((metal or "", name_key(name or ""), country_key(country) or ""))


UNIDENTIFIED_QUESTION_CODE = "smelter-unidentified"


def unidentified_question(metal: str | None, name: str | None, row: int | None) -> dict[str, str | None]:
    """A follow-up question to the supplier about one Smelter List row no facility matched, in the shape
    of a review finding (code, severity, mineral, sheet, cell, message, question), worded for the
    supplier: what we could not match and what would let us."""
    where = f"row {row} of your Smelter List" if row else "your Smelter List"
    what = f'the {metal} smelter "{name}"' if metal else f'the smelter "{name}"'
    return {
        "code": UNIDENTIFIED_QUESTION_CODE,
        "severity": "warning",
        "mineral": metal,
        "sheet": "Smelter List",
        "cell": None,
        "message": f"{what[0].upper()}{what[1:]} in {where} matches no facility of the RMI reference list.",
        "question": (
            f"We could not find {what} ({where}) on the RMI smelter list. Please give its smelter "
            "identification number (CID), or correct its name and country; if it is not a smelter or "
            "refiner of 3TG, please tell us so."
        ),
    }


def preselected(found: Identification) -> Candidate | None:
    """The candidate of an unidentified row to offer already chosen, or None: the best one, only when
    it scores at least CONFIDENT_CANDIDATE and the core did not leave the row unidentified for being
    torn between equals (its reason then names both, of which the candidates hold only one), and no
    other candidate is within TIE_MARGIN of it (smelters.identify)."""
    if found.identified:
        return None
    runner = found.runner_up
    if found.facility is None and runner is not None and found.score - runner.score < TIE_MARGIN:
        return None  # a tie, or a best match under the threshold: either way not the core's choice
    offered = candidates(found)
    if not offered:
        return None
    best = max(offered, key=lambda c: c.score)
    if best.score < CONFIDENT_CANDIDATE:
        return None
    if any(c is not best and best.score - c.score < TIE_MARGIN for c in offered):
        return None
    return best


def candidates(found: Identification) -> tuple[Candidate, ...]:
    """The facilities an unidentified row may be, best first: the one a near-miss pointed at (wrong
    metal, removed from the list, a score under the threshold) and the runner-up."""
    found_facility = found.facility
    near = []
    if found_facility is not None:
        near.append(
            Candidate(
                found_facility.smelter_id,
                found_facility.name,
                found_facility.country,
                found.score,
                found_facility.listed_by_rmi,
            )
        )
    runner = found.runner_up
    if runner is not None and runner.facility.smelter_id != (
        found_facility.smelter_id if found_facility else None
    ):
        near.append(
            Candidate(
                runner.facility.smelter_id,
                runner.facility.name,
                runner.facility.country,
                runner.score,
                runner.facility.listed_by_rmi,
            )
        )
    return tuple(near)
