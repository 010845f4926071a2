"""Our own CMRT, derived from what the suppliers told us: Q1-Q8 per metal with the reasoning behind each.

A derived answer is a proposal. The analyst sees every answer with the reason it was given ("Q1 Tin =
Yes: 212 of 250 suppliers declared tin intentionally added or used"), confirms it or changes it with
``apply_overrides``; the reason of a changed answer says so and keeps what the rules had said.

The rules, per metal (CMRT 6.x wording, templates.md §1.3). "Suppliers" are those whose file could be
read; "suppliers in scope" for a metal are those that answered Q1 and Q2 Yes for it.

* Q1 intentionally added or used: Yes when any supplier answered Yes, else No. With no readable file
  there is nothing to derive from and the answer is left for the analyst.
* Q2 remains in the product: Yes when any supplier that answered Q1 Yes also answered Q2 Yes, else No.
  The CMRT 6.x Checker asks Q2 only when Q1 is Yes, and Q3-Q8 only when Q1 and Q2 are Yes; the answers
  it does not ask for are left blank.
* Q3 covered countries / Q4 conflict-affected and high-risk areas: Yes when any supplier in scope
  answered Yes, or any identified smelter of the metal is located in a Covered Country (Q3) or a
  CAHRA (Q4; Covered Countries count as CAHRA). Otherwise Unknown when any supplier in scope answered
  Unknown, when none answered at all, or when an unidentified smelter name is reported in such a country;
  otherwise No.
* Q5 100% recycled or scrap: No when any supplier in scope answered No or any supplier said (Smelter
  List column P) that an identified smelter is not 100% recycled or scrap. Yes only when there are
  identified smelters, every one is a recycler by the suppliers' column P, no smelter name is left
  unidentified, and no supplier in scope answered Unknown. Otherwise Unknown.
* Q6 response rate: the campaign's responses divided by the suppliers surveyed (the same for every
  metal, since a campaign surveys suppliers, not metals), mapped to the template's choices: 100%,
  Greater than 90% (strictly), Greater than 75%, Greater than 50%, 50% or less (at least one), None.
* Q7 all smelters identified: Yes only when every surveyed supplier responded, every supplier in
  scope answered Q7 Yes, no smelter name of the metal is left unidentified and at least one smelter
  was identified. A supplier that did not answer, or a name we could not match, means we have not
  identified all the smelters.
* Q8 all smelter information reported: Yes when the smelter list holds every identified smelter of
  the metal and, when there are unidentified names, those too (``include_unidentified``); No when
  unidentified names are left out.

The Smelter List holds the identified smelters (by CID) of every metal whose Q1 and Q2 are Yes; the
unidentified names only when the analyst chooses to list them, as "Smelter not listed" rows with the
name and country the suppliers gave.

Our EMRT, CRT and AMRT (``layout`` = the blank template's map) follow the same rules, question by
question through the topic each asks (rmi.layouts.QUESTION_TOPICS): the EMRT 2.x Q3 is the CMRT's
Q4 rule (conflict-affected and high-risk areas), the CRT's Q4 the CMRT's Q6 (response rate), and so
on; a supplier's answer is read from the question of the same topic in its own file, whatever its
kind and version. Where a template allows "Unknown" for Q1 or Q2 (EMRT, CRT, AMRT), Unknown is
derived when no supplier answered Yes and one answered Unknown; where it offers "Did not survey"
(EMRT 2.x, AMRT), that is the response rate when no supplier was surveyed. The later questions are
asked only once Q1 (and Q2, where the template has it) is Yes: a CRT has no "remains in the
product" question, so its suppliers in scope are those that use cobalt. Minerals: the kind's own
(EMRT 2.x all six, EMRT 1.x cobalt and mica, CRT cobalt); an AMRT declares those its suppliers'
files answered for, unless the minerals are given.

Company questions of an EMRT or CRT (templates.md §1.8) are not the CMRT's A-H, so each is shown
with where its answer comes from (``Derivation.company_answers``): the answer set for that kind in
the settings (``DeclarationSettings.kind_company_questions``); else, for the supplier survey, the
supplier files of that kind that were read (we survey with the template we received); else our
CMRT's answer to the question of the same topic (policy, due diligence, review, corrective action,
audited smelters - per mineral in scope where the EMRT asks it per mineral). A question none of these
answers is left blank and counted missing; the analyst answers or changes any of them with
``apply_overrides`` under ``COMPANY``. The AMRT has no company questions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from oretrace.declaration.settings import DeclarationSettings, ProductScope
from oretrace.errors import BadInput
from oretrace.review.wording import plural
from oretrace.rmi.layouts import CMRT6, YES_NO, Layout, QuestionSpec, layout_for
from oretrace.rmi.model import TemplateKind
from oretrace.rmi.writer import CompanyDeclaration, DeclaredMine, DeclaredSmelter, declared_minerals
from oretrace.rollup.countries import covered_country
from oretrace.rollup.model import Rollup, SmelterSummary, SupplierSummary, UnidentifiedName

METALS = CMRT6.minerals  # the Declaration's order: Tantalum, Tin, Gold, Tungsten
QUESTIONS = tuple(spec.id for spec in CMRT6.questions)
ALLOWED: Mapping[str, tuple[str, ...]] = {spec.id: spec.allowed for spec in CMRT6.questions}
RESPONSE_RATES = ALLOWED["Q6"]  # 100%, Greater than 90%, ..., None
# The key of ``apply_overrides`` under which our EMRT's or CRT's company questions are changed.
COMPANY = ""
# The topics that decide whether the later questions are asked: each must be answered Yes.
GATE_TOPICS = ("intentionally_added", "remains_in_product")
# CMRT 1.00-2.x ask Q1 as "necessary to the functionality or production", the ancestor of "intentionally
# added or used": their Q1 answers it.
_PREDECESSOR = {"intentionally_added": "necessary"}
# How many names a reason quotes before saying "and N more".
_QUOTED = 3


@dataclass(frozen=True)
class DerivedAnswer:
    metal: str
    question: str  # "Q1".."Q8"
    answer: str | None  # None: left blank (not asked, or nothing to derive from)
    reason: str
    changed: bool = False
    derived: str | None = None  # what the rules gave, kept when the analyst changed the answer
    derived_reason: str | None = None  # and why

    def __str__(self) -> str:
        return f"{self.question} {self.metal} = {self.answer or '(blank)'}: {self.reason}"


@dataclass(frozen=True)
class Derivation:
    """The declaration to write, and every answer with the reasoning shown for confirmation."""

    declaration: CompanyDeclaration
    answers: tuple[DerivedAnswer, ...]  # mineral by mineral in the Declaration's order, each question
    notes: tuple[str, ...]  # what the analyst should know that is not one answer's reason
    suppliers: tuple[str, ...]  # whose files the answers were derived from
    surveyed: int
    responded: int
    smelter_pool: tuple[DeclaredSmelter, ...]  # every smelter that may be listed, before scoping by Q1/Q2
    layout: Layout = CMRT6  # the template the declaration is for
    minerals: tuple[str, ...] = METALS  # the minerals declared, in the template's row order
    # EMRT / CRT company questions with where each answer came from; metal "" or the mineral (EMRT C).
    company_answers: tuple[DerivedAnswer, ...] = ()
    # The same, one per question before it is spread over the minerals in scope (EMRT C).
    company_basis: tuple[DerivedAnswer, ...] = ()
    # Every Mine List row that may be listed (EMRT 2.x, AMRT), before scoping by Q1/Q2 like the smelters.
    mine_pool: tuple[DeclaredMine, ...] = ()

    @property
    def kind(self) -> TemplateKind:
        return self.layout.kind

    def answer(self, metal: str, question: str) -> DerivedAnswer:
        for derived in self.answers:
            if derived.metal == metal and derived.question == question:
                return derived
        raise KeyError((metal, question))

    def find(self, metal: str, question: str) -> DerivedAnswer | None:
        """The answer (a company question's under ``COMPANY``), or None for a question the template does
        not ask about this mineral (EMRT 1.x Q4)."""
        if metal == COMPANY:
            return next((a for a in self.company_basis if a.question == question), None)
        try:
            return self.answer(metal, question)
        except KeyError:
            return None

    def missing(self) -> list[str]:
        """Answers the template's Checker will count as missing: Q1 always, the later questions once
        Q1 (and Q2, where the template asks it) is Yes (review/checker.py); company questions left
        blank. Left by a rule with nothing to go on, or by an override."""
        result = []
        for metal in self.minerals:
            given = {a.question: a.answer for a in self.answers if a.metal == metal}
            result += [f"{q} {metal}" for q in self.asked(metal, given) if not given.get(q)]
        result += [
            f"{a.question}{' ' + a.metal if a.metal else ''}" for a in self.company_answers if not a.answer
        ]
        return result

    def asked(self, metal: str, given: Mapping[str, str | None]) -> list[str]:
        """The questions the template asks about ``metal`` given the answers so far."""
        asked = []
        for spec in self.layout.questions:
            if spec.minerals and metal not in spec.minerals:
                continue
            asked.append(spec.id)
            if spec.topic in GATE_TOPICS and given.get(spec.id) != "Yes":
                break
        return asked

    def table(self) -> list[tuple[str, str, str, str]]:
        """(question, metal, answer, reason) rows, question by question, for the confirmation screen."""
        order = {spec.id: i for i, spec in enumerate(self.layout.questions)}
        metals = {m: i for i, m in enumerate(self.minerals)}
        rows = sorted(self.answers, key=lambda a: (order[a.question], metals.get(a.metal, 99)))
        return [(a.question, a.metal, a.answer or "", a.reason) for a in rows]

    @property
    def questions(self) -> tuple[str, ...]:
        return tuple(spec.id for spec in self.layout.questions)


def derive_declaration(
    rollup: Rollup,
    settings: DeclarationSettings,
    *,
    products: ProductScope | None = None,
    surveyed: int | None = None,
    responded: int | None = None,
    today: dt.date | None = None,
    layout: Layout = CMRT6,
    minerals: tuple[str, ...] = (),
) -> Derivation:
    """Our CMRT (or, with the ``layout`` of the blank template, our EMRT, CRT or AMRT) from a roll-up.

    ``surveyed``: how many suppliers were asked (default: every file in the roll-up); ``responded``: how
    many answered (default: the readable files). With ``products`` the declaration covers those part
    numbers only (scope B): it is derived from the files of the suppliers linked to them, and Q6 counts
    those suppliers. ``minerals``: those an EMRT 2.x or AMRT declares (default: see the module notes).
    """
    notes: list[str] = []
    if products is not None:
        rollup, surveyed, responded, product_notes = _product_subset(rollup, products, surveyed, responded)
        notes += product_notes
    readable = rollup.readable_suppliers
    responded = len(readable) if responded is None else responded
    surveyed = len(rollup.suppliers) if surveyed is None else surveyed
    if surveyed < 0 or responded < 0:
        raise BadInput("The numbers of suppliers surveyed and responded cannot be negative")
    if responded > surveyed:
        raise BadInput(f"{responded} suppliers responded but only {surveyed} were surveyed")
    unreadable = len(rollup.suppliers) - len(readable)
    if unreadable:
        notes.append(
            f"{unreadable} supplier file(s) could not be read and are not counted in any answer; "
            "see the roll-up's Suppliers sheet."
        )
    chosen = declared_minerals(layout, minerals or _answered_minerals(layout, readable))
    answers: list[DerivedAnswer] = []
    for metal in chosen:
        answers += _metal_answers(metal, rollup, readable, surveyed, responded, settings, layout)
    pool = _smelter_pool(rollup, settings, notes, chosen)
    company = settings.company.fields(scope="B" if products is not None else None, today=today)
    is_cmrt = layout.kind is TemplateKind.CMRT
    declaration = CompanyDeclaration(
        company=company,
        answers={},
        company_questions=dict(settings.company_questions) if is_cmrt else {},
        company_question_comments=dict(settings.company_question_comments) if is_cmrt else {},
        policy_url=settings.policy_url,
        products=products.products if products is not None else (),
        language=settings.language,
        kind=layout.kind,
        minerals=chosen if layout.mineral_selection_cells else (),
    )
    return _assemble(
        Derivation(
            declaration=declaration,
            answers=tuple(answers),
            notes=tuple(notes),
            suppliers=tuple(_label(s) for s in readable),
            surveyed=surveyed,
            responded=responded,
            smelter_pool=pool,
            layout=layout,
            minerals=chosen,
            company_basis=() if is_cmrt else _company_basis(layout, settings, readable),
            mine_pool=_mine_pool(rollup, chosen) if layout.mines else (),
        )
    )


def _answered_minerals(layout: Layout, suppliers: Sequence[SupplierSummary]) -> tuple[str, ...]:
    """An AMRT's default minerals: those the suppliers' AMRTs answered Q1 for (the kind's own otherwise)."""
    if layout.kind is not TemplateKind.AMRT:
        return ()
    answered = {
        mineral
        for s in suppliers
        if s.kind == layout.kind
        for mineral, questions in s.answers.items()
        if any(v not in (None, "") for v in questions.values())
    }
    if not answered:
        raise BadInput(
            "None of the suppliers' AMRTs answers for a mineral, so our AMRT has no minerals to declare; "
            "name them (up to 10)."
        )
    return tuple(sorted(answered))


def apply_overrides(
    derivation: Derivation, overrides: Mapping[str, Mapping[str, str | None]], *, note: str | None = None
) -> Derivation:
    """The derivation with the analyst's answers: ``{"Tin": {"Q7": "Yes"}}``; None blanks an answer.
    Our EMRT's or CRT's company questions are changed under ``COMPANY``: ``{"": {"B": "Yes"}}`` (a
    question asked per mineral, EMRT C, for every mineral in scope).

    Each changed answer's reason says it was changed by the analyst and what the rules had derived.
    """
    problems = []
    allowed = {spec.id: spec.allowed for spec in derivation.layout.questions}
    company_allowed = {spec.id: spec.allowed for spec in derivation.layout.company_questions}
    for metal, questions in overrides.items():
        if metal == COMPANY:
            problems += _company_override_problems(derivation, questions, company_allowed)
            continue
        if metal not in derivation.minerals:
            problems.append(f"unknown metal {metal!r} (one of {', '.join(derivation.minerals)})")
            continue
        for question, answer in questions.items():
            if question not in allowed:
                problems.append(f"{metal}: unknown question {question!r} ({', '.join(allowed)})")
            elif answer is not None and answer not in allowed[question]:
                choices = ", ".join(f'"{a}"' for a in allowed[question])
                problems.append(f'{question} for {metal}: "{answer}" is not one of {choices}')
    if problems:
        raise BadInput("Cannot change the answers: " + "; ".join(problems))
    answers = tuple(
        _changed(derived, overrides.get(derived.metal, {}), note) for derived in derivation.answers
    )
    basis = tuple(_changed(derived, overrides.get(COMPANY, {}), note) for derived in derivation.company_basis)
    return _assemble(replace(derivation, answers=answers, company_basis=basis))


def _changed(derived: DerivedAnswer, wanted: Mapping[str, str | None], note: str | None) -> DerivedAnswer:
    if derived.question not in wanted:
        return derived
    original = derived.derived if derived.changed else derived.answer
    original_reason = derived.derived_reason if derived.changed else derived.reason
    reason = f"changed by the analyst{': ' + note if note else ''} (derived: {original or '(blank)'}"
    reason += f", because {original_reason})"
    return replace(
        derived,
        answer=wanted[derived.question],
        reason=reason,
        changed=True,
        derived=original,
        derived_reason=original_reason,
    )


def _company_override_problems(
    derivation: Derivation, questions: Mapping[str, str | None], allowed: Mapping[str, tuple[str, ...]]
) -> list[str]:
    if not derivation.company_basis:
        return [
            f"the company questions of our {derivation.kind} are not derived"
            + (": they are the organisation's settings" if derivation.kind is TemplateKind.CMRT else "")
        ]
    problems = []
    for question, answer in questions.items():
        if question not in allowed:
            problems.append(f"unknown company question {question!r} ({', '.join(allowed)})")
        elif answer is not None and answer not in allowed[question]:
            choices = ", ".join(f'"{a}"' for a in allowed[question])
            problems.append(f'company question {question}: "{answer}" is not one of {choices}')
    return problems


# --- assembling the declaration from the answers -----------------------------------------------------


def _assemble(derivation: Derivation) -> Derivation:
    """The declaration's answers and smelter list from the (possibly changed) answers."""
    answers: dict[str, dict[str, str]] = {}
    for derived in derivation.answers:
        if derived.answer is not None:
            answers.setdefault(derived.metal, {})[derived.question] = derived.answer
    gates = [spec.id for spec in derivation.layout.questions if spec.topic in GATE_TOPICS]
    in_scope = [m for m in derivation.minerals if all(answers.get(m, {}).get(q) == "Yes" for q in gates)]
    smelters = tuple(s for s in derivation.smelter_pool if s.metal in in_scope)
    mines = tuple(m for m in derivation.mine_pool if m.metal in in_scope)
    declaration = replace(derivation.declaration, answers=answers, smelters=smelters, mines=mines)
    if derivation.company_basis:
        company_answers = _spread_over_minerals(derivation.layout, derivation.company_basis, in_scope)
        declaration = replace(
            declaration,
            company_questions={
                f"{a.question}:{a.metal}" if a.metal else a.question: a.answer
                for a in company_answers
                if a.answer
            },
        )
        derivation = replace(derivation, company_answers=company_answers)
    return replace(derivation, declaration=declaration)


def _spread_over_minerals(
    layout: Layout, basis: tuple[DerivedAnswer, ...], in_scope: list[str]
) -> tuple[DerivedAnswer, ...]:
    """A question the EMRT asks per mineral (C) answered for each mineral in scope; the template's
    Checker asks it of no other."""
    per_mineral = {spec.id for spec in layout.company_questions if spec.per_mineral_rows}
    spread = []
    for derived in basis:
        if derived.question in per_mineral:
            spread += [replace(derived, metal=mineral) for mineral in in_scope]
        else:
            spread.append(derived)
    return tuple(spread)


def _smelter_pool(
    rollup: Rollup, settings: DeclarationSettings, notes: list[str], minerals: tuple[str, ...]
) -> tuple[DeclaredSmelter, ...]:
    pool = []
    for metal in minerals:
        pool += [DeclaredSmelter(metal, s.smelter_id, s.name, s.country) for s in rollup.smelters_for(metal)]
        names = [u for u in rollup.unidentified if u.metal == metal]
        if not names:
            continue
        if not settings.include_unidentified:
            notes.append(
                f"{len(names)} {metal.lower()} smelter name(s) could not be identified and are not listed "
                "(set include_unidentified to list them as 'Smelter not listed')."
            )
            continue
        usable = [u for u in names if u.name and u.country]
        pool += [DeclaredSmelter(metal, None, u.name, u.country) for u in usable]
        if len(usable) < len(names):
            notes.append(
                f"{len(names) - len(usable)} unidentified {metal.lower()} name(s) have no name or no country "
                "and cannot be listed: the template needs both for a 'Smelter not listed' row."
            )
    return tuple(pool)


def _mine_pool(rollup: Rollup, minerals: tuple[str, ...]) -> tuple[DeclaredMine, ...]:
    """The suppliers' mines of the declared minerals as our Mine List: one row per mine and smelter it
    supplies (as the suppliers wrote it), or one row without a smelter where none was named."""
    rows = []
    for mineral in minerals:
        for mine in rollup.mines_for(mineral):
            rows += [
                DeclaredMine(mineral, mine.name, mine.mine_id, mine.country, smelter)
                for smelter in mine.smelters or (None,)
            ]
    return tuple(rows)


# --- the rules ----------------------------------------------------------------------------------


def _metal_answers(
    metal: str,
    rollup: Rollup,
    suppliers: Sequence[SupplierSummary],
    surveyed: int,
    responded: int,
    settings: DeclarationSettings,
    layout: Layout = CMRT6,
) -> list[DerivedAnswer]:
    """The answers for one mineral, question by question of ``layout``: each rule is found by the
    question's topic, written in the CMRT's numbers, and renumbered to the template's question."""

    def said(supplier: SupplierSummary, cmrt_question: str) -> str | None:
        question = _supplier_question(supplier, cmrt_question)
        value = supplier.answers.get(metal, {}).get(question) if question else None
        return str(value).strip() if value not in (None, "") else None

    smelters = rollup.smelters_for(metal)
    unidentified = [u for u in rollup.unidentified if u.metal == metal]
    word = metal.lower()
    specs = [spec for spec in layout.questions if not spec.minerals or metal in spec.minerals]
    using = [s for s in suppliers if _is(said(s, "Q1"), "Yes")]
    asks_remains = any(spec.topic == "remains_in_product" for spec in specs)
    in_scope = [s for s in using if _is(said(s, "Q2"), "Yes")] if asks_remains else using
    counts = {q: _tally(said(s, q) for s in in_scope) for q in ("Q3", "Q4", "Q5", "Q7")}

    def rule(spec: QuestionSpec) -> DerivedAnswer:
        topic = spec.topic
        if topic == "intentionally_added":
            return _q1(metal, word, suppliers, said, smelters, spec.allowed)
        if topic == "remains_in_product":
            return _q2(metal, word, using, said, spec.allowed)
        if topic == "covered_countries":
            located = [s for s in smelters if s.covered_country]
            there = [u for u in unidentified if covered_country(u.country)]
            return _origin(metal, "Q3", counts["Q3"], len(in_scope), located, there, "in a Covered Country")
        if topic == "cahra":
            located = [s for s in smelters if s.cahra or s.covered_country]
            there = [u for u in unidentified if covered_country(u.country)]
            where = "in a conflict-affected or high-risk area"
            return _origin(metal, "Q4", counts["Q4"], len(in_scope), located, there, where)
        if topic == "all_recycled":
            return _q5(metal, counts["Q5"], len(in_scope), smelters, unidentified)
        if topic == "supplier_response_rate":
            return _q6(metal, surveyed, responded, spec.allowed)
        if topic == "all_smelters_identified":
            return _q7(metal, word, counts["Q7"], len(in_scope), surveyed, responded, smelters, unidentified)
        if topic == "all_smelters_reported":
            return _q8(metal, word, smelters, unidentified, settings.include_unidentified)
        raise BadInput(f"oretrace has no rule for {layout.family} {spec.id} ({topic or 'no topic'})")

    result: list[DerivedAnswer] = []
    gate: DerivedAnswer | None = None
    for spec in specs:
        if gate is not None:
            result.append(DerivedAnswer(metal, spec.id, None, _not_asked(layout, gate)))
            continue
        derived = replace(rule(spec), question=spec.id)
        result.append(derived)
        if spec.topic in GATE_TOPICS and derived.answer != "Yes":
            gate = derived
    return result


def _not_asked(layout: Layout, gate: DerivedAnswer) -> str:
    if gate.answer is None:
        return f"not derived: {gate.question} has no answer"
    return f"not asked: {gate.question} is {gate.answer} ({layout.family} asks the later questions only when it is Yes)"


def _supplier_question(supplier: SupplierSummary, cmrt_question: str) -> str | None:
    """The question of the supplier's own template that asks what the CMRT 6.x asks in ``cmrt_question``."""
    if supplier.kind == TemplateKind.CMRT and (supplier.version or "").startswith("6"):
        return cmrt_question
    layout = layout_for(TemplateKind(supplier.kind), supplier.version or "") if supplier.kind else None
    if layout is None:
        return cmrt_question  # a file read under a map no longer registered: as the CMRT numbers it
    topic = CMRT6.question(cmrt_question).topic
    spec = layout.question_by_topic(topic) or layout.question_by_topic(_PREDECESSOR.get(topic, ""))
    return spec.id if spec else None


def _q1(metal, word, suppliers, said, smelters, allowed=YES_NO) -> DerivedAnswer:
    n = len(suppliers)
    if not n:
        return DerivedAnswer(
            metal, "Q1", None, "no supplier file could be read, so there is nothing to derive from"
        )
    tally = _tally(said(s, "Q1") for s in suppliers)
    if tally["yes"]:
        return DerivedAnswer(
            metal, "Q1", "Yes", f"{tally['yes']} of {n} suppliers declared {word} intentionally added or used"
        )
    reason = f"none of the {n} suppliers declared {word} intentionally added or used ({_breakdown(tally)})"
    if tally["unknown"] and "Unknown" in allowed:
        return DerivedAnswer(metal, "Q1", "Unknown", reason)
    if smelters:
        reason += f"; yet {len(smelters)} {word} smelter(s) were named, so check the suppliers' answers"
    return DerivedAnswer(metal, "Q1", "No", reason)


def _q2(metal, word, using, said, allowed=YES_NO) -> DerivedAnswer:
    tally = _tally(said(s, "Q2") for s in using)
    n = len(using)
    if tally["yes"]:
        return DerivedAnswer(
            metal,
            "Q2",
            "Yes",
            f"{tally['yes']} of the {n} suppliers using {word} said it remains in the product",
        )
    reason = f"none of the {n} suppliers using {word} said it remains in the product ({_breakdown(tally)})"
    return DerivedAnswer(
        metal, "Q2", "Unknown" if tally["unknown"] and "Unknown" in allowed else "No", reason
    )


def _origin(
    metal: str,
    question: str,
    tally: dict[str, int],
    n: int,
    located: list[SmelterSummary],
    unidentified_there: list[UnidentifiedName],
    where: str,
) -> DerivedAnswer:
    if tally["yes"] or located:
        parts = []
        if tally["yes"]:
            parts.append(f"{tally['yes']} of {n} suppliers in scope answered Yes")
        if located:
            parts.append(f"{len(located)} identified smelter(s) {where}: {_names(s.name for s in located)}")
        return DerivedAnswer(metal, question, "Yes", "; ".join(parts))
    if tally["unknown"]:
        return DerivedAnswer(
            metal,
            question,
            "Unknown",
            f"{tally['unknown']} of {n} suppliers in scope answered Unknown and none Yes; "
            f"no identified smelter is {where}",
        )
    if tally["answered"] == 0:
        return DerivedAnswer(metal, question, "Unknown", f"none of the {n} suppliers in scope answered")
    if unidentified_there:
        return DerivedAnswer(
            metal,
            question,
            "Unknown",
            f"suppliers answered No, but {len(unidentified_there)} smelter name(s) that could not be identified "
            f"are reported {where}: {_names(u.name or '(no name)' for u in unidentified_there)}",
        )
    return DerivedAnswer(
        metal,
        question,
        "No",
        f"{_breakdown(tally)} of {n} suppliers in scope; none of the identified smelters is {where}",
    )


def _q5(metal, tally, n, smelters, unidentified) -> DerivedAnswer:
    not_recycled = [s for s in smelters if s.recycler is False]
    if tally["no"] or not_recycled:
        parts = []
        if tally["no"]:
            parts.append(f"{tally['no']} of {n} suppliers in scope answered No")
        if not_recycled:
            parts.append(
                f"{len(not_recycled)} identified smelter(s) are not 100% recycled or scrap according to "
                f"the suppliers: {_names(s.name for s in not_recycled)}"
            )
        return DerivedAnswer(metal, "Q5", "No", "; ".join(parts))
    recyclers = [s for s in smelters if s.recycler]
    if smelters and len(recyclers) == len(smelters) and not unidentified and not tally["unknown"]:
        return DerivedAnswer(
            metal,
            "Q5",
            "Yes",
            f"all {len(smelters)} identified smelters are recyclers according to the suppliers",
        )
    gaps = []
    if not smelters:
        gaps.append("no smelter was identified")
    elif len(recyclers) < len(smelters):
        gaps.append(
            f"{len(smelters) - len(recyclers)} of {len(smelters)} identified smelters are not known recyclers"
        )
    if unidentified:
        gaps.append(f"{len(unidentified)} smelter name(s) could not be identified")
    if tally["unknown"]:
        gaps.append(f"{tally['unknown']} of {n} suppliers in scope answered Unknown")
    return DerivedAnswer(metal, "Q5", "Unknown", "; ".join(gaps))


def response_rate_choice(surveyed: int, responded: int) -> str:
    """The CMRT 6.x Q6 choice for ``responded`` of ``surveyed`` suppliers (integer arithmetic: no rounding)."""
    if surveyed <= 0 or responded <= 0:
        return "None"
    if responded >= surveyed:
        return "100%"
    for threshold, choice in ((90, "Greater than 90%"), (75, "Greater than 75%"), (50, "Greater than 50%")):
        if responded * 100 > threshold * surveyed:
            return choice
    return "50% or less"


def _q6(metal, surveyed, responded, allowed=RESPONSE_RATES) -> DerivedAnswer:
    if not surveyed:
        answer = "Did not survey" if "Did not survey" in allowed else "None"
        return DerivedAnswer(metal, "Q6", answer, "no supplier was surveyed")
    return DerivedAnswer(
        metal,
        "Q6",
        response_rate_choice(surveyed, responded),
        f"{responded} of {surveyed} surveyed suppliers responded ({_percent(responded, surveyed)})",
    )


def _q7(metal, word, tally, n, surveyed, responded, smelters, unidentified) -> DerivedAnswer:
    gaps = []
    if responded < surveyed:
        gaps.append(f"{surveyed - responded} of {surveyed} surveyed suppliers did not respond")
    if tally["no"]:
        gaps.append(f"{tally['no']} of {n} suppliers in scope answered No")
    blank = n - tally["answered"]
    if blank:
        gaps.append(f"{blank} of {n} suppliers in scope did not answer")
    if unidentified:
        gaps.append(f"{len(unidentified)} {word} smelter name(s) could not be identified")
    if not smelters:
        gaps.append(f"no {word} smelter was identified")
    if gaps:
        return DerivedAnswer(metal, "Q7", "No", "; ".join(gaps))
    return DerivedAnswer(
        metal,
        "Q7",
        "Yes",
        f"every surveyed supplier responded, all {n} suppliers in scope answered Yes and all "
        f"{len(smelters)} {word} smelter names were identified",
    )


def _q8(metal, word, smelters, unidentified, include_unidentified) -> DerivedAnswer:
    if unidentified and not include_unidentified:
        return DerivedAnswer(
            metal,
            "Q8",
            "No",
            f"{len(smelters)} identified {word} smelter(s) are listed, but {len(unidentified)} name(s) that "
            "could not be identified are left out",
        )
    listed = f"all {len(smelters)} identified {word} smelter(s) are listed"
    if unidentified:
        listed += f", and the {len(unidentified)} unidentified name(s) as 'Smelter not listed'"
    return DerivedAnswer(metal, "Q8", "Yes", listed)


# --- company questions of an EMRT or CRT -----------------------------------------------------------


def _company_basis(
    layout: Layout, settings: DeclarationSettings, suppliers: Sequence[SupplierSummary]
) -> tuple[DerivedAnswer, ...]:
    """Each company question of ``layout`` with its answer and where it came from (module notes)."""
    given = settings.kind_company_questions.get(str(layout.kind), {})
    unknown = sorted(set(given) - {spec.id for spec in layout.company_questions})
    if unknown:
        raise BadInput(
            f"{layout.kind} company question(s) {', '.join(unknown)} do not exist in the {layout.family} "
            f"(it asks {', '.join(spec.id for spec in layout.company_questions) or 'none'})"
        )
    cmrt_by_topic = {spec.topic: spec for spec in CMRT6.company_questions}
    basis = []
    for spec in layout.company_questions:
        if spec.id in given:
            answer = given[spec.id]
            if answer not in spec.allowed:
                choices = ", ".join(f'"{a}"' for a in spec.allowed)
                raise BadInput(
                    f'{layout.kind} company question {spec.id}: "{answer}" is not one of {choices}'
                )
            reason = f"set for the {layout.kind} in the settings"
        elif spec.topic == "supplier_survey":
            answer, reason = _survey_answer(layout, spec.allowed, suppliers)
        elif spec.topic in cmrt_by_topic and settings.company_questions.get(cmrt_by_topic[spec.topic].id):
            cmrt = cmrt_by_topic[spec.topic]
            answer = settings.company_questions[cmrt.id]
            reason = f"our CMRT's answer to its question {cmrt.id}, which asks the same ({spec.topic})"
            if answer not in spec.allowed:
                reason = (
                    f"our CMRT's answer to its question {cmrt.id}, {answer!r}, is not one of this template's"
                )
                answer = None
        else:
            answer = None
            reason = f"our CMRT asks nothing like it ({spec.topic}): give our {layout.kind}'s answer"
        basis.append(DerivedAnswer("", spec.id, answer, reason))
    return tuple(basis)


def _survey_answer(
    layout: Layout, allowed: tuple[str, ...], suppliers: Sequence[SupplierSummary]
) -> tuple[str | None, str]:
    """We survey with the template when our suppliers' answers came back in it."""
    of_kind = [s for s in suppliers if s.kind == layout.kind]
    if not of_kind:
        return None, (
            f"none of the {len(suppliers)} supplier files read is the {layout.kind}: "
            f"give our {layout.kind}'s answer"
        )
    return allowed[0], f"{len(of_kind)} of the {len(suppliers)} supplier files read are the {layout.kind}"


# --- product-level declarations -----------------------------------------------------------------


def _product_subset(
    rollup: Rollup, products: ProductScope, surveyed: int | None, responded: int | None
) -> tuple[Rollup, int, int | None, list[str]]:
    wanted = set(products.supplier_names)
    if not wanted:
        raise BadInput(
            "None of the part numbers is linked to a supplier: "
            + ", ".join(p.number for p in products.products)
        )
    notes = []
    if products.unlinked_parts:
        notes.append(
            f"{len(products.unlinked_parts)} part number(s) have no supplier linked and are listed without "
            f"data behind them: {_names(products.unlinked_parts)}"
        )
    subset = subset_rollup(rollup, wanted)
    found = {_label(s) for s in subset.suppliers} | {s.file_name for s in subset.suppliers}
    missing = sorted(wanted - found)
    if missing:
        notes.append(f"{plural(len(missing), 'linked supplier')} sent no file: {_names(missing)}")
    # A product-level Q6 asks about the suppliers of these parts: each linked supplier was surveyed.
    return subset, len(wanted) if surveyed is None else surveyed, responded, notes


def subset_rollup(rollup: Rollup, suppliers: Iterable[str]) -> Rollup:
    """The roll-up restricted to some suppliers (by company name or file name): their files, findings,
    and the smelters and unidentified names they reported."""
    wanted = set(suppliers)
    kept = tuple(s for s in rollup.suppliers if _label(s) in wanted or s.file_name in wanted)
    labels = {_label(s) for s in kept}

    def restrict(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(n for n in names if n in labels)

    return replace(
        rollup,
        suppliers=kept,
        findings=tuple(f for f in rollup.findings if f.file_name in {s.file_name for s in kept}),
        smelters=tuple(
            replace(s, suppliers=restrict(s.suppliers)) for s in rollup.smelters if restrict(s.suppliers)
        ),
        unidentified=tuple(
            replace(u, suppliers=restrict(u.suppliers)) for u in rollup.unidentified if restrict(u.suppliers)
        ),
    )


# --- helpers ------------------------------------------------------------------------------------


def _label(supplier: SupplierSummary) -> str:
    """The name the roll-up gives a supplier (SupplierSummary.label)."""
    return supplier.label


def _is(value: str | None, word: str) -> bool:
    return value is not None and value.casefold() == word.casefold()


def _tally(values: Iterable[str | None]) -> dict[str, int]:
    tally = {"yes": 0, "no": 0, "unknown": 0, "answered": 0, "blank": 0}
    for value in values:
        if value is None:
            tally["blank"] += 1
            continue
        tally["answered"] += 1
        key = value.casefold()
        if key in tally:
            tally[key] += 1
    return tally


def _breakdown(tally: dict[str, int]) -> str:
    parts = [f"{tally[k]} {label}" for k, label in (("no", "No"), ("unknown", "Unknown"), ("blank", "blank"))]
    return ", ".join(p for p in parts if not p.startswith("0 ")) or "no answers"


def _names(names: Iterable[str]) -> str:
    names = list(names)
    shown = ", ".join(names[:_QUOTED])
    return shown + (f" and {len(names) - _QUOTED} more" if len(names) > _QUOTED else "")


def _percent(part: int, whole: int) -> str:
    # Floor, not round: 899 of 1,000 is not "90%" in a list whose next step is "Greater than 90%".
    return f"{part * 100 // whole}%" if whole else "0%"
