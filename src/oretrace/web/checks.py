"""Checks that stop a misconfigured production start: Django runs them before every management
command (the outbox worker included) and ``oretrace serve`` before it starts gunicorn; the WSGI module
runs them too, for a server started by hand."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


def site_url_problems() -> list[str]:
    url = settings.SITE_URL
    if not url:
        return [
            "ORETRACE_SITE_URL is not set: the links in e-mails to suppliers are built on it. Set it to "
            "the address people open oretrace at, e.g. https://oretrace.example.com."
        ]
    if not url.startswith(("http://", "https://")):
        return [f"ORETRACE_SITE_URL is {url}: it must begin with https:// (or http://)."]
    if settings.HTTPS and not url.startswith("https://"):
        return [
            f"ORETRACE_HTTPS is on but ORETRACE_SITE_URL is {url}: links in e-mails would point to plain "
            "HTTP. Write the site's address with https://."
        ]
    return []


@register()
def site_url(app_configs, **kwargs) -> list[Error]:
    return [Error(problem, id="oretrace.E001") for problem in site_url_problems()]
