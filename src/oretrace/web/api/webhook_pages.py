"""The webhooks page: every staff member sees which integrations are told of what, and how the recent
deliveries went; admins add and remove webhooks (a webhook's secret is shown once, when it is added)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from oretrace.web.accounts.access import admin_required, staff_required
from oretrace.web.accounts.models import can_administer
from oretrace.web.audit.models import AuditEntry
from oretrace.web.forms import CleanText
from oretrace.web.outbox.webhooks import Event, Webhook, WebhookDelivery

RECENT = 50
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


class WebhookForm(CleanText, forms.ModelForm):
    url = forms.URLField(
        max_length=500,
        assume_scheme="https",
        label="URL",
        help_text="Where oretrace POSTs each event (https).",
    )
    events = forms.MultipleChoiceField(choices=Event.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Webhook
        fields = ["url", "description", "events"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        parts = urlsplit(url)
        # Events name suppliers and their states: they travel encrypted, except to this machine itself.
        if parts.scheme != "https" and parts.hostname not in LOCAL_HOSTS:
            raise forms.ValidationError("Use an https:// address: the events name your suppliers.")
        return url


@require_safe
@staff_required
def webhooks(request):
    deliveries = WebhookDelivery.objects.select_related("webhook")
    if request.GET.get("status") in WebhookDelivery.Status.values:
        deliveries = deliveries.filter(status=request.GET["status"])
    return render(
        request,
        "api/webhooks.html",
        {
            "webhooks": Webhook.objects.all(),
            "deliveries": deliveries[:RECENT],
            "recent": RECENT,
            "statuses": WebhookDelivery.Status.choices,
            "status": request.GET.get("status", ""),
            "can_administer": can_administer(request.user),
            "retry_days": settings.OUTBOX_RETRY_DAYS,
        },
    )


@admin_required
def webhook_new(request):
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            hook = form.save(commit=False)
            hook.created_by = request.user
            hook.save()
            AuditEntry.record(request.user, "webhook.added", hook, f"{hook.url}: {', '.join(hook.events)}")
        return render(request, "api/webhook_added.html", {"hook": hook})
    return render(request, "api/webhook_new.html", {"form": form})


@admin_required
def webhook_remove(request, pk: int):
    """A GET shows what removing means and asks to confirm; the POST removes."""
    hook = get_object_or_404(Webhook, pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            AuditEntry.record(request.user, "webhook.removed", hook, hook.url)
            # Its queued deliveries are not sent: the worker finds no webhook and marks them failed.
            hook.delete()
        messages.success(request, f"The webhook to {hook.url} is removed.")
        return redirect("webhooks")
    queued = hook.deliveries.filter(status=WebhookDelivery.Status.QUEUED).count()
    return render(request, "api/webhook_remove.html", {"hook": hook, "queued": queued})
