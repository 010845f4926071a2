"""A campaign whose results can answer a customer: two suppliers' files, our company block and answers
A-H, and the campaign's blank CMRT 6.5 (test_web_customers*.py)."""

from __future__ import annotations

from fictional_template import build_cmrt
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.web.campaigns import reference
from oretrace.web.reports.models import ReportSettings
from oretrace.web.suppliers.models import Organisation


def answering_world() -> dict:
    """Suppliers 0 and 1 sent a CMRT 6.5 (supplier 1 as Other Co.), supplier 2 did not; parts
    P-000..P-002 are theirs one each."""
    alice, bob, vera = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    campaign, requests = campaign_with_suppliers(3)
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
    settings.save()
    submitted(requests[0])
    submitted(requests[1], data=cmrt_bytes("Other Co."))
    return {"admin": alice, "analyst": bob, "viewer": vera, "campaign": campaign}
