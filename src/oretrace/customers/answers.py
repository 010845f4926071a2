"""Whether the declaration we sent a customer still holds: what it says, reduced to what can change.

The file's SHA-256 changes every time it is generated (its effective date, the template's own
timestamps), so it proves what was sent but cannot say whether the answer changed. The summary holds
what a customer reads in it: the scope and product list, Q1-Q8 per metal, questions A-H and the policy
URL, and each listed smelter with its audit status as we know it now. Two summaries with the same
fingerprint say the same thing; ``answer_changes`` words the difference for the analyst, and
``update_reasons`` says why a sent answer is out of date, the campaign it came from included.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from oretrace.rmi.writer import CompanyDeclaration
from oretrace.rollup.model import Rollup


def answer_summary(declaration: CompanyDeclaration, rollup: Rollup) -> dict[str, Any]:
    """What the declaration tells a customer, as plain JSON-ready data."""
    statuses = {(s.metal, s.smelter_id): s.audit_status for s in rollup.smelters}
    return {
        "scope": str(declaration.company.get("declaration_scope") or "A"),
        "products": [p.number for p in declaration.products],
        "answers": {metal: dict(sorted(qs.items())) for metal, qs in sorted(declaration.answers.items())},
        "company_questions": dict(sorted(declaration.company_questions.items())),
        "policy_url": declaration.policy_url or "",
        "smelters": sorted(
            [
                s.metal,
                s.smelter_id or "",
                s.name or "",
                statuses.get((s.metal, s.smelter_id)) or "" if s.smelter_id else "",
            ]
            for s in declaration.smelters
        ),
    }


def answer_fingerprint(summary: Mapping[str, Any]) -> str:
    """The SHA-256 of the summary written canonically: equal exactly when the summaries are."""
    canonical = json.dumps(summary, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def answer_changes(sent: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """What a declaration generated now would say differently from the one sent, one line per change."""
    changes = []
    if sent.get("scope") != now.get("scope") or sent.get("products") != now.get("products"):
        changes.append("the declaration's scope or product list")
    sent_answers, now_answers = sent.get("answers", {}), now.get("answers", {})
    for metal in sorted(set(sent_answers) | set(now_answers)):
        before, after = sent_answers.get(metal, {}), now_answers.get(metal, {})
        for question in sorted(set(before) | set(after)):
            if before.get(question) != after.get(question):
                changes.append(
                    f"{question} {metal}: {before.get(question) or '(blank)'} → {after.get(question) or '(blank)'}"
                )
    before, after = sent.get("company_questions", {}), now.get("company_questions", {})
    for question in sorted(set(before) | set(after)):
        if before.get(question) != after.get(question):
            changes.append(
                f"question {question}: {before.get(question) or '(blank)'} → {after.get(question) or '(blank)'}"
            )
    if sent.get("policy_url") != now.get("policy_url"):
        changes.append(
            f"policy URL: {sent.get('policy_url') or '(none)'} → {now.get('policy_url') or '(none)'}"
        )
    changes += _smelter_changes(sent.get("smelters", []), now.get("smelters", []))
    return changes


def _smelter_changes(sent: list, now: list) -> list[str]:
    def keyed(rows: list) -> dict[tuple[str, str, str], str]:
        return {(metal, cid, name): status for metal, cid, name, status in rows}

    before, after = keyed(sent), keyed(now)
    changes = []
    for key in sorted(set(before) | set(after)):
        metal, cid, name = key
        label = f"{metal} smelter {cid or name}"
        if key not in after:
            changes.append(f"{label} is no longer listed")
        elif key not in before:
            changes.append(f"{label} is listed now")
        elif before[key] != after[key]:
            changes.append(f"{label}: status {before[key] or '(none)'} → {after[key] or '(none)'}")
    return changes


@dataclass(frozen=True)
class AnswerSource:
    """The campaign an answer is derived from: ``key`` tells two campaigns apart (two may share a name),
    ``label`` names it for the analyst."""

    key: str
    label: str


def update_reasons(
    sent: Mapping[str, Any],
    sent_from: AnswerSource | None,
    now: Mapping[str, Any],
    now_from: AnswerSource,
) -> tuple[str, ...]:
    """Why the answer we sent (its summary, and the campaign it came from; None: a campaign since
    deleted) no longer holds against the one we would send now; empty while it holds.

    A newer campaign's results are a reason of their own even when every answer came out the same: the
    customer's copy names the year it speaks for. Each difference in what the customer reads follows,
    a smelter's audit status and a changed answer or figure (Q6's response rate) among them.
    """
    reasons = []
    if sent_from is None or sent_from.key != now_from.key:
        before = sent_from.label if sent_from else "a campaign since deleted"
        reasons.append(f"our answers now come from {now_from.label} (sent from {before})")
    changes = answer_changes(sent, now)
    if not changes and answer_fingerprint(sent) != answer_fingerprint(now):
        # answer_changes words every part of the summary; this names a part added to it later.
        changes = ["what the declaration says"]
    return tuple(reasons + changes)
