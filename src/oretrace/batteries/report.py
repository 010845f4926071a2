"""The battery due-diligence report of Article 52(3) of Regulation (EU) 2023/1542, as a document on
the Conflict Minerals Report's model (reports.document), written by the same HTML, DOCX and PDF
renderers.

Article 52(3) asks for: the batteries concerned, named clearly; the steps taken to meet Articles 49
(management system) and 50 (risk management); the significant adverse impacts found in the risk
categories of Annex X point 2 and how they were addressed; and a summary of the third-party
verification of Article 51 with the name of the notified body. The basis section says whether Chapter
VII applied in the period (scope.py) and whether the Commission's guidelines were available.

As in the CMR, every sentence that depends on the data is chosen by the data, and every number is a
Figure with its source: a setting left blank is said to be blank, never filled with a claim.
"""

from __future__ import annotations

from oretrace.batteries import scope
from oretrace.batteries.categories import (
    CATEGORIES,
    CONFLICT_CATEGORY,
    GROUP_TITLES,
    RAW_MATERIALS,
    raw_material_name,
)
from oretrace.batteries.figures import BatteryFacts
from oretrace.batteries.inputs import BATTERY_CATEGORIES, BatteryInputs
from oretrace.reports.cmr import TableNumbers, files_counted, reference_note, smelter_id_cell, word
from oretrace.reports.document import BulletList, Document, Paragraph, Run, Section, Table
from oretrace.reports.figures import counted, plural, status_of
from oretrace.risk.codes import SMELTER, SUPPLIER

REGULATION = "Regulation (EU) 2023/1542 concerning batteries and waste batteries"


def _date(day) -> str:
    return f"{day.day} {day:%B} {day.year}"


def _period(year: int) -> str:
    # Written the European way, as the Regulation's dates are; the CMR's period follows Form SD's.
    return f"1 January to 31 December {year}"


def build_battery_report(inputs: BatteryInputs) -> Document:
    facts = BatteryFacts(inputs)
    tables = TableNumbers()
    org = inputs.report.organisation.name
    sections = (
        Section("basis", "1. Basis of this report", 1, basis(facts)),
        Section("batteries", "2. Batteries and raw materials concerned", 1, batteries(facts, tables)),
        Section("policy", "3. Due-diligence policy and management system (Article 49)", 1, policy(facts)),
        Section("risks", "4. Supply chain risks identified (Article 50)", 1, risks(facts, tables)),
        Section(
            "impacts",
            "5. Adverse impacts in the Annex X risk categories and how they were addressed",
            1,
            impacts(facts, tables),
        ),
        Section("verification", "6. Third-party verification (Article 51)", 1, verification(facts)),
        Section("annex", "Annex. Facilities identified in our supply chain", 1, annex(facts, tables)),
    )
    return Document(
        kind="battery-due-diligence",
        title="Battery Due Diligence Report",
        heading_lines=("Regulation (EU) 2023/1542, Article 52(3)",),
        subtitle_lines=(org, f"Reporting period: {_period(inputs.report.year)}"),
        sections=sections,
    )


# --- 1. basis --------------------------------------------------------------------------------------


def basis(facts: BatteryFacts) -> tuple[Paragraph, ...]:
    org = facts.inputs.organisation.name
    return (
        Paragraph(
            (
                f"This report sets out the battery due-diligence policy of {org} and the steps we took "
                f"under it in the reporting period {_period(facts.inputs.year)}, as Article 52(3) of {REGULATION} "
                "asks of an economic operator that places batteries on the market.",
            )
        ),
        *applicability(facts),
        guidelines(facts),
        Paragraph(
            (
                f"Every figure in this report is computed from our supplier survey for {facts.inputs.year} "
                f"and its roll-up of {facts.generated}, counted over the raw materials of Annex X by the "
                "same rules by which a Conflict Minerals Report counts tin, tantalum, tungsten and gold.",
            )
        ),
    )


def applicability(facts: BatteryFacts) -> tuple[Paragraph, ...]:
    found = scope.applicability(facts.battery.period_end, facts.battery.settings.turnover)
    if found.in_application:
        when = (
            f"The due-diligence obligations of Chapter VII of the Regulation apply from "
            f"{_date(scope.APPLIES_FROM)}, as postponed by Regulation (EU) 2025/1561, and applied at the "
            f"end of this reporting period.",
        )
    else:
        when = (
            f"The due-diligence obligations of Chapter VII of the Regulation apply from "
            f"{_date(scope.APPLIES_FROM)}, as postponed by Regulation (EU) 2025/1561; at the end of this "
            f"reporting period, {_date(found.on)}, they did not yet apply, and we publish this report "
            "ahead of them.",
        )
    return (Paragraph(when), Paragraph(tuple(_turnover_runs(facts, found))))


def _turnover_runs(facts: BatteryFacts, found: scope.Applicability) -> list[Run]:
    company = facts.turnover("company")
    limit = f"EUR {scope.TURNOVER_LIMIT_EUR:,}"
    if company is None:
        return [
            "Article 47 exempts an economic operator whose net turnover in the financial year preceding "
            f"the last was below {limit} and that is not part of a larger group; our report settings state "
            "no net turnover, so this report does not say whether the exemption applies to us."
        ]
    runs: list[Run] = ["Our net turnover in the financial year preceding the last was ", company]
    group = facts.turnover("group")
    if group is not None:
        runs += [", and that of the group we are part of, on a consolidated basis, ", group]
    runs.append(" (as stated in our report settings). ")
    if found.exempt:
        runs.append(
            f"This is below the {limit} of Article 47, which exempts us from Chapter VII; we publish this "
            "report voluntarily."
        )
    else:
        runs.append(f"Article 47's exemption, for operators below {limit}, does not apply to us.")
    return runs


def guidelines(facts: BatteryFacts) -> Paragraph:
    published = facts.battery.settings.guidelines.strip()
    if published:
        return Paragraph(
            (f"This report follows the Commission's guidelines on battery due diligence: {published}.",)
        )
    return Paragraph(
        (
            "The Commission's guidelines on battery due diligence, due by "
            f"{_date(scope.GUIDELINES_DUE)} under Regulation (EU) 2025/1561, were not available to us "
            "when this report was prepared. It follows the text of the Regulation (Articles 47 to 52 and "
            "Annex X) and the OECD Due Diligence Guidance, and will be reviewed against the guidelines "
            "once they are published.",
        )
    )


# --- 2. batteries and raw materials ----------------------------------------------------------------


def batteries(facts: BatteryFacts, tables: TableNumbers) -> tuple:
    settings = facts.battery.settings
    blocks: list = []
    if settings.battery_categories:
        blocks.append(
            Paragraph(("This report concerns the following categories of batteries we place on the market:",))
        )
        blocks.append(
            BulletList(
                tuple(
                    (BATTERY_CATEGORIES[key],)
                    for key in BATTERY_CATEGORIES
                    if key in settings.battery_categories
                )
            )
        )
    else:
        blocks.append(
            Paragraph(
                (
                    "Our report settings name no category of batteries we place on the market, so this "
                    "report does not yet identify the batteries it concerns, as Article 52(3) requires.",
                )
            )
        )
    if settings.batteries_described.strip():
        blocks.append(Paragraph((" ".join(settings.batteries_described.split()),)))
    number = tables("materials")
    blocks.append(
        Paragraph(
            (
                "Annex X, point 1, names the raw materials battery due diligence covers: cobalt, natural "
                "graphite, lithium and nickel, and the chemical compounds based on them that are needed "
                "for the active materials of batteries, which we count under the raw material they are "
                f"based on. Table {number} gives, for each, the facilities our suppliers named that we "
                "identified.",
            )
        )
    )
    # Without an audit status for any facility, "conformant" cannot be said of one: the column is left
    # out rather than filled with zeros the data does not state (Facts.statuses_known).
    known = facts.statuses_known
    rows = []
    for material in RAW_MATERIALS:
        metal = material.rollup_metal
        conformant = (facts.facilities(metal=metal, conformant=True),) if known else ()
        rows.append(
            (
                material.name,
                material.source.rsplit(", ", 1)[-1],
                facts.facilities(metal=metal),
                *conformant,
                facts.unidentified_names(metal),
            )
        )
    conformant = (facts.facilities(conformant=True),) if known else ()
    rows.append(("Total", "", facts.facilities(), *conformant, facts.unidentified_names()))
    header = ("Raw material", "Annex X", "Facilities identified")
    header += ("Conformant or cross-recognized",) if known else ()
    blocks.append(
        Table(
            f"Table {number}. Facilities identified per Annex X raw material",
            (*header, "Names not matched"),
            tuple(rows),
            sources=(facts.rollup_source("rollup.smelters", "identified facilities per raw material"),),
            numeric=tuple(range(2, len(header) + 1)),
            total_row=True,
        )
    )
    return tuple(blocks)


# --- 3. policy and management system ----------------------------------------------------------------


def policy(facts: BatteryFacts) -> tuple[Paragraph, ...]:
    url = facts.battery.settings.policy_url.strip()
    if url:
        published = Paragraph((f"Our battery due-diligence policy is published at {url}.",))
    else:
        published = Paragraph(
            (
                "Our report settings give no address at which our battery due-diligence policy is "
                "published; Article 52(3) asks for this report, and the policy it reviews, to be made "
                "public, including on the internet.",
            )
        )
    return (published, *survey(facts))


def survey(facts: BatteryFacts) -> tuple[Paragraph, ...]:
    kinds = facts.supplier_kinds()
    template = " and ".join(f"the RMI {k}" for k in kinds) if kinds else "an RMI reporting template"
    surveyed = facts.known("surveyed")
    responded = facts.known("responded")
    runs: list[Run] = [
        "To identify the smelters and refiners in our supply chain (Article 49), we asked ",
        *counted(surveyed, "supplier", "suppliers"),
        f" to complete {template} for the raw materials they supply to us; ",
        responded,
        f" {plural(responded, 'responded', 'responded')}",
    ]
    if surveyed.value:
        runs += [" (", facts.response_rate(), ")"]
    runs.append(".")
    matched = Paragraph(
        ("We matched the facilities the templates name against ", *facts.reference_words(), ".")
    )
    return (Paragraph(tuple(runs)), *files_counted(facts), matched, *reference_note(facts))


# --- 4. risks identified -----------------------------------------------------------------------------


def risks(facts: BatteryFacts, tables: TableNumbers) -> tuple:
    total = facts.facilities()
    if not total.value:
        return (
            Paragraph(
                (
                    "Our suppliers named no facility we could identify for an Annex X raw material, so "
                    "no facility-level risk could be assessed.",
                )
            ),
            *annex_x_flags(facts),
        )
    blocks: list = [Paragraph(tuple(_risk_runs(facts, total)))]
    if facts.statuses_known:
        blocks.append(status_table(facts, tables("statuses")))
    return (*blocks, *annex_x_flags(facts))


def _risk_runs(facts: BatteryFacts, total) -> list[Run]:
    """One sentence of what the identified facilities are: conformant, in the DRC region, in a CAHRA;
    each part said only as far as the data says it."""
    runs: list[Run] = ["Of the ", *counted(total, "facility", "facilities"), " identified, "]
    if facts.statuses_known:
        conformant = facts.facilities(conformant=True)
        runs += [
            word(conformant, "none"),
            f" {plural(conformant, 'is', 'are')} conformant with an independent audit standard or "
            "cross-recognized (",
            facts.conformant_share(),
            "), ",
        ]
    else:
        runs.append("none has an audit status, since no status list was applied to the roll-up; ")
    # Most of the world's cobalt is mined in the Democratic Republic of the Congo: its facilities and
    # those of its neighbours are counted apart, whatever CAHRA list is applied.
    drc = facts.facilities(covered_country=True)
    runs += [
        word(drc, "none"),
        f" {plural(drc, 'is', 'are')} located in the Democratic Republic of the Congo or an adjoining country",
    ]
    cahra = facts.facilities(cahra=True)
    cahra_list = facts.inputs.cahra_list
    if cahra_list:
        runs += [
            ", and ",
            word(cahra, "none"),
            f" in a conflict-affected or high-risk area on {cahra_list}. ",
        ]
    else:
        runs.append(
            ". No list of conflict-affected and high-risk areas was applied, so none is counted as "
            "located in one. "
        )
    runs.append(
        "We treat the facilities not conformant, and those in such areas, as risks to follow up with "
        "the suppliers naming them."
    )
    return runs


def annex_x_flags(facts: BatteryFacts) -> tuple:
    """The red flags the risk assessment raises per Annex X category (risk.codes), each category cited
    with its point: none said as none, and nothing said when the report has no assessment."""
    risk = facts.battery.risk
    if risk is None:
        return ()
    when = f"Our risk assessment of {_date(risk.as_of)}"
    found = facts.flagged_categories()
    if not found:
        return (
            Paragraph(
                (
                    f"{when} raises no red flag in a risk category of Annex X, point 2, or of the OECD model "
                    "supply chain policy.",
                )
            ),
        )
    items = []
    for code in found:
        category = CATEGORIES[code]
        suppliers, facilities = facts.flagged(code, SUPPLIER), facts.flagged(code, SMELTER)
        items.append(
            (
                f"{category.title} ({category.source}): ",
                *counted(suppliers, "supplier", "suppliers"),
                " and ",
                *counted(facilities, "facility", "facilities"),
                " flagged.",
            )
        )
    intro = Paragraph(
        (
            f"{when} raises red flags in the following risk categories of Annex X, point 2, or of the OECD "
            "model supply chain policy: a facility processing an Annex X raw material in a conflict-affected "
            "or high-risk area carries the risk of support to non-state armed groups, as do the suppliers "
            "naming it; any other category is flagged where a risk action of our register identifies it."
            if any(facts.flagged(CONFLICT_CATEGORY, k).value for k in (SUPPLIER, SMELTER))
            else f"{when} raises red flags in the following risk categories of Annex X, point 2, or of the "
            "OECD model supply chain policy, each where a risk action of our register identifies it.",
        )
    )
    return (intro, BulletList(tuple(items)))


def status_table(facts: BatteryFacts, number: int) -> Table:
    metals = facts.metals()
    rows = []
    for status in facts.statuses():
        rows.append(
            (
                status,
                *(facts.facilities(metal=m, status=status) for m in metals),
                facts.facilities(status=status),
            )
        )
    rows.append(("Total", *(facts.facilities(metal=m) for m in metals), facts.facilities()))
    return Table(
        f"Table {number}. Identified facilities by audit status",
        ("Audit status", *(raw_material_name(m) for m in metals), "Total"),
        tuple(rows),
        sources=(
            facts.rollup_source("rollup.smelters", "identified facilities by raw material and audit status"),
        ),
        numeric=tuple(range(1, len(metals) + 2)),
        total_row=True,
    )


# --- 5. adverse impacts ------------------------------------------------------------------------------


def impacts(facts: BatteryFacts, tables: TableNumbers) -> tuple:
    year = facts.inputs.year
    total = facts.actions()
    if not total.value:
        return (
            Paragraph(
                (
                    f"No risk action in our register for this {year} inquiry is assigned to a risk category of "
                    "Annex X, "
                    "point 2, or to a risk of the OECD model supply chain policy; this report therefore "
                    "states no adverse impact in those categories.",
                )
            ),
        )
    closed = facts.actions(closed=True)
    still_open = facts.actions(closed=False)
    number = tables("impacts")
    intro = Paragraph(
        (
            f"Our risk register for this {year} inquiry holds ",
            *counted(total, "action", "actions"),
            " assigned to a risk category of Annex X, point 2, or of the OECD model supply chain policy. "
            "Of them, ",
            closed,
            f" {plural(closed, 'was', 'were')} closed and ",
            still_open,
            f" {plural(still_open, 'remains', 'remain')} open at the date of this report. Table {number} "
            "counts them per category; the list after it says what each concerns and what was done.",
        )
    )
    rows = []
    for code, category in CATEGORIES.items():
        count = facts.actions(code)
        if not count.value:
            continue
        rows.append(
            (
                category.title,
                GROUP_TITLES[category.group].split(" (")[0],
                count,
                facts.actions(code, closed=True),
                facts.actions(code, closed=False),
            )
        )
    table = Table(
        f"Table {number}. Risk actions per risk category",
        ("Risk category", "Group", "Actions", "Closed", "Open"),
        tuple(rows),
        sources=(facts.actions().source,),
        numeric=(2, 3, 4),
    )
    items = tuple(
        (
            f"{CATEGORIES[a.category].title} ({CATEGORIES[a.category].source}) – {a.subject}: "
            f"{' '.join(a.what.split())} ({'closed' if a.closed else 'open'})",
        )
        for a in sorted(facts.battery.actions, key=lambda a: (list(CATEGORIES).index(a.category), a.subject))
    )
    return (intro, table, BulletList(items))


# --- 6. verification ---------------------------------------------------------------------------------


def verification(facts: BatteryFacts) -> tuple[Paragraph, ...]:
    settings = facts.battery.settings
    body = settings.notified_body.strip()
    if body:
        when = f" on {_date(settings.verification_date)}" if settings.verification_date else ""
        return (
            Paragraph(
                (
                    f"Our battery due-diligence policy was verified{when} by {body}, the notified body named "
                    "in our report settings. Its verification report is available to market surveillance "
                    "authorities on request (Article 52(1)).",
                )
            ),
        )
    found = scope.applicability(facts.battery.period_end, settings.turnover)
    why = (
        " The verification of Article 51 is required once Chapter VII applies."
        if not found.in_application
        else ""
    )
    return (
        Paragraph(
            (
                f"No notified body has verified our battery due-diligence policy for this reporting period.{why}",
            )
        ),
    )


# --- annex -------------------------------------------------------------------------------------------


def annex(facts: BatteryFacts, tables: TableNumbers) -> tuple:
    if not facts.smelters:
        return (Paragraph(("No facility was identified for an Annex X raw material.",)),)
    number = tables("annex")
    order = {m: i for i, m in enumerate(facts.scope_metals)}
    known = facts.statuses_known  # a column of "Unknown" says nothing
    rows = tuple(
        (
            raw_material_name(facts.metal_of(s) or s.metal),
            s.name,
            s.country or "Unknown",
            smelter_id_cell(s),
            *((status_of(s),) if known else ()),
        )
        for s in sorted(facts.smelters, key=lambda s: (order[facts.metal_of(s)], s.name.lower()))
    )
    return (
        Table(
            f"Table {number}. Facilities identified, by raw material",
            ("Raw material", "Facility", "Country", "ID", *(("Audit status",) if known else ())),
            rows,
            sources=(
                facts.rollup_source("rollup.smelters", "identified facilities of Annex X raw materials"),
            ),
        ),
    )


def render_battery_report(
    inputs: BatteryInputs,
    format: str,
    *,
    sources: bool = True,
    source_url=None,
) -> bytes:
    """The report as HTML, DOCX or PDF, by the renderers of the Conflict Minerals Report."""
    from oretrace.reports import render_document

    return render_document(build_battery_report(inputs), format, sources=sources, source_url=source_url)
