"""What the year's documents are written from, beyond the campaign's data: the report settings per year,
the narrative texts with every version kept, the analyst's changes to our derived CMRT answers, and every
CMRT we generated (the file kept under its SHA-256, never overwritten)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from oretrace.declaration import CompanyBlock, DeclarationSettings
from oretrace.declaration.derive import METALS, QUESTIONS
from oretrace.reports import CONCLUSIONS, SECTIONS, Organisation, YearFigures, default_sections
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import storage
from oretrace.web.campaigns.models import Campaign
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

    @classmethod
    def keep(cls, campaign: Campaign, data: bytes, *, by, declaration, parts=(), suppliers=()):
        scope = str(declaration.company.get("declaration_scope") or "A")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        kind = "products" if scope == "B" else "company"
        digest = storage.store_bytes(declarations_dir(), data)
        with transaction.atomic():
            generated = cls.objects.create(
                campaign=campaign,
                scope=scope,
                filename=f"CMRT-{campaign.reporting_year.year}-{kind}-{stamp}.xlsx",
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
                detail += f", {len(parts)} part number(s)"
            AuditEntry.record(by, "declaration.generated", generated, detail)
        return generated
