"""Who may open what: one decorator per permission, checked on the server for every view."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from oretrace.web.accounts.models import can_administer, can_edit, can_read_audit, role_of


def _requires(check):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = _requires(lambda user: role_of(user) is not None)  # any role: read
editor_required = _requires(can_edit)  # analyst or admin: change things
admin_required = _requires(can_administer)  # admin: settings and users
audit_reader_required = _requires(can_read_audit)  # admin or viewer: the audit log


def read_only_for_viewers(view):
    """Any staff member may GET; only analysts and admins may POST."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if role_of(request.user) is None:
            raise PermissionDenied
        if request.method not in ("GET", "HEAD") and not can_edit(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
