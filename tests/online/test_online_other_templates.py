"""The online form fills in every template the writer does (EMRT 2.x, CRT 2.2, AMRT 1.3 as well as the
CMRT): the answers read back exactly, a complete set leaves the Checker at 0 (ours and LibreOffice's)
with no error for the supplier to correct, and the form asks what each template asks."""

from __future__ import annotations

import dataclasses

import pytest

from libreoffice import recalculated_copy
from online_answers import complete_amrt_answers, complete_crt_answers, complete_emrt_answers
from oretrace.errors import BadInput
from oretrace.online import (
    check_answers,
    declaration_from_response,
    findings_for_step,
    step_named,
    steps_for,
    write_response,
)
from oretrace.online.questions import question_texts
from oretrace.rmi import read_template
from oretrace.rmi.labels import template_labels
from oretrace.rmi.writer import DeclaredMine, DeclaredSmelter, blank_layout
from oretrace.rollup.analyse import AnalysisSettings
from samples import TEMPLATES, shared_file

CASES = {
    "RMI_EMRT_2.1.xlsx": complete_emrt_answers,
    "RMI_CRT_2.2.xlsx": complete_crt_answers,
    "RMI_AMRT_1.3.xlsx": complete_amrt_answers,
}


def _blank(name: str) -> bytes:
    return shared_file(TEMPLATES / name).read_bytes()


@pytest.mark.parametrize("name", CASES)
def test_written_answers_read_back_as_the_same_answers(name):
    blank, answers = _blank(name), CASES[name]()
    again = declaration_from_response(
        read_template(write_response(blank, answers, AnalysisSettings())), blank_layout(blank)
    )
    # A listed smelter reads back with the name and country its template's look-up fills in.
    assert [(s.metal, s.smelter_id) for s in again.smelters] == [
        (s.metal, s.smelter_id) for s in answers.smelters
    ]
    assert again == dataclasses.replace(answers, smelters=again.smelters)


@pytest.mark.parametrize("name", CASES)
def test_a_complete_answer_set_gives_checker_0_and_nothing_to_correct(name):
    checked = check_answers(_blank(name), CASES[name](), AnalysisSettings())
    assert checked.checker_missing == 0
    assert [(f.code, f.where) for f in checked.findings if f.severity == "error"] == []


@pytest.mark.parametrize("name", CASES)
def test_libreoffice_recalculates_checker_0_for_the_written_answers(name, tmp_path):
    path = tmp_path / name
    path.write_bytes(write_response(_blank(name), CASES[name](), AnalysisSettings()))
    assert read_template(recalculated_copy(path, tmp_path)).checker_cached == 0


def test_each_template_gets_the_steps_it_asks_for():
    slugs = {name: [s.slug for s in steps_for(blank_layout(_blank(name)))] for name in CASES}
    assert slugs == {
        "RMI_EMRT_2.1.xlsx": [
            "company",
            "scope",
            "minerals",
            "questions",
            "smelters",
            "mines",
            "products",
            "review",
        ],
        "RMI_CRT_2.2.xlsx": ["company", "scope", "minerals", "questions", "smelters", "products", "review"],
        # The AMRT asks no company questions.
        "RMI_AMRT_1.3.xlsx": ["company", "scope", "minerals", "smelters", "mines", "products", "review"],
    }


def test_the_mineral_picks_are_the_scope_steps_and_the_answers_rows_the_minerals_steps():
    blank = _blank("RMI_EMRT_2.1.xlsx")
    layout = blank_layout(blank)
    answers = complete_emrt_answers()
    mica = {q: a for q, a in answers.answers["Mica"].items() if q != "Q1"}
    checked = check_answers(
        blank, dataclasses.replace(answers, answers={**answers.answers, "Mica": mica}), AnalysisSettings()
    )
    on_minerals = findings_for_step(checked.findings, step_named("minerals", layout), layout)
    # Mica's Q1 is on the second of the ten rows below Q1's header (row 29): picks sort alphabetically.
    assert ("Declaration", "D31", "Mica") in [(f.sheet, f.cell, f.mineral) for f in on_minerals]
    assert checked.checker_missing == 1
    amrt = blank_layout(_blank("RMI_AMRT_1.3.xlsx"))
    assert step_named("scope", amrt).cells(amrt) >= {"D9", "D12", "I13", "D15", "I16"}


def test_an_amrt_without_its_minerals_picked_cannot_be_written_and_says_so():
    answers = dataclasses.replace(complete_amrt_answers(), minerals=(), answers={}, smelters=(), mines=())
    with pytest.raises(BadInput, match="Name the minerals this AMRT declares"):
        check_answers(_blank("RMI_AMRT_1.3.xlsx"), answers, AnalysisSettings())


def test_the_questions_are_the_templates_own_words_in_the_suppliers_language():
    blank = _blank("RMI_EMRT_2.1.xlsx")
    layout = blank_layout(blank)
    labels = template_labels(blank)
    english, chinese = question_texts(labels, layout, "en"), question_texts(labels, layout, "zh-hans")
    assert english["Q1"].startswith("1) Is any of the specified mineral/metal intentionally added")
    assert chinese["Q1"].startswith("1) 是否在产品或生产流程中有意添加或使用任何指定矿产")
    assert english["C"].startswith("C. Do you require your direct suppliers to source the specified minerals")
    assert set(english) == {q.id for q in layout.questions} | {q.id for q in layout.company_questions}


def test_an_amrt_1_2_takes_its_smelters_typed_and_finds_nothing_to_correct_in_them():
    """AMRT 1.2 has no look-up: a smelter's name, country and ID are typed, and no rule asks for a
    look-up choice the template does not have."""
    answers = dataclasses.replace(
        complete_amrt_answers(),
        smelters=(
            DeclaredSmelter("Silver", "CID004700", "Attero Recycling Pvt Ltd", "INDIA"),
            DeclaredSmelter("Indium", None, "Harbin Indium Works", "CHINA"),
        ),
    )
    blank = _blank("RMI_AMRT_1.2.xlsx")
    checked = check_answers(blank, answers, AnalysisSettings())
    assert checked.checker_missing == 0
    assert [f.code for f in checked.findings if f.severity == "error"] == []
    again = declaration_from_response(
        read_template(write_response(blank, answers, AnalysisSettings())), blank_layout(blank)
    )
    assert again.smelters == answers.smelters


def test_an_emrt_2_file_starts_an_emrt_1_form_without_the_smelters_and_mines_it_cannot_hold():
    copper = DeclaredSmelter("Copper", None, "Atacama Copper Works", "CHILE")
    answers = complete_emrt_answers()
    answers = dataclasses.replace(
        answers,
        minerals=("Cobalt", "Copper", "Mica"),
        smelters=(*answers.smelters, copper),
        mines=(*answers.mines, DeclaredMine("Copper", "Escondida", None, "CHILE", copper.name)),
    )
    emrt_2 = read_template(write_response(_blank("RMI_EMRT_2.1.xlsx"), answers, AnalysisSettings()))
    blank = _blank("RMI_EMRT_1.3.xlsx")

    started = declaration_from_response(emrt_2, blank_layout(blank))

    assert [s.metal for s in started.smelters] == ["Cobalt", "Mica"] and started.mines == ()
    check_answers(blank, started, AnalysisSettings())  # the writer takes every answer carried over


def test_an_emrt_2_file_starts_an_emrt_1_form_with_question_4_for_cobalt_only_as_emrt_1_asks_it():
    emrt_2 = read_template(
        write_response(_blank("RMI_EMRT_2.1.xlsx"), complete_emrt_answers(), AnalysisSettings())
    )
    assert emrt_2.answers["Mica"]["Q4"].value == "No"

    started = declaration_from_response(emrt_2, blank_layout(_blank("RMI_EMRT_1.3.xlsx")))

    assert "Q4" in started.answers["Cobalt"] and "Q4" not in started.answers["Mica"]
