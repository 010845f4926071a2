"""The page of facilities RMI does not list: analysts add, edit and retire them, viewers read them.

Adding, editing or retiring one changes what identification answers, so every stored file is
identified again afterwards, as after loading a list or confirming a name (staff.identification).
The identification queue links here with the unidentified name prefilled ("Add as a new facility").
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from oretrace.errors import BadInput
from oretrace.web.accounts.access import editor_required, read_only_for_viewers, staff_required
from oretrace.web.accounts.models import can_edit
from oretrace.web.campaigns import storage, unlisted
from oretrace.web.campaigns.models import Facility
from oretrace.web.downloads import attachment
from oretrace.web.staff.forms import UnlistedFacilityForm
from oretrace.web.staff.identification import _reidentified

PREFILLED = ("name", "mineral", "country", "smelter_id")


@read_only_for_viewers
def facilities(request):
    """The list, and the form to add one (prefilled from the query string by the identification queue)."""
    if request.method == "POST":
        form = UnlistedFacilityForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                row = unlisted.add(form.cleaned_data["facility"], document=form.document(), by=request.user)
            except BadInput as error:
                form.add_error("smelter_id", error.message)
            else:
                messages.success(request, f"{row.smelter_id} {row.name} added (not RMI-listed).")
                _reidentified(request, f"facility {row.smelter_id} added")
                return redirect("facilities")
    else:
        form = UnlistedFacilityForm(initial={k: request.GET[k] for k in PREFILLED if request.GET.get(k)})
    return render(
        request,
        "staff/facilities.html",
        {
            "form": form,
            "rows": Facility.objects.filter(listed_by_rmi=False)
            .select_related("added_by")
            .order_by("retired_at", "metal", "name"),
            "can_edit": can_edit(request.user),
            "prefilled": bool(request.GET.get("name")),
        },
    )


@read_only_for_viewers
def facility_edit(request, pk: int):
    row = get_object_or_404(Facility, pk=pk, listed_by_rmi=False)
    initial = {
        "name": row.name,
        "mineral": row.metal,
        "country": row.country,
        "smelter_id": row.smelter_id,
        "programme": row.id_programme,
        "source": row.source,
        "source_url": row.source_url,
        "aliases": "\n".join(row.aliases),
    }
    form = UnlistedFacilityForm(
        request.POST or None, request.FILES or None, initial=initial, fixed_id=row.smelter_id
    )
    if request.method == "POST" and form.is_valid():
        unlisted.edit(row.pk, form.cleaned_data["facility"], document=form.document(), by=request.user)
        messages.success(request, f"{row.smelter_id} saved.")
        _reidentified(request, f"facility {row.smelter_id} edited")
        return redirect("facilities")
    return render(
        request, "staff/facility_edit.html", {"form": form, "row": row, "can_edit": can_edit(request.user)}
    )


@require_POST
@editor_required
def facility_retire(request, pk: int):
    row = get_object_or_404(Facility, pk=pk, listed_by_rmi=False)
    if unlisted.retire(row.pk, by=request.user):
        messages.success(
            request, f"{row.smelter_id} {row.name} retired: no file is identified as it any more."
        )
        _reidentified(request, f"facility {row.smelter_id} retired")
    else:
        messages.info(request, f"{row.smelter_id} was retired already.")
    return redirect("facilities")


@require_safe
@staff_required
def facility_document(request, pk: int):
    """The source document an analyst attached, as uploaded: a download, never shown in the page."""
    row = get_object_or_404(Facility, pk=pk, listed_by_rmi=False)
    if not row.source_document_sha256:
        raise Http404("No source document was attached to this facility.")
    data = storage.read_bytes(settings.REFERENCE_DIR, row.source_document_sha256)
    return attachment(data, row.source_document, "application/octet-stream")
