"""The Form SD draft (Specialized Disclosure Report) that carries the Conflict Minerals Report.

Item numbering. Section 1 holds Item 1.01 (Conflict Minerals Disclosure and Report) and Item 1.02
(Exhibit). When the resource extraction rule (Rule 13q-1) was added to the form, its disclosure became
Section 2 (Item 2.01) and the exhibits moved to Section 3, Item 3.01; the form's current text (OMB
3235-0697, July 2024 edition) names Rule 13q-1 and refers to "Section 2 of this Form" for it. Older
filings, such as the 2014 ones, show "Section 2 - Item 2.01 Exhibits". This draft follows the current
form: Item 2.01 is marked not applicable and Exhibit 1.01 is listed under Item 3.01. EXHIBITS_ITEM
names the choice in one place.
"""

from __future__ import annotations

from oretrace.errors import BadInput
from oretrace.reports.cmr import conclusion as conclusion_paragraphs
from oretrace.reports.cmr import responses, word
from oretrace.reports.document import Document, Paragraph, Run, Section, Table
from oretrace.reports.figures import Facts, counted, plural
from oretrace.reports.inputs import ReportInputs

EXHIBITS_SECTION = "Section 3 - Exhibits"
EXHIBITS_ITEM = "Item 3.01 Exhibits"
BLANK = "_" * 30  # an unknown cover-page entry, left as a line to be filled in, as on the blank form


def build_form_sd(inputs: ReportInputs) -> Document:
    facts = Facts(inputs)
    org = inputs.organisation
    conclusion = inputs.conclusion_option
    if not org.website:
        # Item 1.01(b) and (c): the disclosure (and any Conflict Minerals Report) must be on the website.
        raise BadInput(
            "Form SD Item 1.01 requires the disclosure to be posted on the company's website; add the website to the organisation settings."
        )

    cover = []
    for value, caption in (
        (org.name, "(Exact name of registrant as specified in its charter)"),
        (org.state_of_incorporation, "(State or other jurisdiction of incorporation or organization)"),
        (org.commission_file_number, "(Commission File Number)"),
        (org.irs_employer_id, "(I.R.S. Employer Identification No.)"),
        (org.address, "(Address of principal executive offices, including zip code)"),
        (
            org.contact,
            "(Name and telephone number, including area code, of the person to contact in connection with this report)",
        ),
    ):
        cover.append(Paragraph((value or BLANK,), align="center", bold=True))
        cover.append(Paragraph((caption,), align="center", small=True))
    cover += [
        Paragraph(
            (
                "Check the appropriate box to indicate the rule pursuant to which this form is being filed, "
                "and provide the period to which the information in this form applies:",
            )
        ),
        Paragraph(
            (
                "\u2612 Rule 13p-1 under the Securities Exchange Act (17 CFR 240.13p-1) for the reporting "
                f"period from {inputs.period}.",
            )
        ),
        Paragraph(
            (
                "\u2610 Rule 13q-1 under the Securities Exchange Act (17 CFR 240.13q-1) for the fiscal year ended ____.",
            )
        ),
    ]

    item_101 = [
        Paragraph(
            (
                f"{org.name} manufactures or contracts to manufacture products for which conflict minerals are "
                "necessary to their functionality or production, and has therefore conducted, in good faith, a "
                "reasonable country of origin inquiry for the reporting period from "
                f"{inputs.period}.",
            ),
            lead="Conflict Minerals Disclosure.",
        ),
        *facts.section("rcoi"),
        *responses(facts),
        Paragraph(_results(facts), lead="Results of the inquiry."),
        *conclusion_paragraphs(facts),
    ]
    if conclusion.files_report:
        item_101.append(
            Paragraph(
                (
                    f"{org.name} has filed a Conflict Minerals Report as Exhibit 1.01 to this Form SD. This Form SD "
                    f"and the Conflict Minerals Report are publicly available at {org.website}.",
                ),
                lead="Conflict Minerals Report.",
            )
        )
        item_102 = [
            Paragraph(
                (
                    "The Conflict Minerals Report required by Item 1.01 is filed as Exhibit 1.01 to this Form SD.",
                )
            )
        ]
        exhibits = [
            Table(
                "",
                ("Exhibit No.", "Description"),
                (
                    (
                        "1.01",
                        f"Conflict Minerals Report of {org.name} for the reporting period from {inputs.period}, as required by Items 1.01 and 1.02 of this Form.",
                    ),
                ),
            )
        ]
    else:
        item_101.append(Paragraph((f"This Form SD is publicly available at {org.website}.",)))
        item_102 = [Paragraph(("Not applicable.",))]
        exhibits = [Paragraph(("Not applicable.",))]

    signature = [
        Paragraph(
            (
                "Pursuant to the requirements of the Securities Exchange Act of 1934, the registrant has duly "
                "caused this report to be signed on its behalf by the duly authorized undersigned.",
            )
        ),
        Table(
            "",
            ("", ""),
            (
                ("Registrant", org.name),
                ("By", BLANK),
                ("Name", org.signatory_name or BLANK),
                ("Title", org.signatory_title or BLANK),
                ("Date", BLANK),
            ),
        ),
    ]

    return Document(
        kind="form-sd",
        title="FORM SD",
        heading_lines=("UNITED STATES", "SECURITIES AND EXCHANGE COMMISSION", "Washington, D.C. 20549"),
        subtitle_lines=("SPECIALIZED DISCLOSURE REPORT",),
        heading_align="center",
        sections=(
            Section("cover", "", 1, tuple(cover)),
            Section("section_1", "Section 1 - Conflict Minerals Disclosure", 1),
            Section("item_1_01", "Item 1.01 Conflict Minerals Disclosure and Report", 2, tuple(item_101)),
            Section("item_1_02", "Item 1.02 Exhibit", 2, tuple(item_102)),
            Section("section_2", "Section 2 - Resource Extraction Issuer Disclosure", 1),
            Section(
                "item_2_01",
                "Item 2.01 Resource Extraction Issuer Disclosure and Report",
                2,
                (Paragraph(("Not applicable.",)),),
            ),
            Section("section_3", EXHIBITS_SECTION, 1),
            Section("item_3_01", EXHIBITS_ITEM, 2, tuple(exhibits)),
            Section("signatures", "Signatures", 1, tuple(signature)),
        ),
    )


def _results(facts: Facts) -> tuple[Run, ...]:
    identified = facts.facilities()
    if not identified.value:
        return ("Our suppliers named no smelter or refiner of 3TG that we could match to a known facility.",)
    covered = facts.facilities(covered_country=True)
    conformant = facts.facilities(conformant=True)
    runs: list[Run] = [
        "Our suppliers named ",
        *counted(identified, "smelter or refiner", "smelters and refiners"),
        " of 3TG that we matched to a known facility; ",
        word(conformant, "none"),
    ]
    if conformant.value:
        runs += [" (", facts.conformant_share(), ")"]
    runs += [
        f" of {plural(identified, 'it', 'them')} {plural(conformant, 'was', 'were', none='was')} conformant with the RMAP "
        "or a standard the RMI cross-recognizes, and ",
        word(covered, "none"),
        f" {plural(covered, 'was', 'were', none='was')} located in a Covered Country.",
    ]
    return tuple(runs)
