"""The production server under load: suppliers uploading real CMRTs while staff read, on PostgreSQL.

    .venv/bin/python benchmarks/load.py [--seconds 30] [--uploaders 20] [--readers 20]

Creates a fresh PostgreSQL database (``--database``, dropped and made again: its name must contain
"bench"), seeds one CMRT campaign (the smelter reference list of RMI's blank template and the 2014
status list from ../shared, ``--suppliers`` requests sent with a personal link each, ``--seeded`` of
them already answered with a copy of one of the real files, an analyst), then starts the production
server, ``oretrace serve`` (gunicorn, its default workers and threads unless ``--workers`` /
``--threads`` say otherwise), on a free port of 127.0.0.1 and measures over HTTP, as a browser would
(CSRF tokens, the login form, the redirect after an upload):

1. the baseline: one person at a time, an upload and then a round of staff pages, for a third of
   ``--seconds``;
2. the load: ``--uploaders`` suppliers, each uploading the real CMRTs of ../shared/cmrt/filled in
   turn through the links of its own requests, and ``--readers`` staff, each reading the dashboard,
   the request list, a request's page and the consolidated smelter list in turn, all at once for
   ``--seconds``.

"Upload to findings" is the upload's POST and the page of findings it redirects to, as the supplier
waits for it. Afterwards every request an upload reached is checked in the database: each upload
answered with a version is stored, the request's latest file is the newest upload (the same bytes),
its state is "submitted" with a response date, and its current smelter rows are those of that file.

Prints p50 and p95 of both, with the ratio of the load's p95 to the baseline's; the CPU time one upload
and one staff page cost the server's processes and PostgreSQL, measured around each request of the
baseline (on a shared machine the wall-clock times count everyone's work, the CPU times mostly not);
and the server's resident memory after the load. Exits with status 1
on any error, any request lost or corrupted, or a p95 above its target (upload to findings 500 ms,
staff pages 300 ms; issue 10). Skips (status 0) without ../shared/cmrt or PostgreSQL.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FILLED = SHARED / "cmrt" / "filled"
BLANK = SHARED / "cmrt" / "templates" / "RMI_CMRT_6.5.xlsx"
STATUS_LIST = SHARED / "reference" / "cfsi2014_cfsi_compliant_smelters_list.csv"
UPLOAD_TARGET_MS = 500
PAGE_TARGET_MS = 300
ANALYST = "load-analyst"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
FILE_REVIEW = re.compile(r"/p/[^/]+/files/(\d+)/$")


# --- the database and the server --------------------------------------------------------------------


def fresh_database(server_url: str, name: str) -> str | None:
    """Drop and create database ``name``; its URL, or None when PostgreSQL cannot be reached."""
    import psycopg

    try:
        with psycopg.connect(f"{server_url}/postgres", autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        print(f"Skipped: PostgreSQL at {server_url} cannot be reached ({str(exc).strip()}).")
        return None
    return f"{server_url}/{name}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``oretrace serve`` in a process of its own, its output in a log file."""

    def __init__(self, env: dict[str, str], port: int, extra: list[str], log: Path):
        self.port, self.log = port, log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "oretrace", "serve", "--bind", f"127.0.0.1:{port}", *extra],
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/login/")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"oretrace serve did not answer:\n{self.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)

    def banner(self) -> str:
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("oretrace serves"):
                return line
        return "oretrace serve"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn: finish the requests under way, then exit
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- the campaign ------------------------------------------------------------------------------------


@dataclass
class Seeded:
    campaign: int
    password: str
    tokens: dict[int, str]  # request id -> the raw token of its personal link
    answered: list[int]  # requests holding a file before the run, for the request pages read


def seed(suppliers: int, answered: int, files: list[tuple[str, bytes]]) -> Seeded:
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from oretrace.web.accounts.models import Profile
    from oretrace.web.campaigns import reference
    from oretrace.web.campaigns.intake import store_file
    from oretrace.web.campaigns.models import Campaign, ReportedSmelter, Request, State, Submission
    from oretrace.web.suppliers.models import ReportingYear, Supplier

    password = secrets.token_urlsafe(12)
    user = get_user_model().objects.create_user(ANALYST, f"{ANALYST}@example.com", password)
    Profile.objects.create(user=user, role="analyst")
    reference.load_reference_from_template(BLANK.read_bytes(), BLANK.name)
    if STATUS_LIST.exists():
        reference.apply_status_list(STATUS_LIST.read_bytes(), STATUS_LIST.name, dt.date(2014, 12, 31), user)
    year, _ = ReportingYear.objects.get_or_create(year=2025)
    campaign = Campaign(
        name="Load benchmark",
        reporting_year=year,
        template_kind="CMRT",
        minimum_version="6.4",
        due_date=dt.date(2026, 3, 31),
        created_by=user,
    )
    campaign.store_blank_template(BLANK.read_bytes(), BLANK.name)
    campaign.save()
    rng = random.Random(2025)
    words = ("Jade", "Orient", "Summit", "Kyoei", "Alpen", "Delta", "Nordic")
    Supplier.objects.bulk_create(
        [
            Supplier(key=f"LOAD-{i:05d}", name=f"{rng.choice(words)} Components {i}", country="Japan")
            for i in range(suppliers)
        ]
    )
    campaign.add_suppliers(Supplier.objects.filter(key__startswith="LOAD-"), user)
    Request.objects.filter(campaign=campaign).update(state=State.SENT, sent_at=timezone.now())
    requests = list(
        Request.objects.filter(campaign=campaign).select_related("supplier", "campaign").order_by("pk")
    )
    tokens = {r.pk: r.issue_link() for r in requests}
    # The first files go in as a supplier's would; the other answered requests get copies of their
    # records (the survey pages read records, not files), so that seeding takes seconds.
    originals = []
    for request, (name, data) in zip(requests, files, strict=False):
        submission, problem = store_file(request, data, name, "supplier via link")
        if submission is None:
            sys.exit(f"{name} was refused: {problem}")
        originals.append(submission)
    copies = requests[len(originals) : answered]
    for index, request in enumerate(copies):
        source = originals[index % len(originals)]
        submission = Submission.objects.create(
            request=request,
            version=1,
            **{
                f: getattr(source, f)
                for f in (
                    "sha256", "filename", "size", "uploaded_by_label", "template_kind", "template_version",
                    "company_name", "declaration_scope", "data", "record", "smelter_record",
                    "analysed_at", "findings_count", "checker_missing",
                )
            },
        )  # fmt: skip
        rows = list(ReportedSmelter.objects.filter(submission=source))
        for row in rows:
            row.pk, row.submission, row.request_id = None, submission, request.pk
        ReportedSmelter.objects.bulk_create(rows, batch_size=1000)
        Request.objects.filter(pk=request.pk).update(
            latest_submission=submission, state=State.SUBMITTED, responded_at=timezone.now()
        )
    return Seeded(campaign.pk, password, tokens, [r.pk for r in requests[:answered]])


# --- HTTP, as a browser does it --------------------------------------------------------------------


class Browser:
    """One person's cookies, a new connection for each request (no keep-alive to go stale)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body or None, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", content

    def get(self, path: str):
        return self.send("GET", path)

    def csrf(self, page: bytes) -> str:
        found = CSRF_INPUT.search(page)
        if not found:
            raise Failure("no CSRF token on the page")
        return found.group(1).decode()

    def post_form(self, path: str, fields: dict[str, str]):
        return self.send(
            "POST", path, urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def post_file(self, path: str, fields: dict[str, str], name: str, data: bytes):
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.send(
            "POST", path, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )


class Failure(Exception):
    pass


@dataclass
class Tally:
    """What the threads measured; each appends under the lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    uploads: list[float] = field(default_factory=list)
    pages: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # request id -> the versions its uploads were answered with, and the digest of the last one
    stored: dict[int, list[int]] = field(default_factory=dict)
    last_digest: dict[int, str] = field(default_factory=dict)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)


class SupplierAtWork:
    """A supplier with its own requests: opens each link once (the page with the form), then uploads
    the files in turn to its requests in turn."""

    def __init__(self, port: int, tokens: list[tuple[int, str]], files, tally: Tally, rng: random.Random):
        self.browser, self.tokens, self.files, self.tally = Browser(port), tokens, files, tally
        self.forms: dict[int, str] = {}
        self.turn = rng.randrange(len(files))

    def open(self) -> bool:
        try:
            for request_id, token in self.tokens:
                status, _, page = self.browser.get(f"/p/{token}/")
                if status != 200:
                    raise Failure(f"answered {status}")
                self.forms[request_id] = self.browser.csrf(page)
        except (Failure, OSError, http.client.HTTPException) as exc:
            self.tally.error(f"portal page: {exc}")
            return False
        return True

    def upload(self) -> None:
        """One upload and the page of findings it leads to, timed together."""
        request_id, token = self.tokens[self.turn % len(self.tokens)]
        name, data = self.files[self.turn % len(self.files)]
        self.turn += 1
        started = time.perf_counter()
        try:
            status, location, body = self.browser.post_file(
                f"/p/{token}/upload/", {"csrfmiddlewaretoken": self.forms[request_id]}, name, data
            )
            stored = FILE_REVIEW.search(location) if status == 302 else None
            if stored is None:
                raise Failure(f"upload answered {status} {location} {body[:200]!r}")
            status, _, _ = self.browser.get(location)
            if status != 200:
                raise Failure(f"findings page answered {status}")
        except (Failure, OSError, http.client.HTTPException) as exc:
            self.tally.error(f"upload: {exc}")
            return
        took = (time.perf_counter() - started) * 1000
        with self.tally.lock:
            self.tally.uploads.append(took)
            self.tally.stored.setdefault(request_id, []).append(int(stored.group(1)))
            self.tally.last_digest[request_id] = hashlib.sha256(data).hexdigest()


class StaffAtWork:
    """An analyst: logs in, then reads the pages in turn."""

    def __init__(self, port: int, password: str, pages, tally: Tally, rng: random.Random):
        self.browser, self.password, self.pages, self.tally = Browser(port), password, pages, tally
        self.turn = rng.randrange(len(pages))

    def login(self) -> bool:
        try:
            status, _, page = self.browser.get("/login/")
            fields = {
                "csrfmiddlewaretoken": self.browser.csrf(page),
                "username": ANALYST,
                "password": self.password,
            }
            status, _, _ = self.browser.post_form("/login/", fields)
            if status != 302:
                raise Failure(f"answered {status}")
        except (Failure, OSError, http.client.HTTPException) as exc:
            self.tally.error(f"login: {exc}")
            return False
        return True

    def read(self) -> None:
        label, path = self.pages[self.turn % len(self.pages)]
        self.turn += 1
        path = path() if callable(path) else path
        started = time.perf_counter()
        try:
            status, _, _ = self.browser.get(path)
            if status != 200:
                raise Failure(f"{path} answered {status}")
        except (Failure, OSError, http.client.HTTPException) as exc:
            self.tally.error(f"staff {label}: {exc}")
            return
        took = (time.perf_counter() - started) * 1000
        with self.tally.lock:
            self.tally.pages.setdefault(label, []).append(took)


def staff_pages(seeded: Seeded, rng: random.Random) -> list[tuple[str, object]]:
    campaign = seeded.campaign
    return [
        ("dashboard", f"/campaigns/{campaign}/"),
        ("request list", f"/campaigns/{campaign}/requests/"),
        ("request page", lambda: f"/requests/{rng.choice(seeded.answered)}/"),
        ("smelters", f"/campaigns/{campaign}/smelters/"),
    ]


def people(port, seeded, files, uploaders: int, readers: int, tally: Tally, rng: random.Random):
    """Suppliers, each with its own requests (so that every request's newest upload is known), and staff."""
    ids = sorted(seeded.tokens)
    suppliers = [
        SupplierAtWork(
            port,
            [(r, seeded.tokens[r]) for r in ids[index::uploaders]],
            files,
            tally,
            random.Random(rng.random()),
        )
        for index in range(uploaders)
    ]
    staff = []
    for _ in range(readers):
        own = random.Random(rng.random())
        staff.append(StaffAtWork(port, seeded.password, staff_pages(seeded, own), tally, own))
    return suppliers, staff


def run(port, seeded, files, *, uploaders, readers, seconds, tally: Tally, seed_value: int) -> None:
    """``uploaders`` suppliers and ``readers`` staff, each in its own thread, all at once for ``seconds``
    (the links opened and the logins done first, not counted)."""
    suppliers, staff = people(port, seeded, files, uploaders, readers, tally, random.Random(seed_value))
    ready = threading.Barrier(len(suppliers) + len(staff) + 1)
    until = [0.0]

    def loop(start, step):
        ok = start()
        ready.wait()
        while ok and time.monotonic() < until[0]:
            step()

    threads = [threading.Thread(target=loop, args=(s.open, s.upload)) for s in suppliers]
    threads += [threading.Thread(target=loop, args=(s.login, s.read)) for s in staff]
    for thread in threads:
        thread.start()
    until[0] = time.monotonic() + 3600  # set properly once everyone is ready
    ready.wait()
    until[0] = time.monotonic() + seconds
    for thread in threads:
        thread.join()


class CpuMeter:
    """The CPU time the server's processes and their PostgreSQL backends have used, in ms.

    On a shared machine a request's wall-clock time counts everyone else's work too; its CPU time,
    taken around each request of the one-at-a-time baseline, is what it costs the server."""

    TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")

    def __init__(self, server_pid: int, postgres: str, database: str):
        import psycopg

        self.server_pid, self.database = server_pid, database
        self.admin = psycopg.connect(f"{postgres}/postgres", autocommit=True)
        self.seen: dict[tuple[str, int], float] = {}  # a process that has gone keeps its last reading

    def sample(self) -> tuple[float, float]:
        """(server ms, database ms) used so far."""
        children = Path(f"/proc/{self.server_pid}/task/{self.server_pid}/children")
        workers = [self.server_pid, *map(int, children.read_text().split())] if children.exists() else []
        backends = [
            pid
            for (pid,) in self.admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database]
            )
        ]
        for kind, pids in (("server", workers), ("database", backends)):
            for pid in pids:
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except (FileNotFoundError, ProcessLookupError):
                    continue
                self.seen[(kind, pid)] = (int(fields[11]) + int(fields[12])) * self.TICK_MS  # utime + stime
        return (
            sum(v for (kind, _), v in self.seen.items() if kind == "server"),
            sum(v for (kind, _), v in self.seen.items() if kind == "database"),
        )

    def resident(self) -> list[float]:
        """The resident memory of each server process now, in MB (the master first)."""
        children = Path(f"/proc/{self.server_pid}/task/{self.server_pid}/children")
        found = []
        for pid in [self.server_pid, *map(int, children.read_text().split())]:
            status = Path(f"/proc/{pid}/status").read_text()
            found.append(
                int(next(x for x in status.splitlines() if x.startswith("VmRSS:")).split()[1]) / 1024
            )
        return found

    def cost(self, work) -> tuple[float, float]:
        before = self.sample()
        work()
        after = self.sample()
        return after[0] - before[0], after[1] - before[1]


def baseline(port, seeded, files, seconds, tally: Tally, meter: CpuMeter) -> dict[str, list]:
    """One person at a time: an upload, then one round of the staff pages, over and over; the server's
    and the database's CPU time of each (upload, page)."""
    (supplier,), (reader,) = people(port, seeded, files, 1, 1, tally, random.Random(1))
    supplier.tokens = supplier.tokens[:20]
    cpu: dict[str, list] = {"upload": [], "page": []}
    if not (supplier.open() and reader.login()):
        return cpu
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        cpu["upload"].append(meter.cost(supplier.upload))
        for _ in reader.pages:
            cpu["page"].append(meter.cost(reader.read))
    return cpu


# --- the check afterwards -------------------------------------------------------------------------


def check(tallies: list[Tally]) -> list[str]:
    """Every request an upload reached, as the database holds it: what is lost or corrupted."""
    from oretrace.web.campaigns.models import ReportedSmelter, Request, State

    stored: dict[int, list[int]] = {}
    digest: dict[int, str] = {}
    for tally in tallies:  # in the order they ran: the last tally's digest is the newest upload
        for request_id, versions in tally.stored.items():
            stored.setdefault(request_id, []).extend(versions)
        digest.update(tally.last_digest)
    problems = []
    for request in Request.objects.filter(pk__in=stored).select_related("latest_submission"):
        versions = stored[request.pk]
        held = set(request.submissions.values_list("version", flat=True))
        latest = request.latest_submission
        if missing := set(versions) - held:
            problems.append(f"request {request.pk}: versions {sorted(missing)} answered but not stored")
        elif len(set(versions)) != len(versions):
            problems.append(f"request {request.pk}: two uploads answered with the same version")
        elif latest is None or latest.version != max(held) or latest.version != max(versions):
            problems.append(f"request {request.pk}: latest file is not the newest upload")
        elif latest.sha256 != digest[request.pk] or latest.record is None:
            problems.append(f"request {request.pk}: latest file is not the bytes uploaded last")
        elif request.state != State.SUBMITTED or request.responded_at is None:
            problems.append(f"request {request.pk}: state {request.state} after an upload")
        else:
            current = set(
                ReportedSmelter.objects.filter(request=request, current=True).values_list(
                    "submission_id", flat=True
                )
            )
            rows = ReportedSmelter.objects.filter(submission=latest, current=True).count()
            if current - {latest.pk} or rows != len(latest.smelter_record["smelters"]):
                problems.append(f"request {request.pk}: current smelter rows are not the latest file's")
    return problems


# --- the figures ------------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def figures(label: str, values: list[float], base: list[float], target: float | None) -> tuple[str, bool]:
    if not values:
        return f"  {label:22s} none measured", target is not None
    above = target is not None and p95(values) > target
    ratio = f"   {p95(values) / p95(base):5.1f}x baseline p95" if base else ""
    return (
        f"  {label:22s} n {len(values):5d}   p50 {statistics.median(values):6.0f} ms   "
        f"p95 {p95(values):6.0f} ms{ratio}"
        + (f"   (target {target:.0f} ms){'  ABOVE TARGET' if above else ''}" if target else "")
    ), above


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30, help="how long the load runs (default 30)")
    parser.add_argument("--baseline-seconds", type=float, help="one person at a time (default: a third)")
    parser.add_argument("--uploaders", type=int, default=20)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--suppliers", type=int, default=400, help="requests in the campaign (default 400)")
    parser.add_argument("--seeded", type=int, default=200, help="requests answered before the run")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    parser.add_argument("--database", default="t_load_bench", help="made afresh; must contain 'bench'")
    parser.add_argument("--workers", type=int, help="oretrace serve --workers (default: serve's own)")
    parser.add_argument("--threads", type=int, help="oretrace serve --threads (default: serve's own)")
    args = parser.parse_args()
    baseline_seconds = args.baseline_seconds or max(args.seconds / 3, 1)
    files = sorted(FILLED.glob("*.xlsx")) if FILLED.exists() else []
    if not files or not BLANK.exists():
        print(f"Skipped: the real CMRTs are not in {FILLED} (or {BLANK.name} is missing).")
        return
    if "bench" not in args.database:
        sys.exit("--database must name a database for the benchmark alone (its name containing 'bench').")
    database_url = fresh_database(args.postgres, args.database)
    if database_url is None:
        return
    var = Path(tempfile.mkdtemp(prefix="oretrace-load-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ORETRACE_VAR_DIR": str(var / "var"),
        "ORETRACE_SITE_URL": f"http://127.0.0.1:{port}",
        "ORETRACE_ALLOWED_HOSTS": "127.0.0.1",
        "ORETRACE_SECRET_KEY": secrets.token_urlsafe(50),
        # Each supplier cycles through its requests; a long run must not meet the limit of files.
        "ORETRACE_MAX_VERSIONS_PER_REQUEST": "100000",
        "DJANGO_SETTINGS_MODULE": "oretrace.web.settings",
    }
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    contents = [(path.name, path.read_bytes()) for path in files]
    started = time.perf_counter()
    seeded = seed(args.suppliers, min(args.seeded, args.suppliers), contents)
    print(
        f"Seeded {args.suppliers} requests ({args.seeded} answered) in {time.perf_counter() - started:.0f} s"
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()  # the server's processes are the ones working now

    extra = [*(["--workers", str(args.workers)] if args.workers else []),
             *(["--threads", str(args.threads)] if args.threads else [])]  # fmt: skip
    server = Server(env, port, extra, var / "server.log")
    try:
        server.wait_ready()
        code = subprocess.run(
            [sys.executable, "-c", "import oretrace; print(oretrace.__file__)"],
            env=env,
            capture_output=True,
            text=True,
        ).stdout.strip()  # what the server imports: the same interpreter and environment
        print(f"{server.banner().rstrip('.')}; code from {Path(code).parent}")
        # Warm-up, not counted: each worker process imports and connects on its first requests.
        run(port, seeded, contents, uploaders=2, readers=2, seconds=2, tally=Tally(), seed_value=0)
        single = Tally()
        meter = CpuMeter(server.process.pid, args.postgres, args.database)
        cpu = baseline(port, seeded, contents, baseline_seconds, single, meter)
        loaded = Tally()
        run(port, seeded, contents, uploaders=args.uploaders, readers=args.readers, seconds=args.seconds,
            tally=loaded, seed_value=2)  # fmt: skip
        memory = meter.resident()
    finally:
        server.stop()
    problems = check([single, loaded])
    touched = len(set(single.stored) | set(loaded.stored))
    pages = [t for values in loaded.pages.values() for t in values]
    base_pages = [t for values in single.pages.values() for t in values]
    print(
        f"PostgreSQL, {os.cpu_count()} cores: {args.uploaders} suppliers uploading and {args.readers} staff "
        f"reading for {args.seconds:g} s; baseline one person at a time for {baseline_seconds:.0f} s"
    )
    print(
        f"  uploads {len(loaded.uploads)} ({len(loaded.uploads) / args.seconds:.1f}/s), staff pages "
        f"{len(pages)} ({len(pages) / args.seconds:.1f}/s); errors: {len(single.errors) + len(loaded.errors)}; "
        f"requests lost or corrupted: {len(problems)} of {touched} uploaded to"
    )
    failed = bool(single.errors or loaded.errors or problems)
    line, above = figures("upload to findings", loaded.uploads, single.uploads, UPLOAD_TARGET_MS)
    print(line)
    failed |= above
    line, above = figures("staff pages", pages, base_pages, PAGE_TARGET_MS)
    print(line)
    failed |= above
    for label, values in sorted(loaded.pages.items()):
        print(figures(f"  {label}", values, single.pages.get(label, []), None)[0])
    print(figures("baseline: upload", single.uploads, [], None)[0])
    print(figures("baseline: staff pages", base_pages, [], None)[0])
    for label, costs in (("upload", cpu["upload"]), ("staff page", cpu["page"])):
        if costs:  # the mean: CPU time is counted in ticks of 10 ms
            print(
                f"  CPU per {label} (baseline mean): server {statistics.fmean(c[0] for c in costs):.0f} ms, "
                f"PostgreSQL {statistics.fmean(c[1] for c in costs):.0f} ms"
            )
    print(
        f"  server memory after the load: {len(memory) - 1} workers, {max(memory[1:]):.0f} MB resident the "
        f"largest, {sum(memory):.0f} MB in all with the master"
    )
    for what in (single.errors + loaded.errors)[:10]:
        print(f"  error: {what}")
    for what in problems[:10]:
        print(f"  problem: {what}")
    shutil.rmtree(var / "var", ignore_errors=True)  # the stored files
    if failed:
        print(f"  the server's log: {server.log}")
        sys.exit(1)
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
