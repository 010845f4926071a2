"""The document model every report is built into and every renderer reads.

A report is sections of blocks (paragraphs, lists, tables, charts). A number is never a bare string:
it is a `Figure` that carries the `Source` it was computed from, so a reviewer can trace every figure
in the Conflict Minerals Report back to the campaign, the roll-up or the settings it came from, and
a test can prove that none was typed by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from oretrace.survey import FIGURES, REVIEW_FIGURES

# The source keys a Figure may carry. The web app turns a key and its params into a link (a filtered
# smelter list, the campaign page); keep this list in step with the views that resolve them.
SOURCE_KEYS = {
    **{f"survey.{key}": d.definition for key, d in FIGURES.items()},
    "survey.response_rate": "Suppliers that responded, divided by the suppliers surveyed",
    **{f"review.{key}": d.definition for key, d in REVIEW_FIGURES.items()},
    "supply_chain.direct_suppliers": "Direct suppliers, from the report settings",
    "supply_chain.indirect_suppliers": "Indirect suppliers, from the report settings",
    "rollup.suppliers": "Supplier files in the roll-up",
    "rollup.smelters": "Identified facilities in the roll-up",
    "rollup.mines": "Mines of the suppliers' Mine Lists (EMRT 2.x, AMRT) in the roll-up, each once per mineral",
    "rollup.unidentified": "Smelter names in the roll-up that match no known facility",
    "rollup.reference": "The smelter reference list the roll-up matched reported names against",
    "changes": "Changes from the year before's inquiry to this year's, per supplier and per smelter",
    "history": "Figures reported for an earlier year, from the report settings",
    "grievances.received": "Concerns reported through the grievance mechanism in the reporting period",
    "grievances.closed": "Grievance cases closed in the reporting period",
    "grievances.open": "Grievance cases open at the end of the reporting period",
    "grievances.median_days": "Median days from receiving a grievance case to closing it",
    "risk.flags": "Suppliers or facilities the risk assessment flags with a kind of red flag",
    "risk.actions": "Risk actions of the year's register tagged with an Annex X risk category",
    "settings.turnover": "Net turnover as stated in the report settings (Batteries Regulation Article 47)",
}


@dataclass(frozen=True)
class Source:
    """Where a figure came from: a key from SOURCE_KEYS, filters, and words for a human reader."""

    key: str
    label: str
    params: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.key not in SOURCE_KEYS:
            raise ValueError(f"unknown source key {self.key!r}")

    @property
    def ref(self) -> str:
        """A stable text form, e.g. "rollup.smelters?metal=Gold&status=Conformant"."""
        if not self.params:
            return self.key
        return self.key + "?" + "&".join(f"{k}={v}" for k, v in self.params)


@dataclass(frozen=True)
class Figure:
    """A value as printed, with the source it was computed from."""

    value: int | float | str  # a count, a share, or an ISO date
    text: str
    source: Source


Run = str | Figure  # a paragraph is text interleaved with figures


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    lead: str | None = None  # a bold lead-in such as "Step 1. Establish strong company management systems."
    align: str | None = None  # "center" for cover lines; None for body text
    bold: bool = False
    small: bool = False  # the captions under the Form SD cover lines

    @property
    def text(self) -> str:
        return "".join(r if isinstance(r, str) else r.text for r in self.runs)


Cell = str | Figure


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    # Where the rows come from, as a whole: printed under the table. Each figure in a cell keeps its own
    # source as well, for the web app's links and for the tests.
    sources: tuple[Source, ...] = ()
    numeric: tuple[int, ...] = ()  # columns to right-align
    total_row: bool = False  # the last row is a total, set in bold


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Figure, ...]
    colour: str


@dataclass(frozen=True)
class Chart:
    """A chart and the same numbers as a table: EDGAR and DOCX show the table, the PDF the picture."""

    kind: str  # "stacked-bar" or "grouped-bar"
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    table: Table
    unit: str = ""  # "%" for percentages, appended to axis labels
    show_table: bool = True  # False when another table already gives the same numbers


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Run, ...], ...]


Block = Paragraph | Table | Chart | BulletList


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    level: int = 1  # 1 for a numbered section, 2 for a subsection
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Document:
    kind: str  # "cmr" or "form-sd"
    title: str
    heading_lines: tuple[str, ...]  # the centred lines above the title ("Exhibit 1.01")
    subtitle_lines: tuple[str, ...]
    sections: tuple[Section, ...] = field(default_factory=tuple)
    heading_align: str = "right"  # "Exhibit 1.01" sits top right; the Form SD masthead is centred

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def figures(self) -> Iterator[Figure]:
        """Every figure in the document, charts included, in reading order."""
        for section in self.sections:
            for block in section.blocks:
                yield from block_figures(block)

    def tables(self) -> Iterator[Table]:
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Table):
                    yield block
                elif isinstance(block, Chart):
                    yield block.table

    def sources(self) -> list[Source]:
        """Each distinct source once, in order of first use: the numbering of the notes."""
        seen: dict[str, Source] = {}
        for section in self.sections:
            for block in section.blocks:
                for source in block_sources(block):
                    seen.setdefault(source.ref, source)
        return list(seen.values())

    def plain_text(self) -> str:
        """The words and figures, one block a line: what tests and search read."""
        lines = [*self.heading_lines, self.title, *self.subtitle_lines]
        for section in self.sections:
            lines.append(section.title)
            for block in section.blocks:
                lines.extend(block_lines(block))
        return "\n".join(lines)


def cell_text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell.text


def block_figures(block: Block) -> Iterator[Figure]:
    if isinstance(block, Paragraph):
        yield from (r for r in block.runs if isinstance(r, Figure))
    elif isinstance(block, BulletList):
        for item in block.items:
            yield from (r for r in item if isinstance(r, Figure))
    elif isinstance(block, Table):
        for row in block.rows:
            yield from (c for c in row if isinstance(c, Figure))
    elif isinstance(block, Chart):
        for series in block.series:
            yield from series.values
        yield from block_figures(block.table)


def block_sources(block: Block) -> Iterator[Source]:
    """The sources a reader is referred to: a table's own, and those of the figures in running text."""
    if isinstance(block, Chart):
        yield from block.table.sources
    elif isinstance(block, Table):
        yield from block.sources
    else:
        for figure in block_figures(block):
            yield figure.source


def block_lines(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [(block.lead + " " if block.lead else "") + block.text]
    if isinstance(block, BulletList):
        return ["- " + "".join(r if isinstance(r, str) else r.text for r in item) for item in block.items]
    table = block.table if isinstance(block, Chart) else block
    lines = [table.caption, " | ".join(table.header)]
    lines.extend(" | ".join(cell_text(c) for c in row) for row in table.rows)
    return lines
