"""One supplier file, analysed: read, reviewed, and every smelter row identified.

The result is a plain record (``FileAnalysis``): what the file declares, what the review found and
which facility each smelter row is, with no workbook behind it. The command line rolls records up
as they come; the web app stores each one as JSON when the file arrives (``as_dict``) and rolls up
the stored records (``from_dict``), so both faces build every figure from the same result.

The same function serves one file in the portal and thousands from the command line; for a large
folder ``analyse_many`` spreads the files over all cores, building the reference index once per
worker process rather than once per file.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from oretrace.errors import OretraceError
from oretrace.review import ExpectedSupplier, ReviewReport, review
from oretrace.rmi import TemplateResponse, read_template
from oretrace.rmi.model import MineRow, SmelterRow
from oretrace.rmi.serialise import plain
from oretrace.rollup.record import analysis_from_dict, analysis_to_dict, bare_identification
from oretrace.smelters import Identification, Identifier, ReferenceList, StatusHistory
from oretrace.smelters.legacy import V2Table

TEMPLATE_SUFFIXES = (".xlsx", ".xlsm", ".xls")
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 16


def default_reporting_year(today: dt.date | None = None) -> int:
    """The year an inquiry run today reports on: the calendar year before (Form SD is due each May 31
    for the year before), the default of every command that reviews or rolls up files."""
    return (today or dt.date.today()).year - 1


@dataclass(frozen=True)
class AnalysisSettings:
    """What every file of one run is checked against."""

    reference: ReferenceList | None = None
    v2: V2Table | None = None
    confirmed: dict[str, str] = field(default_factory=dict)  # analyst-confirmed name -> CID
    # Names an analyst recorded as no 3TG smelter -> smelters.Exclusion value: left out of the
    # unidentified names, by the command line and the web app alike.
    excluded: dict[str, str] = field(default_factory=dict)
    previous: tuple[ReferenceList, ...] = ()
    statuses: StatusHistory = field(default_factory=StatusHistory)
    reporting_year: int | None = None
    minimum_version: str | None = None  # the oldest template version the inquiry asked for
    # The minerals the inquiry asks about (None: every one the template asks about): the review faults
    # no supplier for a mineral outside them (oretrace.rmi.minerals).
    minerals: tuple[str, ...] | None = None
    today: dt.date | None = None
    # The supplier each file was sent to, by file name (case folded), where a list of the suppliers
    # asked names their files: such a file from another company is an error (review.identity).
    suppliers_by_file: Mapping[str, ExpectedSupplier] = field(default_factory=dict)

    def expected_for(self, file_name: str) -> ExpectedSupplier | None:
        return self.suppliers_by_file.get(Path(file_name).name.casefold())

    def identifier(self) -> Identifier | None:
        if self.reference is None:
            return None
        return Identifier(
            self.reference,
            v2=self.v2,
            confirmed=self.confirmed,
            previous=self.previous,
            excluded=self.excluded,
        )

    def read(self, source: str | Path | bytes, *, name: str | None = None) -> TemplateResponse:
        """Read a file as the analysis needs it: with a reference list given, each file's own copy of
        RMI's list is neither read nor consulted, so a file gives the same findings wherever it is read."""
        return read_template(source, name=name, with_lookup=self.reference is None)


@dataclass(frozen=True)
class FileAnalysis:
    """One supplier file as the roll-up needs it: the declaration's header and answers, the review,
    the Smelter List rows as reported and which facility each one is. ``error_code`` is set, and the
    rest left empty, when the file could not be read."""

    file_name: str
    path: str | None = None
    sha256: str | None = None
    size: int | None = None
    kind: str | None = None
    version: str | None = None
    company_name: str | None = None
    scope: str | None = None
    effective_date: dt.date | None = None
    answers: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)  # mineral -> Q -> answer
    report: ReviewReport | None = None
    smelters: tuple[SmelterRow, ...] = ()
    identifications: tuple[Identification, ...] = ()  # one per row of ``smelters``, same order
    # Who sent the file, when the caller knows it (the web app's supplier record, a list of the
    # suppliers asked); the roll-up names the supplier by it rather than by the file's company block.
    supplier: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    # The company-level questions ("A".., "C:Cobalt" for a per-mineral one) -> answer: the risk
    # assessment flags a supplier's "No" to its own policy and due-diligence questions.
    company_answers: Mapping[str, str | None] = field(default_factory=dict)
    # The Mine List rows (EMRT 2.x, AMRT) as reported: the mines and their countries of origin.
    mines: tuple[MineRow, ...] = ()

    @property
    def readable(self) -> bool:
        return self.error_code is None

    def as_dict(self) -> dict[str, Any]:
        return analysis_to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FileAnalysis:
        return analysis_from_dict(data)

    def with_supplier(self, supplier: str) -> FileAnalysis:
        return replace(self, supplier=supplier)

    def reidentified(self, identifier: Identifier) -> FileAnalysis:
        """The same file with its smelter rows identified again, e.g. after a new reference list or
        a confirmed name; the review and the answers do not depend on identification."""
        found = identifier.identify_all(self.smelters)
        return replace(self, identifications=tuple(bare_identification(f) for f in found))


def analysis_of(
    response: TemplateResponse,
    report: ReviewReport,
    identifications: tuple[Identification, ...],
    *,
    path: str | None = None,
) -> FileAnalysis:
    """The record of a file already read and reviewed."""
    return FileAnalysis(
        file_name=response.file.name,
        path=path,
        sha256=response.file.sha256,
        size=response.file.size,
        kind=str(response.kind),
        version=response.version,
        company_name=response.company.name.value,
        scope=response.scope,
        effective_date=response.effective_date if isinstance(response.effective_date, dt.date) else None,
        answers={
            mineral: {question: _text(answer.value) for question, answer in questions.items()}
            for mineral, questions in response.answers.items()
        },
        company_answers={key: _text(answer.value) for key, answer in response.company_questions.items()},
        report=report,
        smelters=tuple(replace(row, raw={}) for row in response.smelters),
        identifications=tuple(bare_identification(found) for found in identifications),
        mines=tuple(row for row in response.mines if row.mine_name or row.mine_id),
    )


def _text(value: Any) -> str | None:
    # Answers are canonical words ("Yes", "100%"); a date or number typed into one stays readable.
    return None if value is None else str(plain(value))


def analyse_response(
    response: TemplateResponse,
    settings: AnalysisSettings,
    *,
    identifier: Identifier | None = None,
    path: str | None = None,
    expected_supplier: ExpectedSupplier | None = None,
) -> FileAnalysis:
    """Review a file already read and identify its smelters: the one per-file pipeline.

    ``expected_supplier``: whom the file was sent to (default: the settings' entry for its file name);
    with neither, the file is not checked against a supplier."""
    identifier = identifier or settings.identifier()
    report = review(
        response,
        reference=settings.reference,
        reporting_year=settings.reporting_year,
        minimum_version=settings.minimum_version,
        today=settings.today,
        expected_supplier=expected_supplier or settings.expected_for(response.file.name),
        minerals=settings.minerals,
    )
    identifications = identifier.identify_all(response.smelters) if identifier else ()
    return analysis_of(response, report, identifications, path=path)


def analyse_file(
    source: str | Path | bytes,
    settings: AnalysisSettings,
    *,
    name: str | None = None,
    identifier: Identifier | None = None,
    expected_supplier: ExpectedSupplier | None = None,
) -> FileAnalysis:
    path = None if isinstance(source, bytes) else str(source)
    label = name or (Path(source).name if path else "upload")
    try:
        response = settings.read(source, name=label)
    except OretraceError as error:
        return FileAnalysis(label, path, error_code=error.code, error_message=error.message)
    return analyse_response(
        response, settings, identifier=identifier, path=path, expected_supplier=expected_supplier
    )


def template_files(paths: Iterable[str | Path]) -> list[Path]:
    """The template files named, with folders expanded (recursively, sorted, Office lock files skipped)."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in TEMPLATE_SUFFIXES and not p.name.startswith("~$")
            )
        else:
            found.append(path)
    return found


# Worker-process state: each process builds the identifier once from the settings it is given.
_worker_settings: AnalysisSettings | None = None
_worker_identifier: Identifier | None = None


def _start_worker(settings: AnalysisSettings) -> None:
    global _worker_settings, _worker_identifier
    _worker_settings = settings
    _worker_identifier = settings.identifier()


def _analyse_in_worker(path: str) -> FileAnalysis:
    assert _worker_settings is not None
    return analyse_file(path, _worker_settings, identifier=_worker_identifier)


def analyse_many(
    paths: Sequence[str | Path],
    settings: AnalysisSettings,
    *,
    workers: int | None = None,
    progress: Callable[[FileAnalysis], None] | None = None,
) -> list[FileAnalysis]:
    """Every file analysed, in the order given; ``progress`` is called as each one finishes."""
    workers = workers or os.cpu_count() or 1
    results: list[FileAnalysis] = []
    if workers == 1 or len(paths) < PARALLEL_FROM:
        identifier = settings.identifier()
        for path in paths:
            results.append(analyse_file(path, settings, identifier=identifier))
            if progress:
                progress(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(settings,)) as pool:
        for analysis in pool.map(_analyse_in_worker, [str(p) for p in paths], chunksize=8):
            results.append(analysis)
            if progress:
                progress(analysis)
    return results
