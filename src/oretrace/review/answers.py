"""The answers to the per-mineral and company questions: allowed values and the red flags they raise."""

from __future__ import annotations

import re

from oretrace.review.registry import Context, Hit, rule
from oretrace.rmi.model import Answer

SCOPES = {"A": "A. Company", "B": "B. Product (or List of Products)", "C": "C. User defined"}

# Q6 (6.x) and Q5 (3.x) answers meaning that half or fewer of the relevant suppliers answered:
# IntegrityNext marks such a CMRT red, S2's validator "below 50%".
LOW_RESPONSE = frozenset(
    {
        "50% or less",  # CMRT 6.x, EMRT, CRT, AMRT
        "None",
        "No, but greater than 25%",  # CMRT 3.x-5.x
        "No, but less than 25%",
        "No but > 25%",  # CMRT 2.x
        "No but < 25%",
        "No - none",
    }
)


def _answers(context: Context, topic: str):
    """(mineral, answer) for every mineral of the template whose layout has a question on ``topic``."""
    for mineral in context.response.minerals:
        answer = context.answer(mineral, topic)
        if answer is not None:
            yield mineral, answer


def _at(answer: Answer, message: str, question: str, mineral: str | None) -> Hit:
    return Hit(answer.answer.sheet, answer.answer.address, message, question, mineral)


@rule(
    "answer-not-allowed",
    severity="error",
    title="An answer that is not one of the template's choices",
    for_supplier="An answer in your file is not one of the choices the template offers.",
    source="S2 CFSI 3.01 validator (“Invalid Data”); the templates' data validations",
    example=Hit(
        "Declaration",
        "D38",
        "Q3 for Tin is answered “Probably not”; the template allows Yes, No, Unknown.",
        "Please choose one of the template's answers for Q3 (Tin) in Declaration!D38: Yes, No, Unknown.",
        "Tin",
    ),
)
def answer_not_allowed(context: Context):
    layout = context.layout
    if layout is None:
        return
    response = context.response
    scope = response.company.declaration_scope
    if scope.ref and scope.value and scope.value not in SCOPES:
        yield Hit(
            scope.sheet,
            scope.address,
            f"The declaration scope is “{scope.raw}”; the template allows {', '.join(SCOPES.values())}.",
            f"Please choose the declaration scope in {scope.ref} from the template's list.",
        )
    for spec in layout.questions:
        for mineral in response.minerals:
            answer = response.answers.get(mineral, {}).get(spec.id)
            if answer is None or answer.value is None or answer.value in spec.allowed:
                continue
            choices = ", ".join(spec.allowed)
            yield _at(
                answer,
                f"{spec.id} for {mineral} is answered “{answer.answer.raw}”; the template allows {choices}.",
                f"Please choose one of the template's answers for {spec.id} ({mineral}) in "
                f"{answer.answer.ref}: {choices}.",
                mineral,
            )
    for spec in layout.company_questions:
        keys = (
            [f"{spec.id}:{m}" for m in response.minerals[: spec.per_mineral_rows]]
            if spec.per_mineral_rows
            else [spec.id]
        )
        for key in keys:
            answer = response.company_questions.get(key)
            if answer is None or answer.value is None or answer.value in spec.allowed:
                continue
            choices = ", ".join(spec.allowed)
            yield _at(
                answer,
                f"Company question {spec.id} is answered “{answer.answer.raw}”; the template allows {choices}.",
                f"Please choose one of the template's answers for question {spec.id} in {answer.answer.ref}: "
                f"{choices}.",
                answer.mineral,
            )


@rule(
    "covered-countries-sourcing",
    severity="warning",
    title="High risk: smelters source from the DRC or an adjoining country",
    for_supplier="Your file says smelters in your supply chain source from the DRC or an adjoining country.",
    source="S2 CFSI 3.01 validator (“High Risk”); SEC Rule 13p-1 covered countries",
    example=Hit(
        "Declaration",
        "D39",
        "High risk: Q3 for Tin is “Yes”: smelters in the supply chain source Tin from the covered countries.",
        "Which smelters source Tin from the covered countries, and are they RMAP conformant?",
        "Tin",
    ),
)
def covered_countries_sourcing(context: Context):
    for mineral, answer in _answers(context, "covered_countries"):
        if answer.value == "Yes":
            yield _at(
                answer,
                f"High risk: {answer.question} for {mineral} is “Yes”: smelters in the supply chain source "
                f"{mineral} from the covered countries.",
                f"Which smelters source {mineral} from the covered countries, and are they RMAP conformant?",
                mineral,
            )


@rule(
    "covered-countries-unknown",
    severity="info",
    title="The supplier does not know whether the covered countries are a source",
    for_supplier="Your file answers “Unknown” to whether your smelters source from the DRC or an adjoining country.",
    source="S2 CFSI 3.01 validator (“Validation Needed”)",
    example=Hit(
        "Declaration",
        "D40",
        "Q3 for Gold is “Unknown”: the supplier does not know whether its smelters source from the covered countries.",
        "What is missing to determine whether your Gold smelters source from the covered countries, and when will you know?",
        "Gold",
    ),
)
def covered_countries_unknown(context: Context):
    for mineral, answer in _answers(context, "covered_countries"):
        if answer.value == "Unknown":
            yield _at(
                answer,
                f"{answer.question} for {mineral} is “Unknown”: the supplier does not know whether its "
                "smelters source from the covered countries.",
                f"What is missing to determine whether your {mineral} smelters source from the covered "
                "countries, and when will you know?",
                mineral,
            )


@rule(
    "cahra-sourcing",
    severity="warning",
    title="High risk: smelters source from conflict-affected and high-risk areas",
    for_supplier="Your file says smelters in your supply chain source from conflict-affected and high-risk areas.",
    source="CMRT 6.0 Q4 (CAHRA); OECD Due Diligence Guidance red flags",
    example=Hit(
        "Declaration",
        "D44",
        "High risk: Q4 for Tantalum is “Yes”: smelters source Tantalum from conflict-affected and high-risk areas.",
        "Which smelters source Tantalum from conflict-affected and high-risk areas, from which areas, and what due diligence covers them?",
        "Tantalum",
    ),
)
def cahra_sourcing(context: Context):
    for mineral, answer in _answers(context, "cahra"):
        if answer.value == "Yes":
            yield _at(
                answer,
                f"High risk: {answer.question} for {mineral} is “Yes”: smelters source {mineral} from "
                "conflict-affected and high-risk areas.",
                f"Which smelters source {mineral} from conflict-affected and high-risk areas, from which "
                "areas, and what due diligence covers them?",
                mineral,
            )


@rule(
    "supplier-response-low",
    severity="warning",
    title="Half or fewer of the relevant suppliers responded",
    for_supplier="Your file says half or fewer of your own relevant suppliers have answered you.",
    source="IntegrityNext (red when fewer than 50% responded); S2 validator",
    example=Hit(
        "Declaration",
        "D57",
        "Q6 for Tin is “50% or less”: half or fewer of the relevant suppliers have responded.",
        "How do you follow up with the suppliers who have not responded for Tin, and when do you expect their answers?",
        "Tin",
    ),
)
def supplier_response_low(context: Context):
    for mineral, answer in _answers(context, "supplier_response_rate"):
        if answer.value in LOW_RESPONSE:
            yield _at(
                answer,
                f"{answer.question} for {mineral} is “{answer.value}”: half or fewer of the relevant "
                "suppliers have responded.",
                f"How do you follow up with the suppliers who have not responded for {mineral}, and when do "
                "you expect their answers?",
                mineral,
            )


@rule(
    "smelters-not-all-identified",
    severity="warning",
    title="Not all smelters have been identified",
    for_supplier="Your file says not all smelters in your supply chain have been identified yet.",
    source="S2 CFSI 3.01 validator (Q7 = “No”)",
    example=Hit(
        "Declaration",
        "D63",
        "Q7 for Tin is “No”: not all smelters supplying Tin have been identified.",
        "Which share of your Tin supply is still unidentified, and when will the missing smelters be known?",
        "Tin",
    ),
)
def smelters_not_all_identified(context: Context):
    for mineral, answer in _answers(context, "all_smelters_identified"):
        if answer.value == "No":
            yield _at(
                answer,
                f"{answer.question} for {mineral} is “No”: not all smelters supplying {mineral} have been "
                "identified.",
                f"Which share of your {mineral} supply is still unidentified, and when will the missing "
                "smelters be known?",
                mineral,
            )


@rule(
    "smelter-information-not-all-reported",
    severity="warning",
    title="Not all smelter information received has been reported",
    for_supplier="Your file says not all the smelter information you received is reported in it.",
    source="CMRT 6.x Q8",
    example=Hit(
        "Declaration",
        "D69",
        "Q8 for Tin is “No”: not all smelter information received has been reported in this declaration.",
        "Please add the Tin smelters you know of to the Smelter List, or explain why they are left out.",
        "Tin",
    ),
)
def smelter_information_not_all_reported(context: Context):
    for mineral, answer in _answers(context, "all_smelters_reported"):
        if answer.value == "No":
            yield _at(
                answer,
                f"{answer.question} for {mineral} is “No”: not all smelter information received has been "
                "reported in this declaration.",
                f"Please add the {mineral} smelters you know of to the Smelter List, or explain why they are "
                "left out.",
                mineral,
            )


_URL = re.compile(
    r"^(?:(?:https?://|www\.)\S+|[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/?#]\S*)?)$", re.IGNORECASE
)


def looks_like_url(text: str) -> bool:
    return bool(_URL.match(text.strip()))


@rule(
    "policy-url-missing",
    severity="error",
    title="The policy is said to be public but no URL is given",
    for_supplier="Your file says your sourcing policy is on your website, but gives no web address.",
    source="CMRT 3.01+ Checker (URL when B = “Yes”); S2 validator",
    example=Hit(
        "Declaration",
        "G77",
        "Question B says the sourcing policy is on the website, but no URL is given in Declaration!G77.",
        "Please give the web address (URL) of your responsible minerals policy in Declaration!G77.",
    ),
)
def policy_url_missing(context: Context):
    public = context.company_question("policy_public")
    url = context.response.policy_url
    if public is None or url is None or public.value != "Yes" or url.value:
        return
    yield Hit(
        url.sheet,
        url.address,
        f"Question {public.question} says the sourcing policy is on the website, but no URL is given in {url.ref}.",
        f"Please give the web address (URL) of your responsible minerals policy in {url.ref}.",
    )


@rule(
    "policy-url-not-a-url",
    severity="warning",
    title="The policy “URL” is not a web address",
    for_supplier="What your file gives as the address of your sourcing policy is not a web address.",
    source="Real CMRT 6.4 files (a policy title instead of a URL)",
    example=Hit(
        "Declaration",
        "G77",
        "The policy URL in Declaration!G77 reads “Honeywell Conflict Minerals Policy”, which is not a web address.",
        "Please give the full web address (https://…) where your responsible minerals policy is published.",
    ),
)
def policy_url_not_a_url(context: Context):
    public = context.company_question("policy_public")
    url = context.response.policy_url
    if url is None or not url.value or (public is not None and public.value == "No"):
        return
    if looks_like_url(url.value):
        return
    yield Hit(
        url.sheet,
        url.address,
        f"The policy URL in {url.ref} reads “{url.value}”, which is not a web address.",
        "Please give the full web address (https://…) where your responsible minerals policy is published.",
    )
