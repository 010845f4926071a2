"""The report pages of a campaign: our own CMRT (company and product level), the narrative and settings of
the year, the Conflict Minerals Report preview and files, the Form SD draft and the evidence package.

Viewers read and download; analysts and admins change answers, texts and settings and generate files.
Any staff member may ask for the evidence package (every one of them may download it): the build_evidence
worker builds it into a stored file, which is streamed from disk. Every answer, figure and file comes
from the core through reports.documents.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from oretrace.declaration import Derivation
from oretrace.declaration.derive import METALS
from oretrace.errors import BadInput, OretraceError
from oretrace.reports import CONCLUSIONS, FORMATS, PLACEHOLDERS, SECTIONS
from oretrace.reports.figures import Facts
from oretrace.reports.render_pdf import pdf_unavailable
from oretrace.web.accounts.access import editor_required, read_only_for_viewers, staff_required
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Campaign
from oretrace.web.campaigns.rollup import state_key
from oretrace.web.downloads import attachment
from oretrace.web.reports import documents
from oretrace.web.reports.forms import (
    KindCompanyAnswersForm,
    NarrativeForm,
    OverrideForm,
    PartsForm,
    ReportSettingsForm,
)
from oretrace.web.reports.models import (
    SECTION_TITLES,
    DeclarationOverride,
    EvidenceBuild,
    GeneratedDeclaration,
    NarrativeVersion,
    ReportSettings,
)
from oretrace.web.suppliers.models import Organisation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- access helpers --------------------------------------------------------------------------------
def _get_campaign(pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("reporting_year"), pk=pk)


def _template_problem(campaign: Campaign) -> str | None:
    """Why our declaration cannot be generated from this campaign's template, before anyone tries: our
    declaration is the template the campaign collects (CMRT, EMRT, CRT or AMRT), filled in."""
    kind = campaign.template_kind
    if not campaign.blank_template_sha256:
        return (
            f"This campaign has no blank template. Import RMI's blank {kind} on the campaign's edit page; "
            f"our {kind} is that file, filled in."
        )
    try:
        layout = documents.own_layout(campaign)
    except OretraceError as error:
        return error.message
    if layout.kind != kind:
        return (
            f"This campaign collects the {kind}, but its blank template is the {layout.kind}. Import RMI's "
            f"blank {kind} on the campaign's edit page."
        )
    return None


def _kind_company_questions(campaign: Campaign):
    """The company questions our EMRT or CRT asks of itself, from the campaign's blank template (its
    latest version before one is imported); none for the CMRT (its A-H are the organisation's
    settings) and the AMRT (it asks none)."""
    if campaign.template_kind not in ("EMRT", "CRT"):
        return ()
    try:
        return documents.own_layout(campaign).company_questions
    except OretraceError:
        return ()  # the page says why the template cannot be used


def _kind_answers_form(campaign: Campaign, organisation: Organisation) -> KindCompanyAnswersForm | None:
    questions = _kind_company_questions(campaign)
    if not questions:
        return None
    given = organisation.kind_company_answers.get(campaign.template_kind, {})
    return KindCompanyAnswersForm(questions=questions, given=given)


def _override_form(request, derived: Derivation | None) -> OverrideForm:
    """The form to change an answer, offering the minerals and answers of the derivation's template."""
    if derived is None:
        return OverrideForm(request.POST or None)
    allowed = {spec.id: spec.allowed for spec in derived.layout.questions}
    company = (
        {spec.id: spec.allowed for spec in derived.layout.company_questions} if derived.company_basis else {}
    )
    return OverrideForm(
        request.POST or None, minerals=derived.minerals, allowed=allowed, company_allowed=company
    )


# --- overview --------------------------------------------------------------------------------------
@require_safe
@staff_required
def overview(request, pk: int):
    campaign = _get_campaign(pk)
    settings = ReportSettings.for_year(campaign.reporting_year)
    prepared = documents.prepare(campaign)
    try:
        readiness = [
            (item, documents.readiness_link(campaign, item)) for item in documents.report_readiness(prepared)
        ]
        readiness_problem = None
    except BadInput as error:
        readiness, readiness_problem = [], error.message
    return render(
        request,
        "reports/overview.html",
        {
            "campaign": campaign,
            "tab": "overview",
            "settings": settings,
            "conclusion": CONCLUSIONS[settings.conclusion],
            "generated": GeneratedDeclaration.objects.filter(campaign=campaign)[:20],
            "files": [(document, fmt, name) for (document, fmt), name in documents.REPORT_FILES.items()],
            "documents": documents.documents_for(campaign),
            "no_pdf": pdf_unavailable(),
            "edited": NarrativeVersion.objects.filter(reporting_year=campaign.reporting_year)
            .values("section")
            .distinct()
            .count(),
            "sections": len(SECTIONS),
            "figure_rows": [*prepared.figures.rows(), *prepared.figures.review_rows()],
            "readiness": readiness,
            "readiness_problem": readiness_problem,
            "latest_package": _finished_packages(campaign).first(),
            "running_package": EvidenceBuild.running_for(campaign),
        },
    )


# --- our declaration (our CMRT, EMRT, CRT or AMRT) ---------------------------------------------------
def old_declaration_address(request, pk: int, rest: str = ""):
    """The page served only our CMRT once, under /reports/cmrt/: a bookmark or a form posted there goes on
    to the same place under /reports/declaration/ (308 keeps the method and body of a POST). The page it
    reaches checks the user's role; this one reads nothing."""
    target = reverse("report_declaration", args=[pk]) + rest
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    return redirect(target, permanent=True, preserve_request=True)


@read_only_for_viewers
def declaration(request, pk: int):
    campaign = _get_campaign(pk)
    prepared = documents.prepare(campaign)
    problem = None
    try:
        derived = documents.derivation(prepared)
    except OretraceError as error:
        derived, problem = None, error.message
    form = _override_form(request, derived)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            override, _ = DeclarationOverride.objects.update_or_create(
                campaign=campaign,
                metal=data["metal"],
                question=data["question"],
                defaults={
                    "answer": form.chosen_answer,
                    "reason": data["reason"].strip(),
                    "by": request.user,
                    "by_label": request.user.get_username(),
                },
            )
            found = derived.find(data["metal"], data["question"]) if derived else None
            was = found.answer if found else None
            AuditEntry.record(
                request.user,
                "declaration.answer_changed",
                campaign,
                f"{data['question']} {data['metal'] or 'company'}: {was or '(blank)'} → {form.chosen_answer or '(blank)'}; "
                f"{override.reason}",
            )
        messages.success(request, f"{data['question']} for {data['metal'] or 'our company'} changed.")
        return redirect("report_declaration", campaign.pk)
    rows = []
    if derived is not None:
        overrides = {(o.metal, o.question): o for o in DeclarationOverride.objects.filter(campaign=campaign)}
        for question in derived.questions:
            cells = [
                (derived.find(metal, question), overrides.get((metal, question)))
                for metal in derived.minerals
            ]
            rows.append((question, cells))
        company_rows = [(a, overrides.get(("", a.question))) for a in derived.company_answers]
    return render(
        request,
        "reports/declaration.html",
        {
            "company_rows": company_rows if derived is not None else [],
            "campaign": campaign,
            "tab": "declaration",
            "derived": derived,
            "problem": problem,
            "problems": problem.split("; ") if problem else [],
            "rows": rows,
            "metals": derived.minerals if derived else METALS,
            "kind": derived.kind if derived else campaign.template_kind,
            "form": form,
            "organisation": prepared.organisation,
            "settings": prepared.settings,
            "company_questions": sorted(prepared.organisation.company_answers.items()),
            "kind_form": _kind_answers_form(campaign, prepared.organisation),
            "template_problem": _template_problem(campaign),
            "generated": GeneratedDeclaration.objects.filter(campaign=campaign, scope__in=("A", "C")),
        },
    )


@require_POST
@editor_required
def kind_company_answers(request, pk: int):
    """Our EMRT's or CRT's company questions, kept on the organisation for every campaign of that kind
    (Organisation.replace_kind_company_answers locks its row)."""
    campaign = _get_campaign(pk)
    kind = campaign.template_kind
    questions = _kind_company_questions(campaign)
    if not questions:
        messages.error(request, f"Our {kind} has no company questions of its own to set here.")
        return redirect("report_declaration", campaign.pk)
    form = KindCompanyAnswersForm(request.POST, questions=questions)
    if not form.is_valid():
        problems = [f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()]
        messages.error(request, "; ".join(problems))
        return redirect("report_declaration", campaign.pk)
    with transaction.atomic():
        was = Organisation.replace_kind_company_answers(kind, form.answers)
        changed = sorted(q for q in {*was, *form.answers} if was.get(q) != form.answers.get(q))
        AuditEntry.record(
            request.user,
            "declaration.kind_questions_changed",
            Organisation.current(),
            f"{kind} company questions: "
            + (
                "; ".join(
                    f"{q} {was.get(q) or 'derived'} → {form.answers.get(q) or 'derived'}" for q in changed
                )
                or "unchanged"
            ),
        )
    messages.success(request, f"Our {kind}'s company questions are saved; the answers below use them.")
    return redirect("report_declaration", campaign.pk)


@require_POST
@editor_required
def override_remove(request, pk: int, override_pk: int):
    campaign = _get_campaign(pk)
    override = get_object_or_404(DeclarationOverride, campaign=campaign, pk=override_pk)
    with transaction.atomic():
        AuditEntry.record(
            request.user,
            "declaration.answer_restored",
            campaign,
            f"{override.question} {override.metal or 'company'}: back to the derived answer (was {override.answer or '(blank)'})",
        )
        override.delete()
    messages.success(
        request, f"{override.question} for {override.metal or 'our company'} is the derived answer again."
    )
    return redirect("report_declaration", campaign.pk)


@require_POST
@editor_required
def declaration_generate(request, pk: int):
    campaign = _get_campaign(pk)
    problem = _template_problem(campaign)
    if problem:
        messages.error(request, problem)
        return redirect("report_declaration", campaign.pk)
    prepared = documents.prepare(campaign)
    try:
        generated = documents.generate(prepared, documents.derivation(prepared), by=request.user)
    except (OretraceError, documents.NoBlankTemplate) as error:
        messages.error(request, getattr(error, "message", str(error)))
        return redirect("report_declaration", campaign.pk)
    messages.success(request, f"Our {campaign.template_kind} was generated: {generated.filename}.")
    return redirect(f"{reverse('report_declaration', args=[campaign.pk])}?generated={generated.pk}")


@require_safe
@staff_required
def declaration_download(request, pk: int, generated_pk: int):
    campaign = _get_campaign(pk)
    generated = get_object_or_404(GeneratedDeclaration, campaign=campaign, pk=generated_pk)
    return attachment(generated.file_bytes(), generated.filename, XLSX)


@read_only_for_viewers
def products(request, pk: int):
    """A product-level CMRT (scope B) for a customer's list of part numbers."""
    campaign = _get_campaign(pk)
    form = PartsForm(request.POST or None, request.FILES or None)
    matches, derived, problem = None, None, None
    if request.method == "POST" and form.is_valid():
        numbers = documents.parse_part_numbers(form.cleaned_data["text"])
        matches = documents.match_parts(numbers)
        prepared = documents.prepare(campaign)
        try:
            scope = documents.product_scope(matches)
            derived = documents.derivation(prepared, products=scope)
        except OretraceError as error:
            problem = error.message
        if derived is not None and request.POST.get("action") == "generate":
            template_problem = _template_problem(campaign)
            if template_problem:
                messages.error(request, template_problem)
            else:
                try:
                    generated = documents.generate(
                        prepared,
                        derived,
                        by=request.user,
                        parts=[m.number for m in matches],
                        suppliers=list(scope.supplier_names),
                    )
                except (OretraceError, documents.NoBlankTemplate) as error:
                    messages.error(request, getattr(error, "message", str(error)))
                else:
                    messages.success(
                        request,
                        f"The product-level {campaign.template_kind} was generated: {generated.filename}.",
                    )
    return render(
        request,
        "reports/products.html",
        {
            "campaign": campaign,
            "tab": "products",
            "form": form,
            "matches": matches,
            "matched": [m for m in matches or () if m.suppliers],
            "unmatched": [m for m in matches or () if not m.suppliers],
            "derived": derived,
            "table": derived.table() if derived else [],
            "kind": campaign.template_kind,
            "problem": problem,
            "problems": problem.split("; ") if problem else [],
            "template_problem": _template_problem(campaign),
            "generated": GeneratedDeclaration.objects.filter(campaign=campaign, scope="B"),
        },
    )


# --- the year's narrative and settings ------------------------------------------------------------
@read_only_for_viewers
def narrative(request, pk: int):
    campaign = _get_campaign(pk)
    year = campaign.reporting_year
    form = NarrativeForm(request.POST or None)
    errors: dict[str, str] = {}
    posted: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        section, text = form.cleaned_data["section"], form.cleaned_data["text"]
        current = NarrativeVersion.current_texts(year)[section]
        try:
            _check_text(campaign, section, text)
        except BadInput as error:
            errors[section], posted[section] = error.message, text
        else:
            if text.strip() == current.strip():
                messages.info(request, f"{SECTION_TITLES[section]}: no change to save.")
            else:
                version = NarrativeVersion.add(year, section, text, request.user)
                messages.success(request, f"{SECTION_TITLES[section]}: saved as version {version.number}.")
            return redirect(f"{reverse('report_narrative', args=[campaign.pk])}#{section}")
    texts = NarrativeVersion.current_texts(year)
    history: dict[str, list] = {}
    for version in NarrativeVersion.objects.filter(reporting_year=year):
        history.setdefault(version.section, []).append(version)
    sections = [
        {
            "key": spec.key,
            "title": spec.title,
            "text": posted.get(spec.key, texts[spec.key]),
            "error": errors.get(spec.key),
            "versions": history.get(spec.key, []),
        }
        for spec in SECTIONS
    ]
    return render(
        request,
        "reports/narrative.html",
        {
            "campaign": campaign,
            "tab": "narrative",
            "sections": sections,
            "placeholders": PLACEHOLDERS.items(),
        },
        status=400 if errors else 200,
    )


def _check_text(campaign: Campaign, section: str, text: str) -> None:
    """The core fills the text's placeholders exactly as the report will; its BadInput says what is wrong."""
    inputs = documents.report_inputs(documents.prepare(campaign), {section: text})
    Facts(inputs).section(section)


@require_POST
@editor_required
def narrative_restore(request, pk: int, version_pk: int):
    campaign = _get_campaign(pk)
    version = get_object_or_404(NarrativeVersion, reporting_year=campaign.reporting_year, pk=version_pk)
    restored = NarrativeVersion.add(
        campaign.reporting_year, version.section, version.text, request.user, restored_from=version.number
    )
    messages.success(
        request,
        f"{SECTION_TITLES[version.section]}: version {version.number} restored as version {restored.number}.",
    )
    return redirect(f"{reverse('report_narrative', args=[campaign.pk])}#{version.section}")


@read_only_for_viewers
def settings_page(request, pk: int):
    campaign = _get_campaign(pk)
    settings = ReportSettings.for_year(campaign.reporting_year)
    if settings.pk is None and not settings.previous_years:
        # A new year: the comparison starts from the earlier campaigns in the database.
        settings.previous_years = documents.earlier_years(campaign)
    if request.method == "POST" and request.POST.get("action") == "fill":
        settings.previous_years = documents.earlier_years(campaign)
        form = ReportSettingsForm(instance=settings)
        messages.info(
            request, "Earlier years filled in from the campaigns in the database: check them and save."
        )
    else:
        form = ReportSettingsForm(request.POST or None, instance=settings)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                saved = form.save(commit=False)
                saved.updated_by = request.user
                saved.save()
                AuditEntry.record(
                    request.user, "report.settings_saved", saved, ", ".join(form.changed_data) or "no change"
                )
            messages.success(request, f"Report settings for {campaign.reporting_year} saved.")
            return redirect("report_settings", campaign.pk)
    counted = documents.tier_counts(campaign)
    return render(
        request,
        "reports/settings.html",
        {
            "campaign": campaign,
            "tab": "settings",
            "form": form,
            "counted": counted,
            "previous": settings.previous_years,
            "conclusions": CONCLUSIONS.values(),
        },
    )


# --- the report ------------------------------------------------------------------------------------
def _offered(campaign: Campaign, document: str) -> bool:
    """The CMR and Form SD stay open to any campaign, as they always were; the battery report only to
    an EMRT or CRT inquiry, whose raw materials it reports on."""
    if document == "battery":
        return "battery" in documents.documents_for(campaign)
    return document in documents.DOCUMENT_KINDS


@require_safe
@staff_required
def preview(request, pk: int):
    campaign = _get_campaign(pk)
    document = request.GET.get("document", (documents.documents_for(campaign) or ["cmr"])[0])
    if not _offered(campaign, document):
        raise Http404("This campaign's inquiry has no such document.")
    try:
        html = documents.render_report(documents.prepare(campaign), "html", document, preview=True)
    except BadInput as error:
        return render(
            request,
            "reports/preview.html",
            {"campaign": campaign, "tab": "preview", "problem": error.message, "document": document},
            status=400,
        )
    # Links in the preview open in the app's window, not inside the frame.
    page = html.decode("ascii").replace("<head>", '<head><base target="_top">', 1)
    return render(
        request,
        "reports/preview.html",
        {"campaign": campaign, "tab": "preview", "page": page, "document": document},
    )


@require_safe
@staff_required
def report_file(request, pk: int, document: str, fmt: str):
    campaign = _get_campaign(pk)
    name = documents.REPORT_FILES.get((document, fmt))
    if name is None or not _offered(campaign, document):
        raise Http404("No such report file for this campaign.")
    if fmt == "pdf" and (reason := pdf_unavailable()):
        messages.error(request, f"No PDF: {reason} The HTML and DOCX files can be downloaded.")
        return redirect("reports", campaign.pk)
    try:
        data = documents.render_report(documents.prepare(campaign), fmt, document)
    except BadInput as error:
        messages.error(request, error.message)
        return redirect("reports", campaign.pk)
    stem, _, ext = name.rpartition(".")
    return attachment(data, f"{stem}-{campaign.reporting_year.year}.{ext}", FORMATS[fmt][0])


# --- the evidence package ---------------------------------------------------------------------------
# How often the page looks again while a package is queued or being built.
REFRESH_SECONDS = 3


def _finished_packages(campaign: Campaign):
    return EvidenceBuild.objects.filter(campaign=campaign, status=EvidenceBuild.Status.DONE).order_by(
        "-finished_at", "-pk"
    )


@require_safe
@staff_required
def evidence(request, pk: int):
    """The campaign's evidence packages: the one being built with its progress, and those built before."""
    campaign = _get_campaign(pk)
    running = EvidenceBuild.running_for(campaign)
    finished = list(_finished_packages(campaign)[:10])
    failed = (
        EvidenceBuild.objects.filter(campaign=campaign, status=EvidenceBuild.Status.FAILED)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if failed and (running or (finished and finished[0].finished_at > failed.finished_at)):
        failed = None  # only the outcome of the latest request is news
    ahead = 0
    if running and running.status == EvidenceBuild.Status.QUEUED:
        ahead = EvidenceBuild.objects.filter(
            status__in=EvidenceBuild.RUNNING, requested_at__lt=running.requested_at
        ).count()
    return render(
        request,
        "reports/evidence.html",
        {
            "campaign": campaign,
            "tab": "evidence",
            "running": running,
            "ahead": ahead,
            "finished": finished,
            "failed": failed,
            "current_state": state_key(campaign),
            "refresh": REFRESH_SECONDS if running else None,
        },
    )


@require_POST
@staff_required
def evidence_build(request, pk: int):
    campaign = _get_campaign(pk)
    _build, queued = EvidenceBuild.request(campaign, request.user)
    if queued:
        messages.success(request, "The evidence package is queued; this page follows its progress.")
    else:
        messages.info(
            request, "A package for this campaign is already queued or being built; here is its progress."
        )
    return redirect("report_evidence", campaign.pk)


@require_safe
@staff_required
def evidence_file(request, pk: int, build_pk: int):
    """A package as it was built, streamed from its stored file."""
    campaign = _get_campaign(pk)
    build = get_object_or_404(EvidenceBuild, campaign=campaign, pk=build_pk, status=EvidenceBuild.Status.DONE)
    try:
        stream = build.file_path().open("rb")
    except FileNotFoundError:
        raise Http404("This package is no longer stored; build a new one.") from None
    AuditEntry.record(
        request.user,
        "report.evidence_downloaded",
        campaign,
        f"{build.filename}: {build.size} bytes, SHA-256 {build.sha256}",
    )
    return attachment(stream, build.filename, "application/zip")
