"""The API tokens page: a staff member makes tokens for their scripts (each shown once) and revokes
them. A token acts with its owner's role, so a viewer's token only reads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oretrace.web.accounts.access import staff_required
from oretrace.web.accounts.models import role_of
from oretrace.web.accounts.tokens import ApiToken
from oretrace.web.forms import CleanText


class TokenForm(CleanText, forms.Form):
    name = forms.CharField(
        max_length=100, label="What it is for", help_text='e.g. "SAP nightly supplier export"'
    )


@staff_required
def api_tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = ApiToken.issue(request.user, form.cleaned_data["name"], by=request.user)
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": request.user.api_tokens.all(),
            "role_name": role_of(request.user),
        },
    )


@require_POST
@staff_required
def api_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoke(by=request.user):
        messages.success(request, f"The token “{token.name}” is revoked: requests with it are refused.")
    else:
        messages.info(request, f"The token “{token.name}” was revoked already.")
    return redirect("api_tokens")
