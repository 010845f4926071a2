"""The Conflict Minerals Report (Form SD Exhibit 1.01) as a document model.

Sections follow the structure of published reports: introduction with the rule, the 3TG and the Covered
Countries; company, products and supply chain overviews; the compliance process under the OECD five
steps with the reasonable country of origin inquiry; the efforts to determine origin; the results;
process improvements with a year-over-year comparison; and an annex listing the facilities.
"""

from __future__ import annotations

from oretrace.reports.document import (
    Cell,
    Chart,
    Document,
    Figure,
    Paragraph,
    Section,
    Series,
    Source,
    Table,
)
from oretrace.reports.figures import METALS, Facts, metal_of, natural_key, plural, status_of, whole_percent
from oretrace.reports.inputs import ReportInputs
from oretrace.rollup.model import COVERED_COUNTRIES

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


def build_report(inputs: ReportInputs) -> Document:
    facts = Facts(inputs)
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
        Section("results_responses", "Supplier Responses", 2, _responses(facts)),
        Section("results_facilities", "Smelters and Refiners Identified", 2, _facilities(facts)),
        Section("results_countries", "Location of the Facilities", 2, _countries(facts)),
        Section(
            "results_covered", "Facilities in Covered Countries and Other High-Risk Areas", 2, _covered(facts)
        ),
        Section("results_unidentified", "Names Not Matched to a Known Facility", 2, _unidentified(facts)),
        Section("conclusion", "Conclusion", 2, facts.fill(inputs.conclusion_option.text, "Conclusion")),
        Section("process_improvements", "8. Process Improvements", 1, _improvements(facts)),
        Section(
            "annex_facilities", "Annex A. Smelters and Refiners Reported by Our Suppliers", 1, _annex(facts)
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


def _responses(facts: Facts) -> tuple:
    blocks = list(facts.section("survey_responses"))
    received = facts.supplier_files()
    readable = facts.supplier_files(readable=True)
    unreadable = facts.supplier_files(readable=False)
    errors, warnings = facts.findings("error"), facts.findings("warning")
    sentence: list = [
        "Our review covered the ",
        received,
        f" supplier {plural(received, 'template', 'templates')} received, of which ",
        readable,
        f" could be read and {plural(readable, 'is', 'are')} included in the results below",
    ]
    if unreadable.value:
        sentence += ["; ", unreadable, " could not be read and were returned to the suppliers concerned."]
    else:
        sentence.append(".")
    sentence += [
        " Our automated review of the templates raised ",
        errors,
        f" {plural(errors, 'error', 'errors')} and ",
        warnings,
        f" {plural(warnings, 'warning', 'warnings')}, each of which we took up with the supplier concerned.",
    ]
    blocks.append(Paragraph(tuple(sentence)))
    return tuple(blocks)


def _facilities(facts: Facts) -> tuple:
    metals = facts.metals()
    as_of = facts.status_as_of()
    runs: list = [
        "Our suppliers named ",
        facts.facilities(),
        " smelters and refiners of 3TG that we could match to a known facility. Of these, ",
        facts.facilities(conformant=True),
        " (",
        facts.conformant_share(),
        ") were conformant with the RMAP or with a standard the RMI cross-recognizes",
        *((", according to the RMI facility lists as of ", as_of, ".") if as_of else (".",)),
        " Table 1 gives these figures per metal and Table 2 the audit status of each facility.",
    ]
    rows: list[tuple[Cell, ...]] = [
        (
            metal,
            facts.facilities(metal=metal),
            facts.facilities(metal=metal, conformant=True),
            facts.conformant_share(metal),
        )
        for metal in metals
    ]
    rows.append(("Total", facts.facilities(), facts.facilities(conformant=True), facts.conformant_share()))
    per_metal = Table(
        "Table 1. Smelters and refiners identified, per metal",
        ("Metal", "Facilities identified", "Conformant or cross-recognized", "Share conformant"),
        tuple(rows),
        sources=(facts.rollup_source("rollup.smelters", "identified facilities per metal and audit status"),),
        numeric=(1, 2, 3),
        total_row=True,
    )
    return (Paragraph(tuple(runs)), per_metal, status_chart(facts))


def status_chart(facts: Facts) -> Chart:
    """Facilities per audit status and metal: a stacked bar in the PDF, Table 2 everywhere else."""
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
        "Table 2. Audit status of the identified facilities, per metal",
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


def _countries(facts: Facts) -> tuple:
    countries = facts.countries()
    metals = facts.metals()
    intro = Paragraph(
        (
            "The identified facilities are located in ",
            Figure(
                len(countries),
                f"{len(countries):,}",
                facts.rollup_source(
                    "rollup.smelters",
                    "countries in which identified facilities are located",
                    (("group", "country"),),
                ),
            ),
            " countries, listed in Table 3. The location of a smelter or refiner is not necessarily the "
            "country in which the ore it processed was mined; for facilities that are conformant, the RMAP "
            "assessment reviews the origin of the material they receive.",
        )
    )
    covered = set(COVERED_COUNTRIES)
    rows = tuple(
        (
            country,
            *(facts.country_count(country, metal) for metal in metals),
            facts.country_count(country, None),
            "Yes" if country in covered else "",
        )
        for country in countries
    )
    table = Table(
        "Table 3. Location of the identified facilities",
        ("Country", *metals, "Total", "Covered Country"),
        rows,
        sources=(
            facts.rollup_source(
                "rollup.smelters", "identified facilities per country", (("group", "country"),)
            ),
        ),
        numeric=tuple(range(1, len(metals) + 2)),
    )
    return (intro, table)


def _covered(facts: Facts) -> tuple:
    flagged = [s for s in facts.smelters if s.covered_country or s.cahra]
    covered = facts.facilities(covered_country=True)
    cahra = facts.facilities(cahra=True)
    covered_conformant = facts.facilities(covered_country=True, conformant=True)
    runs: list = [
        covered,
        f" of the identified facilities {plural(covered, 'is', 'are')} located in a Covered Country",
    ]
    if covered.value:
        runs += [
            ", of which ",
            covered_conformant,
            f" {plural(covered_conformant, 'was', 'were')} conformant or cross-recognized",
        ]
    runs += [
        "; ",
        cahra,
        f" {plural(cahra, 'is', 'are')} located in a conflict-affected or high-risk area on the list we used. ",
    ]
    if flagged:
        runs.append(
            "Table 4 lists them. We asked the suppliers that named a facility which is not conformant to "
            "confirm whether it processed material contained in their products and, if so, to move to a "
            "conformant source."
        )
    else:
        runs.append("No supplier named such a facility.")
    blocks: list = [Paragraph(tuple(runs))]
    if flagged:
        rows = tuple(
            (
                metal_of(s) or s.metal,
                s.name,
                s.smelter_id,
                s.country or "Unknown",
                status_of(s),
                "Yes" if s.covered_country else "No",
                "Yes" if s.cahra else "No",
            )
            for s in sorted(flagged, key=_facility_order)
        )
        blocks.append(
            Table(
                "Table 4. Facilities in Covered Countries and other conflict-affected or high-risk areas",
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
    return tuple(blocks)


def _unidentified(facts: Facts) -> tuple:
    names = facts.unidentified_names()
    if not names.value:
        return (
            Paragraph(("Every smelter name our suppliers reported could be matched to a known facility.",)),
        )
    intro = Paragraph(
        (
            "Our suppliers also reported ",
            names,
            f" smelter {plural(names, 'name', 'names')} that we could not match to any facility on the RMI's list. Some are trading "
            "companies or suppliers rather than smelters; others are spelling variants that the suppliers "
            "were asked to correct. These names are listed in Table 5 as reported and are not counted among "
            "the identified facilities.",
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
        "Table 5. Smelter names not matched to a known facility",
        ("Metal", "Name as reported", "Country as reported", "Suppliers", "Reason"),
        rows,
        sources=(facts.rollup_source("rollup.unidentified", "smelter names matching no known facility"),),
        numeric=(3,),
    )
    return (intro, table)


def _improvements(facts: Facts) -> tuple:
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
            facts.campaign("surveyed"),
            facts.campaign("responded"),
            facts.response_rate(),
            facts.facilities(),
            facts.conformant_share(),
            facts.facilities(covered_country=True),
        )
    )
    table = Table(
        "Table 6. Year-over-year comparison",
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
    blocks: list = [*facts.section("process_improvements"), table]
    if years:
        blocks.append(trend_chart(facts, [*years, current]))
    return tuple(blocks)


def trend_chart(facts: Facts, years) -> Chart:
    """Response rate and conformant share per year: grouped bars in the PDF, Table 7 elsewhere."""
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
        show_table=False,  # Table 6 already gives these figures; only the PDF draws the picture
    )


def _trend_sources(facts: Facts, earlier) -> tuple[Source, ...]:
    sources = []
    if earlier:
        years = ", ".join(str(y.year) for y in earlier)
        sources.append(Source("history", f"Report settings: figures reported for {years}"))
    sources.append(
        Source("campaign.response_rate", f"Campaign {facts.inputs.year}: suppliers surveyed and responses")
    )
    sources.append(facts.rollup_source("rollup.smelters", "identified facilities and their audit status"))
    return tuple(sources)


def _annex(facts: Facts) -> tuple:
    intro = Paragraph(
        (
            "The following ",
            facts.facilities(),
            " smelters and refiners were reported by our suppliers and matched to a known facility. "
            "Because most suppliers declare their smelters for their whole company, not every facility "
            "listed necessarily processed material contained in our products. The status shown is the "
            "facility's RMAP status as published by the RMI.",
        )
    )
    rows = tuple(
        (metal_of(s) or s.metal, s.name, s.smelter_id, s.country or "Unknown", status_of(s))
        for s in sorted(facts.smelters, key=_facility_order)
    )
    table = Table(
        "Facilities reported by our suppliers",
        ("Metal", "Smelter or refiner", "Smelter ID", "Country", "RMAP status"),
        rows,
        sources=(facts.rollup_source("rollup.smelters", "identified facilities, all 3TG"),),
    )
    return (intro, table)


def _facility_order(s):
    metal = metal_of(s)
    return (METALS.index(metal) if metal else len(METALS), natural_key(s.name), s.smelter_id)


__all__ = ["OECD_STEPS", "build_report", "status_chart", "trend_chart", "whole_percent"]
