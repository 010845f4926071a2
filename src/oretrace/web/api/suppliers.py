"""Suppliers, their contacts, our parts and which supplier supplies which part: read, create, update,
and upsert from an ERP export by the natural keys (supplier number, part number)."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.validators import UniqueTogetherValidator

from oretrace.web.api.forms import FormChecked
from oretrace.web.audit.models import AuditEntry
from oretrace.web.staff.forms import ContactForm, SupplierForm
from oretrace.web.suppliers.models import Contact, Part, Supplier, SupplierPart


class ContactSerializer(FormChecked):
    form_class = ContactForm
    audit_action = "contact.saved"
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())

    class Meta:
        model = Contact
        fields = ["id", "supplier", "name", "email", "phone", "language", "is_primary", "is_escalation"]

    def validate(self, attrs):
        supplier = attrs.get("supplier") or self.instance.supplier
        if self.instance and attrs.get("supplier", supplier) != self.instance.supplier:
            raise serializers.ValidationError({"supplier": ["A contact cannot move to another supplier."]})
        attrs = super().validate(attrs)
        if "email" in attrs:
            others = supplier.contacts.exclude(pk=getattr(self.instance, "pk", None))
            if others.filter(email__iexact=attrs["email"]).exists():
                raise serializers.ValidationError(
                    {"email": ["This supplier already has a contact with that e-mail address."]}
                )
        return attrs

    def create(self, validated_data):
        return self.save_form(self.initial_attrs(validated_data), None, supplier=validated_data["supplier"])


class SupplierSerializer(FormChecked):
    form_class = SupplierForm
    audit_action = "supplier.saved"
    internal_owner = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="The user name of the buyer or analyst who answers for this supplier.",
    )
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Supplier
        fields = [
            "id",
            "key",
            "name",
            "tier",
            "country",
            "internal_owner",
            "notes",
            "active",
            "contacts",
            "created_at",
            "updated_at",
        ]


class SupplierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", help_text="Part of the name or the supplier number.")
    part = django_filters.CharFilter(
        field_name="supplier_parts__part__number", help_text="Suppliers of this part number."
    )

    class Meta:
        model = Supplier
        fields = ["key", "tier", "country", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(key__icontains=value))


class NoDelete(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Create, read and update; a supplier or a part is made inactive, never deleted (its history)."""


@extend_schema_view(
    list=extend_schema(summary="List suppliers (filter by number, tier, country, active, part; q searches)"),
    retrieve=extend_schema(summary="A supplier with its contacts"),
    create=extend_schema(summary="Create a supplier (checked as the supplier form checks it)"),
    update=extend_schema(summary="Replace a supplier's fields"),
    partial_update=extend_schema(summary="Change some of a supplier's fields"),
)
class SupplierViewSet(NoDelete):
    queryset = (
        Supplier.objects.select_related("internal_owner").prefetch_related("contacts").order_by("name", "id")
    )
    serializer_class = SupplierSerializer
    filterset_class = SupplierFilter


@extend_schema_view(
    list=extend_schema(summary="List contacts (filter by supplier)"),
    retrieve=extend_schema(summary="A contact"),
    create=extend_schema(summary="Add a contact to a supplier"),
    update=extend_schema(summary="Replace a contact's fields"),
    partial_update=extend_schema(summary="Change some of a contact's fields"),
    destroy=extend_schema(summary="Remove a contact"),
)
class ContactViewSet(viewsets.ModelViewSet):
    queryset = Contact.objects.order_by("supplier_id", "-is_primary", "name", "id")
    serializer_class = ContactSerializer
    filterset_fields = ["supplier", "email", "is_primary", "is_escalation"]

    def perform_destroy(self, instance):
        with transaction.atomic():
            AuditEntry.record(self.request.user, "contact.removed", instance, f"API: {instance.supplier}")
            instance.delete()


class PartSerializer(serializers.ModelSerializer):
    products = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = Part
        fields = ["id", "number", "description", "products"]

    def save(self, **kwargs):
        with transaction.atomic():
            part = super().save(**kwargs)
            AuditEntry.record(self.context["request"].user, "part.saved", part, "API")
        return part


@extend_schema_view(
    list=extend_schema(summary="List our parts"),
    retrieve=extend_schema(summary="A part with the products it goes into"),
    create=extend_schema(summary="Create a part"),
    update=extend_schema(summary="Replace a part's fields"),
    partial_update=extend_schema(summary="Change some of a part's fields"),
)
class PartViewSet(NoDelete):
    queryset = Part.objects.prefetch_related("products").order_by("number")
    serializer_class = PartSerializer
    filterset_fields = ["number"]


class SupplierPartSerializer(serializers.ModelSerializer):
    supplier = serializers.SlugRelatedField(
        slug_field="key", queryset=Supplier.objects.all(), help_text="Supplier number."
    )
    part = serializers.SlugRelatedField(
        slug_field="number", queryset=Part.objects.all(), help_text="Our part number."
    )

    class Meta:
        model = SupplierPart
        fields = ["id", "supplier", "part", "supplier_part_number"]
        validators = [
            UniqueTogetherValidator(
                SupplierPart.objects.all(),
                fields=["supplier", "part"],
                message="This supplier is linked to this part already.",
            )
        ]

    def save(self, **kwargs):
        try:
            with transaction.atomic():
                link = super().save(**kwargs)
                AuditEntry.record(self.context["request"].user, "supplier_part.saved", link, "API")
        except IntegrityError:
            raise serializers.ValidationError("This supplier is linked to this part already.") from None
        return link


@extend_schema_view(
    list=extend_schema(summary="List which supplier supplies which part"),
    retrieve=extend_schema(summary="A supplier-part link"),
    create=extend_schema(summary="Link a supplier to a part"),
    update=extend_schema(summary="Replace a link's fields"),
    partial_update=extend_schema(summary="Change a link's supplier part number"),
    destroy=extend_schema(summary="Unlink a supplier from a part"),
)
class SupplierPartViewSet(viewsets.ModelViewSet):
    queryset = SupplierPart.objects.select_related("supplier", "part").order_by(
        "supplier__key", "part__number"
    )
    serializer_class = SupplierPartSerializer
    filterset_fields = {"supplier__key": ["exact"], "part__number": ["exact"]}

    def perform_destroy(self, instance):
        with transaction.atomic():
            AuditEntry.record(self.request.user, "supplier_part.removed", instance, "API")
            instance.delete()
