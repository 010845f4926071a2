"""Every rule says to the supplier what it found in the supplier's own file, in the supplier's words:
the analyst's title and message ("the supplier does not know …") stay on staff pages."""

from __future__ import annotations

import re

from oretrace.review import RULES
from oretrace.review.registry import for_supplier

# Staff language the supplier must never read about itself.
STAFF_WORDS = re.compile(r"\bthe supplier\b|\bask the supplier|\bhigh risk\b|\bsupplier's\b", re.IGNORECASE)


def test_every_registered_rule_has_supplier_wording():
    assert len(RULES) > 40
    missing = [code for code, rule in RULES.items() if not rule.for_supplier.strip()]
    assert missing == []


def test_no_supplier_wording_speaks_of_the_supplier_in_the_third_person():
    staff_words = {
        code: rule.for_supplier for code, rule in RULES.items() if STAFF_WORDS.search(rule.for_supplier)
    }
    assert staff_words == {}


def test_supplier_wording_is_one_sentence_addressed_to_the_supplier():
    for code, rule in RULES.items():
        text = rule.for_supplier
        assert text[0].isupper() and text.endswith("."), code
        assert re.search(r"\b(your|you)\b|\bthe template\b", text, re.IGNORECASE), code
        assert text != rule.title, code


def test_the_questions_the_supplier_reads_do_not_speak_of_the_supplier_either():
    # The question goes to the supplier as written (portal, follow-up e-mail); "the suppliers who have
    # not responded" are the supplier's own suppliers and allowed.
    assert {c: r.example.question for c, r in RULES.items() if STAFF_WORDS.search(r.example.question)} == {}


def test_the_analysts_wording_is_kept_for_staff():
    rule = RULES["covered-countries-unknown"]
    assert rule.title == "The supplier does not know whether the covered countries are a source"
    assert "the supplier does not know" in rule.example.message
    assert for_supplier("covered-countries-unknown") == (
        "Your file answers “Unknown” to whether your smelters source from the DRC or an adjoining country."
    )


def test_a_retired_code_has_no_supplier_wording():
    assert for_supplier("a-rule-since-retired") == "" and for_supplier(None) == ""
