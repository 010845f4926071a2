"""The public pages of the grievance mechanism: the form anyone may use, and the reporter's link.

No account: a reporter gets a reference and a secret link on submission, and reads our replies and
answers through that link. A wrong secret gets the same page as an unknown reference, which says
nothing about any case. Every page is in English or Simplified Chinese (the browser's language, or
the switch at the top); whatever a reporter typed is shown through the template's escaping only.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from oretrace.web.grievances import limits
from oretrace.web.grievances.attachments import accepted_kinds, check_files
from oretrace.web.grievances.forms import ConcernForm, ReporterMessageForm
from oretrace.web.grievances.models import Attachment, Case, CaseClosed, Message
from oretrace.web.grievances.notifications import notify_staff_of_case
from oretrace.web.suppliers.models import Organisation


def _private(view):
    """Keep the pages (a secret link among them) out of search engines and other sites' referrers."""

    @wraps(view)
    @never_cache
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def _limits_context() -> dict:
    return {
        "max_files": settings.GRIEVANCE_MAX_FILES,
        "max_file_mb": f"{settings.GRIEVANCE_MAX_FILE_BYTES / 1048576:g}",
        "accepted_kinds": accepted_kinds(),
    }


def _form_page(request, form, status=200, problems=()):
    context = {
        "form": form,
        "organisation": Organisation.current(),
        "problems": problems,
        **_limits_context(),
    }
    return render(request, "grievances/report.html", context, status=status)


@_private
def report_concern(request):
    if request.method in ("GET", "HEAD"):
        return _form_page(request, ConcernForm())
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    form = ConcernForm(request.POST)
    if not limits.report_allowed(request):
        problem = _(
            "We have received many reports from your address in the last hour. Please try again later."
        )
        return _form_page(request, form, status=429, problems=[problem])
    if not form.is_valid():
        return _form_page(request, form, status=400)
    if form.cleaned_data["website"]:
        # Only a robot fills in the hidden field: refuse it without saying which field gave it away.
        return _form_page(request, ConcernForm(), status=400, problems=[_("Your report could not be sent.")])
    files, problems = check_files(request.FILES.getlist("attachments"))
    if problems:
        return _form_page(request, form, status=400, problems=problems)
    data = {k: v.strip() for k, v in form.cleaned_data.items() if k != "website"}
    with transaction.atomic():
        case, secret = Case.receive(language=translation.get_language() or "", **data)
        first = case.messages.first()
        for f in files:
            Attachment.keep(case, first, f.data, f.filename, f.content_type)
        notify_staff_of_case(case)
    return redirect(reverse("concern_case", args=[case.reference, secret]) + "?new=1")


@_private
def case_page(request, reference: str, secret: str):
    case = Case.for_link(reference, secret)
    if case is None:
        return render(
            request, "grievances/link_not_valid.html", {"organisation": Organisation.current()}, status=404
        )
    form = ReporterMessageForm()
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        form = ReporterMessageForm(request.POST)
        status = 400
        if case.is_closed:
            problems.append(_("This case is closed; please report a new concern instead."))
        elif not limits.message_allowed(request):
            problems.append(_("You have sent many messages today. Please write again tomorrow."))
            status = 429
        elif form.is_valid():
            files, problems = check_files(request.FILES.getlist("attachments"))
            if not problems:
                try:
                    with transaction.atomic():
                        message = case.add_reporter_message(form.cleaned_data["text"].strip())
                        for f in files:
                            Attachment.keep(case, message, f.data, f.filename, f.content_type)
                        notify_staff_of_case(case, message)
                except CaseClosed:
                    problems.append(_("This case is closed; please report a new concern instead."))
                else:
                    return redirect(reverse("concern_case", args=[reference, secret]) + "#messages")
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    context = {
        "case": case,
        "secret": secret,
        "link": request.build_absolute_uri(reverse("concern_case", args=[reference, secret])),
        "new": request.GET.get("new") == "1",
        "messages_shown": case.messages.filter(kind__in=Message.VISIBLE_TO_REPORTER).prefetch_related(
            "attachments"
        ),
        "form": form,
        "problems": problems,
        "organisation": Organisation.current(),
        **_limits_context(),
    }
    return render(request, "grievances/case.html", context, status=status)
