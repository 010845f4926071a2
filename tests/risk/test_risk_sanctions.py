"""A sanctions hit an analyst confirmed raises a red flag on its facility or supplier, naming its source."""

from __future__ import annotations

import datetime as dt

from oretrace.refdata import ListKind, read_list
from oretrace.refdata.screening import CONFIRMED, DISMISSED, FACILITY, SUPPLIER, Subject, decide, screen
from oretrace.risk.assess import assess
from published_lists import OFAC_SDN_XML
from risk.factories import AS_OF, asked, rollup, smelter, supplier

OFAC = read_list(OFAC_SDN_XML, kind=ListKind.OFAC_SDN, name="sdn.xml", today=dt.date(2025, 12, 5))
DECIDED_ON = dt.date(2025, 12, 6)


def _decision(
    subject: Subject, verdict: str = CONFIRMED, reason: str = "Same address and owner as the entry"
):
    (hit,) = screen([subject], [OFAC])
    return decide(hit, verdict, reason, by="alice", on=DECIDED_ON)


def campaign():
    return rollup(
        [supplier("Clean Co")],
        [smelter("Aerocaribbean Airlines", "CID000009", suppliers=("Clean Co",))],
    )


def test_a_confirmed_facility_hit_flags_the_facility_with_the_list_entry_and_reason():
    decision = _decision(Subject(FACILITY, "Aerocaribbean Airlines", key="CID000009"))
    result = assess(campaign(), as_of=AS_OF, screening=[decision])
    (rated,) = result.smelters
    assert (rated.key, rated.rating) == ("CID000009", "high")
    (flag,) = [f for f in rated.flags if f.code == "smelter-sanctions-listed"]
    assert flag.explanation == (
        'Aerocaribbean Airlines is entry 36 "AEROCARIBBEAN AIRLINES", programme CUBA, on the OFAC Specially '
        "Designated Nationals (SDN) list as of 2025-11-28, as alice confirmed on 2025-12-06: Same address "
        "and owner as the entry"
    )


def test_a_dismissed_hit_raises_no_flag():
    decision = _decision(
        Subject(FACILITY, "Aerocaribbean Airlines", key="CID000009"), DISMISSED, "Other firm"
    )
    (rated,) = assess(campaign(), as_of=AS_OF, screening=[decision]).smelters
    assert "smelter-sanctions-listed" not in [f.code for f in rated.flags]


def test_a_confirmed_supplier_hit_flags_the_supplier_file_and_one_not_yet_answering_alone():
    on_file = _decision(Subject(SUPPLIER, "Clean Co", key="Clean Co", aliases=("Aero-Caribbean",)))
    waiting = _decision(Subject(SUPPLIER, "Ivan Petrov", key="Ivan Petrov"))
    result = assess(
        campaign(),
        as_of=AS_OF,
        survey=asked(returned=("Clean Co",), waiting=("Ivan Petrov",)),
        screening=[on_file, waiting],
    )
    by_subject = {r.subject: [f.code for f in r.flags] for r in result.suppliers}
    assert by_subject["Clean Co"] == ["supplier-sanctions-listed"]
    assert by_subject["Ivan Petrov"] == ["supplier-no-response", "supplier-sanctions-listed"]
