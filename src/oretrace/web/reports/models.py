"""What the year's documents are written from, beyond the campaign's data: the report settings per year,
the narrative texts with every version kept, the analyst's changes to our derived CMRT answers, every
CMRT we generated (the file kept under its SHA-256, never overwritten), and the evidence packages built
for auditors (EvidenceBuild: queued by staff, built by the build_evidence worker, kept the same way)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import ngettext

from oretrace.batteries.inputs import BatterySettings
from oretrace.batteries.scope import Turnover
from oretrace.declaration import CompanyBlock, DeclarationSettings
from oretrace.declaration.derive import METALS, QUESTIONS
from oretrace.errors import OretraceError
from oretrace.reports import CONCLUSIONS, SECTIONS, Organisation, YearFigures, default_sections
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import storage
from oretrace.web.campaigns.models import Campaign, Submission
from oretrace.web.suppliers.models import Organisation as OrganisationSettings
from oretrace.web.suppliers.models import ReportingYear

SECTION_TITLES = {spec.key: spec.title for spec in SECTIONS}
YEAR_FIELDS = (
    "year",
    "surveyed",
    "responded",
    "smelters_identified",
    "conformant_smelters",
    "covered_country_smelters",
)


def declarations_dir() -> Path:
    """Where generated CMRTs live: the var folder unless DECLARATIONS_DIR is set."""
    return Path(getattr(settings, "DECLARATIONS_DIR", None) or settings.VAR_DIR / "declarations")


class ReportSettings(models.Model):
    """One reporting year's settings: the conclusion, the overviews, the supply-chain figures, the earlier
    years compared with, the Form SD cover page and the company block of our own CMRT.

    A new year starts from the year before, so only what changed has to be typed again.
    """

    reporting_year = models.OneToOneField(
        ReportingYear, on_delete=models.CASCADE, related_name="report_settings"
    )
    conclusion = models.CharField(
        max_length=40,
        choices=[(c.key, c.label) for c in CONCLUSIONS.values()],
        default="origin-undetermined",
        help_text="What the reasonable country of origin inquiry concluded (Form SD Item 1.01).",
    )
    company_overview = models.TextField(blank=True)
    products_overview = models.TextField(blank=True)
    # Blank: counted from the campaign's suppliers by tier.
    direct_suppliers = models.PositiveIntegerField(null=True, blank=True)
    indirect_suppliers = models.PositiveIntegerField(null=True, blank=True)
    # [{year, surveyed, responded, smelters_identified, conformant_smelters, covered_country_smelters}]
    previous_years = models.JSONField(default=list, blank=True)
    # The Form SD cover page.
    website = models.CharField(max_length=200, blank=True)
    state_of_incorporation = models.CharField(max_length=100, blank=True)
    commission_file_number = models.CharField(max_length=40, blank=True)
    irs_employer_id = models.CharField(max_length=40, blank=True, verbose_name="IRS employer ID")
    contact = models.CharField(
        max_length=300, blank=True, help_text="Name and telephone number of the person to contact."
    )
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True)
    # The company block of our own CMRT (Declaration D8-D22); the CMRT Checker requires the first five.
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=60, blank=True)
    authorizer_name = models.CharField(max_length=200, blank=True)
    authorizer_email = models.EmailField(blank=True)
    authorizer_title = models.CharField(max_length=200, blank=True)
    authorizer_phone = models.CharField(max_length=60, blank=True)
    unique_id = models.CharField(max_length=100, blank=True)
    unique_id_authority = models.CharField(max_length=100, blank=True)
    include_unidentified = models.BooleanField(
        default=False,
        help_text="List smelter names no reference facility matched as 'Smelter not listed' rows.",
    )
    # The battery due-diligence report of an EMRT or CRT campaign (oretrace.batteries, Regulation (EU)
    # 2023/1542 Article 52(3)): printed as stated, a blank said to be blank.
    battery_categories = models.JSONField(default=list, blank=True)  # keys of BATTERY_CATEGORIES
    batteries_described = models.TextField(
        blank=True, help_text="The batteries the report concerns, in our words (Article 52(3))."
    )
    battery_policy_url = models.CharField(
        max_length=300, blank=True, verbose_name="Battery due-diligence policy URL"
    )
    notified_body = models.CharField(
        max_length=300,
        blank=True,
        help_text="The notified body that verified the battery due-diligence policy (Article 51); blank for none.",
    )
    verification_date = models.DateField(null=True, blank=True)
    commission_guidelines = models.CharField(
        max_length=300,
        blank=True,
        help_text="The Commission's battery due-diligence guidelines the report follows, once published.",
    )
    net_turnover_eur = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        verbose_name="Net turnover (EUR)",
        help_text="In the financial year preceding the last one (Article 47).",
    )
    group_turnover_eur = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        verbose_name="Group turnover (EUR)",
        help_text="Consolidated, when part of a group of parent and subsidiary undertakings; blank if not.",
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    # What a new year copies from the year before: everything but the figures of that year.
    CARRIED = (
        "conclusion",
        "company_overview",
        "products_overview",
        "website",
        "state_of_incorporation",
        "commission_file_number",
        "irs_employer_id",
        "contact",
        "signatory_name",
        "signatory_title",
        "contact_name",
        "contact_email",
        "contact_phone",
        "authorizer_name",
        "authorizer_email",
        "authorizer_title",
        "authorizer_phone",
        "unique_id",
        "unique_id_authority",
        "include_unidentified",
        "battery_categories",
        "batteries_described",
        "battery_policy_url",
        "commission_guidelines",
    )
    # The settings of the battery due-diligence report, in the order the settings page shows them; the
    # turnover and the verification are the year's own.
    BATTERY_FIELDS = (
        "battery_categories",
        "batteries_described",
        "battery_policy_url",
        "net_turnover_eur",
        "group_turnover_eur",
        "notified_body",
        "verification_date",
        "commission_guidelines",
    )

    def __str__(self) -> str:
        return f"Report settings {self.reporting_year}"

    @classmethod
    def for_year(cls, year: ReportingYear) -> ReportSettings:
        found = cls.objects.filter(reporting_year=year).first()
        if found is not None:
            return found
        before = (
            cls.objects.filter(reporting_year__year__lt=year.year).order_by("-reporting_year__year").first()
        )
        carried = {name: getattr(before, name) for name in cls.CARRIED} if before else {}
        return cls(reporting_year=year, **carried)

    def organisation(self, org: OrganisationSettings) -> Organisation:
        """The core's Organisation: name, address and policy from the settings page, the rest from here."""
        return Organisation(
            name=org.name,
            website=self.website or None,
            policy_url=org.policy_url or None,
            address=org.address or None,
            state_of_incorporation=self.state_of_incorporation or None,
            commission_file_number=self.commission_file_number or None,
            irs_employer_id=self.irs_employer_id or None,
            contact=self.contact or None,
            signatory_name=self.signatory_name or None,
            signatory_title=self.signatory_title or None,
        )

    def declaration_settings(self, org: OrganisationSettings) -> DeclarationSettings:
        """Our CMRT's company block and questions A-H; the core's BadInput names what is missing."""
        company = CompanyBlock(
            name=org.name,
            contact_name=self.contact_name,
            contact_email=self.contact_email,
            contact_phone=self.contact_phone,
            authorizer_name=self.authorizer_name,
            authorizer_email=self.authorizer_email,
            authorizer_title=self.authorizer_title or None,
            authorizer_phone=self.authorizer_phone or None,
            unique_id=self.unique_id or None,
            unique_id_authority=self.unique_id_authority or None,
            address=org.address or None,
        )
        return DeclarationSettings(
            company=company,
            company_questions=dict(org.company_answers),
            policy_url=org.policy_url or None,
            include_unidentified=self.include_unidentified,
            kind_company_questions={
                kind: answers for kind, answers in org.kind_company_answers.items() if answers
            },
        )

    def battery_settings(self) -> BatterySettings:
        """The core's settings of the battery due-diligence report."""
        return BatterySettings(
            battery_categories=tuple(self.battery_categories),
            batteries_described=self.batteries_described,
            policy_url=self.battery_policy_url,
            notified_body=self.notified_body,
            verification_date=self.verification_date,
            guidelines=self.commission_guidelines,
            turnover=Turnover(self.net_turnover_eur, self.group_turnover_eur),
        )

    def year_figures(self) -> tuple[YearFigures, ...]:
        return tuple(
            YearFigures(**{k: row.get(k) for k in YEAR_FIELDS})
            for row in sorted(self.previous_years, key=lambda r: r["year"])
        )


class NarrativeVersion(models.Model):
    """One saved text of one report section for one year. Saving never changes a row: it adds a version,
    so the history shows who wrote what, and any version can be restored (as a new version)."""

    reporting_year = models.ForeignKey(ReportingYear, on_delete=models.CASCADE, related_name="narratives")
    section = models.CharField(max_length=40, choices=[(s.key, s.title) for s in SECTIONS])
    number = models.PositiveIntegerField()
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    author_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    restored_from = models.PositiveIntegerField(null=True, blank=True)  # the version number restored

    class Meta:
        ordering = ["reporting_year", "section", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["reporting_year", "section", "number"], name="narrative_version")
        ]

    def __str__(self) -> str:
        return f"{self.reporting_year} {self.section} v{self.number}"

    @classmethod
    def current_texts(cls, year: ReportingYear) -> dict[str, str]:
        """Every section's text for the year: its latest version, else the core's default text."""
        texts = default_sections()
        latest = cls.objects.filter(reporting_year=year).values("section").annotate(n=Max("number"))
        wanted = {(row["section"], row["n"]) for row in latest}
        for version in cls.objects.filter(reporting_year=year, section__in={s for s, _ in wanted}):
            if (version.section, version.number) in wanted:
                texts[version.section] = version.text
        return texts

    @classmethod
    def add(cls, year: ReportingYear, section: str, text: str, by, restored_from: int | None = None):
        """Save ``text`` as the section's next version and log it."""
        with transaction.atomic():
            # Locks the year's row so two editors saving at once get numbers 2 and 3, not 2 twice.
            ReportingYear.objects.select_for_update().get(pk=year.pk)
            number = (
                cls.objects.filter(reporting_year=year, section=section).aggregate(n=Max("number"))["n"] or 0
            ) + 1
            version = cls.objects.create(
                reporting_year=year,
                section=section,
                number=number,
                text=text,
                author=by,
                author_label=by.get_username(),
                restored_from=restored_from,
            )
            detail = f"{SECTION_TITLES[section]}: version {number}"
            if restored_from:
                detail += f" (restored from version {restored_from})"
            AuditEntry.record(by, "report.narrative_saved", version, detail)
        return version


class DeclarationOverride(models.Model):
    """The analyst's answer to one question of our CMRT for one metal, replacing the derived one."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="declaration_overrides")
    metal = models.CharField(max_length=20, choices=[(m, m) for m in METALS])
    question = models.CharField(max_length=3, choices=[(q, q) for q in QUESTIONS])
    answer = models.CharField(max_length=60, blank=True)  # blank: leave the answer empty
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    by_label = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["metal", "question"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "metal", "question"], name="declaration_override")
        ]

    def __str__(self) -> str:
        return f"{self.question} {self.metal} = {self.answer or '(blank)'}"

    @property
    def note(self) -> str:
        return f"{self.reason} ({self.by_label}, {self.at:%Y-%m-%d})"


class GeneratedDeclaration(models.Model):
    """One CMRT we filled in and offered for download, kept byte for byte under its SHA-256."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="generated_declarations")
    scope = models.CharField(max_length=1)  # A company, B products, C user defined
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)  # metal -> Q -> answer, as written
    parts = models.JSONField(default=list, blank=True)  # scope B: the part numbers declared
    suppliers = models.JSONField(default=list, blank=True)  # scope B: whose files it was derived from
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_product_level(self) -> bool:
        return self.scope == "B"

    def file_bytes(self) -> bytes:
        return storage.read_bytes(declarations_dir(), self.sha256)

    def file_path(self) -> Path:
        return storage.path_for(declarations_dir(), self.sha256)

    @classmethod
    def keep(cls, campaign: Campaign, data: bytes, *, by, declaration, parts=(), suppliers=(), label=None):
        """Keep the file; ``label`` names it for whom it was made (a customer's answer)."""
        scope = str(declaration.company.get("declaration_scope") or "A")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        kind = "products" if scope == "B" else "company"
        if label:
            kind = f"{label}-{kind}"
        digest = storage.store_bytes(declarations_dir(), data)
        with transaction.atomic():
            generated = cls.objects.create(
                campaign=campaign,
                scope=scope,
                filename=f"{declaration.kind}-{campaign.reporting_year.year}-{kind}-{stamp}.xlsx",
                sha256=digest,
                size=len(data),
                answers=declaration.answers,
                parts=list(parts),
                suppliers=list(suppliers),
                created_by=by,
                created_by_label=by.get_username(),
            )
            detail = f"scope {scope}, sha256 {digest[:12]}"
            if parts:
                detail += ", " + ngettext("%(n)d part number", "%(n)d part numbers", len(parts)) % {
                    "n": len(parts)
                }
            AuditEntry.record(by, "declaration.generated", generated, detail)
        return generated


def packages_dir() -> Path:
    """Where built evidence packages live: the var folder unless EVIDENCE_PACKAGES_DIR is set."""
    return Path(getattr(settings, "EVIDENCE_PACKAGES_DIR", None) or settings.VAR_DIR / "packages")


# A build that has shown no progress for this long lost its worker (killed, the machine restarted):
# the worker notes progress at least every few seconds while it writes, and gathering the data before
# the first member takes well under this even for the largest campaigns.
STALE_BUILD_AFTER = dt.timedelta(minutes=15)
# A build whose worker died this many times is not tried again: something in the data kills it.
MAX_BUILD_ATTEMPTS = 3
# At most one progress write a second: a package has hundreds of members.
PROGRESS_EVERY_SECONDS = 1.0

logger = logging.getLogger(__name__)


class BuildStopped(Exception):
    """The worker was told to stop (SIGTERM) in the middle of a build."""


class ClaimLost(Exception):
    """The build was given to another worker (this one was thought dead)."""


class EvidenceBuild(models.Model):
    """One request for a campaign's evidence package, built in the background by the build_evidence
    worker into a file kept under its SHA-256 (packages_dir), never in a web request: a package holds
    every version of every supplier file and can be gigabytes.

    A worker claims a queued build with a conditional UPDATE (queued -> building, ``attempts`` + 1), so
    two workers never build the same one; ``attempts`` is the claim's token, so a worker thought dead
    cannot record a package after the build went back to the queue. At most one build per campaign is
    queued or building at a time (a partial unique constraint).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        BUILDING = "building", "Building"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    RUNNING = (Status.QUEUED, Status.BUILDING)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="evidence_builds")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_by_label = models.CharField(max_length=200)
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the worker's last sign of life
    members_done = models.PositiveIntegerField(default=0)
    members_total = models.PositiveIntegerField(default=0)
    # The data it was built from: campaigns.rollup.state_key (changes with any file, state, list or day),
    # the day its figures are counted as of, and the supplier files it holds.
    state_key = models.CharField(max_length=64, blank=True)
    as_of = models.DateField(null=True, blank=True)
    supplier_files = models.PositiveIntegerField(null=True, blank=True)
    latest_file_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "requested_at"], name="evidence_build_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"],
                condition=models.Q(status__in=["queued", "building"]),
                name="one_evidence_build_at_a_time",
            )
        ]

    def __str__(self) -> str:
        return f"evidence package {self.pk} of {self.campaign} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        return round(100 * self.members_done / self.members_total) if self.members_total else 0

    def file_path(self) -> Path:
        return storage.path_for(packages_dir(), self.sha256)

    # --- asking for one --------------------------------------------------------------------------
    @classmethod
    def running_for(cls, campaign: Campaign) -> EvidenceBuild | None:
        return cls.objects.filter(campaign=campaign, status__in=cls.RUNNING).first()

    @classmethod
    def request(cls, campaign: Campaign, by) -> tuple[EvidenceBuild, bool]:
        """Queue a build of the campaign's package; (the build, True), or (the build already queued or
        under way, False): a second request never queues a second build."""
        if running := cls.running_for(campaign):
            return running, False
        user = by if getattr(by, "is_authenticated", False) else None
        try:
            with transaction.atomic():
                build = cls.objects.create(
                    campaign=campaign,
                    requested_by=user,
                    requested_by_label=user.get_username() if user else str(by or "system"),
                )
                AuditEntry.record(by, "report.evidence_requested", campaign, f"evidence package {build.pk}")
        except IntegrityError:  # another request got in between: the constraint allows one
            running = cls.running_for(campaign)
            if running is None:
                raise
            return running, False
        return build, True

    # --- the worker's side -----------------------------------------------------------------------
    @classmethod
    def next_queued(cls) -> EvidenceBuild | None:
        return cls.objects.filter(status=cls.Status.QUEUED).order_by("requested_at", "pk").first()

    def claim(self) -> bool:
        """Take this queued build for this worker; False when another worker took it first."""
        now = timezone.now()
        claimed = EvidenceBuild.objects.filter(
            pk=self.pk, status=self.Status.QUEUED, attempts=self.attempts
        ).update(
            status=self.Status.BUILDING,
            attempts=F("attempts") + 1,
            claimed_at=now,
            heartbeat_at=now,
            members_done=0,
            members_total=0,
        )
        if claimed != 1:
            return False
        self.refresh_from_db()
        return True

    def _ours(self):
        """This build, as long as this worker's claim on it holds."""
        return EvidenceBuild.objects.filter(pk=self.pk, status=self.Status.BUILDING, attempts=self.attempts)

    @classmethod
    def requeue_stale(cls) -> int:
        """Builds a dead worker left "building" go back to the queue, or fail after MAX_BUILD_ATTEMPTS."""
        now = timezone.now()
        cutoff = now - STALE_BUILD_AFTER
        moved = 0
        stale = cls.objects.filter(status=cls.Status.BUILDING, heartbeat_at__lt=cutoff)
        for pk, attempts in stale.values_list("pk", "attempts"):
            same = cls.objects.filter(
                pk=pk, status=cls.Status.BUILDING, attempts=attempts, heartbeat_at__lt=cutoff
            )
            note = f"The worker stopped while building this package (attempt {attempts})"
            if attempts >= MAX_BUILD_ATTEMPTS:
                moved += same.update(
                    status=cls.Status.FAILED,
                    finished_at=now,
                    error=f"{note}; it was tried {attempts} times and is not tried again. Ask for it "
                    "once more, and if it stops again, check the worker's log.",
                )
            else:
                moved += same.update(status=cls.Status.QUEUED, error=f"{note}; it is built again.")
        return moved

    def build(self, *, stop: Callable[[], bool] = lambda: False) -> None:
        """Build the package this worker claimed and keep it, recording how it ended on the row: done
        with the file, failed with the reason, or back in the queue when ``stop()`` became true.

        The ZIP is written to a temporary file in the packages folder and kept under its SHA-256 only
        once complete; a build that fails leaves no file behind.
        """
        from oretrace.web.campaigns.rollup import state_key
        from oretrace.web.reports import documents

        folder = packages_dir()
        storage.private_dir(folder)
        _remove_abandoned(folder)
        temporary = folder / f".build-{self.pk}-{self.attempts}-{secrets.token_hex(4)}.partial"
        try:
            created = timezone.now().replace(microsecond=0)
            files = Submission.objects.filter(request__campaign=self.campaign).aggregate(
                n=Count("id"), latest=Max("uploaded_at")
            )
            key = state_key(self.campaign)
            prepared = documents.prepare(self.campaign)
            if stop():
                raise BuildStopped
            self._ours().update(
                state_key=key,
                as_of=prepared.built.as_of,
                supplier_files=files["n"],
                latest_file_at=files["latest"],
                heartbeat_at=timezone.now(),
            )
            with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
                documents.evidence_package(prepared, out, created=created, progress=self._progress(stop))
                out.flush()
                os.fsync(out.fileno())
            digest, size = storage.store_path(folder, temporary)
            year = self.campaign.reporting_year.year
            finished = self._ours().update(
                status=self.Status.DONE,
                sha256=digest,
                size=size,
                filename=f"evidence-{year}-campaign-{self.campaign_id}-{timezone.localtime(created):%Y%m%d-%H%M%S}.zip",
                finished_at=timezone.now(),
                error="",
            )
            if not finished:
                raise ClaimLost
        except BuildStopped:
            self._ours().update(status=self.Status.QUEUED, error="The worker was stopped; it is built again.")
        except ClaimLost:
            logger.warning("Evidence package %s was given to another worker; this build is dropped.", self.pk)
        except OretraceError as error:
            self._fail(f"The evidence package cannot be built: {error.message}")
        except Exception as error:
            logger.exception("Evidence package %s failed", self.pk)
            self._fail(
                f"An unexpected error stopped the build ({type(error).__name__}: {error}); the worker's log has the details."
            )
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        with contextlib.suppress(EvidenceBuild.DoesNotExist):  # the campaign was deleted meanwhile
            self.refresh_from_db()

    def _fail(self, message: str) -> None:
        self._ours().update(status=self.Status.FAILED, error=message[:4000], finished_at=timezone.now())

    def _progress(self, stop: Callable[[], bool]) -> Callable[[int, int], None]:
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            if stop():
                raise BuildStopped
            if done < total and time.monotonic() - last < PROGRESS_EVERY_SECONDS:
                return
            last = time.monotonic()
            noted = self._ours().update(members_done=done, members_total=total, heartbeat_at=timezone.now())
            if not noted:
                raise ClaimLost

        return progress


def _remove_abandoned(folder: Path) -> None:
    """Temporary files of builds whose worker died: a build being written changes its file all the time."""
    cutoff = time.time() - STALE_BUILD_AFTER.total_seconds()
    for leftover in folder.glob(".build-*.partial"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
