"""The minerals the inquiry asks about against the minerals the supplier picked (EMRT 2.x, AMRT).

An EMRT 2.x or an AMRT answers only about the minerals picked at the top of its Declaration; a
mineral the inquiry asks about that is not picked gets no answer at all, so no other rule can see
that it is missing.
"""

from __future__ import annotations

from oretrace.review.registry import Context, Hit, rule
from oretrace.rmi.model import TemplateKind


@rule(
    "asked-mineral-not-picked",
    severity="error",
    title="A mineral the inquiry asks about is not picked in the Declaration",
    for_supplier="Your file does not report on a mineral we asked about.",
    source="The inquiry's own request: a campaign names the minerals it asks about",
    kinds=(TemplateKind.EMRT, TemplateKind.AMRT),
    example=Hit(
        "Declaration",
        "D12",
        "This inquiry asks about Cobalt and Lithium; the file picks Cobalt and Mica, so it says nothing about Lithium.",
        "Could you pick Lithium in the Declaration (cells D12:G13), answer its questions, and send the file again?",
        "Lithium",
    ),
)
def asked_mineral_not_picked(context: Context):
    layout, response = context.layout, context.response
    if layout is None or not layout.mineral_selection_cells or context.minerals is None:
        return
    picked = {mineral.casefold() for mineral in response.minerals}
    first, last = layout.mineral_selection_cells[0], layout.mineral_selection_cells[-1]
    for mineral in context.minerals:
        if mineral.casefold() in picked:
            continue
        yield Hit(
            "Declaration",
            first,
            f"This inquiry asks about {', '.join(context.minerals)}; the file picks "
            f"{', '.join(response.minerals) or 'no mineral'}, so it says nothing about {mineral}.",
            f"Could you pick {mineral} in the Declaration (cells {first}:{last}), answer its questions, "
            "and send the file again?",
            mineral,
        )
