"""docs/risk-scoring.md is generated from the flag registry and the default thresholds and must not drift."""

from __future__ import annotations

from pathlib import Path

from oretrace.risk.codes import FLAG_KINDS
from oretrace.risk.docs import COMMAND, render
from oretrace.risk.thresholds import RiskThresholds

DOC = Path(__file__).resolve().parents[2] / "docs" / "risk-scoring.md"


def test_docs_risk_scoring_md_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == render(), (
        f"docs/risk-scoring.md is out of date: run `{COMMAND}`"
    )


def test_every_flag_kind_is_documented_with_its_weight():
    page = render()
    for code, kind in FLAG_KINDS.items():
        assert f"| `{code}` | {kind.title} | {kind.weight} |" in page


def test_a_years_thresholds_render_with_their_own_values():
    page = render(RiskThresholds(high_score=12, no_response_grace_days=30), year=2024)
    assert "the 2024 reporting year's thresholds" in page
    assert "**high** from 12" in page
    assert "until the due date plus 30 grace days" in page
