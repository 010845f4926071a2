"""Where the web layer calls the core: review a response, identify its smelters, load reference data.

One function per integration point, so the web never grows a second copy of a rule.
"""

from __future__ import annotations

from typing import Any

from oretrace.rmi.model import TemplateResponse, is_special_lookup
from oretrace.smelters.names import canonical_metal, clean_text, name_key, normalise_cid

FINDING_FIELDS = ("code", "severity", "mineral", "sheet", "cell", "message", "question")


def review_response(response: TemplateResponse, campaign) -> tuple[list[dict[str, Any]], int | None]:
    """The core review's findings as plain dicts, and how many required fields the Checker misses."""
    from oretrace.review import review

    report = review(response)
    findings = [_finding_dict(f) for f in report.findings]
    if not campaign.accepts_version(response.version):
        findings.insert(
            0,
            {
                "code": "older-template-than-requested",
                "severity": "error",
                "mineral": None,
                "sheet": "Declaration",
                "cell": "J3",
                "message": (
                    f"The file is {response.kind} {response.version}; this campaign asks for "
                    f"{campaign.minimum_version} or later."
                ),
                "question": (
                    f"Could you copy your answers into the {campaign.template_kind} "
                    f"{campaign.minimum_version} (or later) template and send it again?"
                ),
            },
        )
    return findings, report.checker_missing


def _finding_dict(finding) -> dict[str, Any]:
    if isinstance(finding, dict):
        return {key: finding.get(key) for key in FINDING_FIELDS}
    return {key: _plain(getattr(finding, key, None)) for key in FINDING_FIELDS}


def _plain(value):
    return value if value is None or isinstance(value, int | float | bool) else str(value)


def identify_smelters(response: TemplateResponse) -> list[dict[str, Any]]:
    """One ReportedSmelter field dict per smelter row: by CID, else by a confirmed alias, else unidentified."""
    from oretrace.web.campaigns.models import Facility, SmelterAlias, SmelterStatus

    rows = []
    for row in response.smelters:
        metal = canonical_metal(row.metal) or ""
        if not metal and not row.name and not row.smelter_id:
            continue
        lookup = row.lookup_name if not is_special_lookup(row.lookup_name) else None
        rows.append(
            {
                "row": row.row,
                "metal": metal[:30],
                "reported_name": (clean_text(row.display_name or lookup) or "")[:300],
                "reported_country": (clean_text(row.country) or "")[:100],
                "reported_id": (clean_text(row.smelter_id or row.id_input) or "")[:40],
            }
        )
    ids = {normalise_cid(r["reported_id"]) for r in rows} - {None}
    facilities = {f.smelter_id: f for f in Facility.objects.filter(smelter_id__in=ids)}
    aliases = {
        (a.metal, a.name_key): a for a in SmelterAlias.objects.filter(metal__in={r["metal"] for r in rows})
    }
    for r in rows:
        cid = normalise_cid(r["reported_id"])
        alias = aliases.get((r["metal"], name_key(r["reported_name"])))
        if cid is None and alias is not None:
            cid = alias.smelter_id
        facility = facilities.get(cid) if cid else None
        if facility is None and alias is not None:
            facility = Facility.objects.filter(smelter_id=alias.smelter_id).first()
        if cid:
            r["smelter_id"] = cid
            r["smelter_name"] = facility.name if facility else r["reported_name"]
            r["smelter_country"] = facility.country if facility else r["reported_country"]
            r["status"] = facility.status if facility else SmelterStatus.NOT_AUDITED
        else:
            r["status"] = SmelterStatus.UNIDENTIFIED
    return rows


def candidates_for(metal: str, name: str, country: str = "", limit: int = 5) -> list[tuple[Any, float]]:
    """Reference facilities a reported name may be, best first, with a 0–100 likeness score."""
    from rapidfuzz import fuzz, process

    from oretrace.web.campaigns.models import Facility

    facilities = list(Facility.objects.filter(metal=metal))
    if not facilities:
        return []
    choices = {}
    for index, facility in enumerate(facilities):
        for alias in [facility.name, *facility.aliases]:
            choices[(index, alias)] = name_key(alias)
    found = process.extract(name_key(name), choices, scorer=fuzz.WRatio, limit=limit * 4)
    best: dict[int, float] = {}
    for _key_text, score, (index, _alias) in found:
        bonus = 5 if country and name_key(facilities[index].country) == name_key(country) else 0
        best[index] = max(best.get(index, 0), min(100.0, score + bonus))
    ranked = sorted(best.items(), key=lambda item: -item[1])[:limit]
    return [(facilities[i], score) for i, score in ranked]


def load_reference_from_template(data: bytes, filename: str) -> int:
    """Load the smelter reference list carried by a blank RMI template into Facility; returns how many."""
    from oretrace.smelters.reference import reference_from_template
    from oretrace.web.campaigns.models import Facility

    reference = reference_from_template(data)
    existing = {f.smelter_id: f for f in Facility.objects.all()}
    new, changed = [], []
    for facility in reference.facilities:
        known = existing.get(facility.smelter_id)
        fields = {
            "metal": facility.metal,
            "name": facility.name[:300],
            "country": (facility.country or "")[:100],
            "aliases": list(facility.aliases),
            "release": reference.release[:60],
        }
        if known is None:
            new.append(Facility(smelter_id=facility.smelter_id, **fields))
        else:
            for key, value in fields.items():
                setattr(known, key, value)
            changed.append(known)
    Facility.objects.bulk_create(new, batch_size=500)
    Facility.objects.bulk_update(changed, ["metal", "name", "country", "aliases", "release"], batch_size=500)
    return len(new) + len(changed)
