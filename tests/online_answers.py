"""A complete set of online answers for a CMRT 6.x: one listed tin smelter, one gold smelter that
is not listed, gold and tin in scope, tantalum and tungsten not."""

from __future__ import annotations

import datetime as dt

from oretrace.rmi.writer import CompanyDeclaration, DeclaredProduct, DeclaredSmelter

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
