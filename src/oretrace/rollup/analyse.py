"""One supplier file, analysed: read, reviewed, and every smelter row identified.

The same function serves one file in the portal and thousands from the command line; for a large
folder ``analyse_many`` spreads the files over all cores, building the reference index once per
worker process rather than once per file.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from oretrace.errors import OretraceError
from oretrace.review import ReviewReport, review
from oretrace.rmi import TemplateResponse, read_template
from oretrace.smelters import Identification, Identifier, ReferenceList, StatusHistory
from oretrace.smelters.legacy import V2Table

TEMPLATE_SUFFIXES = (".xlsx", ".xlsm", ".xls")
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 16


@dataclass(frozen=True)
class AnalysisSettings:
    """What every file of one run is checked against."""

    reference: ReferenceList | None = None
    v2: V2Table | None = None
    confirmed: dict[str, str] = field(default_factory=dict)  # analyst-confirmed name -> CID
    previous: tuple[ReferenceList, ...] = ()
    statuses: StatusHistory = field(default_factory=StatusHistory)
    reporting_year: int | None = None
    today: dt.date | None = None

    def identifier(self) -> Identifier | None:
        if self.reference is None:
            return None
        return Identifier(self.reference, v2=self.v2, confirmed=self.confirmed, previous=self.previous)


@dataclass(frozen=True)
class FileAnalysis:
    file_name: str
    path: str | None
    response: TemplateResponse | None  # without its Smelter Look-up copy, which every file repeats
    report: ReviewReport | None
    identifications: tuple[Identification, ...] = ()
    error_code: str | None = None
    error_message: str | None = None

    @property
    def readable(self) -> bool:
        return self.response is not None


def analyse_file(
    source: str | Path | bytes,
    settings: AnalysisSettings,
    *,
    name: str | None = None,
    identifier: Identifier | None = None,
) -> FileAnalysis:
    path = None if isinstance(source, bytes) else str(source)
    label = name or (Path(source).name if path else "upload")
    try:
        # With a reference list given, each file's own copy of RMI's list is not needed.
        response = read_template(source, name=label, with_lookup=settings.reference is None)
    except OretraceError as error:
        return FileAnalysis(label, path, None, None, error_code=error.code, error_message=error.message)
    identifier = identifier or settings.identifier()
    report = review(
        response,
        reference=settings.reference,
        reporting_year=settings.reporting_year,
        today=settings.today,
    )
    identifications = identifier.identify_all(response.smelters) if identifier else ()
    return FileAnalysis(label, path, replace(response, lookup=()), report, identifications)


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
