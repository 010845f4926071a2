"""A realistic roll-up and report inputs for the report tests: 260 suppliers surveyed, 250 responses (96%),
facilities across the four metals with mixed audit statuses, one in a Covered Country, three unmatched names."""

from __future__ import annotations

import datetime as dt

from oretrace.reports.inputs import (
    Organisation,
    ReportInputs,
    SupplyChainFigures,
    YearFigures,
)
from oretrace.rollup.model import (
    FindingRow,
    Rollup,
    SmelterSummary,
    SupplierSummary,
    UnidentifiedName,
)
from oretrace.survey import Figures

STATUS_DATE = dt.date(2026, 1, 15)

# metal -> (status, count, country) groups; statuses are AuditStatus values, None where no list gave one.
FACILITIES = {
    "Tantalum": [("Conformant", 9, "China"), ("Active", 1, "Brazil")],
    "Tin": [
        ("Conformant", 9, "Indonesia"),
        ("Conformant", 1, "Rwanda"),
        ("Active", 1, "Malaysia"),
        ("Non-Conformant", 1, "China"),
    ],
    "Tungsten": [("Conformant", 6, "China"), ("Suspended", 1, "Viet Nam"), (None, 1, "Japan")],
    "Gold": [
        ("Conformant", 11, "Switzerland"),
        ("Cross-Recognized", 2, "Japan"),
        ("Active", 1, "United States of America"),
        ("Non-Conformant", 1, "Turkey"),
    ],
}
# Expected counts, written out by hand so the tests do not recompute them the way the code does.
EXPECTED_STATUS = {
    "Tantalum": {"Conformant": 9, "Active": 1},
    "Tin": {"Conformant": 10, "Active": 1, "Non-Conformant": 1},
    "Tungsten": {"Conformant": 6, "Suspended": 1, "Unknown": 1},
    "Gold": {"Conformant": 11, "Cross-Recognized": 2, "Active": 1, "Non-Conformant": 1},
}
TOTAL_FACILITIES = 45
CONFORMANT_FACILITIES = 38  # Conformant 36 + Cross-Recognized 2
COVERED_FACILITY = "Kigali Tin Smelting Works"


def make_rollup() -> Rollup:
    suppliers = [
        SupplierSummary(
            file_name=f"supplier-{i:03d}.xlsx",
            sha256=f"{i:064x}",
            company_name=f"Supplier {i:03d} Ltd",
            kind="CMRT",
            version="6.5",
            scope="A. Company",
            effective_date=dt.date(2026, 2, 1),
            smelter_rows=40,
        )
        for i in range(247)
    ]
    suppliers += [
        SupplierSummary(
            file_name=f"broken-{i}.xlsx",
            sha256=None,
            company_name=None,
            kind=None,
            version=None,
            scope=None,
            effective_date=None,
            read_error="corrupt-file",
            read_error_message="The file is damaged.",
        )
        for i in range(3)
    ]
    smelters = []
    for metal, groups in FACILITIES.items():
        n = 0
        for status, count, country in groups:
            for _ in range(count):
                n += 1
                in_rwanda = country == "Rwanda"
                smelters.append(
                    SmelterSummary(
                        metal=metal,
                        smelter_id=f"CID{ {'Tantalum': 1, 'Tin': 2, 'Tungsten': 3, 'Gold': 4}[metal] }{n:05d}",
                        name=COVERED_FACILITY if in_rwanda else f"{metal} Refining Company {n}",
                        country=country,
                        audit_status=status,
                        status_as_of=STATUS_DATE if status else None,
                        covered_country=in_rwanda,
                        cahra=in_rwanda,
                        suppliers=("Supplier 001 Ltd", "Supplier 002 Ltd"),
                        methods=("cid",),
                    )
                )
    unidentified = (
        UnidentifiedName("Tin", "PT Timah Trading", "Indonesia", ("Supplier 010 Ltd",), "no-match"),
        UnidentifiedName(
            "Gold", "Unknown refinery", None, ("Supplier 011 Ltd", "Supplier 012 Ltd"), "no-match"
        ),
        UnidentifiedName("Tantalum", "Tantalum supplier HK", "China", ("Supplier 013 Ltd",), "not-a-smelter"),
    )
    findings = (
        FindingRow(
            "supplier-001.xlsx",
            "Supplier 001 Ltd",
            "q1-missing",
            "error",
            "Tin",
            "Declaration",
            "D12",
            "Q1 is blank.",
            "Q1",
        ),
        FindingRow(
            "supplier-002.xlsx",
            "Supplier 002 Ltd",
            "date-old",
            "warning",
            None,
            "Declaration",
            "D8",
            "Old date.",
            None,
        ),
        FindingRow(
            "supplier-003.xlsx",
            "Supplier 003 Ltd",
            "date-old",
            "warning",
            None,
            "Declaration",
            "D8",
            "Old date.",
            None,
        ),
    )
    return Rollup(
        generated_at=dt.datetime(2026, 3, 2, 9, 30),
        reference_release="RMI smelter reference list 2026-01",
        status_lists=("RMAP facility list 2026-01-15",),
        suppliers=tuple(suppliers),
        findings=findings,
        smelters=tuple(smelters),
        unidentified=unidentified,
    )


# 260 asked: 247 returned a readable CMRT and 3 declined (250 responses, 96%), 10 have not answered.
SURVEY = Figures(
    in_scope=260,
    surveyed=260,
    responded=250,
    returned=247,
    declined=3,
    not_responded=10,
    accepted=240,
    accepted_with_exceptions=1,
    under_review=7,
    overdue=10,
    reminders_sent=412,
    escalated=5,
    follow_ups_sent=57,
    corrections_received=41,
    errors=1,
    warnings=2,
    errors_asked=1,
    warnings_asked=2,
    errors_accepted=0,
    errors_under_review=1,
)


def make_inputs(**changes) -> ReportInputs:
    values = dict(
        organisation=Organisation(
            name="Norland Instruments, Inc.",
            website="www.norland-instruments.example",
            policy_url="www.norland-instruments.example/conflict-minerals",
            address="400 Harbor Drive, Portland, OR 97201",
            state_of_incorporation="Delaware",
            commission_file_number="001-34567",
            irs_employer_id="93-1234567",
            contact="Jane Doe, General Counsel, (503) 555-0100",
            signatory_name="Jane Doe",
            signatory_title="General Counsel",
        ),
        year=2025,
        company_overview=(
            "Norland Instruments designs and sells test and measurement instruments for laboratories "
            "and industrial customers.\n\nWe employ about 1,200 people."
        ),
        products_overview=(
            "Our products include oscilloscopes, signal analysers and calibration equipment. "
            "They contain printed circuit assemblies, connectors and solders in which 3TG are necessary."
        ),
        supply_chain=SupplyChainFigures(direct_suppliers=4, indirect_suppliers=256),
        survey=SURVEY,
        rollup=make_rollup(),
        conclusion="origin-undetermined",
        previous_years=(
            YearFigures(2023, surveyed=240, responded=199, smelters_identified=40, conformant_smelters=31),
            YearFigures(
                2024,
                surveyed=255,
                responded=230,
                smelters_identified=43,
                conformant_smelters=36,
                covered_country_smelters=1,
            ),
        ),
    )
    values.update(changes)
    return ReportInputs(**values)
