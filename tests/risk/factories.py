"""Small roll-ups for the risk tests: a supplier file, a facility and a status record in one line each."""

from __future__ import annotations

import datetime as dt

from oretrace.rollup.model import FindingRow, Rollup, SmelterSummary, SupplierSummary, UnidentifiedName
from oretrace.smelters.status import StatusHistory, StatusList, StatusRecord, parse_status

LIST_DATE = dt.date(2025, 6, 1)
AS_OF = dt.date(2025, 7, 1)
CLEAN = {"Q1": "Yes", "Q2": "Yes", "Q3": "No", "Q4": "No", "Q5": "No", "Q6": "100%", "Q7": "Yes", "Q8": "Yes"}


def answers(**per_metal: dict[str, str]) -> dict[str, dict[str, str]]:
    """Tin and Gold answered cleanly, with the changes given per metal (Tin={"Q3": "Yes"})."""
    result = {metal: dict(CLEAN) for metal in ("Tin", "Gold")}
    for metal, changes in per_metal.items():
        result.setdefault(metal, dict(CLEAN)).update(changes)
    return result


def supplier(
    name: str | None,
    *,
    file_name: str | None = None,
    answers_: dict | None = None,
    errors: int = 0,
    warnings: int = 0,
    kind: str = "CMRT",
    version: str = "6.5",
    unreadable: bool = False,
) -> SupplierSummary:
    file_name = file_name or f"{(name or 'unnamed').lower().replace(' ', '-')}.xlsx"
    if unreadable:
        return SupplierSummary(
            file_name, None, None, None, None, None, None,
            read_error="corrupt-file", read_error_message="The file is damaged.",
        )  # fmt: skip
    return SupplierSummary(
        file_name=file_name,
        sha256="0" * 64,
        company_name=name,
        kind=kind,
        version=version,
        scope="A. Company",
        effective_date=dt.date(2025, 5, 1),
        answers=answers_ if answers_ is not None else answers(),
        findings_by_severity={"error": errors, "warning": warnings, "info": 0},
        smelter_rows=3,
    )


def smelter(
    name: str,
    cid: str,
    *,
    metal: str = "Tin",
    country: str = "Indonesia",
    status: str | None = "Conformant",
    suppliers: tuple[str, ...] = ("Acme Metals",),
    covered: bool = False,
    cahra: bool = False,
) -> SmelterSummary:
    return SmelterSummary(
        metal=metal,
        smelter_id=cid,
        name=name,
        country=country,
        audit_status=status,
        status_as_of=LIST_DATE if status else None,
        covered_country=covered,
        cahra=cahra or covered,
        suppliers=suppliers,
        methods=("cid",),
    )


def rollup(
    suppliers=(), smelters=(), *, unidentified=(), findings=(), lists=("RMAP list 2025-06-01",)
) -> Rollup:
    return Rollup(
        generated_at=dt.datetime(2025, 7, 1, 9, 0),
        reference_release="2025-05",
        status_lists=tuple(lists),
        suppliers=tuple(suppliers),
        findings=tuple(findings),
        smelters=tuple(smelters),
        unidentified=tuple(unidentified),
    )


def unidentified(name: str, suppliers: tuple[str, ...], *, metal: str = "Tin", country: str | None = None):
    return UnidentifiedName(metal, name, country, suppliers, "no-match")


def outdated(file_name: str, company: str) -> FindingRow:
    return FindingRow(
        file_name, company, "template-outdated", "warning", None, "Declaration", "J3",
        "This is CMRT 6.31; for 2025 RMI recommends CMRT 6.5 (released 2025-04-25), whose smelter list is newer.",
        None,
    )  # fmt: skip


def record(
    cid: str,
    status: str | None,
    *,
    last_audit: dt.date | None = None,
    cycle: str | None = None,
    next_audit: dt.date | None = None,
    next_audit_text: str | None = None,
    as_of: dt.date = LIST_DATE,
) -> StatusRecord:
    return StatusRecord(
        smelter_id=cid,
        status=parse_status(status),
        raw_status=status,
        as_of=as_of,
        source="RMAP list 2025-06-01",
        last_audit=last_audit,
        cycle=cycle,
        next_audit=next_audit,
        next_audit_text=next_audit_text,
    )


def history(*records: StatusRecord, as_of: dt.date = LIST_DATE) -> StatusHistory:
    return StatusHistory((StatusList("RMAP list 2025-06-01", as_of, tuple(records), {}, None),))


def asked(*, returned: tuple[str, ...] = (), waiting: tuple[str, ...] = ()):
    """The suppliers asked: those that returned a file, and those that have not responded."""
    from oretrace.survey import RequestState, Survey, SurveyedSupplier

    return Survey.of(
        [SurveyedSupplier(name, RequestState.SUBMITTED, files=1) for name in returned]
        + [SurveyedSupplier(name, RequestState.SENT) for name in waiting]
    )
