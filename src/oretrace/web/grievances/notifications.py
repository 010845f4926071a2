"""The e-mails of the grievance mechanism, queued through the outbox in the transaction that records
the change: to staff about a new case, to a reporter who left an address about a reply.

Staff choose on their profile (accounts.Profile.notify) whether oretrace e-mails them. A new concern
goes at once to everyone who asked for e-mails, those who chose the daily digest included: a report of
a human rights abuse in the supply chain is not left for tomorrow's summary.

A staff e-mail names the case by its reference and links to the staff page; it never carries the
reporter's name, address or words, so a forwarded notice reveals nobody.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from oretrace.web.accounts.models import Notify
from oretrace.web.outbox.mail import send_email


def staff_case_url(case) -> str:
    return f"{settings.SITE_URL}{reverse('grievance', args=[case.pk])}"


def reporter_case_url(case, secret: str) -> str:
    return f"{settings.SITE_URL}{reverse('concern_case', args=[case.reference, secret])}"


def _recipients():
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__notify__in=(Notify.AT_ONCE, Notify.DAILY))
        .exclude(email="")
        .order_by("pk")
    )


def notify_staff_of_case(case, message=None) -> int:
    """Queue one e-mail per staff member who wants e-mails about a new case, or with ``message``
    about the reporter's answer on it; returns how many were queued."""
    queued = 0
    for user in _recipients():
        send_email(
            "grievance-received",
            [user.email],
            {"case": case, "user": user, "url": staff_case_url(case), "answer": message},
            key=f"grievance:{case.pk}:{message.pk if message else 'new'}:{user.pk}",
            language="en",
        )
        queued += 1
    return queued


def email_reply(case, message) -> None:
    """The reply to a reporter who left an address, in the language they wrote in. It carries no link:
    the secret link is not stored, and the reporter has it from the page they submitted on."""
    send_email(
        "grievance-reply",
        [case.reporter_email],
        {"case": case, "message": message},
        key=f"grievance-reply:{message.pk}",
        language=case.language or "en",
    )


def email_closed(case) -> None:
    """The outcome, to a reporter who left an address, when the case is closed."""
    send_email(
        "grievance-closed",
        [case.reporter_email],
        {"case": case},
        key=f"grievance-closed:{case.pk}",
        language=case.language or "en",
    )
