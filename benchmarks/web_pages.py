"""Staff pages at scale: 10,000 suppliers, 10,000 requests, 1,000,000 reported smelter rows.

    /work/venv/bin/python benchmarks/web_pages.py                      # SQLite, in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python benchmarks/web_pages.py

Seeds one campaign with bulk inserts (a dedicated, empty database: the script refuses a database
that holds other suppliers), updates the planner statistics as autovacuum / ANALYZE would, then
requests each page through Django's test client and reports the median and p95. It exits with
status 1 when the dashboard or the supplier list has a p95 above 500 ms (issue 4's target).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time

TARGET_MS = 500
BASELINE = "baseline: login page (no campaign data)"
KEY_PREFIX = "BENCH-"


def seed(suppliers: int, rows_per_request: int, rng: random.Random) -> None:
    from django.utils import timezone

    from oretrace.web.campaigns.models import Campaign, ReportedSmelter, Request, State, Submission
    from oretrace.web.suppliers.models import ReportingYear, Supplier

    Supplier.objects.bulk_create(
        [
            Supplier(
                key=f"{KEY_PREFIX}{i:06d}",
                name=f"{rng.choice(('Jade', 'Orient', 'Summit', 'Kyoei', 'Alpen'))} Supplier {i}",
                tier=rng.choice(("direct", "indirect")),
                country=rng.choice(("China", "Japan", "Taiwan", "Germany", "Malaysia")),
            )
            for i in range(suppliers)
        ],
        batch_size=2000,
    )
    year, _ = ReportingYear.objects.get_or_create(year=2025)
    campaign = Campaign.objects.create(name="Benchmark", reporting_year=year, due_date=dt.date(2026, 3, 31))
    states = [State.ACCEPTED] * 5 + [
        State.SUBMITTED,
        State.FOLLOW_UP,
        State.SENT,
        State.OPENED,
        State.DECLINED,
    ]
    now = timezone.now()
    Request.objects.bulk_create(
        [
            Request(
                campaign=campaign,
                supplier=s,
                state=rng.choice(states),
                sent_at=now - dt.timedelta(days=120),
                responded_at=now - dt.timedelta(days=rng.randint(0, 110)),
            )
            for s in Supplier.objects.filter(key__startswith=KEY_PREFIX)
        ],
        batch_size=2000,
    )
    requests = list(Request.objects.filter(campaign=campaign).values_list("id", flat=True))
    records = [_record(rng) for _ in range(20)]  # the core's record of a file: what the survey reads
    Submission.objects.bulk_create(
        [
            Submission(
                request_id=r,
                version=1,
                sha256="0" * 64,
                filename="cmrt.xlsx",
                size=1,
                uploaded_by_label="benchmark",
                template_kind="CMRT",
                template_version="6.4",
                data={},
                record=records[r % len(records)],
                smelter_record={"smelters": [], "identifications": []},
                findings_count=len(records[r % len(records)]["review"]["findings"]),
            )
            for r in requests
        ],
        batch_size=2000,
    )
    submissions = dict(Submission.objects.filter(request__campaign=campaign).values_list("request_id", "id"))
    latest = list(Request.objects.filter(campaign=campaign))
    for request in latest:
        request.latest_submission_id = submissions[request.pk]
    Request.objects.bulk_update(latest, ["latest_submission"], batch_size=2000)
    metals = ("Tantalum", "Tin", "Gold", "Tungsten")
    statuses = ["conformant"] * 6 + ["active", "non_conformant", "not_audited", "unidentified"]
    batch = []
    for r in requests:
        for k in range(rows_per_request):
            status = rng.choice(statuses)
            cid = "" if status == "unidentified" else f"CID{rng.randint(1, 600):06d}"
            batch.append(
                ReportedSmelter(
                    submission_id=submissions[r],
                    request_id=r,
                    campaign=campaign,
                    row=5 + k,
                    metal=rng.choice(metals),
                    reported_name=f"Smelter name {rng.randint(1, 3000)}",
                    smelter_id=cid,
                    status=status,
                )
            )
        if len(batch) >= 50_000:
            ReportedSmelter.objects.bulk_create(batch, batch_size=5000)
            batch = []
    ReportedSmelter.objects.bulk_create(batch, batch_size=5000)


def _record(rng: random.Random) -> dict:
    """A stored file record with a few review findings, as campaigns.intake keeps one."""
    from oretrace.review import Finding, ReviewReport
    from oretrace.rollup.analyse import FileAnalysis

    findings = tuple(
        Finding(rng.choice(("required-field-missing", "smelter-name-missing")), rng.choice(("error", "warning")),
                "Declaration", f"D{rng.randint(8, 90)}", "A finding.", "A question?")
        for _ in range(rng.randint(0, 9))
    )  # fmt: skip
    record = FileAnalysis(
        "cmrt.xlsx", kind="CMRT", version="6.4", report=ReviewReport("cmrt.xlsx", "CMRT", "6.4", 0, findings)
    ).as_dict()
    del record["smelters"], record["identifications"]
    return record


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(rounds: int) -> dict[str, list[float]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from oretrace.web.accounts.models import Profile
    from oretrace.web.campaigns.models import Campaign

    user, made = get_user_model().objects.get_or_create(username="benchmark")
    if made:
        Profile.objects.create(user=user, role="analyst")
    client = Client()
    client.force_login(user)
    campaign = Campaign.objects.get(name="Benchmark")
    pages = {
        # The baseline: a page that reads no campaign data, so the ratio shows what the data costs.
        BASELINE: "/login/",
        "dashboard": f"/campaigns/{campaign.pk}/",
        "supplier list": "/suppliers/",
        "supplier list, search + sort": "/suppliers/?q=orient&sort=-country",
        "supplier list, state filter, page 20": "/suppliers/?state=accepted&page=20",
        "requests, responded, page 30": f"/campaigns/{campaign.pk}/requests/?state=responded&page=30",
        "consolidated smelter list": f"/campaigns/{campaign.pk}/smelters/",
        "unidentified names": f"/campaigns/{campaign.pk}/smelters/unidentified/",
    }
    times: dict[str, list[float]] = {}
    for _ in range(rounds):  # interleaved, so a noisy moment slows every page alike
        for label, url in pages.items():
            start = time.perf_counter()
            response = client.get(url)
            times.setdefault(label, []).append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--rows-per-request", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oretrace.web.settings")
    if "DATABASE_URL" not in os.environ:
        os.environ["ORETRACE_VAR_DIR"] = tempfile.mkdtemp(prefix="oretrace-bench-")
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from oretrace.web.suppliers.models import Supplier

    call_command("migrate", interactive=False, verbosity=0)
    if Supplier.objects.exclude(key__startswith=KEY_PREFIX).exists():
        sys.exit(
            "This database holds other suppliers; point DATABASE_URL at an empty database for the benchmark."
        )
    if not Supplier.objects.exists():
        started = time.perf_counter()
        seed(args.suppliers, args.rows_per_request, random.Random(2025))
        print(f"Seeded in {time.perf_counter() - started:.0f} s")
    analyse()
    times = measure(args.rounds)
    print(
        f"{connection.vendor}: {Supplier.objects.count():,} suppliers, "
        f"{args.suppliers * args.rows_per_request:,} smelter rows, {args.rounds} requests per page"
    )
    failed = False
    baseline = p95(times[BASELINE])
    for label, values in times.items():
        slow = label in ("dashboard", "supplier list") and p95(values) > TARGET_MS
        failed |= slow
        print(
            f"  {label:40s} median {statistics.median(values):6.0f} ms   p95 {p95(values):6.0f} ms"
            f"   {p95(values) / baseline:5.1f}x baseline" + ("   ABOVE TARGET" if slow else "")
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
