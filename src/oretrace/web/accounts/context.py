"""Template context: what the logged-in person may do, so pages show only the buttons that work."""

from oretrace.web.accounts.models import can_administer, can_edit, can_read_audit, role_of


def role(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "role": role_of(user),
        "can_edit": can_edit(user),
        "can_administer": can_administer(user),
        "can_read_audit": can_read_audit(user),
        # A single sign-on account has no password here, so no "your account" page either.
        "has_password": user.is_authenticated and user.has_usable_password(),
    }
