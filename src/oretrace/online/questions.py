"""The questions the online form asks, in the template's own words (its hidden "L" sheet, rmi.labels)
and in the supplier's language; the review's English wording where a template does not translate one."""

from __future__ import annotations

from oretrace.review.wording import COMPANY_QUESTION_TOPICS, QUESTION_TOPICS
from oretrace.rmi.labels import Labels, label
from oretrace.rmi.layouts import CompanyQuestionSpec, Layout, QuestionSpec


def question_texts(labels: Labels, layout: Layout, language: str) -> dict[str, str]:
    """Question id ("Q1", "A", …) -> the question as the template's Declaration asks it."""
    specs: list[QuestionSpec | CompanyQuestionSpec] = [*layout.questions, *layout.company_questions]
    return {
        spec.id: label(labels, "Declaration", f"B{spec.header_row}", language) or _in_review_words(spec)
        for spec in specs
    }


def _in_review_words(spec: QuestionSpec | CompanyQuestionSpec) -> str:
    text = QUESTION_TOPICS.get(spec.topic) or COMPANY_QUESTION_TOPICS.get(spec.topic)
    if not text:
        return spec.id
    text = text.format(mineral="the mineral")
    return f"{spec.id}. {text[0].upper()}{text[1:]}"
