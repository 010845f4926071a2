"""An EMRT campaign's roll-up for the battery report tests: cobalt, nickel and graphite refiners (one
cobalt refiner in a CAHRA, not conformant), with mica and tin facilities that are no Annex X raw material,
and the battery settings of the year."""

from __future__ import annotations

import dataclasses
import datetime as dt

from oretrace.batteries.inputs import BatteryInputs, BatterySettings, RiskAction
from oretrace.batteries.scope import Turnover
from oretrace.rollup.model import Rollup, SmelterSummary, SupplierSummary, UnidentifiedName
from reports.factories import SURVEY, make_inputs

STATUS_DATE = dt.date(2026, 1, 15)


def _facility(metal, n, status, country, *, cahra=False) -> SmelterSummary:
    return SmelterSummary(
        metal=metal,
        smelter_id=f"{metal[:3].upper()}{n:05d}",
        name=f"{metal} Refinery {n}",
        country=country,
        audit_status=status,
        status_as_of=STATUS_DATE if status else None,
        covered_country=cahra,
        cahra=cahra,
        suppliers=("Supplier 001 Ltd",),
        methods=("cid",),
    )


def make_rollup() -> Rollup:
    suppliers = tuple(
        SupplierSummary(
            file_name=f"supplier-{i:03d}.xlsx",
            sha256=f"{i:064x}",
            company_name=f"Supplier {i:03d} Ltd",
            kind="EMRT",
            version="2.1",
            scope="A. Company",
            effective_date=dt.date(2026, 2, 1),
            smelter_rows=5,
        )
        for i in range(247)
    )
    smelters = (
        _facility("Cobalt", 1, "Conformant", "China"),
        _facility("Cobalt", 2, "Conformant", "Finland"),
        _facility("Cobalt", 3, "Conformant", "Belgium"),
        _facility("Cobalt", 4, "Active", "Democratic Republic of the Congo", cahra=True),
        _facility("Nickel", 1, "Conformant", "Indonesia"),
        _facility("Nickel", 2, "Not enrolled", "Indonesia"),
        _facility("Graphite", 1, "Conformant", "China"),
        _facility("Mica", 1, "Conformant", "India"),
        _facility("Mica", 2, "Active", "India"),
        _facility("Tin", 1, "Conformant", "Indonesia"),
    )
    unidentified = (
        UnidentifiedName(
            "Cobalt", "Jinchuan Cobalt Smelting Works", "China", ("Supplier 002 Ltd",), "no-match"
        ),
        UnidentifiedName("Mica", "Koderma Mica Traders", "India", ("Supplier 003 Ltd",), "no-match"),
    )
    return Rollup(
        generated_at=dt.datetime(2026, 3, 2, 9, 30),
        reference_release="RMI smelter reference list 2026-01",
        status_lists=("RMAP facility list 2026-01-15",),
        suppliers=suppliers,
        findings=(),
        smelters=smelters,
        unidentified=unidentified,
    )


# Written out by hand: Cobalt 4, Nickel 2, Graphite 1; mica and tin are not Annex X raw materials.
ANNEX_X_FACILITIES = 7
ANNEX_X_CONFORMANT = 5


def make_battery_inputs(*, year: int = 2025, actions=(), **settings) -> BatteryInputs:
    values = dict(
        battery_categories=("ev", "industrial"),
        policy_url="www.norland-instruments.example/battery-due-diligence",
        turnover=Turnover(310_000_000),
    )
    values.update(settings)
    return BatteryInputs(
        report=make_inputs(
            rollup=make_rollup(),
            survey=SURVEY,
            year=year,
            cahra_list="EU CAHRA list of 2025-06-30",
            previous_years=(),
        ),
        settings=BatterySettings(**values),
        actions=tuple(actions),
    )


def with_settings(inputs: BatteryInputs, **changes) -> BatteryInputs:
    return dataclasses.replace(inputs, settings=dataclasses.replace(inputs.settings, **changes))


ACTIONS = (
    RiskAction(
        "child-labour", "Cobalt Refinery 4", "Asked for the refinery's child-labour remediation plan.", True
    ),
    RiskAction("child-labour", "Supplier 007 Ltd", "Asked which artisanal sites feed its cobalt.", False),
    RiskAction("water", "Nickel Refinery 2", "Asked for the tailings and water-discharge permits.", False),
)
