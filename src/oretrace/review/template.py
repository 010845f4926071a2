"""The file as a whole: template version, language, and whether its saved Checker count is current."""

from __future__ import annotations

import datetime as dt

from oretrace.review.checker import CHECKER_KINDS, checker_for
from oretrace.review.registry import CMRT_ONLY, Context, Hit, rule
from oretrace.rmi.layouts import version_key
from oretrace.rmi.model import TemplateKind

# CMRT releases from the Revision tab of RMI_CMRT_6.5.xlsx (templates.md §1.2). RMI recommends the
# latest release for the year's reporting; a file dated before a release may use the one before it.
CMRT_RELEASES: tuple[tuple[str, dt.date], ...] = (
    ("6.01", dt.date(2020, 5, 19)),
    ("6.1", dt.date(2021, 4, 28)),
    ("6.2", dt.date(2022, 4, 27)),
    ("6.21", dt.date(2022, 5, 6)),
    ("6.22", dt.date(2022, 5, 11)),
    ("6.3", dt.date(2023, 5, 5)),
    ("6.31", dt.date(2023, 5, 26)),
    ("6.4", dt.date(2024, 4, 26)),
    ("6.5", dt.date(2025, 4, 25)),
)
RELEASES = {TemplateKind.CMRT: CMRT_RELEASES}


def recommended_release(kind: TemplateKind, year: int) -> tuple[str, dt.date] | None:
    """The latest release of ``kind`` published in or before ``year``; None before the table starts."""
    found = [release for release in RELEASES.get(kind, ()) if release[1].year <= year]
    return found[-1] if found else None


@rule(
    "template-outdated",
    severity="warning",
    title="An older template version than RMI recommends for the reporting year",
    for_supplier="Your file uses an older template version than RMI recommends for this reporting year.",
    source="CMRT Revision tab release dates; Z2Data (outdated smelter data fails audits)",
    kinds=CMRT_ONLY,
    example=Hit(
        "Declaration",
        "J3",
        "This is CMRT 6.31; for 2024 RMI recommends CMRT 6.4 (released 2024-04-26), whose smelter list is newer.",
        "Please send your declaration in the current CMRT 6.4 from RMI's website.",
    ),
)
def template_outdated(context: Context):
    response = context.response
    effective = response.effective_date if isinstance(response.effective_date, dt.date) else None
    year = context.reporting_year or (effective.year if effective else None)
    if year is None:
        return
    recommended = recommended_release(response.kind, year)
    if recommended is None:
        return
    version, released = recommended
    if version_key(response.version) >= version_key(version):
        return
    if effective and effective < released:
        return  # completed before the newer release existed
    yield Hit(
        "Declaration",
        "J3",
        f"This is {response.kind} {response.version}; for {year} RMI recommends {response.kind} {version} "
        f"(released {released.isoformat()}), whose smelter list is newer.",
        f"Please send your declaration in the current {response.kind} {version} from RMI's website.",
    )


@rule(
    "older-template-than-requested",
    severity="error",
    title="An older template version than the inquiry asked for",
    for_supplier="Your file uses an older template version than we asked for.",
    source="The inquiry's own request: a campaign names the oldest template version it accepts",
    example=Hit(
        "Declaration",
        "J3",
        "The file is CMRT 6.31; this inquiry asks for CMRT 6.4 or later.",
        "Could you copy your answers into the CMRT 6.4 (or later) template and send it again?",
    ),
)
def older_template_than_requested(context: Context):
    wanted = context.minimum_version
    response = context.response
    if not wanted or version_key(response.version) >= version_key(wanted):
        return
    yield Hit(
        "Declaration",
        "J3",
        f"The file is {response.kind} {response.version}; this inquiry asks for {response.kind} {wanted} "
        "or later.",
        f"Could you copy your answers into the {response.kind} {wanted} (or later) template and send it again?",
    )


@rule(
    "language-not-english",
    severity="info",
    title="The template's language is not English",
    for_supplier="Your file's template language is not English; we read names and comments in English.",
    source="S2 CFSI 3.01 validator; S1 docs (answers must be in English)",
    example=Hit(
        "Declaration",
        "D3",
        "The template language is “中文 Chinese”; labels are shown in that language and free text may not be English.",
        "Please write names, comments and the scope description in English.",
    ),
)
def language_not_english(context: Context):
    language = context.response.language
    if language and not language.casefold().startswith("english"):
        yield Hit(
            "Declaration",
            "D3",
            f"The template language is “{language}”; labels are shown in that language and free text may not "
            "be English.",
            "Please write names, comments and the scope description in English.",
        )


@rule(
    "checker-count-stale",
    severity="info",
    title="The Checker count saved in the file differs from the recomputed one",
    for_supplier="The Checker count saved in your file differs from what your answers give.",
    source="Cached values are only as fresh as the last save by a program that recalculates (templates.md §2.1)",
    kinds=CHECKER_KINDS,
    example=Hit(
        "Checker",
        "D2",
        "The file's Checker shows 0 missing fields, but recomputing its rules gives 3.",
        "Please open the file in Excel, complete the fields the Checker tab lists, and save it again.",
    ),
)
def checker_count_stale(context: Context):
    from oretrace.review.checker import checker_missing

    cached = context.response.checker_cached
    if cached is None or checker_for(context.response) is None:
        return
    recomputed = checker_missing(context.response)
    if recomputed != cached:
        yield Hit(
            "Checker",
            "D2",
            f"The file's Checker shows {cached} missing fields, but recomputing its rules gives {recomputed}.",
            "Please open the file in Excel, complete the fields the Checker tab lists, and save it again.",
        )
