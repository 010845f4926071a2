"""A campaign's scope and its sending: which suppliers are asked, and the invitations that go out.

Adding suppliers (one, a tier, or those linked to chosen parts or products) shows who would be added
before anything is; removing drafts and sending each show what they will do and wait for a confirm.
The rules (only drafts leave the scope, no sending without the blank template) are the models'.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from oretrace.web.accounts.access import editor_required
from oretrace.web.campaigns.models import Campaign, InvalidTransition, Request, State
from oretrace.web.suppliers.models import Part, Product, Supplier, SupplierPart, Tier, suppliers_supplying

LISTED = 500  # suppliers listed in a preview; the counts cover them all
DRAFTS_PER_PAGE = 100
SEARCH_RESULTS = 20


def _get_campaign(pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("reporting_year"), pk=pk)


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def _names(items, limit: int = 10) -> str:
    items = list(items)
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _sentence(text: str) -> str:
    # A list ending in "Co., Ltd." already has its full stop.
    return text if text.endswith(".") else text + "."


# --- choosing suppliers ---------------------------------------------------------------------------
@dataclass
class Selection:
    """The suppliers some choices select, sorted into those added, those already in scope and those
    inactive (never added: they no longer supply us), with what the choices could not find."""

    by: str  # "tier", "parts", "products" or "supplier"
    basis: str  # how they were chosen, for the page and the log: "parts P-001, P-002"
    criteria: list[tuple[str, str]]  # the choices as form fields, to post them again with the confirm
    to_add: list[Supplier] = field(default_factory=list)
    in_scope: list[Supplier] = field(default_factory=list)
    inactive: list[Supplier] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # part numbers no part has
    problem: str = ""
    parts_of: dict[int, list[str]] = field(
        default_factory=dict
    )  # supplier id -> the chosen parts it supplies

    @property
    def through_parts(self) -> bool:
        return self.by in ("parts", "products")

    @property
    def plan(self) -> str:
        """A digest of who would be added: the confirm adds only if it is still the same."""
        return hashlib.sha256(",".join(str(s.pk) for s in self.to_add).encode()).hexdigest()[:16]

    @property
    def query(self) -> str:
        return urlencode(self.criteria)


def _part_numbers(text: str) -> list[str]:
    # Pasted from a bill of materials: one per line, or separated by commas, semicolons or tabs.
    return list(dict.fromkeys(n.strip() for n in re.split(r"[\n\r,;\t]+", text) if n.strip()))


def selection(campaign: Campaign, data) -> Selection | None:
    """The suppliers chosen by ``data`` (a GET or POST): ``by`` is "tier", "parts", "products" or
    "supplier". None when nothing is chosen."""
    by = data.get("by", "")
    relevant_parts = None
    if by == "tier":
        tier = data.get("tier", "")
        suppliers = Supplier.objects.all()
        if tier in Tier.values:
            suppliers = suppliers.filter(tier=tier)
            chosen = Selection(
                by, f"tier: {Tier(tier).label.lower()} suppliers", [("by", by), ("tier", tier)]
            )
        else:
            chosen = Selection(by, "all suppliers", [("by", by), ("tier", "")])
    elif by == "parts":
        numbers = _part_numbers(data.get("parts", ""))
        chosen = Selection(by, f"parts {_names(numbers)}", [("by", by), ("parts", "\n".join(numbers))])
        if not numbers:
            chosen.problem = "Type at least one of our part numbers."
            return chosen
        found = list(Part.objects.annotate(low=Lower("number")).filter(low__in=[n.lower() for n in numbers]))
        known = {p.number.lower() for p in found}
        chosen.unknown = [n for n in numbers if n.lower() not in known]
        relevant_parts = found
        suppliers = suppliers_supplying(parts=found)
    elif by == "products":
        products = list(Product.objects.filter(pk__in=_ids(data.getlist("product"))).order_by("number"))
        chosen = Selection(
            by,
            f"products {_names(p.number for p in products)}",
            [("by", by), *(("product", str(p.pk)) for p in products)],
        )
        if not products:
            chosen.problem = "Choose at least one product."
            return chosen
        relevant_parts = list(Part.objects.filter(products__in=products).distinct())
        suppliers = suppliers_supplying(products=products)
    elif by == "supplier":
        suppliers = Supplier.objects.filter(pk__in=_ids(data.getlist("supplier")))
        chosen = Selection(
            by,
            f"supplier {_names(str(s) for s in suppliers)}",
            [("by", by), *(("supplier", str(s.pk)) for s in suppliers)],
        )
        if not chosen.criteria[1:]:
            chosen.problem = "Choose a supplier."
            return chosen
    else:
        return None
    in_scope = set(campaign.requests.values_list("supplier_id", flat=True))
    for supplier in suppliers.order_by(Lower("name"), "pk"):
        if supplier.pk in in_scope:
            chosen.in_scope.append(supplier)
        elif not supplier.active:
            chosen.inactive.append(supplier)
        else:
            chosen.to_add.append(supplier)
    if relevant_parts is not None:
        for supplier_id, number in SupplierPart.objects.filter(
            supplier__in=[s.pk for s in chosen.to_add[:LISTED]], part__in=relevant_parts
        ).values_list("supplier_id", "part__number"):
            chosen.parts_of.setdefault(supplier_id, []).append(number)
    for supplier in chosen.to_add[:LISTED]:
        supplier.chosen_parts = sorted(chosen.parts_of.get(supplier.pk, []))
    return chosen


def _search(campaign: Campaign, q: str) -> list[Supplier]:
    """Suppliers whose name or number contains ``q``, each with its request in this campaign if any."""
    found = list(
        Supplier.objects.filter(Q(name__icontains=q) | Q(key__icontains=q)).order_by(Lower("name"))[
            :SEARCH_RESULTS
        ]
    )
    requests = {r.supplier_id: r for r in campaign.requests.filter(supplier__in=found)}
    for supplier in found:
        supplier.request = requests.get(supplier.pk)
        supplier.plan = Selection("supplier", "", [], to_add=[supplier]).plan
    return found


# --- the scope page -------------------------------------------------------------------------------
@editor_required
def campaign_scope(request, pk: int):
    campaign = _get_campaign(pk)
    if request.method == "POST":
        return _change_scope(request, campaign)
    drafts = (
        campaign.requests.filter(state=State.DRAFT)
        .select_related("supplier")
        .prefetch_related("supplier__contacts")
        .order_by(Lower("supplier__name"))
    )
    counts = campaign.requests.aggregate(total=Count("id"), drafts=Count("id", filter=Q(state=State.DRAFT)))
    context = {
        "campaign": campaign,
        "total": counts["total"],
        "draft_count": counts["drafts"],
        "sent_count": counts["total"] - counts["drafts"],
        "drafts": Paginator(drafts, DRAFTS_PER_PAGE).get_page(request.GET.get("page")),
        "cannot_send": campaign.cannot_send(),
        "tiers": Tier.choices,
        "products": Product.objects.annotate(parts_count=Count("parts")).order_by("number"),
        "q": request.GET.get("q", "").strip(),
        "chosen": selection(campaign, request.GET),
        "listed": LISTED,
    }
    if context["q"]:
        context["found"] = _search(campaign, context["q"])
    if request.GET.get("confirm") == "remove":
        chosen = campaign.requests.select_related("supplier").order_by(Lower("supplier__name"))
        if request.GET.get("all") != "1":
            chosen = chosen.filter(pk__in=_ids(request.GET.getlist("request")))
        chosen = list(chosen)
        context["removing"] = [r for r in chosen if r.state == State.DRAFT]
        context["not_removable"] = [r for r in chosen if r.state != State.DRAFT]
        if not chosen:
            messages.error(request, "Choose at least one draft request to remove.")
    return render(request, "staff/campaign_scope.html", context)


def _change_scope(request, campaign: Campaign):
    action = request.POST.get("action")
    if action == "remove":
        ids = _ids(request.POST.getlist("request"))
        if not ids:
            messages.error(request, "Choose at least one draft request to remove.")
            return redirect("campaign_scope", campaign.pk)
        removed, refused = campaign.remove_drafts(ids, request.user)
        if removed:
            messages.success(
                request,
                _sentence(
                    f"{len(removed)} draft request{'s' if len(removed) != 1 else ''} removed: {_names(removed)}"
                ),
            )
        if refused:
            messages.error(
                request,
                f"Not removed, because already sent: {_sentence(_names(refused))} A request that was sent stays in "
                "the campaign and its figures; if the supplier should not answer, mark it "
                "“no response” on its page.",
            )
        return redirect("campaign_scope", campaign.pk)
    chosen = selection(campaign, request.POST)
    if chosen is None or action != "add":
        messages.error(request, "Choose suppliers to add: one supplier, a tier, parts or products.")
        return redirect("campaign_scope", campaign.pk)
    back = reverse("campaign_scope", args=[campaign.pk]) + "?" + chosen.query
    if chosen.problem:
        messages.error(request, chosen.problem)
        return redirect(back)
    if request.POST.get("plan") != chosen.plan:
        # Suppliers, parts or the scope changed since the preview: who would be added is no longer
        # what the page showed, so nothing is added until the new list is seen.
        messages.error(
            request,
            "The suppliers these choices select changed since the preview, and nothing was added. "
            "Look at the list below and add again.",
        )
        return redirect(back)
    added = campaign.add_suppliers(chosen.to_add, request.user, chosen.basis)
    messages.success(
        request,
        f"{added} supplier{'s' if added != 1 else ''} added to the scope by {chosen.basis}, as draft "
        "requests: nothing is sent until you send them.",
    )
    return redirect("campaign_scope", campaign.pk)


# --- sending --------------------------------------------------------------------------------------
@editor_required
def campaign_send(request, pk: int):
    """GET: what sending the chosen drafts (all drafts when none is chosen) would do, with the e-mail
    as one supplier will get it. POST: send them."""
    campaign = _get_campaign(pk)
    if request.method == "POST":
        return _send(request, campaign)
    ids = _ids(request.GET.getlist("request"))
    chosen = campaign.requests.select_related("supplier").prefetch_related("supplier__contacts")
    chosen = list(
        (chosen.filter(pk__in=ids) if ids else chosen.filter(state=State.DRAFT)).order_by(
            Lower("supplier__name")
        )
    )
    drafts = [r for r in chosen if r.state == State.DRAFT]
    going = [r for r in drafts if r.supplier.recipients()]
    example = next((r for r in going if str(r.pk) == request.GET.get("example")), going[0] if going else None)
    email = example.preview_email("invitation") if example else None
    return render(
        request,
        "staff/campaign_send.html",
        {
            "campaign": campaign,
            "going": going,
            "no_contact": [r for r in drafts if not r.supplier.recipients()],
            "not_drafts": [r for r in chosen if r.state != State.DRAFT],
            "example": example,
            "email": email,
            "language": dict(settings.LANGUAGES).get(email.language, email.language) if email else "",
            "cannot_send": campaign.cannot_send(),
            "chosen_ids": [r.pk for r in chosen] if ids else [],
            "single": chosen[0] if ids and len(chosen) == 1 else None,
        },
    )


def _send(request, campaign: Campaign):
    ids = _ids(request.POST.getlist("request"))
    back = reverse("campaign_send", args=[campaign.pk]) + "?" + urlencode([("request", i) for i in ids])
    if not ids:
        messages.error(request, "Choose at least one draft request to send.")
        return redirect("campaign_scope", campaign.pk)
    try:
        result = campaign.send_requests(ids, request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
        return redirect(back)
    n = len(result.sent)
    messages.success(request, f"{n} request{'s' if n != 1 else ''} sent to the outbox.")
    if result.no_contact:
        messages.warning(request, _sentence(f"Not sent (no contact e-mail): {_names(result.no_contact)}"))
    if result.not_drafts:
        messages.warning(
            request,
            _sentence(
                f"Not sent again, because already sent (perhaps by someone else): {_names(result.not_drafts)}"
            ),
        )
    if len(ids) == 1 and Request.objects.filter(pk=ids[0], campaign=campaign).exists():
        return redirect("request", ids[0])
    return redirect("campaign", campaign.pk)
