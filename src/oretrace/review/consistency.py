"""Answers that contradict each other, or the Smelter List (S2 v3_validator cross-checks, 6.x numbering)."""

from __future__ import annotations

from oretrace.review.registry import Context, Hit, rule
from oretrace.review.wording import rows_text
from oretrace.rmi.model import SMELTER_NOT_YET_IDENTIFIED

FULL_RESPONSE = frozenset({"100%", "Yes, 100%", "Yes"})  # 6.x, 3.x, 2.x wording


def _at(context: Context, mineral: str, topic: str, message: str, question: str) -> Hit | None:
    answer = context.answer(mineral, topic)
    if answer is None:
        return None
    return Hit(answer.answer.sheet, answer.answer.address, message, question, mineral)


@rule(
    "covered-countries-no-without-full-knowledge",
    severity="warning",
    title="“No covered-country sourcing” while not all suppliers answered or not all smelters are known",
    for_supplier="Your file rules out the DRC and its neighbours while not all your suppliers have answered or not all smelters are known.",
    source="S2 CFSI 3.01 validator cross-check (Q3 “No” with Q5 not 100% or Q6 “No”, in 3.x numbering)",
    example=Hit(
        "Declaration",
        "D39",
        "Q3 for Tin is “No”, but Q6 is “Greater than 75%”: the supplier cannot know that no smelter sources from the covered countries.",
        "How can you exclude the covered countries for Tin while not all suppliers have answered (Q6) and not all smelters are identified (Q7)?",
        "Tin",
    ),
)
def covered_countries_no_without_full_knowledge(context: Context):
    for mineral in context.response.minerals:
        if context.value(mineral, "covered_countries") != "No":
            continue
        reasons = []
        rate = context.answer(mineral, "supplier_response_rate")
        if rate is not None and rate.value and rate.value not in FULL_RESPONSE:
            reasons.append(f"{rate.question} is “{rate.value}”")
        identified = context.answer(mineral, "all_smelters_identified")
        if identified is not None and identified.value == "No":
            reasons.append(f"{identified.question} is “No”")
        if not reasons:
            continue
        q3 = context.answer(mineral, "covered_countries")
        hit = _at(
            context,
            mineral,
            "covered_countries",
            f"{q3.question} for {mineral} is “No”, but {' and '.join(reasons)}: the supplier cannot know that no "
            "smelter sources from the covered countries.",
            f"How can you exclude the covered countries for {mineral} while not all suppliers have answered "
            "and not all smelters are identified? Should the answer be “Unknown”?",
        )
        if hit:
            yield hit


@rule(
    "covered-countries-yes-cahra-no",
    severity="warning",
    title="Covered-country sourcing but no CAHRA sourcing",
    for_supplier="Your file reports sourcing from the DRC or its neighbours, but none from conflict-affected and high-risk areas, which include them.",
    source="RMI country risk levels: the DRC and its neighbours are Level 3 CAHRAs",
    example=Hit(
        "Declaration",
        "D45",
        "Q3 for Tin is “Yes” (covered countries) but Q4 is “No” (no conflict-affected and high-risk areas); the covered countries are themselves high-risk areas.",
        "Please review Q4 for Tin: sourcing from the DRC or its neighbours is sourcing from a conflict-affected and high-risk area.",
        "Tin",
    ),
)
def covered_countries_yes_cahra_no(context: Context):
    for mineral in context.response.minerals:
        if context.value(mineral, "covered_countries") == "Yes" and context.value(mineral, "cahra") == "No":
            q3, q4 = context.answer(mineral, "covered_countries"), context.answer(mineral, "cahra")
            hit = _at(
                context,
                mineral,
                "cahra",
                f"{q3.question} for {mineral} is “Yes” (covered countries) but {q4.question} is “No” (no "
                "conflict-affected and high-risk areas); the covered countries are themselves high-risk areas.",
                f"Please review {q4.question} for {mineral}: sourcing from the DRC or its neighbours is sourcing "
                "from a conflict-affected and high-risk area.",
            )
            if hit:
                yield hit


@rule(
    "recycled-claim-not-supported",
    severity="warning",
    title="100% recycled or scrap, but the smelters are not all recyclers",
    for_supplier="Your file says a mineral is 100% recycled or scrap, but not all the smelters you list say so.",
    source="CMRT 6.x Q5 against Smelter List column P (100% recycled feedstock)",
    example=Hit(
        "Declaration",
        "D53",
        "Q5 for Tungsten is “Yes” (100% recycled or scrap), but 3 of 4 Tungsten smelters do not say “Yes” to 100% recycled feedstock (column P).",
        "How is the Tungsten 100% recycled when smelters in rows 5, 6, 8 do not process only recycled or scrap material?",
        "Tungsten",
    ),
)
def recycled_claim_not_supported(context: Context):
    if context.smelter_column("recycled_or_scrap") is None:
        return
    for mineral in context.response.minerals:
        if context.value(mineral, "all_recycled") != "Yes":
            continue
        rows = context.smelters_for(mineral)
        # Only an explicit "No"/"Unknown" in column P contradicts Q5; a blank P says nothing.
        others = [row for row in rows if row.recycled_or_scrap and row.recycled_or_scrap.casefold() != "yes"]
        if not others:
            continue
        q5 = context.answer(mineral, "all_recycled")
        shown = ", ".join(str(r.row) for r in others[:8])
        hit = _at(
            context,
            mineral,
            "all_recycled",
            f"{q5.question} for {mineral} is “Yes” (100% recycled or scrap), but {len(others)} of {len(rows)} "
            f"{mineral} smelters do not say “Yes” to 100% recycled feedstock (column P).",
            f"How is the {mineral} 100% recycled when smelters in rows {shown} do not process only recycled or "
            "scrap material?",
        )
        if hit:
            yield hit


@rule(
    "all-identified-but-unidentified-smelters",
    severity="warning",
    title="“All smelters identified” with “Smelter not yet identified” rows",
    for_supplier="Your file says all smelters are identified, but lists rows with “Smelter not yet identified”.",
    source="CMRT 6.x Q7 against the Smelter List",
    example=Hit(
        "Declaration",
        "D63",
        "Q7 for Tin is “Yes” (all smelters identified), but row 14 reports “Smelter not yet identified”.",
        "Have all Tin smelters been identified? Please name the smelters in row 14 or answer Q7 “No”.",
        "Tin",
    ),
)
def all_identified_but_unidentified_smelters(context: Context):
    for mineral in context.response.minerals:
        if context.value(mineral, "all_smelters_identified") != "Yes":
            continue
        rows = [
            row.row
            for row in context.smelters_for(mineral)
            if row.lookup_name and row.lookup_name.casefold() == SMELTER_NOT_YET_IDENTIFIED.casefold()
        ]
        if not rows:
            continue
        q7 = context.answer(mineral, "all_smelters_identified")
        shown = rows_text(rows)
        verb = "reports" if len(rows) == 1 else "report"
        hit = _at(
            context,
            mineral,
            "all_smelters_identified",
            f"{q7.question} for {mineral} is “Yes” (all smelters identified), but {shown} {verb} "
            "“Smelter not yet identified”.",
            f"Have all {mineral} smelters been identified? Please name the smelters in {shown} or answer "
            f"{q7.question} “No”.",
        )
        if hit:
            yield hit


@rule(
    "policy-public-without-policy",
    severity="warning",
    title="A public policy, but no policy",
    for_supplier="Your file says your policy is on your website, and also that you have no policy.",
    source="CMRT company questions A and B",
    example=Hit(
        "Declaration",
        "D77",
        "Question B says the sourcing policy is on the website, but question A says there is no policy.",
        "Do you have a responsible minerals sourcing policy? Please correct question A or B.",
    ),
)
def policy_public_without_policy(context: Context):
    policy, public = context.company_question("policy"), context.company_question("policy_public")
    if policy is None or public is None or policy.value != "No" or public.value != "Yes":
        return
    yield Hit(
        public.answer.sheet,
        public.answer.address,
        f"Question {public.question} says the sourcing policy is on the website, but question {policy.question} "
        "says there is no policy.",
        f"Do you have a responsible minerals sourcing policy? Please correct question {policy.question} or "
        f"{public.question}.",
    )
