"""Every staff URL for every role: anonymous people are sent to log in, viewers change nothing,
analysts cannot administer, and only admins and viewers read the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from fictional_template import build_cmrt
from staff_data import PASSWORD, campaign_with_suppliers, staff, submitted

from oretrace.smelters.unlisted import unlisted_facility
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import storage, unlisted
from oretrace.web.campaigns.models import (
    Facility,
    FacilityStatusChange,
    Request,
    SmelterAlias,
    Submission,
)
from oretrace.web.customers import answers as customer_answers
from oretrace.web.customers.models import (
    BlankTemplate,
    Customer,
    CustomerAnswer,
    CustomerPart,
    CustomerRequest,
)
from oretrace.web.grievances.models import Attachment as GrievanceAttachment
from oretrace.web.grievances.models import Case as GrievanceCase
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.outbox.webhooks import Webhook
from oretrace.web.reports import documents
from oretrace.web.reports.models import (
    DeclarationOverride,
    EvidenceBuild,
    GeneratedDeclaration,
    NarrativeVersion,
    ReportSettings,
    packages_dir,
)
from oretrace.web.retention.models import LegalHold, RetentionPeriod
from oretrace.web.risk.models import (
    ActionEvidence,
    ActionNote,
    CahraList,
    ReportingLine,
    RiskAction,
    ScreeningDecision,
    YearThresholds,
)
from oretrace.web.suppliers.models import Contact, Organisation, Supplier

pytestmark = pytest.mark.django_db

# The grievance form and the reporter's secret link are open to anyone (test_web_grievances.py, and
# test_it_opens_the_public_grievance_pages_to_anyone below).
PUBLIC = {"login", "logout", "set_language", "concern_report", "concern_case"}
# Logging in (the second factor, single sign-on) and resetting a forgotten password come before any
# account (test_web_two_factor.py, test_web_single_sign_on.py, test_web_password_reset.py).
PUBLIC |= {
    "login_code",
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "password_reset",
    "password_reset_sent",
    "password_reset_confirm",
    "password_reset_done",
}
# A person's own account, whatever the role (test_web_login.py, test_web_two_factor.py).
# API tokens act with their owner's role (test_api_tokens.py).
OWN_ACCOUNT = {"password_change", "two_factor", "api_tokens", "api_token_revoke"}
# Settings, users, the risk thresholds and the reporting lines: admins only. The audit log is for admins
# and viewers (issue 4).
ADMIN_ONLY = {
    "organisation",
    "users",
    "risk_thresholds",
    "risk_thresholds_edit",
    "risk_reporting_lines",
    "risk_cahra",
    # Retention: periods, legal holds and erasing a contact's personal data (issue #15).
    "retention_periods",
    "retention_hold_new",
    "retention_hold_release",
    "contact_erase",
    "user",
    # Adding and removing an integration's webhook (test_api_webhooks.py); every role sees the list.
    "webhook_new",
    "webhook_remove",
}
# What an admin does to another account (test_web_user_management.py): a POST; a GET is refused before
# anything else.
ADMIN_ACTIONS = {"user_deactivate", "user_reactivate", "user_password_reset", "user_remove_authenticator"}
AUDIT = {"audit"}
# Actions: a POST from an analyst or admin; a GET is refused before anything else.
POST_ONLY = {
    "unidentified_exact_ids",
    "facility_retire",
    "contact_add",
    "contact_remove",
    "request_upload",
    "request_action",
    "request_remind",
    "request_handled",
    "status_change_handled",
    "status_change_follow_up",
    "status_change_action",
    "bulk_remind",
    "reject_decline",
    "bulk_accept",
    "results_rule",
    "risk_open_high",
    "risk_action_note",
    "risk_action_category",
    "risk_action_evidence",
    "risk_action_escalate",
    "risk_action_close",
    "risk_screening_decide",
    "report_generate",
    "report_override_remove",
    "report_kind_answers",
    "report_narrative_restore",
    "grievance_triage",
    "grievance_message",
    "grievance_close",
    "customer_parts",
    "customer_prepare",
    "customer_acknowledge",
    "customer_answer_send",
    "customer_sent_file",
    "customer_answer_holds",
}
# Forms only analysts and admins open (and every action above).
EDITOR_ONLY = POST_ONLY | {
    "campaign_new",
    "campaign_scope",
    "campaign_send",
    "campaign_edit",
    "supplier_new",
    "supplier_edit",
    "supplier_import",
    "supplier_import_preview",
    "risk_action_new",
    "request_accept",
    "customer_request_new",
    "customer_request_edit",
}
# Pages that only read: a POST is refused (405) before anything else, even for anonymous people.
READ_ONLY = {
    "dashboard",
    "user",
    "queue",
    "status_change",
    "campaigns",
    "campaign",
    "campaign_template",
    "campaign_requests",
    "smelters",
    "campaign_smelter",
    "campaign_compare",
    "suppliers",
    "supplier",
    "request",
    "submission_download",
    "facility_document",
    "audit",
    "risk_home",
    "risk",
    "risk_register",
    "risk_summary",
    "risk_summary_document",
    "risk_screening",
    "risk_evidence",
    "risk_thresholds",
    "risk_scoring",
    "risk_cahra_file",
    "reports",
    "report_declaration_file",
    "report_preview",
    "report_file",
    "report_evidence",
    "report_evidence_file",
    "grievances",
    "grievance",
    "grievance_attachment",
    "customer_requests",
    "customer_request",
    "customer_answer_file",
    "retention",
    "webhooks",
}
# Pages every role reads whose form only analysts and admins may post.
READ_WRITE = {
    "unidentified",
    "reference",
    "facilities",
    "facility_edit",
    "risk_action",
    "report_declaration",
    "report_products",
    "report_narrative",
    "report_settings",
    "customer_updates",
    "customer_templates",
}
# Actions every role may take: asking for the evidence package, which every role may download. A GET is
# refused before anything else.
# Choosing one's own notification e-mails, too.
ANY_ROLE_ACTIONS = {"report_evidence_build", "queue_notify"}
# Pages that send on to the page they stand for.
REDIRECTS = {"dashboard": "campaign", "risk_home": "risk"}
# The query a page is opened with, so it shows its content rather than sending the user back.
QUERIES = {"risk_action_new": "?kind=supplier&key=CMRT_2025.xlsx&flag=supplier-names-red-flag-smelter&n=0"}


def expected_get(role: str, name: str) -> int:
    """The status of a GET of the page for a user of the role, as the views decide it."""
    if name in ADMIN_ACTIONS:
        return 405
    if name in ADMIN_ONLY and role != "admin":
        return 403
    if name in AUDIT and role == "analyst":
        return 403
    if name in POST_ONLY | ANY_ROLE_ACTIONS:
        return 405
    if name in EDITOR_ONLY and role == "viewer":
        return 403
    if name == "supplier_import_preview":
        return 404  # an import this session never uploaded
    if name in REDIRECTS:
        return 302
    return 200


def staff_patterns():
    """(name, pattern) of every named URL outside the portal, the outbox and the API (they test their own)."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                # The REST API answers tokens, not log-ins: test_api_roles.py enumerates its endpoints.
                if str(p.pattern) in ("p/", "outbox/", "api/v1/"):
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                yield p.name, p

    return dict(walk(get_resolver().url_patterns))


@pytest.fixture
def world(client):
    alice, bob, vera = staff()
    campaign, requests = campaign_with_suppliers(2)
    campaign.store_blank_template(build_cmrt({}), "RMI_CMRT_6.5.xlsx")
    campaign.save()
    Facility.objects.create(smelter_id="CID900001", metal="Tantalum", name="Demo Tantalum Smelter 01")
    submission = submitted(requests[0])
    contact = Contact.objects.first()
    year = campaign.reporting_year
    # A risk action with a note and an evidence file, and bob reporting to alice.
    action = RiskAction.open_for(
        campaign,
        by=bob,
        subject_kind="supplier",
        subject_key="CMRT_2025.xlsx",
        subject_label="Supplier 0",
        flag_code="supplier-names-red-flag-smelter",
        what="Ask Supplier 0 to move off the non-conformant smelters it names",
        owner=bob,
        due_date=timezone.localdate() + dt.timedelta(days=30),
    )
    action.add_note(bob, "Called the supplier.")
    evidence = action.add_evidence(bob, b"%PDF-1.4 letter", "letter.pdf")
    ReportingLine.objects.create(user=bob, manager=alice)
    cahra = CahraList.import_file(
        b"Myanmar\n", "cahra.txt", name="EU CAHRA list", as_of=dt.date(2025, 6, 30), by=alice
    )
    # The year's report settings, one narrative version, one changed answer and one generated CMRT.
    org = Organisation.objects.get()
    org.policy_url = "https://acme.example/policy"
    org.company_answers = dict.fromkeys("ABCDFG", "Yes") | {
        "E": "Yes, in conformance with IPC1755 (e.g., CMRT)",
        "H": "Yes, with the SEC",
    }
    org.save()
    settings = ReportSettings.for_year(year)
    settings.company_overview = "Acme Instruments designs test and measurement instruments."
    settings.products_overview = "Oscilloscopes and signal analysers."
    settings.website = "www.acme.example"
    settings.contact_name = "Jane Doe"
    settings.contact_email = "jane.doe@acme.example"
    settings.contact_phone = "+1 503 555 0100"
    settings.authorizer_name = "John Roe"
    settings.authorizer_email = "john.roe@acme.example"
    settings.save()
    version = NarrativeVersion.add(year, "rcoi", "We surveyed our suppliers.", bob)
    override = DeclarationOverride.objects.create(
        campaign=campaign, metal="Tin", question="Q7", answer="Yes", reason="Checked by hand.", by=bob
    )
    prepared = documents.prepare(campaign)
    generated = documents.generate(prepared, documents.derivation(prepared), by=bob)
    # An evidence package built before (test_web_evidence*.py build real ones).
    # A facility RMI does not list, added by hand with its source document (staff.facilities).
    hand_added = unlisted.add(
        unlisted_facility(
            name="Qingdao Black Lead",
            mineral="Graphite",
            country="China",
            smelter_id="OT-LOCAL-000001",
            programme=None,
            source="Site visit",
        ),
        document=("visit.pdf", b"%PDF-1.4 visit"),
        by=bob,
    )
    package = EvidenceBuild.objects.create(
        campaign=campaign,
        requested_by_label="bob",
        status=EvidenceBuild.Status.DONE,
        sha256=storage.store_bytes(packages_dir(), b"PK\x05\x06" + bytes(18)),
        size=22,
        filename="evidence-2025-campaign.zip",
        finished_at=timezone.now(),
    )
    # A legal hold on the campaign (the retention page lists it; an admin may release it).
    hold = LegalHold.place(campaign, "Dispute with a customer.", alice)
    # A facility status change a newer list showed, in the queue with the request naming the facility.
    change = FacilityStatusChange.objects.create(
        smelter_id="CID900001",
        name="Demo Tantalum Smelter 01",
        kind="suspended",
        on=dt.date(2025, 11, 1),
        since=dt.date(2025, 5, 1),
        detail="It was Conformant; it is now Suspended.",
    )
    change.requests.add(requests[0])
    # A grievance case with an attachment.
    grievance, secret = GrievanceCase.receive(concern="Children dig at the mine.", where_country="DR Congo")
    kept = GrievanceAttachment.keep(grievance, None, b"%PDF-1.4 photo", "photo.pdf", "application/pdf")
    # A customer's request for our CMRT, its part list and the answer prepared for it.
    customer_request = CustomerRequest.objects.create(
        customer=Customer.objects.create(name="Big Co"),
        contact_email="pat@bigco.example",
        template_version="6.5",
        scope=CustomerRequest.Scope.PRODUCTS,
        due_date=dt.date(2026, 6, 30),
        owner=bob,
    )
    CustomerPart.objects.create(request=customer_request, row=2, number="BC-1", our_number="P-000")
    answer = customer_answers.prepare(customer_request, bob)
    hook = Webhook.objects.create(url="https://erp.acme.example/hooks", events=["request.accepted"])
    kwargs = {
        "webhook_remove": {"pk": hook.pk},
        "customer_request": {"pk": customer_request.pk},
        "customer_request_edit": {"pk": customer_request.pk},
        "customer_parts": {"pk": customer_request.pk},
        "customer_prepare": {"pk": customer_request.pk},
        "customer_acknowledge": {"pk": customer_request.pk},
        "customer_sent_file": {"pk": customer_request.pk},
        "customer_answer_holds": {"pk": customer_request.pk},
        "customer_answer_file": {"pk": customer_request.pk, "answer_pk": answer.pk},
        "customer_answer_send": {"pk": customer_request.pk, "answer_pk": answer.pk},
        "campaign": {"pk": campaign.pk},
        "campaign_edit": {"pk": campaign.pk},
        "campaign_scope": {"pk": campaign.pk},
        "campaign_send": {"pk": campaign.pk},
        "campaign_template": {"pk": campaign.pk},
        "campaign_requests": {"pk": campaign.pk},
        "smelters": {"pk": campaign.pk},
        "campaign_smelter": {"pk": campaign.pk, "smelter_id": "CID900001"},
        "campaign_compare": {"pk": campaign.pk},
        "unidentified": {"pk": campaign.pk},
        "unidentified_exact_ids": {"pk": campaign.pk},
        "supplier": {"pk": contact.supplier_id},
        "supplier_edit": {"pk": contact.supplier_id},
        "contact_add": {"pk": contact.supplier_id},
        "contact_remove": {"pk": contact.supplier_id, "contact_pk": contact.pk},
        "contact_erase": {"pk": contact.supplier_id, "contact_pk": contact.pk},
        "retention_hold_release": {"pk": hold.pk},
        "supplier_import_preview": {"digest": "0" * 64},
        "request": {"pk": requests[0].pk},
        "request_upload": {"pk": requests[0].pk},
        "request_action": {"pk": requests[0].pk, "action": "no-response"},
        "request_accept": {"pk": requests[0].pk},
        "reject_decline": {"pk": requests[0].pk},
        "bulk_accept": {"pk": campaign.pk},
        "results_rule": {"pk": campaign.pk},
        "request_remind": {"pk": requests[0].pk},
        "request_handled": {"pk": requests[0].pk},
        "status_change": {"pk": change.pk},
        "status_change_handled": {"pk": change.pk},
        "status_change_follow_up": {"pk": change.pk, "request_pk": requests[0].pk},
        "status_change_action": {"pk": change.pk, "request_pk": requests[0].pk},
        "bulk_remind": {"pk": campaign.pk},
        "submission_download": {"pk": submission.pk},
        "risk": {"pk": campaign.pk},
        "risk_action_new": {"pk": campaign.pk},
        "risk_open_high": {"pk": campaign.pk},
        "risk_register": {"pk": campaign.pk},
        "risk_screening": {"pk": campaign.pk},
        "risk_screening_decide": {"pk": campaign.pk},
        "risk_summary": {"pk": campaign.pk},
        "risk_summary_document": {"pk": campaign.pk},
        "risk_action": {"pk": action.pk},
        "risk_action_note": {"pk": action.pk},
        "risk_action_category": {"pk": action.pk},
        "risk_action_evidence": {"pk": action.pk},
        "risk_evidence": {"pk": action.pk, "evidence_pk": evidence.pk},
        "risk_action_escalate": {"pk": action.pk},
        "risk_action_close": {"pk": action.pk},
        "risk_thresholds_edit": {"year": year.year},
        "risk_scoring": {"year": year.year},
        "risk_cahra_file": {"pk": cahra.pk},
        "reports": {"pk": campaign.pk},
        "report_declaration": {"pk": campaign.pk},
        "report_generate": {"pk": campaign.pk},
        "report_override_remove": {"pk": campaign.pk, "override_pk": override.pk},
        "report_kind_answers": {"pk": campaign.pk},
        "report_declaration_file": {"pk": campaign.pk, "generated_pk": generated.pk},
        "report_products": {"pk": campaign.pk},
        "report_narrative": {"pk": campaign.pk},
        "report_narrative_restore": {"pk": campaign.pk, "version_pk": version.pk},
        "report_settings": {"pk": campaign.pk},
        "report_preview": {"pk": campaign.pk},
        "report_file": {"pk": campaign.pk, "document": "cmr", "fmt": "html"},
        "report_evidence": {"pk": campaign.pk},
        "report_evidence_build": {"pk": campaign.pk},
        "report_evidence_file": {"pk": campaign.pk, "build_pk": package.pk},
        "facility_edit": {"pk": hand_added.pk},
        "facility_retire": {"pk": hand_added.pk},
        "facility_document": {"pk": hand_added.pk},
        "grievance": {"pk": grievance.pk},
        "grievance_triage": {"pk": grievance.pk},
        "grievance_message": {"pk": grievance.pk},
        "grievance_close": {"pk": grievance.pk},
        "grievance_attachment": {"pk": grievance.pk, "attachment_pk": kept.pk},
        **{name: {"pk": bob.pk} for name in ADMIN_ACTIONS | {"user"}},
    }
    return {
        "users": {"admin": alice, "analyst": bob, "viewer": vera},
        "kwargs": kwargs,
        "campaign": campaign,
        "grievance": (grievance.reference, secret),
    }


def urls(world):
    for name in staff_patterns():
        if name in PUBLIC | OWN_ACCOUNT:
            continue
        yield name, reverse(name, kwargs=world["kwargs"].get(name)) + QUERIES.get(name, "")


def snapshot():
    return (
        # Asking for the evidence package and downloading it are logged; they change no data.
        AuditEntry.objects.exclude(
            action__in=["report.evidence_requested", "report.evidence_downloaded"]
        ).count(),
        Supplier.objects.count(),
        Contact.objects.count(),
        sorted(Contact.objects.values_list("pk", "name", "email", "phone")),
        Submission.objects.count(),
        SmelterAlias.objects.count(),
        sorted(Request.objects.values_list("state", flat=True)),
        sorted(
            RiskAction.objects.values_list(
                "pk", "what", "status", "escalation_level", "due_date", "annex_x_category"
            )
        ),
        ActionNote.objects.count(),
        ActionEvidence.objects.count(),
        CahraList.objects.count(),
        ScreeningDecision.objects.count(),
        sorted(ReportingLine.objects.values_list("user_id", "manager_id")),
        list(YearThresholds.objects.values_list("reporting_year_id", "values")),
        list(ReportSettings.objects.values()),
        NarrativeVersion.objects.count(),
        sorted(DeclarationOverride.objects.values_list("metal", "question", "answer")),
        list(Organisation.objects.values_list("company_answers", "kind_company_answers")),
        GeneratedDeclaration.objects.count(),
        OutboundEmail.objects.count(),
        sorted(Facility.objects.values_list("smelter_id", "name", "retired_at")),
        list(GrievanceCase.objects.values_list("status", "category", "severity", "outcome", "closed_at")),
        list(GrievanceCase.objects.values_list("messages__kind", "suppliers", "smelters")),
        Customer.objects.count(),
        sorted(CustomerRequest.objects.values_list("pk", "status", "due_date", "template_version")),
        CustomerPart.objects.count(),
        sorted(CustomerAnswer.objects.values_list("pk", "sent_at")),
        BlankTemplate.objects.count(),
        list(LegalHold.objects.values_list("pk", "reason", "released_at")),
        list(RetentionPeriod.objects.values_list("key", "years")),
        sorted(Webhook.objects.values_list("url", "events")),
    )


def test_it_covers_every_staff_url(world):
    names = set(staff_patterns()) - PUBLIC - OWN_ACCOUNT
    assert names == set(world["kwargs"]) | {
        "dashboard",
        "campaigns",
        "campaign_new",
        "suppliers",
        "supplier_new",
        "supplier_import",
        "audit",
        "organisation",
        "users",
        "reference",
        "facilities",
        "risk_home",
        "risk_thresholds",
        "risk_reporting_lines",
        "risk_cahra",
        "queue",
        "queue_notify",
        "grievances",
        "customer_requests",
        "customer_request_new",
        "customer_updates",
        "customer_templates",
        "retention",
        "retention_periods",
        "retention_hold_new",
        "webhooks",
        "webhook_new",
    }
    # Every page is in exactly one class, so a new URL fails here until someone decides who may use it.
    every_role_reads = (READ_ONLY | READ_WRITE) - ADMIN_ONLY - AUDIT
    classes = [ADMIN_ONLY, ADMIN_ACTIONS, AUDIT, EDITOR_ONLY, every_role_reads, ANY_ROLE_ACTIONS]
    assert sorted(n for c in classes for n in c) == sorted(names)
    assert not (READ_ONLY & (READ_WRITE | EDITOR_ONLY))
    assert set(REDIRECTS) <= READ_ONLY and set(QUERIES) <= names


def test_it_opens_the_public_grievance_pages_to_anyone(client, world):
    reference, secret = world["grievance"]
    assert client.get(reverse("concern_report")).status_code == 200
    assert client.get(reverse("concern_case", args=[reference, secret])).status_code == 200
    assert client.get(reverse("concern_case", args=[reference, "not-the-secret"])).status_code == 404


def test_it_sends_anonymous_people_to_log_in_from_every_page(client, world):
    for name, url in urls(world):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            refused = (method == "get" and name in POST_ONLY | ANY_ROLE_ACTIONS | ADMIN_ACTIONS) or (
                method == "post" and name in READ_ONLY
            )
            if refused:
                assert response.status_code == 405, (name, method)
            else:
                assert response.status_code == 302, (name, method, response.status_code)
                assert response["Location"].startswith(reverse("login")), name


def test_it_lets_viewers_read_but_never_change_anything(client, world):
    client.force_login(world["users"]["viewer"])
    before = snapshot()
    for name, url in urls(world):
        response = client.get(url)
        assert response.status_code == expected_get("viewer", name), (name, response.status_code)
        posted = client.post(url, {"note": "x", "name": "Mallory", "text": "x", "status": "done"})
        refused = 302 if name in ANY_ROLE_ACTIONS else 405 if name in READ_ONLY else 403
        assert posted.status_code == refused, (name, posted.status_code)
    assert snapshot() == before
    assert EvidenceBuild.objects.filter(requested_by=world["users"]["viewer"]).count() == 1


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_it_opens_every_page_an_editor_or_admin_may_open(client, world, role):
    client.force_login(world["users"][role])
    for name, url in urls(world):
        response = client.get(url)
        assert response.status_code == expected_get(role, name), (name, response.status_code)
        if name in REDIRECTS:
            target = reverse(REDIRECTS[name], args=[world["campaign"].pk])
            assert response["Location"] == target, name


def test_it_keeps_analysts_out_of_settings_users_thresholds_and_the_audit_log(client, world):
    client.force_login(world["users"]["analyst"])
    for name in ADMIN_ONLY | AUDIT:
        assert client.get(reverse(name, kwargs=world["kwargs"].get(name))).status_code == 403, name
    before = snapshot()
    for name in ("risk_thresholds_edit", "risk_reporting_lines"):
        url = reverse(name, kwargs=world["kwargs"].get(name))
        assert client.post(url, {f"manager_{world['users']['analyst'].pk}": ""}).status_code == 403
    assert snapshot() == before


def test_it_logs_in_with_a_password(client, world):
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("suppliers")).status_code == 200


def test_it_refuses_an_account_without_a_role(client, world, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password=PASSWORD)
    client.force_login(nobody)
    assert client.get(reverse("suppliers")).status_code == 403
