"""Complete sets of online answers: for a CMRT 6.x, one listed tin smelter, one gold smelter that is
not listed, gold and tin in scope, tantalum and tungsten not; and (below) for an EMRT 2.x, a CRT 2.2
and an AMRT 1.3, each leaving its template's Checker at 0."""

from __future__ import annotations

import datetime as dt

from oretrace.rmi.model import TemplateKind
from oretrace.rmi.writer import CompanyDeclaration, DeclaredMine, DeclaredProduct, DeclaredSmelter

IN_SCOPE = {
    "Q1": "Yes",
    "Q2": "Yes",
    "Q3": "No",
    "Q4": "No",
    "Q5": "No",
    "Q6": "100%",
    "Q7": "Yes",
    "Q8": "Yes",
}
COMPANY = {
    "name": "Harbin Small Parts Co., Ltd.",
    "declaration_scope": "A",
    "scope_description": None,
    "unique_id": "HSP-0042",
    "unique_id_authority": "Customer supplier number",
    "address": "8 Gongye Road, Harbin, China",
    "contact_name": "Li Wei",
    "contact_email": "li.wei@hsp.example",
    "contact_phone": "+86 451 5555 0101",
    "authorizer_name": "Zhang Min",
    "authorizer_title": "General Manager",
    "authorizer_email": "zhang.min@hsp.example",
    "authorizer_phone": "+86 451 5555 0100",
    "effective_date": dt.date(2026, 11, 30),
}
COMPANY_QUESTIONS = {
    "A": "Yes",
    "B": "Yes",
    "C": "Yes",
    "D": "Yes",
    "E": "Yes, in conformance with IPC1755 (e.g., CMRT)",
    "F": "Yes",
    "G": "Yes",
    "H": "No",
}
LISTED_TIN = DeclaredSmelter("Tin", "CID000292")
UNLISTED_GOLD = DeclaredSmelter("Gold", None, "Harbin Gold Refinery", "CHINA")


def complete_answers() -> CompanyDeclaration:
    return CompanyDeclaration(
        company=dict(COMPANY),
        answers={
            "Gold": dict(IN_SCOPE),
            "Tin": dict(IN_SCOPE),
            "Tantalum": {"Q1": "No"},
            "Tungsten": {"Q1": "No"},
        },
        company_questions=dict(COMPANY_QUESTIONS),
        answer_comments={"Tin": {"Q3": "Our solder supplier's smelters are all outside the region."}},
        company_question_comments={"H": "We file no disclosure of our own."},
        policy_url="https://hsp.example/minerals-policy",
        smelters=(LISTED_TIN, UNLISTED_GOLD),
        products=(DeclaredProduct("HSP-100", "Brass fitting"),),
    )


# --- the other templates the online form fills in ------------------------------------------------

EMRT_IN_SCOPE = {"Q1": "Yes", "Q2": "Yes", "Q3": "No", "Q4": "No", "Q5": "100%", "Q6": "Yes", "Q7": "Yes"}
EMRT_COBALT = DeclaredSmelter("Cobalt", "CID003875")  # in the EMRT 2.1's look-up
UNLISTED_MICA = DeclaredSmelter("Mica", None, "Jharkhand Mica Works", "INDIA")
KAMOTO = DeclaredMine("Cobalt", "Kamoto", None, "CONGO, DEMOCRATIC REPUBLIC OF THE", None)


def complete_emrt_answers() -> CompanyDeclaration:
    """An EMRT 2.x declaration for cobalt and mica, with a mine in the DR Congo."""
    return CompanyDeclaration(
        company=dict(COMPANY),
        kind=TemplateKind.EMRT,
        minerals=("Cobalt", "Mica"),
        answers={"Cobalt": dict(EMRT_IN_SCOPE), "Mica": dict(EMRT_IN_SCOPE)},
        company_questions={
            "A": "Yes",
            "B": "Yes",
            "C:Cobalt": "Yes",
            "C:Mica": "Yes, when more processors are validated",
            "D": "Yes",
            "E": "Yes, in conformance with IPC1755 (e.g. EMRT)",
            "F": "Yes",
            "G": "Yes",
        },
        company_question_comments={"C:Mica": "Few mica processors are audited yet."},
        policy_url="https://hsp.example/minerals-policy",
        smelters=(EMRT_COBALT, UNLISTED_MICA),
        mines=(KAMOTO,),
    )


def complete_crt_answers() -> CompanyDeclaration:
    """A CRT 2.2 declaration: cobalt from one listed refiner."""
    return CompanyDeclaration(
        company=dict(COMPANY),
        kind=TemplateKind.CRT,
        answers={"Cobalt": {"Q1": "Yes", "Q2": "No", "Q3": "No", "Q4": "100%", "Q5": "Yes", "Q6": "Yes"}},
        company_questions={**dict.fromkeys("ABCDEFHI", "Yes"), "G": "Yes, CRT"},
        policy_url="https://hsp.example/cobalt-policy",
        smelters=(DeclaredSmelter("Cobalt", "CID003264"),),  # Chemaf Etoile, in the CRT 2.2's look-up
    )


def complete_amrt_answers() -> CompanyDeclaration:
    """An AMRT 1.3 declaration for silver (from its list) and indium (an "Other" mineral)."""
    return CompanyDeclaration(
        company=dict(COMPANY),
        kind=TemplateKind.AMRT,
        minerals=("Indium", "Silver"),
        answers={"Silver": {"Q1": "Yes", "Q2": "100%"}, "Indium": {"Q1": "Yes", "Q2": "Greater than 90%"}},
        smelters=(
            DeclaredSmelter("Silver", "CID004700"),  # in the AMRT 1.3's look-up
            DeclaredSmelter("Indium", None, "Harbin Indium Works", "CHINA"),
        ),
        mines=(DeclaredMine("Silver", "Cerro Rico", None, "BOLIVIA (PLURINATIONAL STATE OF)", None),),
    )
