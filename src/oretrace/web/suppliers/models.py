"""Our organisation, its suppliers, their contacts, and the parts and products they go into."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Lower


class Organisation(models.Model):
    """The company running the inquiry: one per installation. Its answers fill its own CMRT later."""

    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    policy_url = models.URLField(blank=True, verbose_name="Responsible minerals policy URL")
    contact_email = models.EmailField(blank=True, help_text="Where suppliers' questions go.")
    # Answers to the CMRT company-level questions A–H, e.g. {"A": "Yes", "B": "Yes"}.
    company_answers = models.JSONField(default=dict, blank=True)
    # Our EMRT's and CRT's own company questions, by kind: {"CRT": {"B": "Yes"}}. A question left out is
    # derived (from the suppliers' files or the CMRT answer asking the same); the CRT asks B, D and F,
    # which nothing derives. The core checks each answer against the blank template's choices.
    kind_company_answers = models.JSONField(default=dict, blank=True)
    # For the filing calendar: EU Regulation 2017/821 has Union importers report annually, on no fixed day.
    eu_importer = models.BooleanField(
        default=False,
        verbose_name="Union importer under EU Regulation 2017/821",
        help_text="Imports 3TG into the EU above the Annex I volumes, so reports annually under Art 7(3).",
    )
    eu_report_published = models.DateField(
        null=True,
        blank=True,
        verbose_name="Last EU annual report published on",
        help_text="The next one is due a year later; the Regulation fixes no day.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Organisation:
        found = cls.objects.order_by("id").first()
        return found or cls.objects.create(name="Our organisation")

    @classmethod
    def replace_kind_company_answers(cls, kind: str, answers: dict[str, str]) -> dict[str, str]:
        """Our ``kind``'s company questions become ``answers``; returns those they replace. The row is
        locked from the read to the write, so two people saving the EMRT's and the CRT's answers at
        once both keep theirs (a stale copy saved would drop the other kind's)."""
        with transaction.atomic():
            organisation = cls.objects.select_for_update().get(pk=cls.current().pk)
            was = organisation.kind_company_answers.get(kind, {})
            organisation.kind_company_answers = {**organisation.kind_company_answers, kind: answers}
            organisation.save(update_fields=["kind_company_answers", "updated_at"])
        return was


class ReportingYear(models.Model):
    """A calendar year of sourcing that one Conflict Minerals Report covers (filed by 31 May after)."""

    year = models.PositiveSmallIntegerField(unique=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class Tier(models.TextChoices):
    DIRECT = "direct", "Direct"
    INDIRECT = "indirect", "Indirect"


class Supplier(models.Model):
    # The stable key from the ERP (vendor number): re-imports update the supplier with this key.
    key = models.CharField(max_length=100, unique=True, verbose_name="supplier number")
    name = models.CharField(max_length=300)
    tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.INDIRECT)
    country = models.CharField(max_length=100, blank=True)
    internal_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_suppliers",
        help_text="The buyer or analyst who answers for this supplier; copied on escalations.",
    )
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(Lower("name"), name="supplier_name_lower"),
            models.Index(fields=["tier", "name"]),
            models.Index(fields=["country", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def primary_contact(self) -> Contact | None:
        contacts = list(self.contacts.all())
        return next((c for c in contacts if c.is_primary), contacts[0] if contacts else None)

    def recipients(self) -> list[str]:
        """Who receives requests and reminders: the primary contact(s), else every contact."""
        contacts = list(self.contacts.all())
        primary = [c.email for c in contacts if c.is_primary]
        return primary or [c.email for c in contacts]

    def escalation_recipients(self) -> list[str]:
        """Escalation goes to the escalation contact(s) and to our internal owner."""
        emails = [c.email for c in self.contacts.all() if c.is_escalation]
        if self.internal_owner and self.internal_owner.email:
            emails.append(self.internal_owner.email)
        return list(dict.fromkeys(emails))


class Contact(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField()
    phone = models.CharField(max_length=60, blank=True)
    # The portal and e-mails use this language: "en" or "zh-hans".
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")
    is_primary = models.BooleanField(default=False)
    is_escalation = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "name"]
        constraints = [models.UniqueConstraint(fields=["supplier", "email"], name="contact_unique_email")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


class ProductLine(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    number = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=300, blank=True)
    product_line = models.ForeignKey(
        ProductLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class Part(models.Model):
    number = models.CharField(max_length=100, unique=True, verbose_name="part number")
    description = models.CharField(max_length=300, blank=True)
    products = models.ManyToManyField(Product, blank=True, related_name="parts")

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.description}".strip()


class SupplierPart(models.Model):
    """A part a supplier supplies to us, with its part number on the supplier's side."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="supplier_parts")
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="supplier_parts")
    supplier_part_number = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["supplier", "part"], name="supplier_part_unique")]

    def __str__(self) -> str:
        return f"{self.supplier} – {self.part}"


def suppliers_supplying(parts=(), products=()):
    """The suppliers that supply any of ``parts``, or any part that goes into one of ``products``
    (through SupplierPart and Part.products): who is in scope for those parts and products."""
    from django.db.models import Q

    return Supplier.objects.filter(
        Q(supplier_parts__part__in=list(parts)) | Q(supplier_parts__part__products__in=list(products))
    ).distinct()
