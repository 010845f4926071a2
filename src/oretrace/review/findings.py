"""What a review finds, as data: one Finding per thing to correct or clarify, and a report per file.

Shaped after frictionless-py's errors (a stable kebab-case code, a position, a message) so that
the command line, the portal and any export read the same objects. Each finding also carries the
question to send to the supplier, in plain words, because that is what an analyst does with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One thing a compliance analyst would raise with the supplier about one file.

    ``severity``: "error" means the file must be corrected and sent again; "warning" needs the
    supplier's explanation; "info" is for the analyst's own judgement.
    ``cell`` is an address ("D16") or a row ("row 12") on ``sheet``; None when the finding is about
    the file as a whole.
    """

    code: str
    severity: Severity
    sheet: str | None
    cell: str | None
    message: str
    question: str
    mineral: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "mineral": self.mineral,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message,
            "question": self.question,
        }

    @property
    def where(self) -> str:
        """ "Declaration!D16", "Smelter List row 12", or "" for the whole file."""
        if self.sheet and self.cell:
            return f"{self.sheet} {self.cell}" if self.cell.startswith("row") else f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell or ""


@dataclass(frozen=True)
class ReviewReport:
    """The review of one file: which template, what its Checker would count, and every finding."""

    file: str
    kind: str
    version: str
    # What the file's own Checker counts (its formulas may read other cells than RMI's); None when
    # this template family's Checker is not reproduced.
    checker_missing: int | None
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    # What RMI's template's Checker counts for the same answers.
    checker_missing_by_rmi_rules: int | None = None

    @property
    def counts(self) -> dict[str, int]:
        by_severity = Counter(f.severity for f in self.findings)
        return {severity: by_severity.get(severity, 0) for severity in SEVERITIES}

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def flatten(self, keys: Iterable[str] = ("code", "mineral", "cell")) -> list[tuple]:
        """Selected attributes of every finding, for comparing with a literal list in tests."""
        keys = tuple(keys)
        return [tuple(getattr(f, key) for key in keys) for f in self.findings]

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "version": self.version,
            "checker_missing": self.checker_missing,
            "checker_missing_by_rmi_rules": self.checker_missing_by_rmi_rules,
            "counts": self.counts,
            "findings": [f.as_dict() for f in self.findings],
        }
