"""The words findings use for template fields and questions: the template's own English labels.

Labels come from the English column of the templates' hidden "L" sheet (CMRT 6.x), shortened
where the full question is a paragraph. Topics are the layout's language-free question names.
"""

from __future__ import annotations

COMPANY_LABELS = {
    "name": "Company Name",
    "declaration_scope": "Declaration Scope or Class",
    "scope_description": "Description of Scope",
    "unique_id": "Company Unique ID",
    "unique_id_authority": "Company Unique ID Authority",
    "address": "Address",
    "contact_name": "Contact Name",
    "contact_email": "Email – Contact",
    "contact_phone": "Phone – Contact",
    "authorizer_name": "Authorizer",
    "authorizer_title": "Title – Authorizer",
    "authorizer_email": "Email – Authorizer",
    "authorizer_phone": "Phone – Authorizer",
    "effective_date": "Effective Date",
}

QUESTION_TOPICS = {
    "intentionally_added": "is {mineral} intentionally added or used in the product(s) or in the production process?",
    "remains_in_product": "does any {mineral} remain in the product(s)?",
    "covered_countries": "do any of the smelters source {mineral} from the covered countries (the DRC and adjoining countries)?",
    "cahra": "do any of the smelters source {mineral} from conflict-affected and high-risk areas?",
    "all_recycled": "does 100 percent of the {mineral} come from recycled or scrap sources?",
    "supplier_response_rate": "what percentage of relevant suppliers have responded for {mineral}?",
    "all_smelters_identified": "have you identified all of the smelters supplying {mineral}?",
    "all_smelters_reported": "has all applicable smelter information received for {mineral} been reported?",
}

COMPANY_QUESTION_TOPICS = {
    "policy": "have you established a responsible minerals sourcing policy?",
    "policy_public": "is the policy publicly available on your website?",
    "require_audited_smelters": "do you require direct suppliers to source from audited smelters?",
    "due_diligence": "have you implemented due diligence measures for responsible sourcing?",
    "supplier_survey": "do you survey your relevant suppliers?",
    "review_against_expectations": "do you review due diligence information received against your expectations?",
    "corrective_action": "does your review process include corrective action management?",
    "annual_disclosure": "are you required to file an annual conflict minerals disclosure?",
}


def company_label(field_name: str) -> str:
    return COMPANY_LABELS.get(field_name, field_name.replace("_", " ").capitalize())


def question_label(question_id: str, topic: str, mineral: str | None) -> str:
    """ "Q3 (do any of the smelters source Tin from the covered countries …?)" """
    text = QUESTION_TOPICS.get(topic) or COMPANY_QUESTION_TOPICS.get(topic)
    if not text:
        return f"{question_id} for {mineral}" if mineral else f"question {question_id}"
    return f"{question_id} ({text.format(mineral=mineral or 'the mineral')})"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:8])
    more = f" and {len(rows) - 8} more" if len(rows) > 8 else ""
    return f"row {shown}" if len(rows) == 1 else f"rows {shown}{more}"
