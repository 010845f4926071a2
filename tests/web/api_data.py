"""A campaign with a reviewed file, our CMRT and an evidence package, and an API token per role, for the
API's tests."""

from __future__ import annotations

from django.utils import timezone
from rest_framework.test import APIClient
from staff_data import campaign_with_suppliers, staff, submitted

from oretrace.web.accounts.tokens import ApiToken
from oretrace.web.campaigns import storage
from oretrace.web.campaigns.models import Facility
from oretrace.web.reports import documents
from oretrace.web.reports.models import EvidenceBuild, ReportSettings, packages_dir
from oretrace.web.suppliers.models import Organisation


def client_with_token(raw: str | None) -> APIClient:
    client = APIClient()
    if raw:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def api_world() -> dict:
    """alice (admin), bob (analyst) and vera (viewer) with a token each; a campaign of two suppliers,
    one of which sent a file; a CMRT of ours and a built evidence package."""
    users = dict(zip(("admin", "analyst", "viewer"), staff(), strict=True))
    campaign, requests = campaign_with_suppliers(2)
    # The facilities of the smelters cmrt_bytes names, so that the file's smelters are identified.
    for number, metal in ((1, "Tantalum"), (7, "Tin"), (13, "Gold"), (19, "Tungsten")):
        Facility.objects.create(
            smelter_id=f"CID9{number:05d}",
            metal=metal,
            name=f"Demo {metal} Smelter {number:02d}",
            country="China",
        )
    submission = submitted(requests[0])
    org = Organisation.objects.get()
    org.policy_url = "https://acme.example/policy"
    org.company_answers = dict.fromkeys("ABCDFG", "Yes") | {
        "E": "Yes, in conformance with IPC1755 (e.g., CMRT)",
        "H": "Yes, with the SEC",
    }
    org.save()
    settings = ReportSettings.for_year(campaign.reporting_year)
    settings.contact_name, settings.contact_email = "Jane Doe", "jane.doe@acme.example"
    settings.contact_phone = "+1 503 555 0100"
    settings.authorizer_name, settings.authorizer_email = "John Roe", "john.roe@acme.example"
    settings.website = "www.acme.example"
    settings.company_overview = "Acme Instruments designs test and measurement instruments."
    settings.products_overview = "Oscilloscopes and signal analysers."
    settings.save()
    prepared = documents.prepare(campaign)
    generated = documents.generate(prepared, documents.derivation(prepared), by=users["analyst"])
    package = EvidenceBuild.objects.create(
        campaign=campaign,
        requested_by_label="bob",
        status=EvidenceBuild.Status.DONE,
        sha256=storage.store_bytes(packages_dir(), b"PK\x05\x06" + bytes(18)),
        size=22,
        filename="evidence-2025-campaign.zip",
        finished_at=timezone.now(),
    )
    tokens = {role: ApiToken.issue(user, "tests", by=user)[1] for role, user in users.items()}
    return {
        "users": users,
        "tokens": tokens,
        "campaign": campaign,
        "requests": requests,
        "submission": submission,
        "declaration": generated,
        "package": package,
    }
