"""Per-address rate limits of the public grievance pages, counted in Django's cache.

The counts live as long as their window (an hour of reports, a day of messages), so a cache that is
cleared forgets them early: a bound on scripts and floods, not an accounting record.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def client_address(request) -> str:
    """The sender's address: the proxy's header when one is configured (ORETRACE_CLIENT_IP_HEADER),
    the last address in it being the one our own proxy added; else the connection's."""
    if settings.CLIENT_IP_HEADER and (forwarded := request.META.get(settings.CLIENT_IP_HEADER)):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def take(request, what: str, limit: int, window_seconds: int) -> bool:
    """Count one more ``what`` from the request's address in the current window; False when the
    address has already used ``limit`` of them."""
    window = int(timezone.now().timestamp()) // window_seconds
    key = f"grievance:{what}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def report_allowed(request) -> bool:
    return take(request, "report", settings.GRIEVANCE_REPORTS_PER_HOUR, 3600)


def message_allowed(request) -> bool:
    return take(request, "message", settings.GRIEVANCE_MESSAGES_PER_DAY, 24 * 3600)
