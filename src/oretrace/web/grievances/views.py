"""The staff's pages for grievance cases: the list, a case with its handling, and the actions on it.

Every role reads; analysts and admins triage, write, reply and close (a viewer's POST is refused).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from oretrace.web.accounts.access import editor_required, staff_required
from oretrace.web.campaigns.models import Facility
from oretrace.web.downloads import attachment
from oretrace.web.grievances.forms import CloseForm, StaffMessageForm, TriageForm
from oretrace.web.grievances.models import Attachment, Case, CaseClosed, Message
from oretrace.web.suppliers.models import Supplier

STATUS_FILTERS = {"open": ("received", "in_progress"), "closed": ("closed",)}


@require_safe
@staff_required
def case_list(request):
    shown = request.GET.get("status", "open")
    cases = Case.objects.all()
    if shown in STATUS_FILTERS:
        cases = cases.filter(status__in=STATUS_FILTERS[shown])
    else:
        shown = "all"
    if (year := request.GET.get("year", "")).isdigit():
        cases = cases.filter(received_at__year=int(year))
    return render(
        request,
        "grievances/list.html",
        {"cases": cases[:500], "shown": shown, "year": year, "counts": _counts()},
    )


def _counts() -> dict[str, int]:
    return {name: Case.objects.filter(status__in=states).count() for name, states in STATUS_FILTERS.items()}


@require_safe
@staff_required
def case_page(request, pk: int):
    case = get_object_or_404(Case, pk=pk)
    triage = TriageForm(
        initial={
            "category": case.category,
            "severity": case.severity,
            "suppliers": "\n".join(case.suppliers.values_list("key", flat=True)),
            "smelters": "\n".join(case.smelters.values_list("smelter_id", flat=True)),
        }
    )
    return _page(request, case, triage=triage)


def _page(request, case, status=200, **forms):
    context = {
        "case": case,
        "history": case.messages.select_related("author").prefetch_related("attachments"),
        "triage": forms.get("triage") or TriageForm(),
        "message_form": forms.get("message_form") or StaffMessageForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "linked_suppliers": case.suppliers.order_by("name"),
        "linked_smelters": case.smelters.order_by("smelter_id"),
    }
    return render(request, "grievances/case_staff.html", context, status=status)


def _lines(text: str) -> list[str]:
    return list(dict.fromkeys(line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()))


@require_POST
@editor_required
def triage(request, pk: int):
    case = get_object_or_404(Case, pk=pk)
    form = TriageForm(request.POST)
    if not form.is_valid():
        return _page(request, case, status=400, triage=form)
    supplier_keys, smelter_ids = _lines(form.cleaned_data["suppliers"]), _lines(form.cleaned_data["smelters"])
    suppliers = list(Supplier.objects.filter(key__in=supplier_keys))
    smelters = list(Facility.objects.filter(smelter_id__in=[s.upper() for s in smelter_ids]))
    unknown = sorted(set(supplier_keys) - {s.key for s in suppliers}) + sorted(
        {s.upper() for s in smelter_ids} - {f.smelter_id for f in smelters}
    )
    if unknown:
        form.add_error(None, f"Not found: {', '.join(unknown)}. Use supplier numbers and smelter CIDs.")
        return _page(request, case, status=400, triage=form)
    try:
        case.triage(
            request.user,
            category=form.cleaned_data["category"],
            severity=form.cleaned_data["severity"],
            suppliers=suppliers,
            smelters=smelters,
        )
    except CaseClosed as closed:
        messages.error(request, f"{closed} Its triage can no longer change.")
    else:
        messages.success(request, f"{case.reference} triaged.")
    return redirect("grievance", case.pk)


@require_POST
@editor_required
def add_message(request, pk: int):
    case = get_object_or_404(Case, pk=pk)
    form = StaffMessageForm(request.POST)
    if not form.is_valid():
        return _page(request, case, status=400, message_form=form)
    kind = form.cleaned_data["kind"]
    try:
        case.add_staff_entry(request.user, kind, form.cleaned_data["text"].strip())
    except CaseClosed as closed:
        messages.error(request, f"{closed} The reporter can no longer be answered through it.")
    else:
        said = {
            Message.Kind.REPLY: "Reply sent to the reporter"
            + (" (and e-mailed)" if case.reporter_email else " (the reporter reads it through their link)"),
            Message.Kind.NOTE: "Note added",
            Message.Kind.ACTION: "Action recorded",
        }[kind]
        messages.success(request, f"{said}.")
    return redirect("grievance", case.pk)


@require_POST
@editor_required
def close(request, pk: int):
    case = get_object_or_404(Case, pk=pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _page(request, case, status=400, close_form=form)
    if case.close(request.user, form.cleaned_data["outcome"].strip()):
        messages.success(request, f"{case.reference} closed.")
    else:
        messages.error(request, f"{case.reference} was already closed.")
    return redirect("grievance", case.pk)


@require_safe
@staff_required
def attachment_download(request, pk: int, attachment_pk: int):
    kept = get_object_or_404(Attachment, pk=attachment_pk, case_id=pk)
    # Always a download, typed by what we checked it to be: a reporter's file is never shown inline.
    response = attachment(kept.read(), kept.filename, kept.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
