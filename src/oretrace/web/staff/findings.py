"""The findings of a file as the request page lists them: errors first, one line per issue.

The core reports one finding per mineral and per rule (review.findings), which is what an export and a
follow-up need. Read on a page, the same high-risk answer given for four metals is four near-identical
lines, and two rules on one cell are two lines far apart. Here, for the page only:

- the same rule saying the same thing for several metals becomes one line naming the metals;
- findings on the same cell share one line;
- lines are ordered by severity (errors, warnings, info), in the core's order within each.

Each line keeps the positions of the findings it stands for (``indexes``), so that ticking it asks the
supplier every one of them (staff.views.request_action reads them back).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oretrace.review.findings import SEVERITIES
from oretrace.review.identity import CODE as IDENTITY_CODE

_PLACEHOLDER = "\x00"


@dataclass
class Item:
    code: str
    severity: str
    message: str
    question: str


@dataclass
class FindingLine:
    severity: str
    sheet: str | None
    cells: list[str] = field(default_factory=list)
    minerals: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)

    @property
    def where(self) -> str:
        """ "Declaration!D38, D39", "Smelter List row 7", "Smelter List" or ""."""
        cells = ", ".join(self.cells)
        if self.sheet and cells:
            return f"{self.sheet} {cells}" if cells.startswith("row") else f"{self.sheet}!{cells}"
        return self.sheet or cells

    @property
    def value(self) -> str:
        """The checkbox value: the positions of the findings in the file's list, comma-separated."""
        return ",".join(str(i) for i in self.indexes)

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(item.code for item in self.items))


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _pattern(text: str, mineral: str | None) -> str:
    return text.replace(mineral, _PLACEHOLDER) if mineral else text


def finding_lines(findings: list[dict]) -> list[FindingLine]:
    """The page's lines for a file's findings (each {code, severity, mineral, sheet, cell, message, question})."""
    # 1. The same rule, the same words but for the mineral: one line naming the minerals.
    by_metal: dict[tuple, FindingLine] = {}
    patterns: dict[tuple, tuple[str, str]] = {}
    lines: list[FindingLine] = []
    for index, f in enumerate(findings):
        mineral = f.get("mineral")
        message, question = f.get("message") or "", f.get("question") or ""
        key = None
        if mineral and mineral in message:
            key = (
                f.get("code"),
                f.get("severity"),
                f.get("sheet"),
                _pattern(message, mineral),
                _pattern(question, mineral),
            )
        if key and key in by_metal:
            line = by_metal[key]
            line.minerals.append(mineral)
            if f.get("cell"):
                line.cells.append(f["cell"])
            line.indexes.append(index)
            continue
        line = FindingLine(
            severity=f.get("severity") or "info",
            sheet=f.get("sheet"),
            cells=[f["cell"]] if f.get("cell") else [],
            minerals=[mineral] if mineral else [],
            items=[Item(f.get("code") or "", f.get("severity") or "info", message, question)],
            indexes=[index],
        )
        if key:
            by_metal[key] = line
            patterns[id(line)] = (key[3], key[4])
        lines.append(line)
    for line in lines:
        if len(line.minerals) > 1 and id(line) in patterns:
            message, question = patterns[id(line)]
            names = _joined(line.minerals)
            line.items[0].message = message.replace(_PLACEHOLDER, names)
            line.items[0].question = question.replace(_PLACEHOLDER, names)

    # 2. Findings on the same single cell: one line with each finding in it, the most severe first.
    merged: list[FindingLine] = []
    by_cell: dict[tuple, FindingLine] = {}
    for line in lines:
        if len(line.cells) != 1:
            merged.append(line)
            continue
        key = (line.sheet, line.cells[0])
        if key not in by_cell:
            by_cell[key] = line
            merged.append(line)
            continue
        kept = by_cell[key]
        kept.items += line.items
        kept.indexes += line.indexes
        kept.minerals += [m for m in line.minerals if m not in kept.minerals]
        kept.items.sort(key=lambda item: _rank(item.severity))
        kept.severity = kept.items[0].severity

    # 3. Errors first; sorted() is stable, so the core's order holds within a severity.
    return sorted(merged, key=lambda line: _rank(line.severity))


def identity_finding(findings: list[dict]) -> dict | None:
    """The finding that the file is from another company than the supplier (review.identity), if any."""
    return next((f for f in findings if f.get("code") == IDENTITY_CODE), None)
