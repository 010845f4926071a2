"""The one way oretrace writes an e-mail: render templates/emails/<name>-*, queue it, return the row.

Nothing here talks to a mail server. The row is committed with the caller's transaction and the
``deliver_outbox`` worker sends it, so a request marked "sent" and its invitation can never disagree.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

from oretrace.web.outbox.models import OutboundEmail


def send_email(
    template_name: str,
    to: list[str],
    context: dict,
    *,
    request=None,
    key: str | None = None,
    language: str | None = None,
    english_context: dict | None = None,
    attachments: list[dict] | None = None,
) -> OutboundEmail:
    """Queue ``emails/<template_name>-subject.txt / -body.txt / -body.html`` for ``to``.

    ``language`` is the recipient's language when known (a contact's preference); the message is
    rendered in it, and in any language but English the English message follows below (rendered
    with ``english_context`` when the caller words some values per language), so that a forwarded
    e-mail or our own staff can still read it. ``organisation`` is in every context. ``attachments``
    name files already kept under their SHA-256 (OutboundEmail.attachments). With a ``key``
    the same message is queued at most once: a second call returns the row the first one made, which
    is how a reminder run that is repeated never mails anyone twice.
    """
    recipients = [address.strip() for address in to if address and address.strip()]
    if not recipients:
        raise ValueError(f"An e-mail ({template_name}) needs at least one recipient.")
    if key is not None and (existing := OutboundEmail.objects.filter(key=key).first()):
        return existing
    from oretrace.web.suppliers.models import Organisation

    organisation = context.get("organisation") or Organisation.current()
    context = {**context, "organisation": organisation}
    with translation.override(language or translation.get_language()):
        subject, text, html = _render(template_name, context)
        used_language = translation.get_language() or ""
    if not is_english(used_language):
        with translation.override("en"):
            english = _render(template_name, {**(english_context or context), "organisation": organisation})
        subject, text, html = _with_english_below((subject, text, html), english)
    email = OutboundEmail(
        template=template_name,
        to=recipients,
        subject=subject,
        text=text,
        html=html,
        language=used_language,
        request=request,
        key=key,
        attachments=attachments or [],
    )
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:
        if key is None:
            raise
        return OutboundEmail.objects.get(key=key)  # another process queued it a moment ago
    return email


def is_english(language: str | None) -> bool:
    return not language or language.lower().startswith("en")


def send_campaign_email(
    request,
    which: str,
    to: list[str] | None = None,
    *,
    key: str | None = None,
    language: str | None = None,
    today: dt.date | None = None,
) -> OutboundEmail:
    """Queue the campaign's own text ("invitation", "reminder", "escalation") for one request.

    Issues a fresh personal link (only its hash is stored, so each e-mail that carries the link carries
    a new one; the links of earlier e-mails keep opening the request until they expire). Call inside the
    transaction that records the change, so the e-mail and the request's state never disagree.

    The campaign's texts are the organisation's own English. A contact who reads another language
    (``language``, else the primary contact's) gets oretrace's standard text in that language first and
    the campaign's English text below it. ``today`` is the day of sending ("is due on" / "was due on").
    """
    from oretrace.web.suppliers.models import Organisation

    if key is not None and (existing := OutboundEmail.objects.filter(key=key).first()):
        return existing
    link = request.link_url(request.issue_link())
    if language is None:
        contact = request.supplier.primary_contact
        language = contact.language if contact else None
    organisation = Organisation.current()

    def context(standard: bool) -> dict:
        subject, body = request.campaign.render_text(which, request, link, today=today, standard=standard)
        return {
            "subject": subject,
            "body": body,
            "link": link,
            "request": request,
            "organisation": organisation,
            "due_date": request.campaign.due_date,
        }

    with translation.override("en"):
        english = context(standard=False)
    if is_english(language):
        local = english
    else:
        with translation.override(language):
            local = context(standard=True)
    recipients = to if to is not None else request.supplier.recipients()
    return send_email(
        which, recipients, local, request=request, key=key, language=language, english_context=english
    )


def _render(name: str, context: dict) -> tuple[str, str, str]:
    # Subjects and plain-text bodies are not HTML: render them without HTML escaping.
    plain = Context(context, autoescape=False)
    subject = get_template(f"emails/{name}-subject.txt").template.render(plain)
    text = get_template(f"emails/{name}-body.txt").template.render(plain)
    html = render_to_string(f"emails/{name}-body.html", context)
    return " ".join(subject.split())[:300], _tidy(text), html.strip()


def _with_english_below(local: tuple[str, str, str], english: tuple[str, str, str]) -> tuple[str, str, str]:
    """One message: the recipient's language first, then the same message in English."""
    subject, text, html = local
    en_subject, en_text, en_html = english
    subject = subject if subject == en_subject else f"{subject} / {en_subject}"
    text = f"{text}\n{'-' * 20} English {'-' * 20}\n\n{en_text}"
    # The English page's body goes below the first one's, inside the same document.
    inner = re.search(r"<body[^>]*>(.*)</body>", en_html, re.DOTALL)
    below = inner.group(1) if inner else en_html
    divider = '<p style="text-align:center;color:#5b6b66;font-size:13px;margin:24px 0 8px;">English</p>'
    english_part = f'{divider}<div lang="en">{below}</div>'
    html = html.replace("</body>", english_part + "</body>", 1) if "</body>" in html else html + english_part
    return subject[:300], text, html


def _tidy(text: str) -> str:
    """Template tags leave blank lines behind; keep at most one empty line between paragraphs."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
