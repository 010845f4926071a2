"""The Smelter List: each row against the Declaration, the template's own highlights, and the reference list.

The conditional formatting of CMRT 6.5's Smelter List (templates.md §2.2) marks: a blank metal; a
blank look-up under a metal; "Smelter not listed" without name or country; "!" in name or country;
column A differing from column F; "Enter smelter details" in G; and a metal whose Q1 or Q2 is "No".
"""

from __future__ import annotations

from oretrace.review.reference import CID, V2_ID, V2_METALS, is_well_formed, normalise_id
from oretrace.review.registry import Context, Hit, rule
from oretrace.review.wording import plural, rows_text
from oretrace.rmi.model import SMELTER_NOT_LISTED, SMELTER_NOT_YET_IDENTIFIED, SmelterRow, is_special_lookup

SHEET = "Smelter List"


def _is(value: str | None, special: str) -> bool:
    # Dropdown values differ in case between versions ("Smelter Not Listed"): S1 docs/00-overview.md.
    return bool(value) and value.casefold() == special.casefold()


def _real_rows(context: Context):
    """Rows naming an actual smelter (not "not listed" / "not yet identified")."""
    return [
        row for row in context.response.smelters if row.lookup_name and not is_special_lookup(row.lookup_name)
    ]


def _label(row: SmelterRow) -> str:
    name = row.display_name or row.smelter_id or "a smelter"
    return f"{name} ({row.smelter_id})" if row.smelter_id and row.smelter_id != name else name


@rule(
    "smelter-listed-for-mineral-out-of-scope",
    severity="warning",
    title="Smelters listed for a mineral the Declaration says is not used",
    for_supplier="Your file lists smelters for a mineral it says is not in your products.",
    source="CMRT 6.5 Smelter List conditional formatting (Declaration!P38:P41)",
    example=Hit(
        SHEET,
        "B12",
        "Row 12 lists a Gold smelter, but Q1 or Q2 for Gold is “No”.",
        "Is Gold in your products after all (then correct Q1/Q2), or should the Gold rows be removed?",
        "Gold",
    ),
)
def smelter_listed_for_mineral_out_of_scope(context: Context):
    for mineral in context.response.minerals:
        if not context.declared_out_of_scope(mineral):
            continue
        rows = context.smelters_for(mineral)
        if rows:
            yield Hit(
                SHEET,
                context.smelter_cell(rows[0], "metal"),
                f"{rows_text([r.row for r in rows]).capitalize()} list {plural(len(rows), mineral + ' smelter')}, "
                f"but Q1 or Q2 for {mineral} is “No”.",
                f"Is {mineral} in your products after all (then correct Q1/Q2), or should the {mineral} rows "
                "be removed?",
                mineral,
            )


@rule(
    "mineral-in-scope-without-smelters",
    severity="warning",
    title="A mineral in scope without any smelter",
    for_supplier="Your file says a mineral is in your products, but lists no smelter for it.",
    source="S2 CFSI 3.01 validator; IntegrityNext (“no smelter data”)",
    example=Hit(
        SHEET,
        None,
        "Tin is in scope (Q1 and Q2 “Yes”) but no Tin smelter is listed.",
        "Please list the Tin smelters in your supply chain on the Smelter List.",
        "Tin",
    ),
)
def mineral_in_scope_without_smelters(context: Context):
    for mineral in context.response.minerals:
        if context.declared_in_scope(mineral) and not context.smelters_for(mineral):
            yield Hit(
                SHEET,
                None,
                f"{mineral} is in scope (Q1 and Q2 “Yes”) but no {mineral} smelter is listed.",
                f"Please list the {mineral} smelters in your supply chain on the Smelter List.",
                mineral,
            )


@rule(
    "smelter-metal-missing",
    severity="error",
    title="A smelter row without a metal",
    for_supplier="A row of your Smelter List has no metal.",
    source="CMRT 6.5 Smelter List conditional formatting; S2 validator",
    example=Hit(
        SHEET,
        "B9",
        "Row 9 has smelter details but no metal.",
        "Which metal does the smelter in row 9 supply?",
    ),
)
def smelter_metal_missing(context: Context):
    for row in context.response.smelters:
        if not row.metal:
            yield Hit(
                SHEET,
                context.smelter_cell(row, "metal"),
                f"Row {row.row} has smelter details but no metal.",
                f"Which metal does the smelter in row {row.row} supply?",
            )


@rule(
    "smelter-metal-not-in-template",
    severity="error",
    title="A metal the template does not cover",
    for_supplier="Your Smelter List names a metal this template does not cover.",
    source="The template's metal dropdown (CMRT: Tantalum, Tin, Gold, Tungsten)",
    example=Hit(
        SHEET,
        "B7",
        "Row 7 names the metal “Cobalt”, which this CMRT does not cover.",
        "Please report Cobalt in the EMRT, or correct the metal in row 7.",
        "Cobalt",
    ),
)
def smelter_metal_not_in_template(context: Context):
    # The template's minerals, and those the file picked: an AMRT names any other mineral it covers.
    known = {
        m.casefold()
        for m in (*(context.layout.minerals if context.layout else ()), *context.response.minerals)
    }
    for row in context.response.smelters:
        if row.metal and row.metal.casefold() not in known:
            yield Hit(
                SHEET,
                context.smelter_cell(row, "metal"),
                f"Row {row.row} names the metal “{row.metal}”, which this {context.response.kind} does not cover.",
                f"Please correct the metal in row {row.row}, or report {row.metal} in the template that covers it.",
                row.metal,
            )


@rule(
    "smelter-lookup-missing",
    severity="error",
    title="A metal without a smelter chosen",
    for_supplier="A row of your Smelter List has a metal but no smelter chosen.",
    source="CMRT 6.5 Smelter List conditional formatting (look-up empty while a metal is set)",
    example=Hit(
        SHEET,
        "C8",
        "Row 8 has the metal Tin but no smelter chosen in the look-up column.",
        "Which Tin smelter is meant in row 8? Please choose it in the Smelter Look-up column.",
        "Tin",
    ),
)
def smelter_lookup_missing(context: Context):
    if context.layout is not None and context.smelter_column("lookup_name") is None:
        return  # AMRT 1.2 and CMRT 1.00: the name is typed, nothing is looked up
    for row in context.response.smelters:
        if row.metal and not row.lookup_name:
            yield Hit(
                SHEET,
                context.smelter_cell(row, "lookup_name"),
                f"Row {row.row} has the metal {row.metal} but no smelter chosen in the look-up column.",
                f"Which {row.metal} smelter is meant in row {row.row}? Please choose it in the Smelter Look-up column.",
                row.metal,
            )


@rule(
    "smelter-id-input-mismatch",
    severity="error",
    title="The smelter ID typed in column A differs from the one the row shows",
    for_supplier="A smelter ID you typed in column A differs from the smelter the row shows.",
    source="CMRT 6.5 Smelter List conditional formatting (A ≠ F)",
    example=Hit(
        SHEET,
        "A6",
        "Row 6: the ID typed in column A (CID001522) differs from the smelter ID in column F (CID002044).",
        "Which smelter is meant in row 6: CID001522 or CID002044?",
        "Tantalum",
    ),
)
def smelter_id_input_mismatch(context: Context):
    if context.smelter_column("id_input") is None:
        return
    for row in context.response.smelters:
        typed, shown = normalise_id(row.id_input), normalise_id(row.smelter_id)
        if typed and shown and typed != shown:
            yield Hit(
                SHEET,
                context.smelter_cell(row, "id_input"),
                f"Row {row.row}: the ID typed in column A ({row.id_input}) differs from the smelter ID in "
                f"column F ({row.smelter_id}).",
                f"Which smelter is meant in row {row.row}: {row.id_input} or {row.smelter_id}?",
                row.metal,
            )


@rule(
    "smelter-not-listed-incomplete",
    severity="error",
    title="“Smelter not listed” without the smelter's name or country",
    for_supplier="A row of your Smelter List marked “Smelter not listed” lacks the smelter's name or country.",
    source="CMRT 6.x Checker and conditional formatting; S2 validator",
    example=Hit(
        SHEET,
        "E10",
        "Row 10 chooses “Smelter not listed” but gives no country.",
        "Please give the name and country of the smelter in row 10.",
        "Gold",
    ),
)
def smelter_not_listed_incomplete(context: Context):
    for row in context.response.smelters:
        if not _is(row.lookup_name, SMELTER_NOT_LISTED) or (row.name and row.country):
            continue
        lacking = " and ".join(
            part for part, value in (("name", row.name), ("country", row.country)) if not value
        )
        yield Hit(
            SHEET,
            context.smelter_cell(row, "name" if not row.name else "country"),
            f"Row {row.row} chooses “Smelter not listed” but gives no {lacking}.",
            f"Please give the name and country of the smelter in row {row.row}.",
            row.metal,
        )


@rule(
    "smelter-not-yet-identified",
    severity="warning",
    title="“Smelter not yet identified”",
    for_supplier="A row of your Smelter List says “Smelter not yet identified”.",
    source="S2 CFSI 3.01 validator; CMRT 2.02+ look-up choice",
    example=Hit(
        SHEET,
        "C14",
        "Row 14 reports a Tin smelter as “Smelter not yet identified”.",
        "When will you know which Tin smelter is behind row 14?",
        "Tin",
    ),
)
def smelter_not_yet_identified(context: Context):
    for row in context.response.smelters:
        if _is(row.lookup_name, SMELTER_NOT_YET_IDENTIFIED):
            metal = row.metal or "the"
            yield Hit(
                SHEET,
                context.smelter_cell(row, "lookup_name"),
                f"Row {row.row} reports a {metal} smelter as “Smelter not yet identified”.",
                f"When will you know which {metal} smelter is behind row {row.row}?",
                row.metal,
            )


@rule(
    "smelter-unresolved",
    severity="error",
    title="The template could not find the smelter (“Enter smelter details”)",
    for_supplier="The template could not find a smelter you entered (it shows “Enter smelter details”).",
    source="CMRT 6.5 Smelter List conditional formatting (G = “Enter smelter details”)",
    example=Hit(
        SHEET,
        "G11",
        "Row 11: the template could not find this smelter in its look-up (column G reads “Enter smelter details”).",
        "Please choose the smelter from the look-up list in row 11, or give its name, country and ID.",
        "Gold",
    ),
)
def smelter_unresolved(context: Context):
    for row in context.response.smelters:
        if _is(row.id_source, "Enter smelter details"):
            yield Hit(
                SHEET,
                context.smelter_cell(row, "id_source"),
                f"Row {row.row}: the template could not find this smelter in its look-up (column G reads "
                "“Enter smelter details”).",
                f"Please choose the smelter from the look-up list in row {row.row}, or give its name, country and ID.",
                row.metal,
            )


@rule(
    "smelter-text-has-exclamation",
    severity="warning",
    title="“!” in a smelter name or country",
    for_supplier="A smelter name or country in your file contains “!”, which the template marks as invalid.",
    source="CMRT 6.5 Smelter List conditional formatting (D or E contains “!”)",
    example=Hit(
        SHEET,
        "D15",
        "Row 15: the smelter name “Refinery!” contains “!”, which the template marks as invalid.",
        "Please correct the smelter name in row 15.",
        "Gold",
    ),
)
def smelter_text_has_exclamation(context: Context):
    for row in context.response.smelters:
        for field_name, label in (("name", "smelter name"), ("country", "country")):
            value = getattr(row, field_name)
            if value and "!" in value:
                yield Hit(
                    SHEET,
                    context.smelter_cell(row, field_name),
                    f"Row {row.row}: the {label} “{value}” contains “!”, which the template marks as invalid.",
                    f"Please correct the {label} in row {row.row}.",
                    row.metal,
                )


@rule(
    "smelter-id-malformed",
    severity="error",
    title="A smelter ID that is neither a CID nor an old CFSI ID",
    for_supplier="A smelter ID in your file is not an RMI smelter ID (CID and six digits).",
    source="RMI IDs: CID + 6 digits; CFSI v2: metal digit, ISO-3 country, 3 digits (templates.md §3)",
    example=Hit(
        SHEET,
        "F5",
        "Row 5: the smelter ID “242332” is not an RMI ID (CID followed by six digits).",
        "Please give the RMI smelter ID (CID…) of the smelter in row 5.",
        "Tin",
    ),
)
def smelter_id_malformed(context: Context):
    for row in context.response.smelters:
        for field_name in ("smelter_id", "id_input"):
            value = getattr(row, field_name)
            if field_name == "id_input" and context.smelter_column("id_input") is None:
                continue
            key = normalise_id(value)
            # The ID of a facility an analyst added (smelters.unlisted: an LBMA or registry ID) is known.
            known = context.reference.available and context.reference.get(value) is not None
            if (
                key
                and not known
                and not is_well_formed(key)
                and key.casefold() not in ("unknown", "n/a", "na")
            ):
                yield Hit(
                    SHEET,
                    context.smelter_cell(row, field_name),
                    f"Row {row.row}: the smelter ID “{value}” is not an RMI ID (CID followed by six digits).",
                    f"Please give the RMI smelter ID (CID…) of the smelter in row {row.row}.",
                    row.metal,
                )


@rule(
    "smelter-id-unknown",
    severity="warning",
    title="A smelter ID the reference list does not know",
    for_supplier="A smelter ID in your file is not on RMI's smelter list.",
    source="RMI Smelter Reference List (the template's Smelter Look-up, or an imported list)",
    example=Hit(
        SHEET,
        "F20",
        "Row 20: CID009999 is not on the Smelter Look-up of this CMRT 6.4.",
        "Please check the smelter ID in row 20 against RMI's current Smelter Reference List.",
        "Gold",
    ),
)
def smelter_id_unknown(context: Context):
    index = context.reference
    if not index.available:
        return
    for row in context.response.smelters:
        key = normalise_id(row.smelter_id)
        if not key or not CID.match(key) or index.get(key) is not None or index.removed(key):
            continue
        yield Hit(
            SHEET,
            context.smelter_cell(row, "smelter_id"),
            f"Row {row.row}: {key} is not on {index.source}.",
            f"Please check the smelter ID in row {row.row} against RMI's current Smelter Reference List.",
            row.metal,
        )


@rule(
    "smelter-id-removed",
    severity="warning",
    title="A smelter removed from RMI's reference list",
    for_supplier="A smelter in your file is no longer on RMI's smelter list.",
    source="RMI FAQ (removed facilities); Z2Data (outdated smelter data)",
    example=Hit(
        SHEET,
        "F21",
        "Row 21: CID001234 is on this file's Smelter Look-up but no longer on CMRT 6.5.",
        "Is the smelter in row 21 still in your supply chain? RMI no longer lists it; please confirm or update.",
        "Gold",
    ),
)
def smelter_id_removed(context: Context):
    index = context.reference
    for row in context.response.smelters:
        if index.removed(row.smelter_id):
            yield Hit(
                SHEET,
                context.smelter_cell(row, "smelter_id"),
                f"Row {row.row}: {normalise_id(row.smelter_id)} is on this file's Smelter Look-up but no longer on "
                f"{index.source}.",
                f"Is the smelter in row {row.row} still in your supply chain? RMI no longer lists it; please "
                "confirm or update.",
                row.metal,
            )


@rule(
    "smelter-metal-mismatch",
    severity="error",
    title="The smelter ID belongs to a facility of another metal",
    for_supplier="A smelter ID in your file belongs to a smelter of another metal.",
    source="RMI Smelter Reference List: each CID is one facility for one metal",
    example=Hit(
        SHEET,
        "B22",
        "Row 22 lists CID002082 under Tin, but the reference list has it as a Tungsten smelter.",
        "Is row 22 a Tin smelter? Please correct the metal or the smelter ID.",
        "Tin",
    ),
)
def smelter_metal_mismatch(context: Context):
    index = context.reference
    for row in context.response.smelters:
        if not row.metal:
            continue
        key = normalise_id(row.smelter_id)
        known_metals: set[str] = set()
        if key and V2_ID.match(key):
            known_metals = {V2_METALS[key[0]]}  # the first digit of a CFSI v2 ID is its metal
        elif key:
            known = index.get(key)
            known_metals = set(known.metals) if known else set()
        if known_metals and row.metal.casefold() not in {m.casefold() for m in known_metals}:
            yield Hit(
                SHEET,
                context.smelter_cell(row, "metal"),
                f"Row {row.row} lists {key} under {row.metal}, but the reference list has it as a "
                f"{' / '.join(sorted(known_metals))} smelter.",
                f"Is row {row.row} a {row.metal} smelter? Please correct the metal or the smelter ID.",
                row.metal,
            )


@rule(
    "smelter-duplicate",
    severity="warning",
    title="The same smelter listed twice",
    for_supplier="The same smelter is listed twice in your file.",
    source="Real CMRT 6.4 files (a duplicated row)",
    example=Hit(
        SHEET,
        "row 7",
        "Row 7 repeats row 6: Tantalum, Yanling Jincheng Tantalum & Niobium Co., Ltd. (CID001522).",
        "Please remove the duplicate row 7, or tell us which other smelter was meant.",
        "Tantalum",
    ),
)
def smelter_duplicate(context: Context):
    seen: dict[tuple, SmelterRow] = {}
    for row in _real_rows(context):
        key_id = normalise_id(row.smelter_id)
        name = (row.display_name or "").casefold()
        key = (
            ((row.metal or "").casefold(), key_id)
            if key_id
            else ((row.metal or "").casefold(), name, row.country)
        )
        first = seen.setdefault(key, row)
        if first is row:
            continue
        yield Hit(
            SHEET,
            f"row {row.row}",
            f"Row {row.row} repeats row {first.row}: {row.metal}, {_label(row).rstrip('.')}.",
            f"Please remove the duplicate row {row.row}, or tell us which other smelter was meant.",
            row.metal,
        )


@rule(
    "smelter-name-missing",
    severity="info",
    title="Smelter rows without a name in column D",
    for_supplier="Some rows of your Smelter List have no smelter name in column D.",
    source="CMRT 6.5 Smelter List conditional formatting (D blank while C is a smelter)",
    example=Hit(
        SHEET,
        "D5",
        "2 smelter rows (rows 5, 6) have no name in column D; the smelters are identified only by the look-up in column C.",
        "No action needed if the look-up choices are right; otherwise please type the smelter names in column D.",
    ),
)
def smelter_name_missing(context: Context):
    # Real 6.4 files leave D blank on most rows because the look-up (C) and the standard name (R)
    # already identify the smelter; one summary finding per file keeps the review readable.
    if context.smelter_column("name") is None:
        return
    rows = [row for row in _real_rows(context) if not row.name]
    if rows:
        yield Hit(
            SHEET,
            context.smelter_cell(rows[0], "name"),
            f"{plural(len(rows), 'smelter row')} ({rows_text([r.row for r in rows])}) {'has' if len(rows) == 1 else 'have'} no name in column D; "
            "the smelters are identified only by the look-up in column C.",
            "No action needed if the look-up choices are right; otherwise please type the smelter names in "
            "column D.",
        )
