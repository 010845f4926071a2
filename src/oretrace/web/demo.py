"""A realistic demo: an organisation like the one in a real Conflict Minerals Report, its ~260 suppliers,
and a finished annual campaign where 96% of them answered, with the defects real CMRTs have; the year's
report settings filled in, so our own CMRT and the report can be produced, and a risk register with a few
actions opened from the core's suggestions (one overdue, one escalated, one done with its evidence).

Supplier files come from the four real CMRT 6.4 returns in ../shared when they are there (their
Declaration varied cell by cell with oretrace's own patcher, smelter lists kept as suppliers saved
them), and otherwise from a CMRT 6.5 workbook built here, so the demo works on a fresh machine. The
smelter reference list is RMI's, from RMI's template in ../shared; without it, a sample of RMI's list
(real facilities, their RMI IDs and countries: oretrace.smelters.sample), shown as a sample wherever it
appears, and no audit statuses (none is made up for a real refiner).
Every file goes through ``intake.store_file``: the same reading and review a supplier upload gets, and
audit statuses, reminders and escalations go through the same code as the app's own.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext
from openpyxl import Workbook

from oretrace.rmi import read_template
from oretrace.smelters.sample import sample_reference
from oretrace.web import demo_status
from oretrace.web.accounts.models import Profile, Role
from oretrace.web.campaigns import reference, years
from oretrace.web.campaigns.intake import store_file
from oretrace.web.campaigns.models import (
    Campaign,
    FacilityStatusChange,
    FollowUp,
    Request,
    RequestEvent,
    State,
    Submission,
)
from oretrace.web.customers import answers as customer_answers
from oretrace.web.customers.models import Customer, CustomerPart, CustomerRequest
from oretrace.web.reports.documents import derivation, earlier_years, generate, prepare
from oretrace.web.reports.models import ReportSettings
from oretrace.web.risk.models import ActionStatus, ReportingLine, RiskAction
from oretrace.web.suppliers.models import (
    Contact,
    Organisation,
    Part,
    Product,
    ProductLine,
    ReportingYear,
    Supplier,
    SupplierPart,
    Tier,
)

DEMO_PASSWORD = "oretrace-demo-2025"
DEMO_USERS = (("admin", Role.ADMIN), ("analyst", Role.ANALYST), ("viewer", Role.VIEWER))
# Beside the checkout (src/oretrace/web/demo.py -> ../shared), as for the tests; ORETRACE_SHARED overrides.
SHARED = Path(os.environ.get("ORETRACE_SHARED", Path(__file__).resolve().parents[4] / "shared"))
METALS = ("Tantalum", "Tin", "Gold", "Tungsten")
REVISION = "Revision 6.5\nApril 25, 2025"
TITLE = "Conflict Minerals Reporting Template (CMRT)"
BUILT_IN = "oretrace's built-in demo template, with a sample of RMI's smelter list"
SAMPLE_COUNTRIES = {f.smelter_id: f.country for f in sample_reference().facilities}

_NAME_A = (
    "Everbright",
    "Jade River",
    "Sunrise",
    "Pacific",
    "Golden Bridge",
    "Kaisheng",
    "Hua Tai",
    "Lianxin",
    "Nanyang",
    "Orient",
    "Silverline",
    "Tianma",
    "Yuhong",
    "Zhenhua",
    "Fortune",
    "Meridian",
    "Northstar",
    "Kyoei",
    "Daewon",
    "Sanyo Denki",
    "Hanil",
    "Formosa",
    "Taiyo",
    "Penang",
    "Bayan",
    "Vista",
    "Apex",
    "Crestwood",
    "Rheinland",
    "Alpen",
    "Nordic",
    "Cascade",
    "Summit",
    "Harbor",
    "Pioneer",
    "Lotus",
    "Phoenix",
    "Great Wall",
    "Pearl River",
)
_NAME_B = (
    "Electronics",
    "Precision",
    "Components",
    "Circuit",
    "Connector",
    "Magnetics",
    "Passive Devices",
    "Semiconductor",
    "Plastics",
    "Metal Works",
    "Cable",
    "Crystal",
    "Display",
    "Power",
    "Technology",
)
_FORMS = ("Co., Ltd.", "Corporation", "Inc.", "Ltd.", "GmbH", "Sdn. Bhd.", "Co., Ltd.", "Co., Ltd.")
_COUNTRIES = (
    ("China", "zh-hans", 46),
    ("Taiwan", "zh-hans", 14),
    ("Japan", "en", 10),
    ("Korea, Republic of", "en", 7),
    ("Malaysia", "en", 6),
    ("United States of America", "en", 8),
    ("Germany", "en", 4),
    ("Thailand", "en", 3),
    ("Viet Nam", "en", 2),
)
_PEOPLE = (
    "Li Wei",
    "Wang Fang",
    "Zhang Min",
    "Chen Jing",
    "Liu Yang",
    "Huang Lei",
    "Sato Yuki",
    "Kim Minji",
    "Tan Mei Ling",
    "Anna Schmidt",
    "John Miller",
    "Nguyen Anh",
    "Lin Hui",
    "Wu Tao",
    "Zhao Qing",
)
_PART_KINDS = (
    ("CAP", "Tantalum capacitor 10uF 16V"),
    ("RES", "Thick-film resistor 0402"),
    ("CON", "RJ45 connector, gold-plated"),
    ("IC", "Ethernet PHY, QFN-48"),
    ("PCB", "Printed circuit board, 6 layer ENIG"),
    ("SOL", "Lead-free solder paste SAC305"),
    ("XTL", "Crystal oscillator 25 MHz"),
    ("IND", "Power inductor 4.7uH"),
    ("CBL", "Shielded cable assembly"),
    ("MOD", "LTE module"),
    ("ENC", "Aluminium enclosure"),
    ("LED", "Status LED, green"),
    ("FUS", "Fuse 2A"),
)
# Names suppliers type for facilities RMI lists: former or other names RMI's look-up carries as aliases
# (in the sample and in RMI's list), so they are identified by the reference list alone, the same in the
# app and in `oretrace report`, in the facility's real country.
_SPELLINGS = {
    "Gold": (
        ("Umicore Precious Metals Refining Hoboken", "CID001980"),
        ("Metalor Switzerland", "CID001153"),
        ("Heraeus Ltd. Hong Kong", "CID000707"),
        ("Johnson Matthey Inc.", "CID000920"),
    ),
    "Tin": (
        ("China Yunnan Tin Co Ltd.", "CID002180"),
        ("MSC", "CID001105"),
        ("Mentok Smelter", "CID001482"),
        ("Thailand Smelting & Refining Co Ltd", "CID001898"),
    ),
    "Tantalum": (("H.C. Starck Co., Ltd.", "CID002544"), ("KEMET Blue Metals", "CID002539")),
    "Tungsten": (
        ("Chenzhou Diamond Tungsten Products Co., Ltd.", "CID002513"),
        ("GTP", "CID000568"),
        ("WBH", "CID002044"),
    ),
}
# Names that are no facility at all: what stays in the analyst's queue. None names a real refiner, so the
# report's table of names not matched never suggests that a facility RMI lists is missing from its list.
_NOT_FACILITIES = {
    "Gold": ("Unknown gold refiner", "Local gold recycler", "Gold plating supplier"),
    "Tin": ("Solder paste vendor", "Unknown tin smelter"),
    "Tantalum": ("Capacitor powder supplier",),
    "Tungsten": ("Unknown tungsten smelter", "Carbide tool supplier"),
}


@dataclass
class DemoResult:
    suppliers: int
    requests: int
    submissions: int
    responded: int
    source: str
    password: str = DEMO_PASSWORD


def shared_available() -> bool:
    return any((SHARED / "cmrt" / "filled").glob("*.xlsx"))


def load_demo(*, seed: int = 2025, indirect: int = 260, log: Callable[[str], None] = print) -> DemoResult:
    """Create the demo organisation, users, suppliers, the 2025 campaign and its responses."""
    rng = random.Random(seed)
    users = _users()
    org = Organisation.current()
    org.name = "Lumen Edge Networks, Inc."
    org.address = "48 Innovation Drive, Irvine, CA 92618, United States"
    org.policy_url = "https://www.lumen-edge.example/conflict-minerals-policy"
    org.contact_email = "responsible-sourcing@lumen-edge.example"
    # Its EU subsidiary imports tin solder into the EU: the filing calendar shows the EU annual report.
    org.eu_importer = True
    org.eu_report_published = dt.date(2025, 6, 30)
    org.company_answers = {
        "A": "Yes",
        "B": "Yes",
        "C": "Yes",
        "D": "Yes",
        "E": "Yes, in conformance with IPC1755 (e.g., CMRT)",
        "F": "Yes",
        "G": "Yes",
        "H": "Yes, with the SEC",
    }
    org.save()
    blank, source = _blank_template()
    log(f"Smelter reference list: {_load_reference(blank, source)} facilities ({source}).")
    _load_statuses(users["admin"])
    demo_status.add_fictional_facility()
    # Conformant when last year's inquiry closed, by a sample list naming the fictional smelter alone.
    demo_status.import_sample_conformant(users["admin"], (_sent_at() - A_YEAR + DUE_AFTER).date() - A_MONTH)
    suppliers = _suppliers(rng, users, indirect)
    log(f"{len(suppliers)} suppliers with contacts and parts.")
    _last_year(suppliers[: len(suppliers) // 3], blank, rng, users, log)
    campaign = _campaign(blank, source, users["analyst"])
    responded = _run_campaign(campaign, suppliers, rng, users, log)
    _report_settings(campaign, users["admin"])
    prepared = prepare(campaign)
    generated = generate(prepared, derivation(prepared), by=users["analyst"])
    log(f"Our CMRT for {campaign.reporting_year}: {generated.filename}.")
    log(f"Risk register: {_risk_register(campaign, users)} actions.")
    # Suspended by a sample RMI notice dated between the two years: the queue and the compare view show it.
    demo_status.import_sample_notice(users["admin"], _sent_at().date() - A_MONTH)
    log(
        f"Facility status changes waiting for us: {FacilityStatusChange.objects.filter(handled_at=None).count()}."
    )
    log(f"Customers' requests for our CMRT: {_customer_requests(blank, users)}.")
    from oretrace.web.demo_kinds import load_kind_campaigns  # it builds on this module's helpers

    load_kind_campaigns(SHARED, suppliers, users, log)
    return DemoResult(
        suppliers=len(suppliers),
        requests=campaign.requests.count(),
        submissions=Submission.objects.filter(request__campaign=campaign).count(),
        responded=responded,
        source=source,
    )


def _users() -> dict:
    User = get_user_model()
    found = {}
    for name, role in DEMO_USERS:
        user, made = User.objects.get_or_create(
            username=name, defaults={"email": f"{name}@lumen-edge.example"}
        )
        if made:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Profile.objects.update_or_create(user=user, defaults={"role": role})
        found[name] = user
    return found


def _blank_template() -> tuple[bytes, str]:
    for name in ("RMI_CMRT_6.5.xlsx", "RMI_CMRT_6.4.xlsx"):
        path = SHARED / "cmrt" / "templates" / name
        if path.exists():
            return path.read_bytes(), f"RMI's {name} from {SHARED}"
    return build_cmrt({}), BUILT_IN


def _load_reference(blank: bytes, source: str) -> int:
    """RMI's list from RMI's template when there is one; else the sample of it, marked as a sample (a
    workbook built here is no RMI release, so its look-up is not loaded as one)."""
    if source == BUILT_IN:
        return reference.load_reference_list(sample_reference())
    return reference.load_reference_from_template(blank, "blank.xlsx")


def _load_statuses(admin) -> None:
    """Audit statuses, imported as a status list the way an admin imports one: the 2014 CFSI compliant
    list when ../shared has it. Without it no status list is applied: the sample's facilities are real
    refiners, and a status made up for one would be a false statement about it in the report."""
    status_csv = SHARED / "reference" / "cfsi2014_cfsi_compliant_smelters_list.csv"
    if status_csv.exists():
        reference.apply_status_list(status_csv.read_bytes(), status_csv.name, dt.date(2014, 12, 31), admin)


def _suppliers(rng: random.Random, users: dict, indirect: int) -> list[Supplier]:
    lines = [
        ProductLine.objects.get_or_create(name=n)[0]
        for n in ("IoT", "Remote Environment Management", "Other")
    ]
    products = []
    for i, (line, label) in enumerate(
        [
            (lines[0], "IoT gateway"),
            (lines[0], "Embedded module"),
            (lines[1], "Console server"),
            (lines[1], "Remote power manager"),
            (lines[2], "Media converter"),
        ],
        start=1,
    ):
        products.append(
            Product.objects.get_or_create(
                number=f"LE-{1000 + i * 10}", defaults={"name": label, "product_line": line}
            )[0]
        )
    suppliers = [
        _supplier(
            "CM-001",
            "Shenzhen Everbright Contract Manufacturing Co., Ltd.",
            Tier.DIRECT,
            "China",
            "zh-hans",
            users["analyst"],
            rng,
        ),
        _supplier(
            "CM-002",
            "Penang Precision Assembly Sdn. Bhd.",
            Tier.DIRECT,
            "Malaysia",
            "en",
            users["analyst"],
            rng,
        ),
    ]
    weights = [w for _, _, w in _COUNTRIES]
    names = set()
    while len(suppliers) < indirect + 2:
        country, language, _ = rng.choices(_COUNTRIES, weights=weights)[0]
        name = f"{rng.choice(_NAME_A)} {rng.choice(_NAME_B)} {rng.choice(_FORMS)}"
        if name in names:
            continue
        names.add(name)
        suppliers.append(
            _supplier(
                f"V{10000 + len(suppliers)}",
                name,
                Tier.INDIRECT,
                country,
                language,
                rng.choice([users["analyst"], users["admin"], None]),
                rng,
            )
        )
    for index, supplier in enumerate(suppliers):
        for n in range(rng.randint(1, 4) if supplier.tier == Tier.INDIRECT else 8):
            code, description = rng.choice(_PART_KINDS)
            part, _ = Part.objects.get_or_create(
                number=f"{code}-{10000 + index * 10 + n}", defaults={"description": description}
            )
            part.products.add(*rng.sample(products, rng.randint(1, 3)))
            SupplierPart.objects.get_or_create(
                supplier=supplier, part=part, defaults={"supplier_part_number": f"{supplier.key}-{n + 1:03d}"}
            )
    return suppliers


def _supplier(key, name, tier, country, language, owner, rng) -> Supplier:
    supplier, _ = Supplier.objects.update_or_create(
        key=key, defaults={"name": name, "tier": tier, "country": country, "internal_owner": owner}
    )
    domain = "".join(ch for ch in name.split()[0].lower() if ch.isalpha()) + f"{key[-3:]}.example"
    person, boss = rng.sample(_PEOPLE, 2)
    Contact.objects.get_or_create(
        supplier=supplier,
        email=f"{person.split()[0].lower()}@{domain}",
        defaults={"name": person, "language": language, "is_primary": True},
    )
    if rng.random() < 0.7 or tier == Tier.DIRECT:
        Contact.objects.get_or_create(
            supplier=supplier,
            email=f"quality@{domain}",
            defaults={"name": boss, "language": language, "is_escalation": True},
        )
    return supplier


def _sent_at() -> dt.datetime:
    """When the demo's 2025 campaign went out: 120 days before today at 09:00, so that its due date,
    its reminders, its escalations and every answer (up to 112 days after sending) are in the past
    whenever the demo is built, and a reminder worker started with it finds nothing due."""
    day = timezone.localdate() - dt.timedelta(days=120)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9, 0))


# The request went out 78 days before its due date (as RCOI 2025's did: 12 January to 31 March).
DUE_AFTER = dt.timedelta(days=78)
# Last year's campaign: the same days, a year (52 weeks, so the same weekday) earlier.
A_YEAR = dt.timedelta(weeks=52)
A_MONTH = dt.timedelta(days=30)


def _campaign(blank: bytes, source: str, analyst) -> Campaign:
    year, _ = ReportingYear.objects.get_or_create(year=2025)
    campaign = Campaign(
        name="RCOI 2025 – CMRT",
        reporting_year=year,
        template_kind="CMRT",
        minimum_version="6.4",
        due_date=(_sent_at() + DUE_AFTER).date(),
        reminder_days=[14, 28],
        escalation_days=42,
        created_by=analyst,
    )
    campaign.store_blank_template(
        blank,
        "oretrace_demo_CMRT_6.5_sample.xlsx"
        if source == BUILT_IN
        else ("RMI_CMRT_6.5.xlsx" if "6.5" in source else "RMI_CMRT_6.4.xlsx"),
    )
    campaign.save()
    return campaign


def _last_year(suppliers: list[Supplier], blank: bytes, rng: random.Random, users: dict, log) -> None:
    """A closed 2024 campaign for a third of the suppliers, so supplier pages show history across years."""
    year, _ = ReportingYear.objects.get_or_create(year=2024)
    campaign = Campaign(
        name="RCOI 2024 – CMRT",
        reporting_year=year,
        template_kind="CMRT",
        minimum_version="6.31",
        due_date=(_sent_at() - A_YEAR + DUE_AFTER).date(),
        reminder_days=[14, 28],
        created_by=users["analyst"],
        closed=True,
    )
    campaign.store_blank_template(blank, "RMI_CMRT_blank.xlsx")
    campaign.save()
    campaign.add_suppliers(suppliers, users["analyst"])
    make_file = _file_maker(rng, year.year)
    sent_at = _sent_at() - A_YEAR
    for index, request in enumerate(campaign.requests.select_related("supplier").order_by("supplier__key")):
        with transaction.atomic():
            request.transition(State.SENT, users["analyst"])
            data, filename = make_file(request.supplier, index)
            submission, error = store_file(request, data, filename, "supplier via link")
            if error:
                continue
            request.refresh_from_db()
            request.transition(State.ACCEPTED, users["analyst"], "accepted after review")
            answered = sent_at + dt.timedelta(days=rng.randint(5, 70))
            _backdate(request, [sent_at, answered, answered, answered + dt.timedelta(days=4)], submission)
    log(f"2024 campaign (closed): {campaign.requests.count()} suppliers answered.")


def _run_campaign(campaign: Campaign, suppliers: list[Supplier], rng: random.Random, users: dict, log) -> int:
    campaign.add_suppliers(suppliers, users["analyst"])
    make_file = _file_maker(rng, campaign.reporting_year.year)
    sent_at = _sent_at()
    requests = list(campaign.requests.select_related("supplier").order_by("supplier__key"))
    silent = set(rng.sample(range(2, len(requests)), round(len(requests) * 0.04)))  # 96% answer
    responded = 0
    for index, request in enumerate(requests):
        if index and index % 50 == 0:
            log(f"  {index} of {len(requests)} requests …")
        with transaction.atomic():
            request.transition(State.SENT, users["analyst"])
            request.issue_link()
            moments = [sent_at]
            if index in silent:
                outcome = rng.choice([State.SENT, State.OPENED, State.NO_RESPONSE])
                if outcome != State.SENT:
                    request.transition(State.OPENED, "supplier via link")
                    moments.append(sent_at + dt.timedelta(days=rng.randint(3, 40)))
                # The reminders and the escalation the worker queued on the campaign's schedule, in
                # the outbox, so that a person can open the supplier's link from the demo.
                _chase(request, sent_at)
                if outcome == State.NO_RESPONSE:
                    request.transition(State.NO_RESPONSE, users["analyst"], "no answer after escalation")
                    moments.append(sent_at + DUE_AFTER + dt.timedelta(days=20, hours=1))
                request.refresh_from_db()
                _backdate(request, moments)
                continue
            responded += 1
            request.transition(State.OPENED, "supplier via link")
            answered = sent_at + dt.timedelta(
                days=min(100, int(rng.expovariate(1 / 18)) + 1), hours=rng.randint(0, 9)
            )
            moments += [answered - dt.timedelta(hours=2), answered]
            if rng.random() < 0.05 and request.supplier.tier == Tier.INDIRECT:
                contact = request.supplier.primary_contact
                request.decline(
                    name=contact.name,
                    title="Quality Manager",
                    statement="The parts we supply to you contain no tin, tantalum, tungsten or gold.",
                    by="supplier via link",
                )
                _backdate(request, moments)
                continue
            if rng.random() < 0.1 and years.last_years_file(request):
                # "Nothing changed since last year" on the portal: last year's file, sent again.
                submission, error = years.send_again(request, "supplier via link")
            else:
                data, filename = make_file(request.supplier, index)
                submission, error = store_file(request, data, filename, "supplier via link")
            if error:
                log(f"  {request.supplier}: {error}")
                continue
            request.refresh_from_db()
            roll = rng.random()
            replied = False
            errors = [f for f in submission.findings if f.get("severity") == "error"]
            if errors and roll < 0.25:
                questions = errors[:4]
                FollowUp.objects.create(
                    request=request,
                    submission=submission,
                    author=users["analyst"],
                    author_label="analyst",
                    message="Please correct the points below.",
                    questions=questions,
                )
                request.transition(
                    State.FOLLOW_UP,
                    users["analyst"],
                    ngettext("%(n)d question", "%(n)d questions", len(questions)) % {"n": len(questions)},
                )
                moments.append(answered + dt.timedelta(days=3))
                replied = index % 3 == 0  # some suppliers answered, and wait for us to read it
            elif roll < 0.75 or not errors:
                # Past acceptances: the suppliers were told at the time, so no e-mail is queued now.
                request.accept(
                    users["analyst"],
                    expected_file=submission.pk,
                    reason="Smelter list checked with the supplier by phone; corrections due next year."
                    if errors
                    else "",
                    notify=False,
                )
                moments.append(answered + dt.timedelta(days=rng.randint(1, 12)))
            _backdate(request, moments, submission)
            if replied:
                _reply(request, moments[-1] + dt.timedelta(days=2, hours=3))
    return responded


def _reply(request: Request, moment: dt.datetime) -> None:
    """The supplier's answer to our follow-up, on its day: the request is waiting for us again."""
    reply = request.record_reply(
        message="We checked the points you raised; the corrected file follows next week.",
        author_label="Li Wei (supplier via link)",
    )
    FollowUp.objects.filter(pk=reply.pk).update(created_at=moment)
    Request.objects.filter(pk=request.pk).update(supplier_acted_at=moment)


def _chase(request: Request, sent_at: dt.datetime) -> None:
    """The reminders and the escalation of the campaign's schedule, queued by the worker's own code as
    if it had run on each day (outbox.reminders), so their count and their e-mails agree."""
    from oretrace.web.outbox.models import OutboundEmail
    from oretrace.web.outbox.reminders import escalate, remind

    request.sent_at = sent_at  # the schedule counts from the day the request went out
    for day in (*request.campaign.reminder_days, request.campaign.escalation_days):
        if day is None:
            continue
        now = sent_at + dt.timedelta(days=int(day), hours=1)
        before = set(OutboundEmail.objects.filter(request=request).values_list("pk", flat=True))
        remind(request, now)
        escalate(request, now)
        OutboundEmail.objects.filter(request=request).exclude(pk__in=before).update(created=now)


def _backdate(request: Request, moments: list[dt.datetime], submission: Submission | None = None) -> None:
    """The campaign happened in the past: move its timestamps there, in the order they occurred."""
    events = list(request.events.order_by("id"))
    updates = {"sent_at": moments[0], "state_changed_at": moments[-1]}
    for event, moment in zip(events, moments + [moments[-1]] * len(events), strict=False):
        RequestEvent.objects.filter(pk=event.pk).update(at=moment)
        # Who acted last, on the same days (Request.transition set both when the move was made).
        if event.to_state in (State.SUBMITTED, State.DECLINED):
            updates["supplier_acted_at"] = moment
        if event.by_id and event.to_state != State.SUBMITTED:
            updates["staff_acted_at"] = moment
    if request.opened_at:
        updates["opened_at"] = moments[1] if len(moments) > 1 else moments[0]
    if request.responded_at:
        updates["responded_at"] = moments[2] if len(moments) > 2 else moments[-1]
        if submission is not None:
            Submission.objects.filter(pk=submission.pk).update(uploaded_at=updates["responded_at"])
    Request.objects.filter(pk=request.pk).update(reminders_sent=request.reminders_sent, **updates)


# --- the year's report and the risk register ----------------------------------------------------------
def _report_settings(campaign: Campaign, admin) -> ReportSettings:
    """The report settings of the campaign's year, as the compliance team would have filled them in: the
    Form SD cover page, our CMRT's company block, the overviews and the year before's figures."""
    settings = ReportSettings.for_year(campaign.reporting_year)
    settings.conclusion = "origin-undetermined"
    settings.company_overview = (
        "Lumen Edge Networks is a global provider of hardware, software and engineering services for edge "
        "computing, the Internet of Things (IoT) and Remote Environment Management (REM). Our manufacturing "
        "is conducted through two third-party contract manufacturers in Asia, who source the components "
        "of our products from about 260 indirect suppliers."
    )
    settings.products_overview = (
        "We organise our products into three product lines: IoT (gateways and embedded modules that connect "
        "machines to the network), Remote Environment Management (console servers and remote power "
        "managers) and Other (media converters and legacy products)."
    )
    settings.previous_years = earlier_years(campaign)
    settings.website = "www.lumen-edge.example"
    settings.state_of_incorporation = "Delaware"
    settings.commission_file_number = "001-00000"
    settings.irs_employer_id = "00-0000000"
    settings.contact = "Dana Whitfield, Director of Compliance, +1 949 555 0140"
    settings.signatory_name = "Morgan Ellis"
    settings.signatory_title = "Chief Financial Officer"
    settings.contact_name = "Dana Whitfield"
    settings.contact_email = "responsible-sourcing@lumen-edge.example"
    settings.contact_phone = "+1 949 555 0140"
    settings.authorizer_name = "Morgan Ellis"
    settings.authorizer_email = "morgan.ellis@lumen-edge.example"
    settings.authorizer_title = "Chief Financial Officer"
    settings.authorizer_phone = "+1 949 555 0100"
    # The battery due-diligence report of the EMRT and CRT campaigns (Batteries Regulation Article
    # 52(3)): no notified body yet, since Chapter VII applies only from 18 August 2027.
    settings.battery_categories = ["portable", "industrial"]
    settings.batteries_described = (
        "The lithium-ion backup cells of our IoT gateways and the battery packs of our remote power managers."
    )
    settings.battery_policy_url = "www.lumen-edge.example/battery-due-diligence"
    settings.net_turnover_eur = 186_000_000
    settings.updated_by = admin
    settings.save()
    return settings


def _risk_register(campaign: Campaign, users: dict, subjects: int = 6) -> int:
    """Open the core's first suggested response for a few of the riskiest subjects, then move some
    along as a team would: one left overdue, one escalated to the analyst's manager, one in progress
    with a note, and one done with its evidence."""
    from oretrace.risk import actions_for
    from oretrace.web.risk.assessment import campaign_risk

    analyst, admin = users["analyst"], users["admin"]
    ReportingLine.objects.update_or_create(user=analyst, defaults={"manager": admin})
    today = timezone.localdate()
    opened: list[RiskAction] = []
    # The riskiest subjects, worst first (high, then medium when there are few high ones): mostly
    # suppliers (the actions moved along below are a buyer's follow-ups), and the riskiest smelter.
    assessment = campaign_risk(campaign).assessment
    risky = assessment.top(len(assessment.ratings))
    chosen = [r for r in risky if r.subject_kind == "supplier"][: subjects - 1]
    chosen += [r for r in risky if r.subject_kind == "smelter"][:1]
    for rating in chosen:
        flag = next((f for f in rating.flags if not f.mitigated and f.severity != "low"), None)
        first = next((a for a in actions_for(flag) if not a.escalation), None) if flag else None
        if first is None:
            continue
        opened.append(
            RiskAction.open_for(
                campaign,
                by=analyst,
                subject_kind=rating.subject_kind,
                subject_key=rating.key,
                subject_label=rating.subject,
                flag_code=flag.code,
                what=first.what,
                owner=analyst,
                owner_role=first.owner_role,
                due_date=first.due_on(today),
            )
        )
    # Opened when the campaign's files were reviewed, weeks ago.
    RiskAction.objects.filter(pk__in=[a.pk for a in opened]).update(
        created_at=timezone.now() - dt.timedelta(days=45)
    )
    followed = [a for a in opened if a.subject_kind == "supplier"]
    if len(followed) > 0:
        overdue = followed[0]
        RiskAction.objects.filter(pk=overdue.pk).update(due_date=today - dt.timedelta(days=12))
        overdue.add_note(analyst, "Asked twice by e-mail; no answer yet.")
    if len(followed) > 1:
        escalated = followed[1]
        escalated.add_note(analyst, "The supplier has not named its smelters after two requests.")
        escalated.escalate(analyst, "Please raise this in the next business review with the supplier.")
    if len(followed) > 2:
        in_progress = followed[2]
        in_progress.change(analyst, status=ActionStatus.IN_PROGRESS)
        in_progress.add_note(analyst, "The supplier is asking its own sub-tier suppliers; answer promised.")
    if len(followed) > 3:
        done = followed[3]
        letter = (
            f"Subject: {done.subject_label}: smelters of the parts we supply\n\n"
            "As requested, the tin and gold in the parts we supply to Lumen Edge Networks come from the "
            "smelters listed in our CMRT, each with an RMAP conformant status; none of them sources from "
            "the Covered Countries outside the RMAP.\n"
        )
        done.add_evidence(analyst, letter.encode(), "supplier-confirmation.txt")
        done.close(analyst, ActionStatus.DONE, "The supplier answered in writing; its letter is attached.")
    return len(opened)


# --- supplier files ---------------------------------------------------------------------------------
def _customer_requests(blank: bytes, users: dict) -> int:
    """Our own customers' requests: one just received, one for three of their part numbers in
    preparation, one answered last month and acknowledged."""
    analyst, today = users["analyst"], timezone.localdate()
    version = read_template(blank).version

    def register(name: str, due_in: int, **fields) -> CustomerRequest:
        return CustomerRequest.objects.create(
            customer=Customer.objects.create(name=name),
            template_version=version,
            due_date=today + dt.timedelta(days=due_in),
            owner=analyst,
            created_by=analyst,
            **fields,
        )

    register("Northwind Systems", 21, contact_name="Dana Park", contact_email="compliance@northwind.example")
    contoso = register(
        "Contoso Medical",
        5,
        contact_name="Sam Ortiz",
        scope=CustomerRequest.Scope.PRODUCTS,
        channel=CustomerRequest.Channel.PORTAL,
        portal_url="https://suppliers.contoso-medical.example/",
    )
    ours = Part.objects.filter(supplier_parts__isnull=False).distinct().order_by("number")[:3]
    for row, part in enumerate(ours, start=2):
        CustomerPart.objects.create(
            request=contoso,
            row=row,
            number=f"CM-{1000 + row}",
            our_number=part.number,
            description=part.description,
        )
    customer_answers.prepare(contoso, analyst)
    fabrikam = register(
        "Fabrikam Automotive",
        -30,
        contact_name="Alex Kim",
        contact_email="conflict.minerals@fabrikam.example",
        received_on=today - dt.timedelta(days=60),
    )
    customer_answers.send_by_email(customer_answers.prepare(fabrikam, analyst), analyst)
    fabrikam.refresh_from_db()
    customer_answers.acknowledge(fabrikam, analyst)
    return CustomerRequest.objects.count()


def _file_maker(rng: random.Random, year: int):
    """Supplier files for the reporting year ``year``: completed in the weeks after it ends."""
    filled = sorted((SHARED / "cmrt" / "filled").glob("*.xlsx"))
    if filled:
        from oretrace.rmi.patching import CellWrite, patch_workbook

        bases = [path.read_bytes() for path in filled]

        def from_real(supplier: Supplier, index: int) -> tuple[bytes, str]:
            writes = [
                CellWrite("Declaration", cell, value)
                for cell, value in _declaration(supplier, rng, year).items()
            ]
            writes += _odd_smelter_writes(rng, first_row=300)
            if demo_status.names_fictional_facility(supplier):
                writes += [
                    CellWrite("Smelter List", f"{c}299", v) for c, v in demo_status.smelter_row().items()
                ]
            return patch_workbook(bases[index % len(bases)], writes), f"CMRT_{supplier.key}_{year}.xlsx"

        return from_real

    def synthetic(supplier: Supplier, index: int) -> tuple[bytes, str]:
        smelters = _sample_smelters(rng)
        if demo_status.names_fictional_facility(supplier):
            smelters.append(demo_status.smelter_row())
        return build_cmrt(
            _declaration(supplier, rng, year), smelters=smelters
        ), f"CMRT_{supplier.key}_{year}.xlsx"

    return synthetic


def _answers(rng: random.Random) -> dict[str, dict[str, str]]:
    """Q1-Q8 per metal, drawn per supplier the way real returns look: most suppliers know their
    smelters and source nowhere near the Covered Countries, some do not know yet, a few say Yes."""
    profile = rng.choices(("clean", "uncertain", "high risk"), weights=(70, 22, 8))[0]
    risky_metal = rng.choice(METALS)
    answers = {}
    for metal in METALS:
        risky = profile == "high risk" and metal == risky_metal
        unsure = profile == "uncertain"
        answers[metal] = {
            "Q1": "Yes",
            "Q2": "Yes",
            "Q3": "Yes" if risky else ("Unknown" if unsure else "No"),
            "Q4": rng.choice(("Yes", "Unknown")) if risky else ("Unknown" if unsure else "No"),
            "Q5": "No" if not unsure else rng.choice(("No", "Unknown")),
            "Q6": rng.choice(("Greater than 75%", "50% or less"))
            if unsure
            else rng.choice(("100%", "100%", "Greater than 90%")),
            "Q7": "No" if unsure else rng.choice(("Yes", "Yes", "Yes", "No")),
            "Q8": "Yes" if rng.random() < 0.9 else "No",
        }
    return answers


def _declaration(supplier: Supplier, rng: random.Random, year: int) -> dict[str, object]:
    """Declaration cells of one supplier's answer, with the defects real files have now and then."""
    contact = supplier.primary_contact
    cells: dict[str, object] = {
        "D8": supplier.name if rng.random() > 0.03 else "",
        "D9": "A. Company" if rng.random() > 0.15 else "B. Product (or List of Products)",
        "D14": f"{supplier.country}",
        "D15": contact.name if contact else "",
        "D16": (contact.email if contact else "")
        if rng.random() > 0.05
        else (contact.email.replace(".", ",", 1) if contact else ""),
        "D17": "+86 755 1234 5678",
        "D18": "same" if rng.random() < 0.04 else rng.choice(_PEOPLE),
        "D19": "Quality Director",
        "D20": contact.email if contact else "",
        "D22": dt.date(year, 12, 1) + dt.timedelta(days=rng.randrange(0, 120)),
    }
    answers = _answers(rng)
    for q, header in (
        ("Q1", 25),
        ("Q2", 31),
        ("Q3", 37),
        ("Q4", 43),
        ("Q5", 49),
        ("Q6", 55),
        ("Q7", 61),
        ("Q8", 67),
    ):
        for offset, metal in enumerate(METALS):
            cells[f"D{header + 1 + offset}"] = answers[metal][q]
    for letter, row in zip("ABCDEFGH", range(75, 91, 2), strict=True):
        cells[f"D{row}"] = (
            "Yes"
            if letter not in "EH"
            else (
                "Yes, in conformance with IPC1755 (e.g., CMRT)"
                if letter == "E"
                else rng.choice(("No", "Yes, with the SEC"))
            )
        )
    if rng.random() < 0.8:
        cells["G77"] = f"https://www.{(contact.email.split('@')[1] if contact else 'example.com')}/csr"
    return cells


def _odd_names(rng: random.Random) -> list[tuple[str, str, str]]:
    """A few 'Smelter not listed' rows as suppliers type them, as (metal, name, country): most are their
    own spellings of listed facilities (in the facility's real country), some name no facility at all."""
    rows = []
    for _ in range(rng.choice((0, 0, 1, 2))):
        metal = rng.choice(METALS)
        if rng.random() < 0.6:
            name, smelter_id = rng.choice(_SPELLINGS[metal])
            country = SAMPLE_COUNTRIES[smelter_id]
        else:
            name, country = rng.choice(_NOT_FACILITIES[metal]), rng.choice(("China", "Japan", "Malaysia"))
        rows.append((metal, name, country))
    return rows


def _odd_smelter_writes(rng: random.Random, first_row: int) -> list:
    """The odd names' rows, far below the real rows of a real file."""
    from oretrace.rmi.patching import CellWrite

    writes = []
    for row, (metal, name, country) in enumerate(_odd_names(rng), start=first_row):
        writes += [
            CellWrite("Smelter List", f"B{row}", metal),
            CellWrite("Smelter List", f"C{row}", "Smelter not listed"),
            CellWrite("Smelter List", f"D{row}", name),
            CellWrite("Smelter List", f"E{row}", country),
        ]
    return writes


def _sample_smelters(rng: random.Random) -> list[dict]:
    """A supplier's Smelter List drawn from the sample: listed facilities by their RMI ID, then odd names."""
    facilities = sample_reference().facilities
    rows = [
        {"B": f.metal, "C": f.name, "D": f.name, "E": f.country, "F": f.smelter_id, "G": "RMI"}
        for f in rng.sample(facilities, rng.randint(3, 18))
    ]
    for metal, name, country in _odd_names(rng):
        rows.append({"B": metal, "C": "Smelter not listed", "D": name, "E": country})
    return rows


def build_cmrt(
    declaration: dict[str, object],
    smelters: list[dict] | None = None,
    lookup: list[tuple[str, str, str, str]] | None = None,
) -> bytes:
    """A CMRT 6.5 workbook with the sheets and cells RMI's template has where oretrace reads them.

    Only for machines without RMI's own templates: the Declaration, Smelter List, Product List and a
    Smelter Look-up holding the sample of RMI's list (oretrace.smelters.sample), real facilities only,
    or the ``lookup`` rows given, as (CID, metal, name, country).
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "Declaration"
    sheet["D2"] = TITLE
    sheet["J3"] = REVISION
    sheet["D3"] = "English"
    labels = {
        25: "1) Is any 3TG intentionally added or used in the product(s) or in the production process?",
        31: "2) Does any 3TG remain in the product(s)?",
        37: "3) Do any of the smelters in your supply chain source the 3TG from the covered countries?",
        43: "4) Do any of the smelters in your supply chain source the 3TG from CAHRAs?",
        49: "5) Does 100 percent of the 3TG originate from recycled or scrap sources?",
        55: "6) What percentage of relevant suppliers have provided a response to your supply chain survey?",
        61: "7) Have you identified all of the smelters supplying the 3TG to your supply chain?",
        67: "8) Has all applicable smelter information received by your company been reported in this declaration?",
    }
    for row, text in labels.items():
        sheet[f"B{row}"] = text
        for offset, metal in enumerate(METALS, start=1):
            sheet[f"C{row + offset}"] = metal
    for letter, row in zip("ABCDEFGH", range(75, 91, 2), strict=True):
        sheet[f"B{row}"] = f"{letter}. Company question {letter}"
    for cell, value in declaration.items():
        sheet[cell] = value
    smelter_sheet = book.create_sheet("Smelter List")
    for col, header in zip(
        "ABCDEFG",
        (
            "Smelter Identification Number Input Column",
            "Metal (*)",
            "Smelter Look-up (*)",
            "Smelter Name (1)",
            "Smelter Country (*)",
            "Smelter Identification",
            "Source of Smelter Identification Number",
        ),
        strict=True,
    ):
        smelter_sheet[f"{col}4"] = header
    for row, values in enumerate(smelters or [], start=5):
        for col, value in values.items():
            smelter_sheet[f"{col}{row}"] = value
    products = book.create_sheet("Product List")
    products["B5"], products["C5"] = "Manufacturer's Product Number", "Manufacturer's Product Name"
    if lookup is None:  # a row per name, as RMI's look-up has
        lookup = [(f.smelter_id, f.metal, f.name, f.country) for f in sample_reference().facilities]
        lookup += [
            (f.smelter_id, f.metal, a, f.country) for f in sample_reference().facilities for a in f.aliases
        ]
    lookup_sheet = book.create_sheet("Smelter Look-up")
    for col, header in zip(
        "ABCDE", ("Metal", "Smelter Look-up", "Standard Smelter Name", "Country", "Smelter ID"), strict=True
    ):
        lookup_sheet[f"{col}4"] = header
    standard = {cid: name for cid, _, name, _ in lookup[::-1]}  # the first row of a CID gives its name
    for row, (cid, metal, name, country) in enumerate(lookup, start=5):
        for col, value in zip("ABCDE", (metal, name, standard[cid], country, cid), strict=True):
            lookup_sheet[f"{col}{row}"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
