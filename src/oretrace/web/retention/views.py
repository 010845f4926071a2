"""The retention page (every role reads it) and the admins' changes: periods, legal holds, and erasing
a supplier contact's personal data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from oretrace.errors import BadInput
from oretrace.retention import RecordKind, Regime, RetentionPolicy
from oretrace.web.accounts.access import admin_required, staff_required
from oretrace.web.retention import schedule as schedules
from oretrace.web.retention.erasure import ErasureRefused, active_holds, erase_contact, is_erased
from oretrace.web.retention.forms import HoldForm, PeriodsForm
from oretrace.web.retention.models import LegalHold, RetentionPeriod
from oretrace.web.suppliers.models import Contact

RELEASED_SHOWN = 20


@dataclass(frozen=True)
class KindSummary:
    """One record kind's line of the page: its periods, what the purge deletes today, what expires next."""

    kind: RecordKind
    years: int
    regime_years: list[tuple[str, int]]
    due_now: int
    next_expiry: dt.date | None


def _kind_summary(
    kind: RecordKind, policy: RetentionPolicy, lines: list[schedules.CampaignSchedule], today: dt.date
) -> KindSummary:
    if kind is RecordKind.SUPPLIER_ANSWER:
        due_now = sum(line.answers_to_purge(today) for line in lines)
        later = [line.answers_expire_on for line in lines if line.answers and not line.answers_expired(today)]
    else:
        due_now = sum(line.packages_to_purge(today) for line in lines)
        later = [
            line.packages_expire_on for line in lines if line.packages and not line.packages_expired(today)
        ]
    return KindSummary(
        kind=kind,
        years=policy.kind_years[kind],
        regime_years=[(regime.title, policy.years_for(kind, {regime})) for regime in Regime],
        due_now=due_now,
        next_expiry=min(later, default=None),
    )


@require_safe
@staff_required
def overview(request):
    policy = RetentionPeriod.policy()
    today = schedules.today()
    lines = schedules.schedule(policy)
    return render(
        request,
        "retention/overview.html",
        {
            "today": today,
            "kinds": [_kind_summary(kind, policy, lines, today) for kind in RecordKind],
            "lines": [(line, line.answers_to_purge(today), line.packages_to_purge(today)) for line in lines],
            "holds": LegalHold.objects.active().select_related("campaign", "supplier"),
            "released": LegalHold.objects.filter(released_at__isnull=False).select_related(
                "campaign", "supplier"
            )[:RELEASED_SHOWN],
        },
    )


@admin_required
def periods(request):
    policy = RetentionPeriod.policy()
    form = PeriodsForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        changed = []
        for key, years in form.cleaned_data.items():
            try:
                if RetentionPeriod.set_years(key, years, request.user):
                    changed.append(f"{form.fields[key].label}: {years} years")
            except BadInput as error:
                form.add_error(key, str(error))
        if not form.errors:
            messages.success(
                request, "Periods changed: " + "; ".join(changed) if changed else "No period changed."
            )
            return redirect("retention")
    return render(request, "retention/periods.html", {"form": form})


@admin_required
def hold_new(request):
    # The campaign's or supplier's page links here with its subject chosen (?campaign= or ?supplier=).
    form = HoldForm(
        request.POST or None,
        initial={"campaign": request.GET.get("campaign"), "supplier": request.GET.get("supplier", "")},
    )
    if request.method == "POST" and form.is_valid():
        hold = LegalHold.place(form.subject, form.cleaned_data["reason"], request.user)
        messages.success(request, f"The records of {hold.subject} are held: the purge leaves them alone.")
        return redirect("retention")
    return render(request, "retention/hold_new.html", {"form": form})


@admin_required
def hold_release(request, pk: int):
    hold = get_object_or_404(LegalHold.objects.select_related("campaign", "supplier"), pk=pk)
    if request.method == "POST":
        if hold.release(request.user):
            messages.success(
                request, f"Hold on {hold.subject} released: its records expire on schedule again."
            )
        else:
            messages.error(
                request, f"The hold on {hold.subject} was released already, by {hold.released_by_label}."
            )
        return redirect("retention")
    return render(request, "retention/hold_release.html", {"hold": hold})


@admin_required
def contact_erase(request, pk: int, contact_pk: int):
    contact = get_object_or_404(Contact.objects.select_related("supplier"), pk=contact_pk, supplier_id=pk)
    if request.method == "POST":
        try:
            erasure = erase_contact(contact.pk, request.user)
        except ErasureRefused as error:
            messages.error(request, f"Not erased: {error}")
        else:
            messages.success(request, f"Personal data erased. {erasure.summary}")
        return redirect("supplier", contact.supplier_id)
    return render(
        request,
        "retention/contact_erase.html",
        {
            "contact": contact,
            "holds": list(active_holds(contact)),
            "erased": is_erased(contact),
            # The same person may be a contact of several suppliers: each is erased on its own page.
            "same_address": Contact.objects.filter(email__iexact=contact.email)
            .exclude(pk=contact.pk)
            .select_related("supplier"),
        },
    )
