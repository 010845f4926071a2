"""What the Conflict Minerals Report and Form SD are written from: settings, the survey's figures, the
roll-up, the narrative the user edits, earlier years' figures and the conclusion the company reached.

Plain dataclasses with no framework: the web app fills them from its models, `oretrace report` from a
settings file and a folder of CMRTs. The survey's figures are the core's (oretrace.survey), never typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from oretrace.errors import BadInput
from oretrace.grievances import GrievanceFigures
from oretrace.rollup.changes import YearChanges
from oretrace.rollup.model import Rollup
from oretrace.survey import FIGURES, Figures


@dataclass(frozen=True)
class Organisation:
    name: str
    website: str | None = None
    policy_url: str | None = None
    address: str | None = None
    # The Form SD cover page asks for these; a draft leaves the line blank when they are unknown.
    state_of_incorporation: str | None = None
    commission_file_number: str | None = None
    irs_employer_id: str | None = None
    contact: str | None = None  # name and telephone number of the person to contact about the report
    signatory_name: str | None = None
    signatory_title: str | None = None


@dataclass(frozen=True)
class SupplyChainFigures:
    direct_suppliers: int
    indirect_suppliers: int


@dataclass(frozen=True)
class YearFigures:
    """One year's headline figures, for the year-over-year comparison."""

    year: int
    surveyed: int
    responded: int
    smelters_identified: int
    conformant_smelters: int
    covered_country_smelters: int | None = None

    @property
    def response_rate(self) -> float:
        return self.responded / self.surveyed if self.surveyed else 0.0

    @property
    def conformant_share(self) -> float:
        return self.conformant_smelters / self.smelters_identified if self.smelters_identified else 0.0


@dataclass(frozen=True)
class Conclusion:
    """A possible outcome of the reasonable country of origin inquiry (Form SD Item 1.01)."""

    key: str
    label: str  # what the app shows when the user chooses
    item: str  # the paragraph of Item 1.01 it falls under
    files_report: bool  # whether a Conflict Minerals Report is filed as Exhibit 1.01
    text: str  # the conclusion as the report states it; placeholders allowed


# Form SD Item 1.01(b) covers the first two outcomes (Form SD and website disclosure only); Item 1.01(c)
# the two that lead to due diligence and a Conflict Minerals Report. The 2012 labels "DRC conflict free",
# "not found to be DRC conflict free" and "DRC conflict undeterminable" are not offered: the D.C. Circuit
# held the compelled "not found to be" statement unconstitutional (NAM v. SEC, 2014 and 2015), the SEC
# staff statement of April 29, 2014 lets issuers omit the labels, "undeterminable" lapsed for most filers
# from calendar year 2015, and "DRC conflict free" would require an independent private sector audit.
CONCLUSIONS: Mapping[str, Conclusion] = MappingProxyType(
    {
        c.key: c
        for c in (
            Conclusion(
                key="no-reason-to-believe",
                label="No reason to believe any necessary 3TG may have come from the Covered Countries",
                item="1.01(b)",
                files_report=False,
                text=(
                    "Based on its reasonable country of origin inquiry, {organisation} has no reason to "
                    "believe that any of the conflict minerals necessary to the functionality or production "
                    "of its products may have originated in the Covered Countries."
                ),
            ),
            Conclusion(
                key="recycled-or-scrap",
                label="Reason to believe the necessary 3TG came from recycled or scrap sources",
                item="1.01(b)",
                files_report=False,
                text=(
                    "Based on its reasonable country of origin inquiry, {organisation} reasonably believes "
                    "that the conflict minerals necessary to the functionality or production of its products "
                    "that may have originated in the Covered Countries came from recycled or scrap sources."
                ),
            ),
            Conclusion(
                key="due-diligence-performed",
                label="Reason to believe some 3TG may have come from the Covered Countries; due diligence performed",
                item="1.01(c)",
                files_report=True,
                text=(
                    "Based on its reasonable country of origin inquiry, {organisation} has reason to believe "
                    "that some of the conflict minerals necessary to the functionality or production of its "
                    "products may have originated in the Covered Countries and may not have come from "
                    "recycled or scrap sources. {organisation} therefore exercised due diligence on the "
                    "source and chain of custody of those minerals, as described in its Conflict Minerals Report."
                ),
            ),
            Conclusion(
                key="origin-undetermined",
                label="Due diligence performed; country of origin could not be determined for all 3TG",
                item="1.01(c)",
                files_report=True,
                text=(
                    "Having exercised due diligence on the source and chain of custody of its conflict minerals, "
                    "{organisation} does not "
                    "have sufficient information from its suppliers or from other sources to determine the "
                    "countries of origin of all the conflict minerals in its products, or to identify all the "
                    "facilities that processed them."
                ),
            ),
        )
    }
)


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str


# The narrative sections a user edits, in the order they appear in the report.
SECTIONS = (
    SectionSpec("introduction", "Introduction"),
    SectionSpec("limitations", "Basis of this report"),
    SectionSpec("supply_chain", "Supply chain overview"),
    SectionSpec("compliance_process", "Conflict minerals compliance process"),
    SectionSpec("rcoi", "Reasonable country of origin inquiry"),
    SectionSpec("step1_management_systems", "OECD Step 1: Company management systems"),
    SectionSpec("step2_identify_risks", "OECD Step 2: Identify and assess risks"),
    SectionSpec("step3_respond_to_risks", "OECD Step 3: Respond to identified risks"),
    SectionSpec("step4_independent_audits", "OECD Step 4: Independent third-party audits"),
    SectionSpec("step5_annual_report", "OECD Step 5: Report on supply chain due diligence"),
    SectionSpec("efforts_to_determine_origin", "Efforts to determine the mine or location of origin"),
    SectionSpec("survey_responses", "Survey responses and follow-up"),
    SectionSpec("process_improvements", "Process improvements"),
)

# Placeholders a narrative text may use, filled from the data so that no figure is typed by hand. A count
# may carry its noun in both numbers, {surveyed:supplier|suppliers}, so the sentence agrees with it.
PLACEHOLDERS: Mapping[str, str] = MappingProxyType(
    {
        "organisation": "the organisation's name",
        "website": "the organisation's website",
        "policy_url": "where the conflict minerals policy is published (the website if not set)",
        "year": "the reporting year",
        "period": 'the reporting period, e.g. "January 1 to December 31, 2025"',
        "covered_countries": "the Democratic Republic of the Congo and its nine adjoining countries",
        **{key: d.definition[0].lower() + d.definition[1:].rstrip(".") for key, d in FIGURES.items()},
        "response_rate": "responded divided by surveyed, as a whole percentage",
        "direct_suppliers": "direct suppliers",
        "indirect_suppliers": "indirect suppliers",
        "smelters_identified": "facilities identified across tin, tantalum, tungsten and gold",
        "conformant_share": "share of identified facilities conformant with an audit standard",
        "covered_country_facilities": "identified facilities located in a Covered Country",
        "unidentified_names": "smelter names that match no known facility",
    }
)

_DEFAULTS = {
    "introduction": (
        'This Conflict Minerals Report (the "Report") of {organisation} ("we", "us" or "our") is filed as '
        'Exhibit 1.01 to Form SD under Rule 13p-1 of the Securities Exchange Act of 1934 (the "Rule") for '
        "the reporting period from {period}.\n\n"
        "The Rule applies to companies that manufacture, or contract to manufacture, products for which "
        "conflict minerals are necessary to their functionality or production. Conflict minerals are "
        "cassiterite, columbite-tantalite (coltan), gold and wolframite and their derivatives, which are "
        'currently limited to tin, tantalum and tungsten (together "3TG"). The "Covered Countries" are '
        "{covered_countries}.\n\n"
        "We have adopted a Conflict Minerals Policy, which is published at {policy_url}."
    ),
    "limitations": (
        "The statements in this Report rest on information that our suppliers, industry programs and other "
        "third parties made available to us, which we gathered and reviewed in good faith. That information "
        "may be incomplete or inaccurate: suppliers often declare their smelters for their whole company "
        "rather than for the parts they sell to us, the identification of smelters changes as reference "
        "lists are updated, and an audit status describes a facility only as of the date it was published."
    ),
    "supply_chain": (
        "{organisation} does not buy ore or unrefined metal and has no direct relationship with mines, "
        "smelters or refiners. Several tiers of suppliers stand between us and the facilities that process "
        "3TG: we buy from {direct_suppliers:direct supplier|direct suppliers}, who in turn rely on "
        "approximately {indirect_suppliers:indirect supplier|indirect suppliers} of components and materials. "
        "We therefore depend on our "
        "suppliers, and on the suppliers further upstream, to tell us which smelters and refiners processed "
        "the 3TG contained in what they sell to us."
    ),
    "compliance_process": (
        "We designed our reasonable country of origin inquiry and our due diligence measures to conform, in "
        "all material respects, with the five-step framework of the Organisation for Economic Co-operation "
        "and Development (OECD) Due Diligence Guidance for Responsible Supply Chains of Minerals from "
        "Conflict-Affected and High-Risk Areas, Third Edition, and its supplements on tin, tantalum and "
        'tungsten and on gold (the "OECD Guidance"), as that framework applies to a downstream company that '
        "is several steps removed from the mine."
    ),
    "rcoi": (
        'Our reasonable country of origin inquiry (the "RCOI") was designed in good faith to determine '
        "whether any of the conflict minerals necessary to our products originated in the Covered Countries "
        "or came from recycled or scrap sources. For {year} we asked {surveyed:supplier|suppliers} of "
        "components and materials likely to contain 3TG to complete the Conflict Minerals Reporting "
        'Template (the "CMRT") of the Responsible Minerals Initiative (the "RMI"). We reviewed every CMRT we '
        "received for completeness and internal consistency, and compared the smelters and refiners the "
        "suppliers named with the RMI's list of known facilities and with their status in the RMI's "
        'Responsible Minerals Assurance Process (the "RMAP"). How we followed up with the suppliers is '
        "set out with the results in Section 7."
    ),
    "step1_management_systems": (
        "We maintain a Conflict Minerals Policy that refers to the OECD Guidance, and we communicate it to "
        "our suppliers. A team drawn from procurement, quality and legal runs the annual inquiry and reports "
        "its results to senior management. Our supplier terms ask suppliers to support our inquiry and to "
        "source from responsible smelters and refiners. We keep the supplier responses and our review "
        "records in a central system, and anyone can raise a concern about our sourcing through our "
        "company grievance mechanism."
    ),
    "step2_identify_risks": (
        "We check every CMRT we receive for missing, contradictory or implausible answers and raise what we "
        "find with the supplier concerned. We identify the smelters and refiners that suppliers name, "
        "look up their RMAP status, and treat as risks the facilities located in a Covered Country or in "
        "another conflict-affected or high-risk area, the facilities that are not conformant with an audit "
        "standard, and the names we cannot match to a known facility. Because we are several tiers removed "
        "from the smelters, we rely on our suppliers and on industry programs for information about the "
        "actors upstream of them."
    ),
    "step3_respond_to_risks": (
        "We report the results of our risk assessment to senior management. Where a supplier's answers leave "
        "a risk open, we ask the supplier to complete or correct its declaration and to explain the sourcing "
        "concerned; where a facility in its supply chain does not take part in an audit program or is not "
        "conformant, we ask the supplier to encourage that facility to take part or to move to a conformant "
        "source. We track each request until it is resolved. In line with the OECD Guidance we prefer "
        "continued engagement to disengagement, but we may review a relationship with a supplier that does "
        "not cooperate."
    ),
    "step4_independent_audits": (
        "We do not have direct relationships with smelters or refiners and do not audit them ourselves. We "
        "rely on independent third-party audits of smelter and refiner due diligence practices carried out "
        "under the RMAP and under the standards the RMI cross-recognizes, such as those of the London "
        "Bullion Market Association and the Responsible Jewellery Council."
    ),
    "step5_annual_report": (
        "We file this Report with the Securities and Exchange Commission as an exhibit to our Form SD and "
        "publish it on our website at {website}."
    ),
    "efforts_to_determine_origin": (
        "Given the breadth of our products and the depth of our supply chain, we believe that asking our "
        "suppliers to identify the smelters and refiners that process the 3TG in our products, and relying "
        "on the independent audits of those facilities, is the most reasonable way for us to determine the "
        "mines or locations of origin with the greatest possible specificity. Smelters and refiners are the "
        "point in the supply chain where the origin of material can be verified, and the RMAP assessment "
        "examines the origin of the material each facility receives. Because suppliers often answer the CMRT "
        "for their whole company, the facilities listed in this Report may include facilities that did not "
        "process any material contained in our products."
    ),
    # The figures of the survey follow this text, in sentences the data chooses (cmr._responses).
    "survey_responses": (
        "We asked each supplier in the scope of our inquiry to complete the CMRT for the products it "
        "supplies to us, and reviewed each template we received."
    ),
    "process_improvements": (
        "During the next reporting period we intend to continue improving our due diligence by raising the "
        "response rate and the quality of supplier answers through earlier requests and closer follow-up; "
        "asking suppliers for declarations that cover the parts they sell to us rather than their whole "
        "company; asking suppliers that source from facilities not conformant with an audit standard to move "
        "to conformant sources; and supporting industry efforts that extend independent audits upstream."
    ),
}


def default_sections() -> dict[str, str]:
    """The narrative texts the user starts from, one per SECTIONS key (a fresh copy to edit)."""
    return {spec.key: _DEFAULTS[spec.key] for spec in SECTIONS}


@dataclass(frozen=True)
class ReportInputs:
    organisation: Organisation
    year: int
    company_overview: str
    products_overview: str
    supply_chain: SupplyChainFigures
    survey: Figures  # oretrace.survey.survey_figures of the inquiry's suppliers
    rollup: Rollup
    conclusion: str  # a key of CONCLUSIONS
    sections: Mapping[str, str] = field(default_factory=dict)  # edited texts; missing keys use the default
    previous_years: tuple[YearFigures, ...] = ()
    cahra_list: str | None = None  # the CAHRA list applied ("EU CAHRA list of 2025-06-30"), None for none
    # The grievance mechanism's cases of the year (oretrace.grievances); None when no case register is
    # kept here (a folder of CMRTs), and the report then states no figure about it.
    grievances: GrievanceFigures | None = None
    # What changed since the year before's inquiry (oretrace.rollup.changes), when there was one.
    changes: YearChanges | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.conclusion not in CONCLUSIONS:
            problems.append(
                f"unknown conclusion {self.conclusion!r} (choose one of {', '.join(CONCLUSIONS)})"
            )
        unknown = sorted(set(self.sections) - {spec.key for spec in SECTIONS})
        if unknown:
            problems.append(f"unknown narrative sections: {', '.join(unknown)}")
        c = self.survey
        counts = {
            "suppliers surveyed": c.surveyed,
            "suppliers that responded": c.responded,
            "direct suppliers": self.supply_chain.direct_suppliers,
            "indirect suppliers": self.supply_chain.indirect_suppliers,
        }
        problems.extend(f"{name} cannot be negative ({value})" for name, value in counts.items() if value < 0)
        if c.responded > c.surveyed:
            problems.append(f"{c.responded} suppliers responded but only {c.surveyed} were surveyed")
        for earlier in self.previous_years:
            if earlier.year >= self.year:
                problems.append(
                    f"the comparison year {earlier.year} is not before the reporting year {self.year}"
                )
        if problems:
            raise BadInput("The report cannot be written: " + "; ".join(problems) + ".")

    @property
    def conclusion_option(self) -> Conclusion:
        return CONCLUSIONS[self.conclusion]

    @property
    def period(self) -> str:
        # Form SD's wording: "for the reporting period from January 1 to December 31, ____".
        return f"January 1 to December 31, {self.year}"

    def section_text(self, key: str) -> str:
        text = self.sections.get(key)
        return _DEFAULTS[key] if text is None or not text.strip() else text
