"""The demo's EMRT 2.1 and CRT 2.21 campaigns: a dozen of the demo's suppliers asked about cobalt (and,
in the EMRT, mica and nickel), most answering with files built from RMI's blank templates in
../shared (web.demo_files), naming real refiners from the template's own Smelter Look-up sheet, so
they are identified; a few names no look-up knows; one answer left in follow-up for its findings.
Each campaign then has our own EMRT or CRT generated, as the reports page's Generate does, and a customer
of ours asks for our EMRT (customers.CustomerRequest), answered from the EMRT campaign when prepared.

Without ../shared there is no blank to build from: the campaigns are skipped, and the log says why.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from oretrace.web.campaigns import reference
from oretrace.web.campaigns.intake import store_file
from oretrace.web.campaigns.models import Campaign, FollowUp, Request, State
from oretrace.web.customers.models import Customer, CustomerRequest
from oretrace.web.demo import DUE_AFTER, _backdate, _chase, _sent_at
from oretrace.web.demo_files import crt221_bytes, emrt21_bytes, template_lookup
from oretrace.web.reports.documents import derivation, generate, prepare
from oretrace.web.suppliers.models import Organisation, ReportingYear, Supplier

INVITED = 12  # suppliers asked per campaign
SILENT = 2  # of them, those who have not answered yet
# Names a supplier typed that no look-up knows: the unidentified-smelter page has work to show.
UNLISTED = {
    "Cobalt": ("Cobalt", "Jinchuan Cobalt Smelting Works", "CHINA"),
    "Mica": ("Mica", "Koderma Mica Traders", "INDIA"),
    "Nickel": ("Nickel", "Sulawesi Nickel Processing", "INDONESIA"),
}

# Mines the EMRT suppliers name in their Mine Lists, each with the country its ore comes from (no mine
# ID: the demo makes none up). The two in the DR Congo are in a Covered Country: the mine page and the
# risk page flag the suppliers naming them.
MINES = {
    "Cobalt": (
        ("Kamoto", "Congo, Democratic Republic of the"),
        ("Mutanda", "Congo, Democratic Republic of the"),
        ("Murrin Murrin", "Australia"),
    ),
    "Mica": (("Koderma", "India"),),
    "Nickel": (("Sorowako", "Indonesia"),),
}
# Our CRT's company questions the CMRT does not ask (B, D, F): what the demo organisation answers.
CRT_COMPANY_ANSWERS = {"B": "Yes", "D": "Yes", "F": "Yes"}


@dataclass(frozen=True)
class KindCampaign:
    kind: str
    version: str
    blank_name: str
    minerals: list[str] = field(default_factory=list)
    # The Declaration cells of the contact's phone, and of the e-mail blanked in the file left in follow-up.
    phone_cell: str = ""
    contact_email_cell: str = ""

    @property
    def name(self) -> str:
        return f"RCOI 2025 – {self.kind}"


KIND_CAMPAIGNS = (
    KindCampaign("EMRT", "2.1", "RMI_EMRT_2.1.xlsx", ["Cobalt", "Mica", "Nickel"], "D21", "D20"),
    # oretrace reads a CRT 2.21 as version "2.2" (the version its Declaration shows), so asking for
    # "2.21 or later" would send RMI's own 2.21 back as too old.
    KindCampaign("CRT", "2.2", "RMI_CRT_2.21.xlsx", [], "D17", "D16"),
)


def load_kind_campaigns(
    shared: Path, suppliers: list[Supplier], users: dict, log: Callable[[str], None]
) -> None:
    """Both campaigns, each skipped with its reason when its blank is not in ``shared``."""
    rng = random.Random(2112)  # its own, so the rest of the demo draws as it always did
    Organisation.replace_kind_company_answers("CRT", CRT_COMPANY_ANSWERS)
    for spec in KIND_CAMPAIGNS:
        path = shared / "cmrt" / "templates" / spec.blank_name
        if not path.exists():
            log(f"{spec.kind} campaign skipped: RMI's blank {spec.blank_name} is not at {path.parent}.")
            continue
        campaign = _campaign(spec, path.read_bytes(), users["analyst"])
        invited = rng.sample(suppliers[2:], min(INVITED, len(suppliers) - 2))
        answered = _run(campaign, spec, path.read_bytes(), invited, rng, users)
        if spec.kind == "EMRT":
            _annex_x_actions(campaign, users["analyst"])
        prepared = prepare(campaign)
        ours = generate(prepared, derivation(prepared), by=users["analyst"])
        log(
            f"{campaign.name}: {answered} of {len(invited)} suppliers answered; our {spec.kind}: {ours.filename}."
        )
        if spec.kind == "EMRT":
            _customer_asks_for_our_emrt(spec, users["analyst"])


def _customer_asks_for_our_emrt(spec: KindCampaign, analyst) -> None:
    """A battery maker's request for our EMRT, just received: the analyst prepares it from the campaign."""
    CustomerRequest.objects.create(
        customer=Customer.objects.get_or_create(name="Adatum Batteries")[0],
        contact_name="Robin Lee",
        contact_email="sourcing@adatum-batteries.example",
        template_kind=spec.kind,
        template_version=spec.version,
        due_date=timezone.localdate() + dt.timedelta(days=30),
        owner=analyst,
        created_by=analyst,
    )


def _campaign(spec: KindCampaign, blank: bytes, analyst) -> Campaign:
    """Created as the campaign form creates one: the blank's look-up loaded into the reference list."""
    reference.load_reference_from_template(blank, spec.blank_name, analyst)
    campaign = Campaign(
        name=spec.name,
        reporting_year=ReportingYear.objects.get_or_create(year=2025)[0],
        template_kind=spec.kind,
        minimum_version=spec.version,
        minerals=spec.minerals,
        due_date=(_sent_at() + DUE_AFTER).date(),
        reminder_days=[14, 28],
        escalation_days=42,
        created_by=analyst,
    )
    campaign.store_blank_template(blank, spec.blank_name)
    campaign.save()
    # The dashboard opens on the newest open campaign; the demo's is the CMRT one, so these two are
    # dated just before it.
    cmrt = Campaign.objects.filter(template_kind="CMRT", closed=False).order_by("created_at").first()
    if cmrt is not None:
        Campaign.objects.filter(pk=campaign.pk).update(created_at=cmrt.created_at - dt.timedelta(minutes=1))
    return campaign


def _run(
    campaign: Campaign, spec: KindCampaign, blank: bytes, invited: list[Supplier], rng, users: dict
) -> int:
    """Send to every supplier invited; all but the last two answer, the first is asked to correct its
    file, the last two answers wait for our review and the others are accepted. Returns how many answered."""
    campaign.add_suppliers(invited, users["analyst"])
    lookup = _lookup_by_mineral(blank)
    requests = list(campaign.requests.select_related("supplier").order_by("supplier__key"))
    sent_at = _sent_at()
    answering = len(requests) - SILENT
    for index, request in enumerate(requests):
        with transaction.atomic():
            request.transition(State.SENT, users["analyst"])
            request.issue_link()
            if index >= answering:
                _chase(request, sent_at)  # reminded and escalated on the campaign's schedule
                request.refresh_from_db()
                _backdate(request, [sent_at])
                continue
            request.transition(State.OPENED, "supplier via link")
            answered = sent_at + dt.timedelta(days=rng.randint(4, 60), hours=rng.randint(0, 9))
            moments = [sent_at, answered - dt.timedelta(hours=2), answered]
            follow_up = index == 0
            data = _supplier_file(spec, blank, request.supplier, lookup, rng, index, follow_up)
            submission, error = store_file(
                request, data, f"{spec.kind}_{request.supplier.key}.xlsx", "supplier via link"
            )
            if error:
                continue
            request.refresh_from_db()
            if follow_up:
                _ask_to_correct(request, submission, users["analyst"])
                moments.append(answered + dt.timedelta(days=3))
            elif index < answering - 2:  # the last two answers still wait for our review
                errors = [f for f in submission.findings if f.get("severity") == "error"]
                reason = "Checked with the supplier by phone; corrected next year." if errors else ""
                request.accept(users["analyst"], expected_file=submission.pk, reason=reason, notify=False)
                moments.append(answered + dt.timedelta(days=rng.randint(1, 10)))
            _backdate(request, moments, submission)
    return answering


# The Annex X risk categories the demo's analyst chose for the two riskiest cobalt refiners: the
# battery due-diligence report counts them as the adverse impacts identified and how they stand.
ANNEX_X_DEMO = (
    ("child-labour", "Ask the refinery for its child-labour assessment of the artisanal sites it buys from."),
    ("water", "Ask the refinery for its water-discharge permits and latest monitoring results."),
)


def _annex_x_actions(campaign: Campaign, analyst) -> None:
    """Risk actions on the riskiest smelters, each tagged with an Annex X category as the action page
    does; the second closed as done."""
    from oretrace.web.risk.assessment import campaign_risk
    from oretrace.web.risk.models import ActionStatus, RiskAction

    assessment = campaign_risk(campaign).assessment
    smelters = [r for r in assessment.top(len(assessment.ratings)) if r.subject_kind == "smelter"]
    for rating, (category, what) in zip(smelters, ANNEX_X_DEMO, strict=False):
        action = RiskAction.open_for(
            campaign,
            by=analyst,
            subject_kind=rating.subject_kind,
            subject_key=rating.key,
            subject_label=rating.subject,
            flag_code=rating.flags[0].code if rating.flags else "",
            what=what,
            owner=analyst,
            due_date=dt.date.today() + dt.timedelta(days=30),
        )
        action.set_annex_x_category(analyst, category, was="")
        if category == "water":
            action.close(analyst, ActionStatus.DONE, "Permits received and checked.")


def _lookup_by_mineral(blank: bytes) -> dict[str, list[str]]:
    """The Smelter Look-up's IDs per mineral."""
    found: dict[str, list[str]] = {}
    for entry in template_lookup(blank).values():
        if entry.smelter_id:
            found.setdefault(entry.metal, []).append(entry.smelter_id)
    return found


def _supplier_file(spec, blank, supplier, lookup, rng, index: int, follow_up: bool) -> bytes:
    minerals = spec.minerals or ["Cobalt"]
    smelters = [(sid, None) for sid in rng.sample(lookup["Cobalt"], rng.randint(3, 6))]
    # Each mineral the supplier declares needs a smelter row (the template's Checker asks for one).
    for mineral in minerals[1:]:
        smelters.append((rng.choice(lookup[mineral]), None) if lookup.get(mineral) else UNLISTED[mineral])
    if index % 4 == 1:  # one supplier in four typed a name the look-up does not know
        smelters.append(UNLISTED["Cobalt"])
    company = _company(supplier)
    cells = {spec.phone_cell: f"+1 555 0{100 + index}"}
    if follow_up:
        cells[spec.contact_email_cell] = None
    if spec.kind == "EMRT":
        return emrt21_bytes(blank, minerals, smelters, company, _mine_rows(minerals, rng), **cells)
    return crt221_bytes(blank, smelters, company, **cells)


def _mine_rows(minerals: list[str], rng) -> list[tuple]:
    """A few Mine List rows (metal, smelter, mine, mine ID, ID source, country) of the minerals picked."""
    rows = []
    for mineral in minerals:
        for name, country in rng.sample(MINES[mineral], rng.randint(1, len(MINES[mineral]))):
            rows.append((mineral, None, name, None, None, country))
    return rows


def _company(supplier: Supplier) -> dict[str, str]:
    contact = supplier.primary_contact
    domain = contact.email.split("@")[-1]
    return {
        "name": supplier.name,
        "contact": contact.name,
        "email": contact.email,
        "authorizer": contact.name,
        "authorizer_email": contact.email,
        "website": f"https://www.{domain}",
    }


def _ask_to_correct(request: Request, submission, analyst) -> None:
    """Our follow-up on the file's errors: the supplier has yet to answer it."""
    questions = [f for f in submission.findings if f.get("severity") == "error"][:4]
    FollowUp.objects.create(
        request=request,
        submission=submission,
        author=analyst,
        author_label="analyst",
        message="Please correct the points below and upload the file again.",
        questions=questions,
    )
    request.transition(State.FOLLOW_UP, analyst, f"{len(questions)} questions")
