"""The online template: /p/<token>/online/… (issue #14 A).

A supplier answers the campaign's template (CMRT 6.x, EMRT 1.x and 2.x, CRT 2.2, AMRT 1.2 and 1.3: every
family the writer fills in) in the browser, step by step. Every step is saved into the request's
OnlineDraft (a conditional update on its version: two tabs cannot overwrite each other silently) and
shows what the review finds on its cells: the answers are written into the campaign's blank template
and that file is reviewed as an upload is (oretrace.online). Checking works by a plain POST of the
step, and, with JavaScript, live through ``online_check`` while the supplier types. On submit the
file is written by the writer of our own CMRT and stored through the upload's intake, so the analyst
sees it like an upload.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache, wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oretrace.errors import OretraceError
from oretrace.online import (
    check_answers,
    declaration_from_dict,
    declaration_from_response,
    declaration_to_dict,
    findings_for_step,
    search_lookup,
    step_named,
    steps_for,
    write_response,
)
from oretrace.online.questions import question_texts
from oretrace.rmi import read_template
from oretrace.rmi.labels import template_countries, template_labels
from oretrace.rmi.writer import CompanyDeclaration, DeclaredSmelter, blank_layout, declared_minerals
from oretrace.web.campaigns import reference, storage, years
from oretrace.web.campaigns.intake import expected_supplier, store_file
from oretrace.web.campaigns.models import InvalidTransition
from oretrace.web.downloads import attachment
from oretrace.web.portal.models import OnlineDraft
from oretrace.web.portal.online_forms import (
    STEP_FORMS,
    FormTemplate,
    MineForm,
    ProductForm,
    UnlistedSmelterForm,
    mineral_name,
)
from oretrace.web.portal.views import _not_found, _page, _supplier_request

ONLINE_SUPPLIER = "supplier via online form"
SEARCH_RESULTS = 20


class NoOnlineForm(Exception):
    """This request's campaign has no blank template of its kind that the writer fills in."""


def _blank(found) -> bytes:
    campaign = found.campaign
    if not campaign.blank_template_sha256:
        raise NoOnlineForm
    try:
        data = campaign.blank_template_bytes()
        if data and str(_layout(data).kind) == campaign.template_kind:
            return data
    except (FileNotFoundError, OretraceError):
        pass
    raise NoOnlineForm


@lru_cache(maxsize=8)
def _layout(blank: bytes):
    """The blank template's cell map, worked out once per template a worker serves (every view of a
    step needs it several times, and working it out opens the workbook)."""
    return blank_layout(blank)


@lru_cache(maxsize=8)
def _lookup(blank: bytes):
    """The reference list the blank template carries (its Smelter Look-up), read once per template."""
    return read_template(blank).lookup


@lru_cache(maxsize=8)
def _template_words(blank: bytes) -> tuple[dict, tuple[str, ...]]:
    """The blank template's labels and country list, read once per template a worker serves."""
    return template_labels(blank), template_countries(blank)


def _form_template(blank: bytes, answers: CompanyDeclaration) -> FormTemplate:
    labels, countries = _template_words(blank)
    layout = _layout(blank)
    return FormTemplate.of(
        layout, answers, questions=question_texts(labels, layout, get_language() or "en"), countries=countries
    )


def online_available(found) -> bool:
    try:
        _blank(found)
    except NoOnlineForm:
        return False
    return True


def _online(view):
    """A view of the online form: the request must have a CMRT the form can fill in."""

    @wraps(view)
    @_supplier_request
    def wrapped(request, found, token, *args, **kwargs):
        try:
            blank = _blank(found)
        except NoOnlineForm:
            return _not_found(request, found, token)
        return view(request, found, token, blank, *args, **kwargs)

    return wrapped


def _draft(found) -> OnlineDraft | None:
    return OnlineDraft.objects.filter(request=found).first()


def _answers(draft: OnlineDraft | None, blank: bytes) -> CompanyDeclaration:
    return declaration_from_dict(draft.answers if draft else {}, _layout(blank))


def _check(found, blank: bytes, answers: CompanyDeclaration):
    """The review of the file the answers make, with the settings and supplier an upload gets; None
    with the writer's message when an answer cannot be written."""
    layout = _layout(blank)
    if layout.mineral_selection_cells and not _picks(layout, answers.minerals):
        # The writer's "Name the minerals …", said in the supplier's language (an AMRT picks none itself).
        return None, _("Choose the minerals this declaration covers first, on the scope step.")
    try:
        checked = check_answers(
            blank,
            answers,
            reference.analysis_settings(found.campaign),
            expected_supplier=expected_supplier(found.supplier),
        )
    except OretraceError as error:
        return None, error.message
    return checked, ""


def _step_links(token: str, steps, current: str):
    return [
        {
            "slug": s.slug,
            "number": number,
            "url": reverse("portal:online_step", kwargs={"token": token, "step": s.slug}),
            "current": s.slug == current,
        }
        for number, s in enumerate(steps, start=1)
    ]


def _step_page(request, found, token, blank, step, *, form=None, status=200, **extra):
    draft = _draft(found)
    if draft is None:
        return redirect("portal:online", token=token)
    answers = _answers(draft, blank)
    layout = _layout(blank)
    template = _form_template(blank, answers)
    checked, problem = _check(found, blank, answers)
    findings = findings_for_step(checked.findings, step, layout) if checked else []
    if form is None and step.slug in STEP_FORMS:
        form_class = STEP_FORMS[step.slug]
        form = form_class(initial=form_class.initial_from(answers, template), template=template)
    for key, empty_form in _list_forms(step.slug, template, answers).items():
        extra.setdefault(key, empty_form)
    steps = steps_for(layout)
    index = [s.slug for s in steps].index(step.slug)
    return _page(
        request,
        found,
        token,
        f"portal/online/{step.slug}.html",
        status=status,
        draft=draft,
        answers=answers,
        form=form,
        step=step,
        steps=_step_links(token, steps, step.slug),
        step_number=index + 1,
        next_step=steps[index + 1].slug if index + 1 < len(steps) else None,
        checker_missing=checked.checker_missing if checked else None,
        to_correct=[_shown(f) for f in findings if f.severity == "error"],
        to_explain=[_shown(f) for f in findings if f.severity == "warning"],
        check_problem=problem,
        minerals=template.minerals,
        picks_minerals=bool(layout.mineral_selection_cells),
        countries=template.countries,
        has_lookup=layout.lookup is not None,
        **extra,
    )


def _list_forms(slug: str, template: FormTemplate, answers: CompanyDeclaration) -> dict:
    """The empty form that adds a row to a list step (a page showing an invalid one keeps that one)."""
    if slug == "smelters":
        return {"unlisted_form": UnlistedSmelterForm(template=template)}
    if slug == "mines":
        return {"mine_form": MineForm(template=template, smelters=answers.smelters)}
    if slug == "products":
        return {"product_form": ProductForm()}
    return {}


def _shown(finding) -> dict:
    return {**finding.as_dict(), "where": finding.where}


@_online
def online_start(request, found, token, blank):
    """Where to start: an empty form, last year's file, or the file already uploaded this year."""
    draft = _draft(found)
    sources = _sources(found)
    if request.method == "POST":
        source = request.POST.get("source", "")
        if found.campaign.closed:
            error = _("This request is closed; answers can no longer be sent.")
        elif source not in sources:
            error = _("Choose where to start from.")
        else:
            answers, label, error = _starting_answers(
                sources[source], blank, found.campaign.minerals_in_scope()
            )
            if not error:
                error = _start(found, draft, answers, label, request.POST.get("version"))
            if not error:
                return redirect("portal:online_step", token=token, step=steps_for(_layout(blank))[0].slug)
        return _page(
            request,
            found,
            token,
            "portal/online/start.html",
            status=400,
            draft=draft,
            sources=sources,
            start_error=error,
        )
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return _page(request, found, token, "portal/online/start.html", draft=draft, sources=sources)


def _sources(found) -> dict:
    sources = {"empty": None}
    if found.latest_submission_id:
        sources["latest"] = found.latest_submission
    if last := years.last_years_file(found):
        sources["last_year"] = last
    return sources


def _starting_answers(
    submission, blank: bytes, asked: tuple[str, ...]
) -> tuple[CompanyDeclaration | None, str, str]:
    layout = _layout(blank)
    if submission is None:
        return (
            CompanyDeclaration(company={}, answers={}, kind=layout.kind, minerals=_picks(layout, asked)),
            "",
            "",
        )
    try:
        response = read_template(submission.file_bytes(), name=submission.filename)
    except (OretraceError, FileNotFoundError):
        return None, "", _("That file cannot be read any more; please start from an empty form.")
    if str(response.kind) != str(layout.kind):
        return (
            None,
            "",
            _("That file is not a %(kind)s; please start from an empty form.") % {"kind": layout.kind},
        )
    answers = declaration_from_response(response, layout, lookup=_lookup(blank))
    return answers, submission.filename, ""


def _picks(layout, asked: tuple[str, ...]) -> tuple[str, ...]:
    """An empty form's minerals, where the template has them picked: those the campaign asks about,
    when the template can hold them (else none, and the supplier picks)."""
    if not layout.mineral_selection_cells:
        return ()
    try:
        return declared_minerals(layout, asked)
    except OretraceError:
        return ()


def _start(found, draft, answers, label: str, version) -> str:
    data = declaration_to_dict(answers)
    if draft is None:
        try:
            with transaction.atomic():
                OnlineDraft.objects.create(request=found, answers=data, started_from=label)
            return ""
        except IntegrityError:
            draft = _draft(found)  # another tab started one a moment ago
    # No version: the page was opened before a draft existed, which another window has since started.
    edited = _draft_version(version)
    if edited is None or not draft.save_answers(data, edited_version=edited, started_from=label):
        return _(
            "Your answers were changed in another window; nothing was replaced. Reload this page to see them."
        )
    return ""


def _draft_version(value) -> int | None:
    """The draft's version a page was opened at, as it posts it; None when missing or not one a draft
    can have (a version is counted from 1, in a column that holds up to 2**31 - 1 on every database)."""
    version = _edited_version(value)
    return version if version is not None and 1 <= version < 2**31 else None


def _incomplete() -> str:
    return _("This page was sent incomplete; reload it and make your change again.")


def _edited_version(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@_online
def online_step(request, found, token, blank, step: str):
    found_step = step_named(step, _layout(blank))
    if found_step is None:
        return _not_found(request, found, token)
    if request.method == "POST":
        return _save_step(request, found, token, blank, found_step)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    extra = {}
    if found_step.slug == "smelters":
        extra = _smelter_search(
            request, blank, _form_template(blank, _answers(_draft(found), blank)).minerals
        )
    return _step_page(request, found, token, blank, found_step, **extra)


def _smelter_search(request, blank: bytes, minerals: tuple[str, ...]) -> dict:
    """The look-up's facilities matching the query, of the minerals the declaration covers."""
    query = request.GET.get("q", "").strip()[:100]
    metal = request.GET.get("metal", "")
    lookup = [e for e in _lookup(blank) if _declares(minerals, e.metal)]
    found = search_lookup(lookup, query, metal=metal or None, limit=SEARCH_RESULTS) if query else []
    return {"query": query, "query_metal": metal, "results": found}


def _save_step(request, found, token, blank, step):
    draft = _draft(found)
    if draft is None:
        return redirect("portal:online", token=token)
    if found.campaign.closed:
        return _step_page(
            request,
            found,
            token,
            blank,
            step,
            status=400,
            save_error=_("This request is closed; answers can no longer be sent."),
        )
    layout = _layout(blank)
    answers = _answers(draft, blank)
    changed, form, extra = _changed_answers(request, step, answers, layout, blank)
    if changed is None:
        return _step_page(request, found, token, blank, step, form=form, status=400, **extra)
    edited = _draft_version(request.POST.get("version"))
    if edited is None:
        return _step_page(request, found, token, blank, step, status=400, save_error=_incomplete())
    if not draft.save_answers(declaration_to_dict(changed), edited_version=edited):
        return _step_page(
            request,
            found,
            token,
            blank,
            step,
            status=409,
            save_error=_(
                "Your answers were changed in another window since you opened this page, so this page's "
                "changes were not saved. Here are the answers as saved; please make your change again."
            ),
        )
    slugs = {s.slug for s in steps_for(layout)}
    target = request.POST.get("go") if request.POST.get("go") in slugs else step.slug
    return redirect(reverse("portal:online_step", kwargs={"token": token, "step": target}) + "#result")


def _changed_answers(request, step, answers: CompanyDeclaration, layout, blank: bytes):
    """(the answers with this step's POST applied, the bound form, extra context); None first when the
    POST is not valid."""
    template = _form_template(blank, answers)
    if step.slug in STEP_FORMS:
        form = STEP_FORMS[step.slug](request.POST, template=template)
        return (form.apply(answers) if form.is_valid() else None), form, {}
    action = request.POST.get("action", "")
    if step.slug == "smelters":
        return _smelter_change(request, action, answers, template, blank)
    if step.slug == "mines":
        return _mine_change(request, action, answers, template)
    if step.slug == "products":
        return _product_change(request, action, answers)
    return answers, None, {}


def _smelter_change(request, action, answers, template, blank):
    smelters = list(answers.smelters)
    if action == "add_listed":
        wanted = request.POST.get("smelter_id", "")
        entry = next((e for e in _lookup(blank) if e.smelter_id == wanted), None) if wanted else None
        if entry is None:
            return None, None, {"smelter_error": _("Choose a smelter from the list.")}
        if not _declares(template.minerals, entry.metal):
            return None, None, {"smelter_error": _not_declared(entry.metal)}
        smelters.append(DeclaredSmelter(entry.metal, entry.smelter_id, entry.standard_name, entry.country))
    elif action == "add_unlisted":
        form = UnlistedSmelterForm(request.POST, template=template)
        if not form.is_valid():
            return None, None, {"unlisted_form": form}
        smelters.append(form.smelter())
    elif action == "remove":
        smelters = _without_row(smelters, request.POST.get("row"))
    return dataclasses.replace(answers, smelters=tuple(smelters)), None, {}


def _without_row(rows: list, posted_row) -> list:
    """The list without the row the page's Remove button named; unchanged for a row it does not have."""
    index = _edited_version(posted_row)
    return [row for i, row in enumerate(rows) if i != index]


def _declares(minerals: tuple[str, ...], metal: str) -> bool:
    return metal.casefold() in {m.casefold() for m in minerals}


def _not_declared(metal: str) -> str:
    return _(
        "This declaration does not cover %(mineral)s; pick it on the scope step first, then add its smelters."
    ) % {"mineral": mineral_name(metal)}


def _mine_change(request, action, answers, template):
    mines = list(answers.mines)
    if action == "add":
        form = MineForm(request.POST, template=template, smelters=answers.smelters)
        if not form.is_valid():
            return None, None, {"mine_form": form}
        mines.append(form.mine())
    elif action == "remove":
        mines = _without_row(mines, request.POST.get("row"))
    return dataclasses.replace(answers, mines=tuple(mines)), None, {}


def _product_change(request, action, answers):
    products = list(answers.products)
    if action == "add":
        form = ProductForm(request.POST)
        if not form.is_valid():
            return None, None, {"product_form": form}
        products.append(form.product())
    elif action == "remove":
        products = _without_row(products, request.POST.get("row"))
    return dataclasses.replace(answers, products=tuple(products)), None, {}


@_online
@require_POST
def online_check(request, found, token, blank, step: str):
    """The live check: this step's form as typed (not saved) → its findings and the Checker count, JSON."""
    layout = _layout(blank)
    found_step = step_named(step, layout)
    draft = _draft(found)
    if found_step is None or draft is None or found_step.slug not in STEP_FORMS:
        return JsonResponse({"error": _("Nothing to check here.")}, status=404)
    form = STEP_FORMS[found_step.slug](request.POST, template=_form_template(blank, _answers(draft, blank)))
    if not form.is_valid():
        return JsonResponse({"error": _("Some answers are not valid."), "fields": form.errors}, status=400)
    checked, problem = _check(found, blank, form.apply(_answers(draft, blank)))
    if checked is None:
        return JsonResponse({"error": problem}, status=400)
    findings = findings_for_step(checked.findings, found_step, layout)
    context = {
        "checker_missing": checked.checker_missing,
        "to_correct": [_shown(f) for f in findings if f.severity == "error"],
        "to_explain": [_shown(f) for f in findings if f.severity == "warning"],
    }
    return JsonResponse(
        {
            "checker_missing": checked.checker_missing,
            "findings": context["to_correct"] + context["to_explain"],
            # The page's own rendering, so the live check reads exactly as the check after saving.
            "html": render_to_string("portal/online/_findings.html", context, request),
        }
    )


@_online
def smelter_search(request, found, token, blank):
    """RMI's reference list as the blank template carries it, searched by name or CID: JSON."""
    minerals = _form_template(blank, _answers(_draft(found), blank)).minerals
    results = _smelter_search(request, blank, minerals)["results"]
    return JsonResponse(
        {
            "results": [
                {"smelter_id": e.smelter_id, "name": e.standard_name, "metal": e.metal, "country": e.country}
                for e in results
            ]
        }
    )


@_online
@require_POST
def online_submit(request, found, token, blank):
    """The answers written into the blank template and stored as the request's next file, through the
    upload's intake. Checker above 0 needs the supplier's explanation, which the analyst reads."""
    draft = _draft(found)
    review = step_named("review")
    if draft is None:
        return redirect("portal:online", token=token)
    answers = _answers(draft, blank)
    explanation = " ".join(request.POST.get("explanation", "").split())[:2000]
    checked, problem = _check(found, blank, answers)
    if found.campaign.closed:
        error = _("This request is closed; files can no longer be uploaded.")
    elif _draft_version(request.POST.get("version")) is None:
        error = _incomplete()
    elif checked is None:
        error = problem
    elif checked.checker_missing and not explanation:
        error = _(
            "The template's Checker still counts missing answers. Complete them, or explain below why "
            "you submit without them."
        )
    elif not draft.claim_for_submit(edited_version=_draft_version(request.POST.get("version"))):
        error = _(
            "Your answers were changed in another window since you opened this page; check them and submit again."
        )
    else:
        return _store(request, found, token, blank, answers, explanation, review)
    return _step_page(
        request, found, token, blank, review, status=400, submit_error=error, explanation=explanation
    )


def _store(request, found, token, blank, answers, explanation, review):
    data = write_response(blank, answers, reference.analysis_settings(found.campaign))
    name = f"{found.campaign.template_kind}_{found.supplier.name}_online.xlsx"
    try:
        submission, error = store_file(found, data, name, ONLINE_SUPPLIER)
    except InvalidTransition as exc:
        submission, error = None, str(exc)
    if submission is None:
        return _step_page(request, found, token, blank, review, status=400, submit_error=error)
    if explanation:
        found.record_reply(message=explanation, author_label=ONLINE_SUPPLIER)
    return redirect("portal:file_review", token=token, version=submission.version)


@_supplier_request
def download_file(request, found, token, version: int):
    """A file this request holds, as stored: the supplier's copy of what it sent or submitted online."""
    submission = found.submissions.only("sha256", "filename").filter(version=version).first()
    if submission is None:
        return _not_found(request, found, token)
    try:
        data = storage.read_bytes(settings.SUBMISSIONS_DIR, submission.sha256)
    except FileNotFoundError:
        return _not_found(request, found, token)
    return attachment(data, submission.filename)
