"""Changes from last year's roll-up to this year's: per supplier (smelters named, answers) and per smelter."""

from __future__ import annotations

import datetime as dt

from oretrace.rollup.changes import AnswerChange, FacilityRef, compare_years
from oretrace.rollup.model import Rollup, SmelterSummary, SupplierSummary


def supplier(name: str, q3: str = "No", company_b: str = "Yes") -> SupplierSummary:
    return SupplierSummary(
        file_name=f"{name}.xlsx",
        sha256=None,
        company_name=name,
        kind="CMRT",
        version="6.5",
        scope="A",
        effective_date=None,
        answers={"Tin": {"Q1": "Yes", "Q3": q3}},
        supplier=name,
        company_answers={"B": company_b},
    )


def smelter(cid: str, status: str | None, *suppliers: str, metal: str = "Tin") -> SmelterSummary:
    return SmelterSummary(
        metal=metal,
        smelter_id=cid,
        name=f"Smelter {cid}",
        country="Malaysia",
        audit_status=status,
        status_as_of=None,
        covered_country=False,
        cahra=False,
        suppliers=suppliers,
    )


def rollup(suppliers, smelters) -> Rollup:
    return Rollup(
        generated_at=dt.datetime(2026, 3, 1),
        reference_release="CMRT 6.5",
        status_lists=(),
        suppliers=tuple(suppliers),
        findings=(),
        smelters=tuple(smelters),
        unidentified=(),
    )


LAST = rollup(
    [supplier("Acme"), supplier("Borealis"), supplier("Gone Ltd")],
    [
        smelter("CID001105", "Conformant", "Acme", "Borealis"),
        smelter("CID001898", "Active", "Acme"),
        smelter("CID002180", "Conformant", "Gone Ltd"),
    ],
)
THIS = rollup(
    [supplier("Acme", q3="Unknown"), supplier("  Borealis".strip(), company_b=" yes "), supplier("Newco")],
    [
        smelter("CID001105", "Conformant", "Acme", "Borealis", "Newco"),
        smelter("CID001898", "Conformant", "Borealis"),
        smelter("CID001482", None, "Acme"),
    ],
)


def test_a_supplier_in_both_years_shows_smelters_it_started_and_stopped_naming_and_answers_changed():
    changes = compare_years(LAST, THIS, last_year=2024, this_year=2025)
    acme = changes.supplier("Acme")
    assert acme.in_both_years and acme.changed
    assert acme.new_smelters == (FacilityRef("Tin", "CID001482", "Smelter CID001482"),)
    assert acme.dropped_smelters == (FacilityRef("Tin", "CID001898", "Smelter CID001898"),)
    assert acme.answers_changed == (AnswerChange("Q3", "Tin", "No", "Unknown"),)


def test_an_answer_differing_only_in_case_or_spacing_is_no_change():
    borealis = compare_years(LAST, THIS, last_year=2024, this_year=2025).supplier("Borealis")
    assert borealis.answers_changed == ()
    assert [f.smelter_id for f in borealis.new_smelters] == ["CID001898"]


def test_a_supplier_in_one_year_only_is_new_or_gone_not_changed():
    changes = compare_years(LAST, THIS, last_year=2024, this_year=2025)
    newco, gone = changes.supplier("Newco"), changes.supplier("Gone Ltd")
    assert (newco.answered_last_year, newco.answered_this_year, newco.changed) == (False, True, False)
    assert (gone.answered_last_year, gone.answered_this_year, gone.changed) == (True, False, False)
    assert [s.supplier for s in changes.suppliers_with_changed_answers] == ["Acme"]


def test_smelters_new_dropped_and_with_a_changed_status_across_the_supply_chain():
    changes = compare_years(LAST, THIS, last_year=2024, this_year=2025)
    assert [s.smelter_id for s in changes.new_smelters] == ["CID001482"]
    assert [s.smelter_id for s in changes.dropped_smelters] == ["CID002180"]
    (moved,) = changes.status_changes
    assert (moved.smelter_id, moved.status_before, moved.status_after) == (
        "CID001898",
        "Active",
        "Conformant",
    )
    assert (moved.suppliers_added, moved.suppliers_dropped) == (("Borealis",), ("Acme",))
    kept = changes.smelter("CID001105")
    assert not (kept.new or kept.dropped or kept.status_changed) and kept.suppliers_added == ("Newco",)


def test_last_years_status_is_the_one_that_held_when_its_inquiry_closed_not_todays():
    from oretrace.smelters.status import AuditStatus, StatusList, StatusRecord, status_history

    def listed(as_of: dt.date, status: AuditStatus) -> StatusList:
        record = StatusRecord("CID001105", status, str(status), as_of, "RMAP")
        return StatusList("RMAP", as_of, (record,), {}, None)

    history = status_history(
        [
            listed(dt.date(2025, 1, 15), AuditStatus.ACTIVE),
            listed(dt.date(2026, 1, 15), AuditStatus.CONFORMANT),
        ]
    )
    # Both roll-ups built today say Conformant; the history says Active when 2024's inquiry closed.
    last = rollup([supplier("Acme")], [smelter("CID001105", "Conformant", "Acme")])
    this = rollup([supplier("Acme")], [smelter("CID001105", "Conformant", "Acme")])
    assert compare_years(last, this, last_year=2024, this_year=2025).status_changes == ()
    changes = compare_years(
        last, this, last_year=2024, this_year=2025, statuses=history, last_as_of=dt.date(2025, 3, 31)
    )
    (moved,) = changes.status_changes
    assert (moved.status_before, moved.status_after) == ("Active", "Conformant")
