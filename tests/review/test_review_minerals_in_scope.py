"""review(minerals=...): a supplier is not faulted for a mineral the inquiry does not ask about."""

from __future__ import annotations

import datetime as dt

import pytest

from oretrace.errors import BadInput
from oretrace.review import review
from oretrace.rmi.minerals import chosen_minerals, in_scope, minerals_asked
from oretrace.rmi.model import TemplateKind
from review.factories import make_template_response

TODAY = dt.date(2026, 2, 1)


def test_each_template_asks_about_its_own_minerals():
    assert minerals_asked("CMRT", "6.5") == ("Tantalum", "Tin", "Gold", "Tungsten")
    assert minerals_asked("EMRT", "1.3") == ("Cobalt", "Mica")
    assert minerals_asked("EMRT", "2.1") == ("Cobalt", "Copper", "Graphite", "Lithium", "Mica", "Nickel")
    assert minerals_asked(TemplateKind.CRT, "2.2") == ("Cobalt",)
    assert "Palladium" in minerals_asked("AMRT", "1.3")


def test_a_version_between_two_known_ones_asks_what_the_older_one_asks():
    # RMI's CRT 2.21 says "Revision 2.2" in its own J3 and has 2.2's cells.
    assert minerals_asked("CRT", "2.21") == ("Cobalt",)


def test_a_choice_is_spelled_and_ordered_as_the_template_has_them():
    assert chosen_minerals("EMRT", "2.1", ["nickel ", "Cobalt"]) == ("Cobalt", "Nickel")
    assert chosen_minerals("CMRT", "6.5", []) == ("Tantalum", "Tin", "Gold", "Tungsten")


@pytest.mark.parametrize(
    ("kind", "version", "chosen", "message"),
    [
        ("EMRT", "1.3", ["Lithium"], "The EMRT 1.3 does not ask about lithium; it asks about Cobalt, Mica."),
        ("CRT", "2.2", ["Mica"], "The CRT 2.2 does not ask about mica; it asks about Cobalt."),
        ("EMRT", "0.9", [], "oretrace does not read the EMRT version '0.9'; it reads 1.1, 1.11"),
        ("CRT", "6.4", [], "oretrace does not read the CRT version '6.4'; it reads 2.2."),
        ("XMRT", "1.0", [], "'XMRT' is not an RMI template kind; the kinds are CMRT, EMRT, CRT, AMRT."),
    ],
)
def test_a_mineral_or_template_that_cannot_be_asked_about_is_refused_plainly(kind, version, chosen, message):
    with pytest.raises(BadInput) as refused:
        chosen_minerals(kind, version, chosen)
    assert message in refused.value.message


def test_something_about_no_mineral_is_always_in_scope():
    assert in_scope(None, ("Cobalt",))
    assert in_scope("cobalt", ("Cobalt",))
    assert not in_scope("Mica", ("Cobalt",))
    assert in_scope("Mica", None)


def test_an_unanswered_mineral_outside_the_inquiry_is_not_faulted():
    # An EMRT 1.3 that answers about cobalt only: mica's questions are blank.
    response = make_template_response(
        TemplateKind.EMRT,
        "1.3",
        answers={"Mica": dict.fromkeys(("Q1", "Q2", "Q3", "Q5", "Q6", "Q7"))},
        company_questions={"C:Mica": None},
    )
    everything = review(response, today=TODAY)
    assert any(f.mineral == "Mica" for f in everything.findings)
    cobalt_only = review(response, today=TODAY, minerals=("Cobalt",))
    assert [f for f in cobalt_only.findings if f.mineral == "Mica"] == []
    # The Checker's count is the count of what the supplier is asked to fix.
    assert cobalt_only.checker_missing == everything.checker_missing - sum(
        1 for f in everything.findings if f.mineral == "Mica" and f.code == "required-field-missing"
    )
    assert review(response, today=TODAY, minerals=("Mica",)).checker_missing == everything.checker_missing


def test_a_mineral_the_inquiry_asks_about_and_the_emrt_does_not_pick_is_an_error():
    response = make_template_response(TemplateKind.EMRT, "2.1", minerals=("Cobalt", "Mica"))
    report = review(response, today=TODAY, minerals=("Cobalt", "Lithium"))
    asked = [f for f in report.findings if f.code == "asked-mineral-not-picked"]
    assert [(f.mineral, f.severity, f.where) for f in asked] == [("Lithium", "error", "Declaration!D12")]
    assert "asks about Cobalt, Lithium; the file picks Cobalt, Mica" in asked[0].message
    # Mica, picked but not asked about, is nobody's concern; without a scope the rule does not run.
    assert not any(f.mineral == "Mica" for f in report.findings)
    assert "asked-mineral-not-picked" not in review(response, today=TODAY).codes()


def test_a_template_that_always_asks_about_its_minerals_has_nothing_to_pick():
    response = make_template_response(TemplateKind.CRT, "2.2")
    assert "asked-mineral-not-picked" not in review(response, today=TODAY, minerals=("Cobalt",)).codes()
