"""The customer-request pages: the register with its filters, one request with its part numbers, the
derived answers and every file prepared and sent, the answers that changed since they were sent, and the
blank templates of the versions customers ask for.

Every role reads and downloads; analysts and admins register, import, prepare, send and change statuses.
What is derived, written and compared comes from the core through customers.answers.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from oretrace.errors import BadInput, OretraceError
from oretrace.review.wording import plural
from oretrace.web.accounts.access import editor_required, read_only_for_viewers, staff_required
from oretrace.web.audit.models import AuditEntry
from oretrace.web.customers import answers
from oretrace.web.customers.forms import CustomerRequestForm, FilterForm, UploadForm
from oretrace.web.customers.models import BlankTemplate, CustomerAnswer, CustomerRequest
from oretrace.web.customers.parts import import_part_list, mapped_parts
from oretrace.web.downloads import attachment
from oretrace.web.reports import documents


def _get_request(pk: int) -> CustomerRequest:
    return get_object_or_404(CustomerRequest.objects.select_related("customer", "owner", "campaign"), pk=pk)


def _get_answer(pk: int, answer_pk: int) -> CustomerAnswer:
    return get_object_or_404(CustomerAnswer.objects.select_related("request"), request_id=pk, pk=answer_pk)


def status_counts(kind: str = "") -> list[tuple[str, str, int]]:
    """(status, label, how many requests) for every status: the dashboard's tile; with ``kind``, only
    the requests for our template of that kind (an EMRT campaign's dashboard counts the EMRT's)."""
    requests = CustomerRequest.objects.filter(template_kind=kind) if kind else CustomerRequest.objects
    counts = dict(requests.values_list("status").annotate(n=Count("id")).order_by())
    return [(s.value, s.label, counts.get(s.value, 0)) for s in CustomerRequest.Status]


@require_safe
@staff_required
def customer_requests(request):
    form = FilterForm(request.GET or None)
    rows = CustomerRequest.objects.select_related("customer", "owner")
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["kind"]:
            rows = rows.filter(template_kind=data["kind"])
        if data["customer"]:
            rows = rows.filter(customer=data["customer"])
        today = timezone.localdate()
        if data["due"] == "overdue":
            rows = rows.filter(status__in=CustomerRequest.OPEN, due_date__lt=today)
        elif data["due"] == "30":
            rows = rows.filter(status__in=CustomerRequest.OPEN, due_date__lte=today + dt.timedelta(days=30))
    return render(
        request,
        "customers/list.html",
        {"form": form, "rows": rows, "counts": status_counts(), "filtered": bool(request.GET)},
    )


@editor_required
def customer_request_edit(request, pk: int | None = None):
    instance = _get_request(pk) if pk else None
    form = CustomerRequestForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if instance is None:
                form.instance.created_by = request.user
                # Someone is reminded of every due date: the person who registered it, unless named.
                form.instance.owner = form.instance.owner or request.user
            saved = form.save()
            AuditEntry.record(
                request.user,
                "customers.request_changed" if instance else "customers.request_registered",
                saved,
                ", ".join(form.changed_data) if instance else "",
            )
        messages.success(request, f"{saved} is {'saved' if instance else 'registered'}.")
        return redirect("customer_request", saved.pk)
    return render(request, "customers/edit.html", {"form": form, "customer_request": instance})


@require_safe
@staff_required
def customer_request(request, pk: int):
    customer_request = _get_request(pk)
    derived, problem = None, None
    try:
        campaign = answers.answering_campaign(customer_request)
        derived = answers.derive(customer_request, documents.prepare(campaign))
    except OretraceError as error:
        campaign, problem = customer_request.answering_campaign(), error.message
    return render(
        request,
        "customers/request.html",
        {
            "customer_request": customer_request,
            "campaign": campaign,
            "mapped": mapped_parts(customer_request) if customer_request.is_product_level else [],
            "derived": derived,
            "table": derived.table() if derived else [],
            "problem": problem,
            "answers": customer_request.answers.select_related("email"),
            "latest": customer_request.latest_answer(),
            "upload_form": UploadForm(),
            "open_statuses": CustomerRequest.OPEN,
        },
    )


@require_POST
@editor_required
def customer_parts(request, pk: int):
    customer_request = _get_request(pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, f"The part list was not imported: {error}")
        return redirect("customer_request", pk)
    upload = form.cleaned_data["file"]
    try:
        imported = import_part_list(customer_request, upload.read(), upload.name, request.user)
    except BadInput as error:
        messages.error(request, f"The part list was not imported: {error.message}")
        return redirect("customer_request", pk)
    messages.success(request, f"{plural(len(imported.parts), 'part number')} imported from {upload.name}.")
    for problem in imported.problems:
        messages.warning(request, f"{problem} — left out.")
    return redirect("customer_request", pk)


@require_POST
@editor_required
def customer_prepare(request, pk: int):
    customer_request = _get_request(pk)
    try:
        answer = answers.prepare(customer_request, request.user)
    except answers.Refused as error:
        messages.error(request, str(error))
    except (OretraceError, documents.NoBlankTemplate) as error:
        messages.error(request, f"The answer was not prepared: {getattr(error, 'message', str(error))}")
    else:
        messages.success(request, f"The answer is prepared: {answer.filename}. Review it, then send it.")
    return redirect("customer_request", pk)


@require_safe
@staff_required
def customer_answer_file(request, pk: int, answer_pk: int):
    answer = _get_answer(pk, answer_pk)
    return attachment(answer.file_bytes(), answer.filename)


@require_POST
@editor_required
def customer_answer_send(request, pk: int, answer_pk: int):
    answer = _get_answer(pk, answer_pk)
    try:
        if request.POST.get("via") == "portal":
            answers.mark_sent(answer, request.user)
            messages.success(request, f"{answer.filename} is recorded as uploaded to the customer's portal.")
        else:
            answer = answers.send_by_email(answer, request.user)
            messages.success(
                request, f"{answer.filename} is queued to {', '.join(answer.sent_to)} in the outbox."
            )
    except answers.Refused as error:
        messages.error(request, str(error))
    return redirect("customer_request", pk)


@require_POST
@editor_required
def customer_sent_file(request, pk: int):
    """A file we sent outside oretrace (an EMRT, a CMRT made by hand), kept and recorded as sent."""
    customer_request = _get_request(pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, f"Nothing was recorded: {error}")
        return redirect("customer_request", pk)
    upload = form.cleaned_data["file"]
    try:
        answer = answers.record_sent_file(customer_request, upload.read(), upload.name, request.user)
    except answers.Refused as error:
        messages.error(request, str(error))
    except BadInput as error:
        messages.error(request, f"Nothing was recorded: {error.message}")
    else:
        messages.success(request, f"{answer.filename} is recorded as sent (sha256 {answer.sha256[:12]}…).")
    return redirect("customer_request", pk)


@require_POST
@editor_required
def customer_acknowledge(request, pk: int):
    customer_request = _get_request(pk)
    try:
        answers.acknowledge(customer_request, request.user)
    except answers.Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{customer_request.customer} acknowledged our answer.")
    return redirect("customer_request", pk)


@read_only_for_viewers
def customer_updates(request):
    """The customers whose answer differs from the one we would send now; a POST marks them (the
    worker's scheduled pass does the same, answers.mark_stale_answers)."""
    if request.method == "POST":
        marked = answers.mark_stale_answers(request.user)
        messages.success(request, f"{plural(marked, 'request')} marked as needing an update.")
        return redirect("customer_updates")
    stale, unchecked = answers.stale_answers()
    return render(
        request,
        "customers/updates.html",
        {"stale": stale, "unchecked": unchecked, "to_mark": sum(item.to_mark for item in stale)},
    )


@require_POST
@editor_required
def customer_answer_holds(request, pk: int):
    """The analyst's override of the check: the answer sent still holds for what we would send now."""
    customer_request = _get_request(pk)
    try:
        answers.keep_as_sent(customer_request, request.POST.get("now", "")[:100], request.user)
    except answers.Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{customer_request.customer}'s answer is kept as sent; it is checked again when ours changes.",
        )
    return redirect("customer_updates")


@read_only_for_viewers
def customer_templates(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            blank = BlankTemplate.import_file(upload.read(), upload.name, request.user)
        except OretraceError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, f"The blank {blank} is imported from {upload.name}.")
            return redirect("customer_templates")
    return render(
        request, "customers/templates.html", {"form": form, "templates": BlankTemplate.objects.all()}
    )
