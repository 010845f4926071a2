"""A campaign's identified smelters as its Smelters page and the API list them: one entry per metal,
smelter ID and audit status, with how many suppliers report it and the facility's name and listing."""

from __future__ import annotations

from django.db.models import Count

from oretrace.web.campaigns.models import Facility


def smelter_groups(rows):
    """The smelter rows (``rollup.results_smelter_rows``, filtered) grouped on the covering index; names
    and countries come from the facility list afterwards (``add_facilities``)."""
    return (
        rows.values("metal", "smelter_id", "status")
        .annotate(suppliers=Count("request", distinct=True))
        .order_by("metal", "smelter_id")
    )


def add_facilities(groups: list[dict]) -> None:
    facilities = {
        f.smelter_id: f for f in Facility.objects.filter(smelter_id__in={g["smelter_id"] for g in groups})
    }
    for group in groups:
        facility = facilities.get(group["smelter_id"])
        group["name"] = facility.name if facility else ""
        group["country"] = facility.country if facility else ""
        # A facility an analyst added is marked as such, with its source, wherever it is listed.
        group["listed_by_rmi"] = facility.listed_by_rmi if facility else True
        group["listing"] = facility.listing if facility else ""
        group["release"] = facility.release if facility else ""  # says so when it is the sample of RMI's list
        # Where the status comes from: a status is only true as of the list's date.
        group["status_note"] = (
            f"{facility.status_text or facility.get_status_display()} on {facility.status_source}"
            + (f" as of {facility.status_as_of:%Y-%m-%d}" if facility.status_as_of else "")
            if facility and facility.status_source
            else ""
        )
