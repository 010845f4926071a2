"""Answering a customer's request from our data: prepared, sent, and checked against what we would send now.

The declaration is the reports page's own (reports.documents.derivation: the company-level CMRT, EMRT, CRT
or AMRT with the analyst's changed answers, or the product-level one derived from the suppliers of the
customer's parts), from our latest campaign of the kind asked for, derived for the questions of the version
asked for and written into RMI's blank of that version. Every status change is a
conditional UPDATE on the locked request and is audit-logged, so two people never send one answer twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from oretrace.customers import AnswerSource, answer_fingerprint, answer_summary, update_reasons
from oretrace.declaration import Derivation
from oretrace.errors import BadInput, OretraceError
from oretrace.rmi import read_template
from oretrace.rmi.layouts import Layout, layout_for, supported_versions
from oretrace.rmi.model import TemplateKind
from oretrace.rmi.writer import blank_layout
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import storage
from oretrace.web.campaigns.models import Campaign
from oretrace.web.customers.models import BlankTemplate, CustomerAnswer, CustomerRequest
from oretrace.web.customers.parts import product_scope
from oretrace.web.outbox.mail import send_email
from oretrace.web.reports import documents
from oretrace.web.reports.models import declarations_dir

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Refused(Exception):
    """The request's status does not allow this now (the message says why)."""


def answering_campaign(request: CustomerRequest) -> Campaign:
    campaign = request.answering_campaign()
    if campaign is None:
        kind = request.template_kind
        raise BadInput(
            f"There is no {kind} campaign yet: our {kind} is derived from our suppliers' answers in "
            f"our {kind} campaign."
        )
    return campaign


def asked_layout(request: CustomerRequest) -> Layout:
    """The map of the template version the customer asked for: the imported blank's own when there is
    one, else oretrace's layout of that version. Our answers are derived for its questions (EMRT 1.x
    and 2.x ask different ones), not for the version our campaign collected."""
    kind, version = request.template_kind, request.template_version
    imported = BlankTemplate.objects.filter(kind=kind, version=version).first()
    if imported is not None:
        return blank_layout(imported.file_bytes(), name=imported.filename)
    layout = layout_for(TemplateKind(kind), version)
    if layout is None:
        raise BadInput(
            f"oretrace cannot fill in the {kind} {version}: it knows the {kind} versions "
            f"{', '.join(supported_versions(TemplateKind(kind)))}. Send a file made another way and "
            "record it below."
        )
    return layout


def derive(request: CustomerRequest, prepared: documents.Prepared) -> Derivation:
    """The declaration this request gets from ``prepared``; BadInput names what is missing."""
    layout = asked_layout(request)
    if request.is_product_level:
        if not request.parts.exists():
            raise BadInput("Import the customer's list of part numbers first: this request is product level.")
        return documents.derivation(prepared, products=product_scope(request), layout=layout)
    return documents.derivation(prepared, layout=layout)


def blank_template(request: CustomerRequest, campaign: Campaign) -> tuple[bytes, str]:
    """RMI's blank template of the version the customer asked for: imported on the customers page, or
    the campaign's own when it is that version."""
    kind, version = request.template_kind, request.template_version
    imported = BlankTemplate.objects.filter(kind=kind, version=version).first()
    if imported is not None:
        return imported.file_bytes(), imported.filename
    own = campaign.blank_template_bytes()
    if own is not None:
        template = read_template(own, name=campaign.blank_template_name)
        if (str(template.kind), template.version) == (kind, version):
            return own, campaign.blank_template_name
    raise BadInput(
        f"There is no blank {kind} {version} to fill in. Import RMI's blank {kind} {version} under "
        "Customer requests › Blank templates, then prepare again."
    )


def prepare(request: CustomerRequest, by) -> CustomerAnswer:
    """Generate the answer and keep it; the request moves to "in preparation"."""
    campaign = answering_campaign(request)
    with transaction.atomic():
        locked = CustomerRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status not in CustomerRequest.MOVES[CustomerRequest.Status.IN_PREPARATION]:
            raise Refused(
                f"The request is {locked.get_status_display().lower()}; an answer is prepared again only "
                "once it needs an update."
            )
        prepared = documents.prepare(campaign)
        derived = derive(locked, prepared)
        generated = documents.generate(
            prepared,
            derived,
            by=by,
            parts=[p.number for p in locked.parts.all()] if locked.is_product_level else (),
            suppliers=list(derived.suppliers) if locked.is_product_level else (),
            blank=blank_template(locked, campaign),
            label=_slug(locked.customer.name),
        )
        summary = answer_summary(derived.declaration, prepared.built.rollup)
        answer = CustomerAnswer.objects.create(
            request=locked,
            generated=generated,
            filename=generated.filename,
            sha256=generated.sha256,
            campaign=campaign,
            template_version=locked.template_version,
            summary=summary,
            fingerprint=answer_fingerprint(summary),
            prepared_by=by,
            prepared_by_label=by.get_username(),
        )
        locked.move(
            CustomerRequest.Status.IN_PREPARATION, by, f"prepared {generated.filename}", status_note=""
        )
        AuditEntry.record(
            by, "customers.answer_prepared", locked, f"{generated.filename}, sha256 {generated.sha256}"
        )
    return answer


def _slug(name: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in name).split()
    return "-".join(words)[:60] or "customer"


def send_by_email(answer: CustomerAnswer, by) -> CustomerAnswer:
    """Queue the answer to the request's contact through the outbox, with the file attached."""

    def queue(locked: CustomerRequest) -> dict:
        if not locked.contact_email:
            raise Refused("The request has no contact e-mail address to send the answer to.")
        email = send_email(
            "customer-answer",
            [locked.contact_email],
            {"customer_request": locked, "answer": answer},
            key=f"customer-answer:{answer.pk}",
            language="en",
            attachments=[
                {
                    "filename": answer.filename,
                    "path": str(answer.file_path()),
                    "sha256": answer.sha256,
                    "content_type": XLSX,
                }
            ],
        )
        return {"sent_via": CustomerAnswer.Via.EMAIL, "sent_to": email.to, "email": email}

    return _record_sending(answer, by, queue)


def mark_sent(answer: CustomerAnswer, by) -> CustomerAnswer:
    """Record that the analyst uploaded the answer to the customer's portal."""

    def uploaded(locked: CustomerRequest) -> dict:
        return {"sent_via": CustomerAnswer.Via.PORTAL, "sent_to": [locked.portal_url or locked.customer.name]}

    return _record_sending(answer, by, uploaded)


def _record_sending(answer: CustomerAnswer, by, how) -> CustomerAnswer:
    with transaction.atomic():
        locked = (
            CustomerRequest.objects.select_for_update(of=("self",))
            .select_related("customer")
            .get(pk=answer.request_id)
        )
        latest = locked.latest_answer()
        if latest is None or latest.pk != answer.pk:
            raise Refused("A newer answer was prepared for this request; send that one.")
        if locked.status != CustomerRequest.Status.IN_PREPARATION:
            raise Refused(
                f"The request is {locked.get_status_display().lower()}; this answer is not sent again."
            )
        sending = how(locked)
        now = timezone.now()
        recorded = CustomerAnswer.objects.filter(pk=answer.pk, sent_at__isnull=True).update(
            sent_at=now, sent_by_label=by.get_username(), **sending
        )
        if recorded != 1 or not locked.move(CustomerRequest.Status.SENT, by, f"{answer.filename}"):
            raise Refused("The answer was sent meanwhile.")
        AuditEntry.record(
            by,
            "customers.answer_sent",
            locked,
            f"{answer.filename} (sha256 {answer.sha256}) {CustomerAnswer.Via(sending['sent_via']).label.lower()} "
            f"to {', '.join(sending['sent_to'])}",
        )
    answer.refresh_from_db()
    return answer


def record_sent_file(request: CustomerRequest, data: bytes, filename: str, by) -> CustomerAnswer:
    """Keep a file we sent the customer outside oretrace (an EMRT, a CMRT made by hand) under its
    SHA-256, and record it as sent: the register then says what went to whom, and when."""
    if not data:
        raise BadInput(f"{filename} is empty.")
    with transaction.atomic():
        locked = CustomerRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status not in CustomerRequest.OPEN:
            raise Refused(f"The request is {locked.get_status_display().lower()} already.")
        digest = storage.store_bytes(declarations_dir(), data)
        now = timezone.now()
        answer = CustomerAnswer.objects.create(
            request=locked,
            filename=filename[:255],
            sha256=digest,
            template_version=locked.template_version,
            prepared_by=by,
            prepared_by_label=by.get_username(),
            prepared_at=now,
            sent_at=now,
            sent_via=CustomerAnswer.Via.OUTSIDE,
            sent_to=[locked.contact_email or locked.portal_url or locked.customer.name],
            sent_by_label=by.get_username(),
        )
        if not locked.move(
            CustomerRequest.Status.SENT, by, f"{filename} sent outside oretrace", status_note=""
        ):
            raise Refused("The request changed meanwhile; reload it and try again.")
        AuditEntry.record(
            by, "customers.answer_sent", locked, f"{filename} (sha256 {digest}) sent outside oretrace"
        )
    return answer


def acknowledge(request: CustomerRequest, by) -> None:
    with transaction.atomic():
        if not request.move(CustomerRequest.Status.ACKNOWLEDGED, by, "the customer acknowledged it"):
            raise Refused("Only an answer that was sent can be acknowledged.")


# --- what changed since we sent it ------------------------------------------------------------------


@dataclass(frozen=True)
class StaleAnswer:
    request: CustomerRequest
    sent: CustomerAnswer
    changes: tuple[str, ...]  # the core's update_reasons
    now_key: str  # what we would send now (current_key): the analyst's "it still holds" is for this

    @property
    def still_holds(self) -> bool:
        """The analyst judged the sent answer to stand for what we would send now."""
        return self.sent.still_holds_for == self.now_key

    @property
    def to_mark(self) -> bool:
        return not self.still_holds and self.request.status in CHECKED_AS_SENT


# Sent answers the check may mark as needing an update; "needs update" is checked too, to show why.
CHECKED_AS_SENT = (CustomerRequest.Status.SENT, CustomerRequest.Status.ACKNOWLEDGED)
# Who marks a request when the worker's scheduled pass does (the audit log's actor).
SCHEDULED_CHECK = "scheduled check of customers' answers"


def source(campaign: Campaign | None) -> AnswerSource | None:
    return AnswerSource(str(campaign.pk), str(campaign)) if campaign is not None else None


def current_key(campaign: Campaign, fingerprint: str) -> str:
    return f"{campaign.pk}:{fingerprint}"


def stale_answers() -> tuple[list[StaleAnswer], list[tuple[CustomerRequest, str]]]:
    """Requests whose sent answer differs from the one we would generate now, with the core's reasons
    (customers.update_reasons: a newer campaign's results, a smelter's status, a changed answer or
    figure); and the requests that could not be checked, with the reason."""
    stale, unchecked = [], []
    prepared: dict[int, documents.Prepared] = {}
    answered = CustomerRequest.objects.filter(
        status__in=[*CHECKED_AS_SENT, CustomerRequest.Status.NEEDS_UPDATE]
    ).select_related("customer", "campaign")
    for request in answered:
        sent = request.last_sent_answer()
        if sent is None:
            continue
        if not sent.fingerprint:
            unchecked.append((request, f"{sent.filename} was made outside oretrace; compare it by hand"))
            continue
        try:
            campaign = answering_campaign(request)
            if campaign.pk not in prepared:
                prepared[campaign.pk] = documents.prepare(campaign)
            derived = derive(request, prepared[campaign.pk])
        except OretraceError as error:
            # An imported blank the reader refuses (UnsupportedVersion) as much as a missing part list:
            # named on the page, and the worker's scheduled pass goes on with the other requests.
            unchecked.append((request, error.message))
            continue
        now = answer_summary(derived.declaration, prepared[campaign.pk].built.rollup)
        reasons = update_reasons(sent.summary, source(sent.campaign), now, source(campaign))
        if reasons:
            stale.append(StaleAnswer(request, sent, reasons, current_key(campaign, answer_fingerprint(now))))
    return stale, unchecked


def mark_stale_answers(by) -> int:
    """Mark every sent or acknowledged request whose answer no longer holds (and that the analyst has
    not judged to stand) as needing an update, its reasons kept on it: how many were marked."""
    stale, _unchecked = stale_answers()
    return sum(mark_needs_update(item.request, item.changes, by) for item in stale if item.to_mark)


def mark_needs_update(request: CustomerRequest, changes: tuple[str, ...], by) -> bool:
    with transaction.atomic():
        return request.move(
            CustomerRequest.Status.NEEDS_UPDATE, by, "; ".join(changes)[:2000], status_note="\n".join(changes)
        )


def keep_as_sent(request: CustomerRequest, now_key: str, by) -> None:
    """The analyst's override: the sent answer still stands for what we would send now (``now_key``, as
    the page showed it). A request marked as needing an update is sent again; the scheduled check
    leaves it until what we would send changes further."""
    if not now_key:
        raise Refused("The page did not say which answer of ours the sent one holds for; reload it.")
    with transaction.atomic():
        locked = CustomerRequest.objects.select_for_update().get(pk=request.pk)
        sent = locked.last_sent_answer()
        if sent is None or locked.status not in (*CHECKED_AS_SENT, CustomerRequest.Status.NEEDS_UPDATE):
            raise Refused("Only an answer that was sent can be kept as it is.")
        CustomerAnswer.objects.filter(pk=sent.pk).update(still_holds_for=now_key)
        if locked.status == CustomerRequest.Status.NEEDS_UPDATE:
            locked.move(CustomerRequest.Status.SENT, by, f"{sent.filename} still holds", status_note="")
        AuditEntry.record(
            by, "customers.answer_still_holds", locked, f"{sent.filename} judged to hold for {now_key}"
        )


def staff_link(request: CustomerRequest) -> str:
    return settings.SITE_URL + reverse("customer_request", args=[request.pk])
