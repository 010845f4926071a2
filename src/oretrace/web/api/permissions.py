"""The web's roles, for the API: any staff role reads, analysts and admins write, admins administer."""

from __future__ import annotations

from rest_framework import permissions

from oretrace.web.accounts.models import can_edit, role_of


class StaffRole(permissions.BasePermission):
    message = "Your role may read but not change anything (viewers are read-only)."

    def has_permission(self, request, view) -> bool:
        if role_of(request.user) is None:
            self.message = "This account has no staff role."
            return False
        return request.method in permissions.SAFE_METHODS or can_edit(request.user)
