"""docs/checks.md is generated from the registry and must not drift from it."""

from __future__ import annotations

import re
from pathlib import Path

from oretrace.review import RULES
from oretrace.review.docs import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "checks.md"


def test_docs_checks_md_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/checks.md is out of date: run `python -m oretrace.review.docs > docs/checks.md`"
    )


def test_every_rule_has_a_kebab_case_code_a_title_a_source_and_an_example_question():
    for code, rule in RULES.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        assert rule.code == code
        assert rule.title and rule.source and rule.kinds, code
        assert rule.example.message and rule.example.question.rstrip().endswith(("?", ".")), code
        assert f"## {code}\n" in render()
