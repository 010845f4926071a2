"""The pages behind a supplier's personal link: /p/<token>/.

A supplier has no account; the token is the key, and it opens one request and nothing else. Every view
goes through ``_supplier_request``: an unknown or expired token gets a page that says so and shows
nothing about any request. Opening the link (GET) only marks the request "opened"; everything that
changes data is a POST from a form on the page, because mail scanners fetch links on their own.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import wraps

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from oretrace.review.findings import Finding
from oretrace.review.identity import CODE as IDENTITY_CODE
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import storage, years
from oretrace.web.campaigns.intake import store_file
from oretrace.web.campaigns.minerals import minerals_in_statement, minerals_shown
from oretrace.web.campaigns.models import InvalidTransition, State
from oretrace.web.campaigns.models import Request as SupplierRequest
from oretrace.web.downloads import attachment
from oretrace.web.portal.forms import AnswerForm, DeclineForm
from oretrace.web.suppliers.models import Organisation, SupplierPart

SUPPLIER = "supplier via link"
# A stored file's large JSON columns, which no portal page shows: the file as read and its smelter rows
# (the findings and their counts come from the record).
FILE_AS_READ = ("data", "smelter_record")

# What the request's state means to the supplier, in the supplier's words.
STATUS_TEXT = {
    State.DRAFT: gettext_lazy("Not sent yet"),
    State.SENT: gettext_lazy("Waiting for your file"),
    State.OPENED: gettext_lazy("Waiting for your file"),
    State.SUBMITTED: gettext_lazy("Received: we are reviewing your file"),
    State.FOLLOW_UP: gettext_lazy("We have questions about your file"),
    State.ACCEPTED: gettext_lazy("Accepted: thank you"),
    State.DECLINED: gettext_lazy("Declined: you told us there is nothing to report"),
    State.NO_RESPONSE: gettext_lazy("Overdue: we have not received your file"),
}


def _supplier_request(view):
    """Open the request a link token belongs to, or answer with a page that reveals nothing."""

    @wraps(view)
    @never_cache
    def wrapped(request, token, *args, **kwargs):
        found = SupplierRequest.for_token(token)
        if found is None:
            expired = SupplierRequest.token_expired(token)
            response = render(
                request, "portal/link_not_valid.html", {"expired": expired}, status=410 if expired else 404
            )
        else:
            _use_contacts_language(request, found)
            response = view(request, found, token, *args, **kwargs)
        # The token is in the address: keep it out of search engines and other sites' referrer logs.
        # ("no-referrer" would make browsers send "Origin: null" with our own forms, failing CSRF.)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def _use_contacts_language(request, found: SupplierRequest) -> None:
    """Until the supplier picks a language, show the one our records say its contact reads."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return
    contact = found.supplier.primary_contact
    if contact and contact.language:
        translation.activate(contact.language)
        request.LANGUAGE_CODE = translation.get_language()


def _page(
    request,
    found: SupplierRequest,
    token: str,
    template: str = "portal/request.html",
    status: int = 200,
    **extra,
):
    campaign = found.campaign
    context = {
        "req": found,
        "token": token,
        "campaign": campaign,
        "organisation": Organisation.current(),
        "supplier": found.supplier,
        "status_text": STATUS_TEXT.get(found.state, found.get_state_display()),
        "supplier_parts": SupplierPart.objects.filter(supplier=found.supplier)
        .select_related("part")
        .order_by("part__number"),
        "submissions": found.submissions.defer(*FILE_AS_READ).order_by("-version"),
        "thread": list(found.follow_ups.all()),
        "can_upload": not campaign.closed,
        "can_decline": not campaign.closed and found.can_move_to(State.DECLINED),
        "has_blank_template": bool(campaign.blank_template_sha256),
        "max_upload_mb": settings.MAX_UPLOAD_BYTES // 1_048_576,
        "minerals_shown": minerals_shown(campaign),
        # Offered until this year's first file: last year's, sent again when nothing changed.
        "last_years_file": None if found.latest_submission_id else years.last_years_file(found),
    }
    context["has_questions"] = any(not item.from_supplier for item in context["thread"])
    context.update(extra)
    return render(request, template, context, status=status)


def _not_found(request, found: SupplierRequest, token: str):
    return _page(request, found, token, "portal/not_found.html", status=404)


@_supplier_request
def request_page(request, found: SupplierRequest, token: str):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    from oretrace.web.portal.online import online_available  # the online views import this module

    found.mark_opened()
    return _page(request, found, token, answer_form=AnswerForm(), online_form=online_available(found))


@_supplier_request
def blank_template(request, found: SupplierRequest, token: str):
    try:
        data = found.campaign.blank_template_bytes()
    except FileNotFoundError:
        data = None
    if not data:
        return _not_found(request, found, token)
    return attachment(io.BytesIO(data), found.campaign.blank_template_name or "template.xlsx")


@_supplier_request
@require_POST
def upload_file(request, found: SupplierRequest, token: str):
    upload = request.FILES.get("file")
    if found.campaign.closed:
        error = _("This request is closed; files can no longer be uploaded.")
    elif upload is not None and (problem := storage.upload_size_problem(upload.size)):
        error = problem
    elif upload is None:
        error = _("Choose a file to upload.")
    else:
        try:
            submission, message = store_file(found, upload.read(), upload.name, SUPPLIER)
        except InvalidTransition as exc:
            submission, message = None, str(exc)
        if submission is not None:
            return redirect("portal:file_review", token=token, version=submission.version)
        error = message
    found.refresh_from_db()
    return _page(request, found, token, status=400, upload_error=error, answer_form=AnswerForm())


@_supplier_request
@require_POST
def send_last_year_again(request, found: SupplierRequest, token: str):
    """ "Nothing changed since last year": last year's file, sent again as this year's answer."""
    if found.campaign.closed:
        error = _("This request is closed; files can no longer be uploaded.")
    else:
        try:
            submission, error = years.send_again(found, SUPPLIER)
        except InvalidTransition as exc:
            submission, error = None, str(exc)
        if submission is not None:
            return redirect("portal:file_review", token=token, version=submission.version)
    found.refresh_from_db()
    return _page(request, found, token, status=400, upload_error=error, answer_form=AnswerForm())


def _plain_findings(findings: list[dict]) -> tuple[list[dict], list[dict]]:
    """To correct (errors) and to explain (warnings), each with where it is in the file.

    "info" findings are for the analyst's own judgement and are not shown to the supplier.
    """
    to_correct, to_explain = [], []
    for item in findings:
        finding = Finding(
            code=item.get("code") or "",
            severity=item.get("severity") or "info",
            sheet=item.get("sheet"),
            cell=item.get("cell"),
            message=item.get("message") or "",
            question=item.get("question") or "",
            mineral=item.get("mineral"),
        )
        shown = {**item, "where": finding.where}
        if finding.severity == "error":
            to_correct.append(shown)
        elif finding.severity == "warning":
            to_explain.append(shown)
    return to_correct, to_explain


@_supplier_request
def file_review(request, found: SupplierRequest, token: str, version: int):
    submission = found.submissions.defer(*FILE_AS_READ).filter(version=version).first()
    if submission is None:
        return _not_found(request, found, token)
    to_correct, to_explain = _plain_findings(submission.findings)
    latest = found.latest_submission_id == submission.pk
    # A file from another company is said first and in plain words, before the list of problems.
    other_company = any(f.get("code") == IDENTITY_CODE for f in submission.findings)
    return _page(
        request,
        found,
        token,
        "portal/file_review.html",
        submission=submission,
        to_correct=to_correct,
        to_explain=to_explain,
        is_latest=latest,
        other_company=other_company,
    )


@_supplier_request
@require_POST
def answer_questions(request, found: SupplierRequest, token: str):
    form = AnswerForm(request.POST)
    if found.campaign.closed:
        error = _("This request is closed; answers can no longer be sent.")
        return _page(request, found, token, status=400, answer_error=error, answer_form=form)
    if not form.is_valid():
        return _page(request, found, token, status=400, answer_form=form)
    with transaction.atomic():
        # One answer at a time per request (the row lock), so that the count below cannot be raced.
        SupplierRequest.objects.select_for_update().only("pk").get(pk=found.pk)
        sent = found.follow_ups.filter(
            from_supplier=True, created_at__gt=timezone.now() - dt.timedelta(days=1)
        ).count()
        if sent >= settings.PORTAL_ANSWERS_PER_DAY:
            error = _(
                "You have sent %(count)d answers in the last 24 hours, the most we accept in a day. "
                "Please write again tomorrow, or put everything into one answer."
            ) % {"count": sent}
            return _page(request, found, token, status=429, answer_error=error, answer_form=form)
        name = form.cleaned_data["name"].strip()
        found.record_reply(
            message=form.cleaned_data["message"], author_label=f"{name} ({SUPPLIER})" if name else SUPPLIER
        )
        AuditEntry.record(SUPPLIER, "request.follow_up_answered", found, form.cleaned_data["message"][:300])
    return redirect(reverse("portal:request", kwargs={"token": token}) + "#questions")


@_supplier_request
def decline_request(request, found: SupplierRequest, token: str):
    allowed = not found.campaign.closed and found.can_move_to(State.DECLINED)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and allowed and form.is_valid():
        minerals = minerals_in_statement(found.campaign)
        found.decline(
            name=form.cleaned_data["name"].strip(),
            title=form.cleaned_data["title"].strip(),
            statement=form.statement(minerals, one=len(found.campaign.minerals_in_scope()) == 1),
            by=SUPPLIER,
        )
        return redirect("portal:request", token=token)
    status = 400 if request.method == "POST" else 200
    return _page(request, found, token, "portal/decline.html", status=status, form=form, allowed=allowed)
