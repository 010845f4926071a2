"""The Conflict Minerals Report (Form SD Exhibit 1.01) as a document model.

Sections follow the structure of published reports: introduction with the rule, the 3TG and the Covered
Countries; company, products and supply chain overviews; the compliance process under the OECD five
steps with the reasonable country of origin inquiry; the efforts to determine origin; the results;
process improvements with a year-over-year comparison; and an annex listing the facilities.

A filing is a legal statement, so every sentence that depends on the data is chosen by the data: a
claim ("each of which we took up with the supplier") is made only when the figures bear it out, and
otherwise the sentence says how far it is true and what remains open. Numbers agree with their nouns,
a zero is written as a word where a sentence would start with it, tables are numbered in the order
they appear, and a column with nothing in it is left out.
"""

from __future__ import annotations

from dataclasses import replace

from oretrace.reports.document import (
    Cell,
    Chart,
    Document,
    Figure,
    Paragraph,
    Run,
    Section,
    Series,
    Source,
    Table,
)
from oretrace.reports.figures import (
    METALS,
    Facts,
    counted,
    metal_of,
    natural_key,
    plural,
    status_of,
    whole_percent,
)
from oretrace.reports.grievance_text import grievance_paragraphs
from oretrace.reports.inputs import ReportInputs
from oretrace.rollup.countries import country_name, covered_country
from oretrace.survey import ResultsRule

# OECD Guidance five-step framework, step headings (Annex I of the Guidance).
OECD_STEPS = (
    ("step1_management_systems", "Step 1. Establish strong company management systems."),
    ("step2_identify_risks", "Step 2. Identify and assess risks in the supply chain."),
    ("step3_respond_to_risks", "Step 3. Design and implement a strategy to respond to identified risks."),
    (
        "step4_independent_audits",
        "Step 4. Carry out independent third-party audit of smelter and refiner due diligence practices.",
    ),
    ("step5_annual_report", "Step 5. Report annually on supply chain due diligence."),
)

STATUS_COLOURS = {
    "Conformant": "#1b7837",
    "Cross-Recognized": "#5aae61",
    "Compliant": "#a6dba0",
    "Active": "#2166ac",
    "Progressing": "#92c5de",
    "Non-Conformant": "#b2182b",
    "Suspended": "#ef8a62",
    "Not enrolled": "#878787",
    "Unknown": "#d9d9d9",
}
OTHER_COLOUR = "#bababa"


class TableNumbers:
    """Numbers tables in the order the report shows them: a table left out takes no number."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def __call__(self, key: str) -> int:
        return self._numbers.setdefault(key, len(self._numbers) + 1)


def build_report(inputs: ReportInputs) -> Document:
    facts = Facts(inputs)
    tables = TableNumbers()
    org = inputs.organisation.name
    sections = [
        Section(
            "introduction", "1. Introduction", 1, facts.section("introduction") + facts.section("limitations")
        ),
        Section(
            "company_overview",
            "2. Company Overview",
            1,
            facts.fill(inputs.company_overview, "Company overview"),
        ),
        Section(
            "products_overview",
            "3. Products Overview",
            1,
            facts.fill(inputs.products_overview, "Products overview"),
        ),
        Section("supply_chain", "4. Supply Chain Overview", 1, facts.section("supply_chain")),
        Section(
            "compliance_process",
            "5. Conflict Minerals Compliance Process",
            1,
            facts.section("compliance_process"),
        ),
        Section(
            "rcoi",
            "Reasonable Country of Origin Inquiry",
            2,
            (
                *facts.section("rcoi"),
                Paragraph(
                    ("The results of the inquiry and the conclusion we reached are set out in Section 7.",)
                ),
            ),
        ),
        Section("due_diligence", "Due Diligence under the OECD Five Steps", 2, tuple(_steps(facts))),
        Section(
            "efforts_to_determine_origin",
            "6. Efforts to Determine the Mine or Location of Origin",
            1,
            facts.section("efforts_to_determine_origin"),
        ),
        Section("results", "7. Results", 1, ()),
        Section("results_responses", "Supplier Responses", 2, responses(facts)),
        Section(
            "results_facilities",
            "Smelters and Refiners Identified",
            2,
            (*reference_note(facts), *_facilities(facts, tables)),
        ),
        Section("results_countries", "Location of the Facilities", 2, _countries(facts, tables)),
        Section(
            "results_covered",
            "Facilities in Covered Countries and Other High-Risk Areas",
            2,
            _covered(facts, tables),
        ),
        Section(
            "results_unidentified", "Names Not Matched to a Known Facility", 2, _unidentified(facts, tables)
        ),
        Section("conclusion", "Conclusion", 2, conclusion(facts)),
        Section("process_improvements", "8. Process Improvements", 1, _improvements(facts, tables)),
        Section(
            "annex_facilities",
            "Annex A. Smelters and Refiners Reported by Our Suppliers",
            1,
            (*reference_note(facts), *_annex(facts)),
        ),
    ]
    return Document(
        kind="cmr",
        title=f"{org} Conflict Minerals Report",
        heading_lines=("Exhibit 1.01",),
        subtitle_lines=(f"For the reporting period from {inputs.period}",),
        sections=tuple(sections),
    )


def _steps(facts: Facts):
    for key, heading in OECD_STEPS:
        paragraphs = facts.section(key)
        first, rest = paragraphs[0], paragraphs[1:]
        yield Paragraph(first.runs, lead=heading)
        yield from rest
        if key == "step1_management_systems":
            yield from grievance_paragraphs(facts.inputs.grievances)


def word(figure: Figure, zero: str = "no") -> Figure:
    """The figure written as a word when it is zero ("no errors"), its source kept."""
    return replace(figure, text=zero) if figure.value == 0 else figure


# --- 7. Results: supplier responses ----------------------------------------------------------------


def responses(facts: Facts) -> tuple[Paragraph, ...]:
    """The survey, the files and the review in sentences the figures choose (also Form SD's)."""
    return (*facts.section("survey_responses"), *_survey(facts), *files_counted(facts), *_review(facts))


def _survey(facts: Facts) -> list[Paragraph]:
    surveyed, responded = facts.known("surveyed"), facts.known("responded")
    if not surveyed.value:
        return [Paragraph(("We did not send the CMRT to any supplier for this reporting period.",))]
    returned, declined = facts.known("returned"), facts.known("declined")
    silent = facts.known("not_responded")
    runs: list[Run] = ["We sent the CMRT to ", *counted(surveyed, "supplier", "suppliers")]
    if facts.inputs.survey.surveyed_is_stated:
        runs.append(" (the number our records of the inquiry state)")
    if not responded.value:
        runs.append(", none of which had responded by the date of this Report.")
        return [Paragraph(tuple(runs))]
    runs += [
        ", of which ",
        responded,
        f" {plural(responded, 'has', 'have')} responded, a response rate of ",
        facts.response_rate(),
    ]
    if declined.value:
        runs += [
            ": ",
            returned,
            " returned a CMRT and ",
            declined,
            f" declined, stating that {plural(declined, 'it has', 'they have')} nothing to report",
        ]
    runs.append(".")
    if silent.value:
        runs += [
            " By the date of this Report, ",
            *counted(silent, "supplier", "suppliers"),
            " had not responded.",
        ]
    else:
        runs.append(" Every supplier we surveyed responded.")
    paragraphs = [Paragraph(tuple(runs))]
    reminders, escalated = facts.survey("reminders_sent"), facts.survey("escalated")
    if reminders is not None and reminders.value:
        chase: list[Run] = [
            "We sent ",
            *counted(reminders, "reminder", "reminders"),
            " to suppliers that had not responded",
        ]
        if escalated is not None and escalated.value:
            chase += [
                ", and escalated ",
                *counted(escalated, "unanswered request", "unanswered requests"),
                f" to the {plural(escalated, 'supplier', 'suppliers')}' escalation contacts"
                if escalated.value != 1
                else " to the supplier's escalation contact",
            ]
        paragraphs.append(Paragraph((*chase, ".")))
    return paragraphs


def files_counted(facts: Facts) -> list[Paragraph]:
    """Which supplier templates the results count: the results rule, and the files left unread (also
    the battery due-diligence report's)."""
    received = facts.supplier_files()
    chosen = _results_rule(facts)
    if not received.value:
        return chosen
    readable, unreadable = facts.supplier_files(readable=True), facts.supplier_files(readable=False)
    if not unreadable.value:
        runs: list[Run] = [
            "The results below count the answers and smelters of the ",
            *counted(readable, "supplier template", "supplier templates"),
            " we received.",
        ]
    else:
        runs = [
            "We received ",
            *counted(received, "supplier file", "supplier files"),
            ", of which ",
            unreadable,
            f" could not be read and {plural(unreadable, 'is', 'are')} not included: the results below "
            "count the answers and smelters of ",
            *counted(word(readable), "template", "templates"),
            ".",
        ]
    return [*chosen, Paragraph(tuple(runs))]


def _results_rule(facts: Facts) -> list[Paragraph]:
    """Which returned templates the results count, said when the rule leaves some out."""
    returned, in_results = facts.known("returned"), facts.survey("in_results")
    rule = facts.inputs.survey.results_rule
    if in_results is None or rule is None or in_results.value == returned.value:
        return []
    left_out = returned.value - in_results.value
    return [
        Paragraph(
            (
                "The results count the templates of ",
                in_results,
                " of the ",
                *counted(returned, "supplier", "suppliers"),
                f" that returned one, as our rule chooses ({ResultsRule(rule).label}); the other "
                f"{left_out} {'is' if left_out == 1 else 'are'} left out.",
            )
        )
    ]


def _review(facts: Facts) -> list[Paragraph]:
    errors, warnings = facts.known("errors"), facts.known("warnings")
    if not facts.inputs.survey.returned:
        return []
    if not errors.value and not warnings.value:
        return [Paragraph(("Our automated review found no error and no warning in these templates.",))]
    raised: list[Run] = [
        "Our automated review of these templates raised ",
        *counted(word(errors), "error", "errors"),
        " and ",
        *counted(word(warnings), "warning", "warnings"),
    ]
    asked_errors, asked_warnings = facts.survey("errors_asked"), facts.survey("warnings_asked")
    if asked_errors is None or asked_warnings is None:
        # No record of follow-ups in this run: the review's count is stated, and nothing about its use.
        return [Paragraph((*raised, "."))]
    all_asked = asked_errors.value == errors.value and asked_warnings.value == warnings.value
    paragraphs = []
    if all_asked:
        paragraphs.append(Paragraph((*raised, ", each of which we took up with the supplier concerned.")))
    elif not asked_errors.value and not asked_warnings.value:
        paragraphs.append(Paragraph((*raised, "; none of them has been raised with the supplier concerned.")))
    else:
        paragraphs.append(
            Paragraph(
                (
                    *raised,
                    ". We asked the suppliers concerned about ",
                    word(asked_errors, "none"),
                    f" of the {plural(errors, 'error', 'errors')} and ",
                    word(asked_warnings, "none"),
                    f" of the {plural(warnings, 'warning', 'warnings')}.",
                )
            )
        )
    accepted_errors, pending_errors = facts.known("errors_accepted"), facts.known("errors_under_review")
    exceptions = facts.known("accepted_with_exceptions")
    if exceptions.value and not accepted_errors.value:
        # Errors the analyst accepted are gone since (reference data loaded later identified a smelter).
        paragraphs.append(
            Paragraph(
                (
                    "We accepted ",
                    *counted(exceptions, "template", "templates"),
                    " with exceptions, recording why; no review error remains in "
                    f"{plural(exceptions, 'it', 'them')}.",
                )
            )
        )
    if accepted_errors.value:
        paragraphs.append(
            Paragraph(
                (
                    "We accepted ",
                    *counted(exceptions, "template", "templates"),
                    " with ",
                    *counted(accepted_errors, "error", "errors"),
                    f" still in {plural(exceptions, 'it', 'them')} (accepted with exceptions).",
                )
            )
        )
    if pending_errors.value:
        under_review = facts.known("under_review")
        paragraphs.append(
            Paragraph(
                (
                    "On the ",
                    *counted(under_review, "template", "templates"),
                    " still under review, ",
                    *counted(pending_errors, "error", "errors"),
                    f" {plural(pending_errors, 'remains', 'remain')} open.",
                )
            )
        )
    follow_ups, corrections = facts.survey("follow_ups_sent"), facts.survey("corrections_received")
    if follow_ups is not None and follow_ups.value:
        thread: list[Run] = ["We sent ", *counted(follow_ups, "follow-up request", "follow-up requests")]
        if corrections is not None and corrections.value:
            thread += [
                ", and suppliers sent us ",
                *counted(corrections, "corrected template", "corrected templates"),
            ]
        paragraphs.append(Paragraph((*thread, ".")))
    return paragraphs


# --- 7. Results: facilities ------------------------------------------------------------------------


def _facilities(facts: Facts, tables: TableNumbers) -> tuple:
    identified = facts.facilities()
    if not identified.value:
        return (
            Paragraph(
                ("Our suppliers named no smelter or refiner of 3TG that we could match to a known facility.",)
            ),
        )
    if not facts.statuses_known:
        per_metal = tables("per_metal")
        runs: list[Run] = [
            "Our suppliers named ",
            *counted(identified, "smelter or refiner", "smelters and refiners"),
            " of 3TG that we could match to a known facility. No audit-status list was applied, so "
            f"whether they are conformant with an audit standard is not known. Table {per_metal} gives "
            "them per metal.",
        ]
        table = Table(
            f"Table {per_metal}. Smelters and refiners identified, per metal",
            ("Metal", "Facilities identified"),
            (*((metal, facts.facilities(metal=metal)) for metal in facts.metals()), ("Total", identified)),
            sources=(facts.rollup_source("rollup.smelters", "identified facilities per metal"),),
            numeric=(1,),
            total_row=True,
        )
        return (Paragraph(tuple(runs)), table)
    conformant = facts.facilities(conformant=True)
    as_of = facts.status_as_of()
    per_metal, per_status = tables("per_metal"), tables("per_status")
    runs = [
        "Our suppliers named ",
        *counted(identified, "smelter or refiner", "smelters and refiners"),
        " of 3TG that we could match to a known facility. Of these, ",
        word(conformant, "none"),
    ]
    if conformant.value:
        runs += [" (", facts.conformant_share(), ")"]
    runs.append(
        f" {plural(conformant, 'was', 'were', none='was')} conformant with the RMAP or with a standard the RMI "
        "cross-recognizes"
    )
    runs += [", according to the RMI facility lists as of ", as_of, "."] if as_of else ["."]
    runs.append(f" Table {per_metal} gives these figures per metal and Table {per_status} the audit status.")
    rows: list[tuple[Cell, ...]] = [
        (
            metal,
            facts.facilities(metal=metal),
            facts.facilities(metal=metal, conformant=True),
            facts.conformant_share(metal),
        )
        for metal in facts.metals()
    ]
    rows.append(("Total", identified, conformant, facts.conformant_share()))
    table = Table(
        f"Table {per_metal}. Smelters and refiners identified, per metal",
        ("Metal", "Facilities identified", "Conformant or cross-recognized", "Share conformant"),
        tuple(rows),
        sources=(facts.rollup_source("rollup.smelters", "identified facilities per metal and audit status"),),
        numeric=(1, 2, 3),
        total_row=True,
    )
    return (Paragraph(tuple(runs)), table, status_chart(facts, per_status))


def status_chart(facts: Facts, number: int) -> Chart:
    """Facilities per audit status and metal: a stacked bar in the PDF, a table everywhere else."""
    metals = facts.metals()
    statuses = facts.statuses()
    rows: list[tuple[Cell, ...]] = []
    for metal in metals:
        rows.append(
            (
                metal,
                *(facts.facilities(metal=metal, status=s) for s in statuses),
                facts.facilities(metal=metal),
            )
        )
    rows.append(("Total", *(facts.facilities(status=s) for s in statuses), facts.facilities()))
    table = Table(
        f"Table {number}. Audit status of the identified facilities, per metal",
        ("Metal", *statuses, "Total"),
        tuple(rows),
        sources=(facts.rollup_source("rollup.smelters", "identified facilities per metal and audit status"),),
        numeric=tuple(range(1, len(statuses) + 2)),
        total_row=True,
    )
    series = tuple(
        Series(
            s, tuple(facts.facilities(metal=m, status=s) for m in metals), STATUS_COLOURS.get(s, OTHER_COLOUR)
        )
        for s in statuses
    )
    return Chart(
        "stacked-bar", "Audit status of identified facilities, per metal", tuple(metals), series, table
    )


def _countries(facts: Facts, tables: TableNumbers) -> tuple:
    countries = facts.countries()
    # The Mine Lists' countries no identified facility is in get rows of their own.
    located = {country_name(c) or c for c in countries}
    mine_only = [c for c in facts.mine_countries() if c not in located]
    mines = facts.mines()
    if not countries and not mines.value:
        return (Paragraph(("No facility was identified, so there is no location to report.",)),)
    metals = facts.metals()
    number = tables("countries")
    blocks: list = []
    if countries:
        count = Figure(
            len(countries),
            f"{len(countries):,}",
            facts.rollup_source(
                "rollup.smelters",
                "countries in which identified facilities are located",
                (("group", "country"),),
            ),
        )
        blocks.append(
            Paragraph(
                (
                    "The identified facilities are located in ",
                    *counted(count, "country", "countries"),
                    f", listed in Table {number}. The location of a smelter or refiner is not necessarily the "
                    "country in which the ore it processed was mined; for facilities that are conformant, the "
                    "RMAP assessment reviews the origin of the material they receive.",
                )
            )
        )
    else:
        blocks.append(Paragraph(("No facility was identified, so no facility location is reported.",)))
    if mines.value:
        mine_countries = Figure(
            len(facts.mine_countries()),
            f"{len(facts.mine_countries()):,}",
            facts.rollup_source(
                "rollup.mines", "countries of the Mine Lists' mines", (("group", "country"),)
            ),
        )
        blocks.append(
            Paragraph(
                (
                    "The suppliers' Mine Lists name ",
                    *counted(mines, "mine", "mines"),
                    " in ",
                    *counted(mine_countries, "country", "countries"),
                    f", counted in Table {number} too: a mine's country is where the mineral was extracted, so "
                    "it is a country of origin as the suppliers reported it.",
                )
            )
        )
    rows_for = [*countries, *mine_only]
    # The column is printed only when a listed country is a Covered Country; empty, it says nothing.
    covered = {country for country in rows_for if covered_country(country)}
    rows = tuple(
        (
            country,
            *(facts.country_count(country, metal) for metal in metals),
            facts.country_count(country, None),
            *((facts.mine_country_count(country),) if mines.value else ()),
            *(("Yes" if country in covered else "No",) if covered else ()),
        )
        for country in rows_for
    )
    sources = [
        facts.rollup_source("rollup.smelters", "identified facilities per country", (("group", "country"),))
    ]
    if mines.value:
        sources.append(
            facts.rollup_source("rollup.mines", "Mine List mines per country", (("group", "country"),))
        )
    table = Table(
        f"Table {number}. Location of the identified facilities"
        + (" and of the mines in the suppliers' Mine Lists" if mines.value else ""),
        (
            "Country",
            *metals,
            "Total",
            *(("Mines (Mine List)",) if mines.value else ()),
            *(("Covered Country",) if covered else ()),
        ),
        rows,
        sources=tuple(sources),
        numeric=tuple(range(1, len(metals) + 2 + (1 if mines.value else 0))),
    )
    return (*blocks, table)


def _covered(facts: Facts, tables: TableNumbers) -> tuple:
    identified = facts.facilities()
    if not identified.value:
        return (Paragraph(("No facility was identified, so none is known to be in a Covered Country.",)),)
    flagged = [s for s in facts.smelters if s.covered_country or s.cahra]
    covered = facts.facilities(covered_country=True)
    if covered.value:
        runs: list[Run] = [
            "Of the identified facilities, ",
            covered,
            f" {plural(covered, 'is', 'are')} located in a Covered Country",
        ]
        if facts.statuses_known:
            covered_conformant = facts.facilities(covered_country=True, conformant=True)
            runs += [
                ", of which ",
                word(covered_conformant, "none"),
                f" {plural(covered_conformant, 'was', 'were', none='was')} conformant or cross-recognized.",
            ]
        else:
            runs.append("; with no audit-status list applied, whether it is conformant is not known.")
    else:
        runs = ["None of the identified facilities is located in a Covered Country."]
    if facts.inputs.cahra_list:
        other = facts.facilities(cahra=True, covered_country=False)
        runs += [
            " On the list of conflict-affected and high-risk areas we applied (",
            facts.inputs.cahra_list,
            "), ",
            *(
                (other, f" further {plural(other, 'facility is', 'facilities are')} located in such an area.")
                if other.value
                else ("no further facility is located in such an area.",)
            ),
        ]
    else:
        runs.append(
            " We applied no list of conflict-affected and high-risk areas beyond the Covered Countries."
        )
    blocks: list = []
    if flagged:
        number = tables("covered")
        runs.append(f" Table {number} lists {'it' if len(flagged) == 1 else 'them'} with the audit status.")
        blocks.append(Paragraph(tuple(runs)))
        rows = tuple(
            (
                metal_of(s) or s.metal,
                s.name,
                smelter_id_cell(s),
                s.country or "Unknown",
                status_of(s),
                "Yes" if s.covered_country else "No",
                "Yes" if s.cahra else "No",
            )
            for s in sorted(flagged, key=_facility_order)
        )
        blocks.append(
            Table(
                f"Table {number}. Facilities in Covered Countries and other conflict-affected or high-risk areas",
                (
                    "Metal",
                    "Smelter or refiner",
                    "Smelter ID",
                    "Country",
                    "RMAP status",
                    "Covered Country",
                    "CAHRA",
                ),
                rows,
                sources=(
                    facts.rollup_source(
                        "rollup.smelters",
                        "identified facilities in a Covered Country or CAHRA",
                        (("covered_or_cahra", "yes"),),
                    ),
                ),
            )
        )
    else:
        blocks.append(Paragraph(tuple(runs)))
    return tuple(blocks)


def _sample_caveat(facts: Facts) -> tuple[str, ...]:
    """Matched against a sample, a name matching nothing says nothing about RMI's own list."""
    if not facts.reference_is_sample:
        return ()
    return (
        " Because the reference list is a sample of a few dozen of RMI's facilities, a name not matched "
        "here may be a facility RMI lists.",
    )


def reference_note(facts: Facts) -> tuple[Paragraph, ...]:
    """Which reference list the facilities were matched against, said wherever they are listed when it
    is the sample rather than RMI's own list."""
    if not facts.reference_is_sample:
        return ()
    return (
        Paragraph(
            (
                "Sample reference list: the smelter names our suppliers reported were matched against ",
                *facts.reference_words(),
                ". Its facilities are real, with their RMI IDs and countries, but it holds only a few "
                "dozen of them; the figures below describe matches against this sample and are not a "
                "statement about RMI's list.",
            )
        ),
    )


def _unidentified(facts: Facts, tables: TableNumbers) -> tuple:
    names = facts.unidentified_names()
    if not names.value:
        if not facts.inputs.rollup.unidentified and not facts.smelters:
            return (Paragraph(("Our suppliers reported no smelter name.",)),)
        return (
            Paragraph(("Every smelter name our suppliers reported could be matched to a known facility.",)),
        )
    number = tables("unidentified")
    intro = Paragraph(
        (
            "Our suppliers also reported ",
            *counted(names, "smelter name", "smelter names"),
            " that we could not match to a facility on ",
            *facts.reference_words(),
            f". Table {number} gives {plural(names, 'it', 'each')} as reported, with the reason; "
            f"{plural(names, 'it is', 'they are')} not counted among the identified facilities.",
            *_sample_caveat(facts),
        )
    )
    rows = tuple(
        (
            (u.metal or "Not given").strip().title(),
            u.name or "(no name)",
            u.country or "Not given",
            Figure(
                len(u.suppliers),
                f"{len(u.suppliers):,}",
                facts.rollup_source(
                    "rollup.unidentified", "suppliers reporting this name", (("name", u.name or ""),)
                ),
            ),
            u.reason,
        )
        for u in sorted(facts.unidentified, key=lambda u: ((u.metal or "").lower(), (u.name or "").lower()))
    )
    table = Table(
        f"Table {number}. Smelter names not matched to a known facility",
        ("Metal", "Name as reported", "Country as reported", "Suppliers", "Reason"),
        rows,
        sources=(facts.rollup_source("rollup.unidentified", "smelter names matching no known facility"),),
        numeric=(3,),
    )
    return (intro, table)


# --- conclusion ------------------------------------------------------------------------------------


def conclusion(facts: Facts) -> tuple[Paragraph, ...]:
    """The conclusion the company chose, and for "origin undetermined" how its suppliers declared."""
    chosen = facts.inputs.conclusion_option
    paragraphs = facts.fill(chosen.text, "Conclusion")
    if chosen.key != "origin-undetermined":
        return paragraphs
    read = [s for s in facts.inputs.rollup.suppliers if s.readable]
    if not read:
        return paragraphs
    company = sum(1 for s in read if (s.scope or "").strip().upper().startswith("A"))
    source = facts.rollup_source("rollup.suppliers", "declaration scope of the supplier templates read")
    whole = Figure(company, f"{company:,}", Source(source.key, source.label, (("scope", "A"),)))
    total = Figure(len(read), f"{len(read):,}", source)
    return (
        *paragraphs,
        Paragraph(
            (
                "Of the ",
                *counted(total, "supplier template", "supplier templates"),
                " we could read, ",
                word(whole, "none"),
                " declared the supplier's smelters and refiners for its company as a whole (declaration "
                "scope A) rather than for the parts it supplies to us.",
            )
        ),
    )


# --- 8. Process improvements -----------------------------------------------------------------------


def _improvements(facts: Facts, tables: TableNumbers) -> tuple:
    years = sorted(facts.inputs.previous_years, key=lambda y: y.year)
    current = facts.current_year()
    rows: list[tuple[Cell, ...]] = [
        (
            str(y.year),
            facts.history(y, "surveyed"),
            facts.history(y, "responded"),
            facts.history(y, "response_rate"),
            facts.history(y, "smelters_identified"),
            facts.history(y, "conformant_share"),
            facts.history(y, "covered_country_smelters") if y.covered_country_smelters is not None else "n/a",
        )
        for y in years
    ]
    rows.append(
        (
            str(current.year),
            facts.known("surveyed"),
            facts.known("responded"),
            facts.response_rate(),
            facts.facilities(),
            facts.conformant_share(),
            facts.facilities(covered_country=True),
        )
    )
    table = Table(
        f"Table {tables('years')}. Year-over-year comparison",
        (
            "Year",
            "Suppliers surveyed",
            "Responses",
            "Response rate",
            "Facilities identified",
            "Share conformant",
            "Facilities in Covered Countries",
        ),
        tuple(rows),
        sources=_trend_sources(facts, years),
        numeric=(1, 2, 3, 4, 5, 6),
    )
    number = table.caption.split(".")[0]
    if years:
        compared = " and ".join(
            [", ".join(str(y.year) for y in years[:-1]), str(years[-1].year)]
            if len(years) > 1
            else [str(years[0].year)]
        )
        comparison = f"{number} compares this year's figures with those we reported for {compared}."
    else:
        comparison = f"{number} gives this year's figures; later reports will compare with them."
    blocks: list = [*facts.section("process_improvements"), Paragraph((comparison,)), table]
    if years:
        blocks.append(trend_chart(facts, [*years, current]))
    blocks.extend(changes_since_last_year(facts))
    return tuple(blocks)


def changes_since_last_year(facts: Facts) -> tuple[Paragraph, ...]:
    """What changed since the year before's inquiry, per supplier and per smelter, in sentences the
    counts choose: nothing is said of a year the app holds no inquiry for."""
    changes = facts.inputs.changes
    if changes is None:
        return ()
    last = changes.last_year

    def figure(items, words: str) -> Figure:
        count = len(items)
        return Figure(count, f"{count:,}", Source("changes", f"Compared with {last}: {words}"))

    both = figure(changes.suppliers_in_both_years, "suppliers with a file in both years' results")
    if not both.value:
        return (
            Paragraph(
                (
                    f"No supplier had a file in the results of both our {last} inquiry and this year's, "
                    "so no supplier's answers can be compared with the year before.",
                )
            ),
        )
    answers = figure(changes.suppliers_with_changed_answers, "suppliers whose Declaration answers changed")
    smelters = figure(
        [s for s in changes.suppliers_in_both_years if s.new_smelters or s.dropped_smelters],
        "suppliers that named other smelters",
    )
    new = figure(changes.new_smelters, "facilities named this year and by no supplier the year before")
    dropped = figure(
        changes.dropped_smelters, "facilities named the year before and by no supplier this year"
    )
    moved = figure(changes.status_changes, "facilities named in both years whose audit status changed")
    dropped_runs: tuple[Run, ...] = (
        (", and every facility named the year before was named again. ",)
        if not dropped.value
        else (
            ", and no longer named ",
            *counted(dropped, "facility", "facilities"),
            " named the year before. ",
        )
    )
    status_runs: tuple[Run, ...] = (
        ("No facility named in both years changed its audit status.",)
        if not moved.value
        else (
            "The audit status of ",
            *counted(moved, "facility named in both years", "facilities named in both years"),
            " changed.",
        )
    )
    return (
        Paragraph(
            (
                f"Compared with our {last} inquiry: of the ",
                *counted(both, "supplier", "suppliers"),
                " with a file in the results of both years, ",
                word(answers, "none"),
                f" changed {plural(answers, 'its', 'their')} declaration answers and ",
                word(smelters, "none"),
                " named other smelters or refiners than the year before. Our suppliers named ",
                *counted(word(new), "facility", "facilities"),
                " that no supplier named the year before",
                *dropped_runs,
                *status_runs,
            )
        ),
    )


def trend_chart(facts: Facts, years) -> Chart:
    """Response rate and conformant share per year: grouped bars in the PDF; the year-over-year table
    already gives the numbers, so no second table is printed."""
    current = years[-1]

    def rate(y) -> Figure:
        return facts.response_rate() if y is current else facts.history(y, "response_rate")

    def share(y) -> Figure:
        return facts.conformant_share() if y is current else facts.history(y, "conformant_share")

    rates = tuple(rate(y) for y in years)
    shares = tuple(share(y) for y in years)
    table = Table(
        "Response rate and share of conformant facilities, per year",
        ("Year", "Response rate", "Share conformant"),
        tuple((str(y.year), r, s) for y, r, s in zip(years, rates, shares, strict=True)),
        sources=_trend_sources(facts, years[:-1]),
        numeric=(1, 2),
    )
    return Chart(
        "grouped-bar",
        "Response rate and share of conformant facilities",
        tuple(str(y.year) for y in years),
        (Series("Response rate", rates, "#2166ac"), Series("Facilities conformant", shares, "#1b7837")),
        table,
        unit="%",
        show_table=False,
    )


def _trend_sources(facts: Facts, earlier) -> tuple[Source, ...]:
    sources = []
    if earlier:
        years = ", ".join(str(y.year) for y in earlier)
        sources.append(Source("history", f"Report settings: figures reported for {years}"))
    sources.append(
        Source("survey.response_rate", f"Survey {facts.inputs.year}: suppliers surveyed and responses")
    )
    sources.append(facts.rollup_source("rollup.smelters", "identified facilities and their audit status"))
    return tuple(sources)


# --- Annex -----------------------------------------------------------------------------------------


def _annex(facts: Facts) -> tuple:
    identified = facts.facilities()
    if not identified.value:
        return (
            Paragraph(
                ("No smelter or refiner reported by our suppliers could be matched to a known facility.",)
            ),
        )
    as_of = facts.status_as_of()
    runs: list[Run] = [
        "The following ",
        *counted(identified, "smelter or refiner was", "smelters and refiners were"),
        " reported by our suppliers and matched to a known facility. Because suppliers often declare "
        "their smelters for their whole company, not every facility listed necessarily processed material "
        "contained in our products.",
    ]
    if as_of:
        runs += [
            " The status shown is the facility's RMAP status on the RMI facility lists as of ",
            as_of,
            ".",
        ]
    else:
        runs.append(" No audit-status list was applied, so no status is shown.")
    rows = tuple(
        (metal_of(s) or s.metal, s.name, smelter_id_cell(s), s.country or "Unknown", status_of(s))
        for s in sorted(facts.smelters, key=_facility_order)
    )
    unlisted = [s for s in facts.smelters if not s.listed_by_rmi]
    if unlisted:
        one = len(unlisted) == 1
        runs.append(
            f" {len(unlisted)} of them {'is' if one else 'are'} not on RMI's reference list: we identified "
            f"{'it against a facility' if one else 'them against facilities'} we added ourselves, and the "
            f"table gives the source of {'it' if one else 'each'}."
        )
    table = Table(
        "Facilities reported by our suppliers",
        ("Metal", "Smelter or refiner", "Smelter ID", "Country", "RMAP status"),
        rows,
        sources=(facts.rollup_source("rollup.smelters", "identified facilities, all 3TG"),),
    )
    return (Paragraph(tuple(runs)), table)


def smelter_id_cell(s) -> str:
    """The Smelter ID cell: a facility RMI does not list carries the mark and the source with its ID, so
    a reader never takes an ID an analyst typed for one RMI published."""
    return s.smelter_id if s.listed_by_rmi else f"{s.smelter_id} ({s.provenance})"


def _facility_order(s):
    metal = metal_of(s)
    return (METALS.index(metal) if metal else len(METALS), natural_key(s.name), s.smelter_id)


__all__ = [
    "OECD_STEPS",
    "build_report",
    "conclusion",
    "responses",
    "status_chart",
    "trend_chart",
    "whole_percent",
]
