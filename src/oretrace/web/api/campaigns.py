"""Campaigns with their figures, requests with their state and history, the supplier files with their
findings, and a campaign's identified smelters and risk ratings: read-only, from the same queries and
core computations as the web pages (campaigns.rollup, campaigns.smelter_list, risk.assessment)."""

from __future__ import annotations

import dataclasses

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from oretrace.survey import members
from oretrace.survey.figures import COUNTED_BY
from oretrace.web.api.schema import paged
from oretrace.web.campaigns.models import Campaign, Request, RequestEvent, SmelterStatus, State, Submission
from oretrace.web.campaigns.rollup import campaign_survey, results_smelter_rows
from oretrace.web.campaigns.smelter_list import add_facilities, smelter_groups
from oretrace.web.risk.assessment import campaign_risk


class CampaignSerializer(serializers.ModelSerializer):
    reporting_year = serializers.IntegerField(source="reporting_year.year")
    minerals_in_scope = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "reporting_year",
            "template_kind",
            "minimum_version",
            "minerals_in_scope",
            "due_date",
            "closed",
            "results_rule",
            "created_at",
        ]


class CampaignFigures(serializers.Serializer):
    """The campaign's survey figures as the core counts them (oretrace.survey.survey_figures); a figure
    is null where it is not known."""

    as_of = serializers.DateField()
    in_scope = serializers.IntegerField()
    surveyed = serializers.IntegerField()
    responded = serializers.IntegerField()
    returned = serializers.IntegerField()
    declined = serializers.IntegerField()
    not_responded = serializers.IntegerField()
    in_results = serializers.IntegerField(allow_null=True)
    accepted = serializers.IntegerField(allow_null=True)
    accepted_with_exceptions = serializers.IntegerField(allow_null=True)
    under_review = serializers.IntegerField(allow_null=True)
    overdue = serializers.IntegerField(allow_null=True)
    reminders_sent = serializers.IntegerField(allow_null=True)
    escalated = serializers.IntegerField(allow_null=True)
    waiting_for_us = serializers.IntegerField(allow_null=True)
    errors = serializers.IntegerField()
    warnings = serializers.IntegerField()
    response_rate = serializers.FloatField()


class CampaignSmelterSerializer(serializers.Serializer):
    metal = serializers.CharField()
    smelter_id = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField()
    status = serializers.ChoiceField(choices=SmelterStatus.choices)
    status_note = serializers.CharField(help_text="Which status list says so, as of when.")
    suppliers = serializers.IntegerField(help_text="How many suppliers report it.")
    listed_by_rmi = serializers.BooleanField()
    listing = serializers.CharField()
    release = serializers.CharField(help_text="The reference list the facility comes from.")


class RiskFlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    explanation = serializers.CharField()
    severity = serializers.CharField()
    points = serializers.FloatField()
    weight = serializers.IntegerField()
    count = serializers.IntegerField()
    metal = serializers.CharField(allow_null=True)
    mitigated = serializers.BooleanField()
    source = serializers.CharField(allow_null=True)


class RiskRatingSerializer(serializers.Serializer):
    """One rating of the core's risk assessment (oretrace.risk.RiskRating.as_dict)."""

    subject_kind = serializers.ChoiceField(choices=["supplier", "smelter"])
    subject = serializers.CharField()
    key = serializers.CharField()
    metal = serializers.CharField(allow_null=True)
    country = serializers.CharField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    not_rmi_listed = serializers.CharField(allow_null=True)
    rating = serializers.ChoiceField(choices=["high", "medium", "low"])
    score = serializers.FloatField()
    flags = RiskFlagSerializer(many=True, help_text="The red flags, heaviest first.")


@extend_schema_view(
    list=extend_schema(summary="List campaigns (filter by reporting year, template kind, closed)"),
    retrieve=extend_schema(summary="A campaign"),
)
class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Campaign.objects.select_related("reporting_year").order_by(
        "-reporting_year__year", "-created_at"
    )
    serializer_class = CampaignSerializer
    filterset_fields = {"reporting_year__year": ["exact"], "template_kind": ["exact"], "closed": ["exact"]}

    @extend_schema(
        responses=CampaignFigures, summary="The campaign's survey figures, as its dashboard shows them"
    )
    @action(detail=True)
    def figures(self, request, pk=None):
        surveyed = campaign_survey(self.get_object())
        figures = surveyed.figures
        data = dataclasses.asdict(figures) | {"as_of": surveyed.as_of, "response_rate": figures.response_rate}
        return Response(CampaignFigures(data).data)

    @extend_schema(
        responses=paged("PaginatedCampaignSmelterList", CampaignSmelterSerializer()),
        parameters=[
            OpenApiParameter("metal", str, description="Only this metal."),
            OpenApiParameter("status", str, enum=SmelterStatus.values, description="Only this audit status."),
        ],
        summary="The campaign's identified smelters, as its Smelters page lists them",
    )
    @action(detail=True)
    def smelters(self, request, pk=None):
        rows = results_smelter_rows(self.get_object()).exclude(smelter_id="")
        if metal := request.query_params.get("metal"):
            rows = rows.filter(metal=metal)
        if (status := request.query_params.get("status")) is not None:
            if status not in SmelterStatus.values:
                raise serializers.ValidationError(
                    {"status": [f"Choose one of: {', '.join(SmelterStatus.values)}."]}
                )
            rows = rows.filter(status=status)
        page = self.paginate_queryset(smelter_groups(rows))
        entries = [dict(group) for group in page]
        add_facilities(entries)
        return self.get_paginated_response(entries)

    @extend_schema(
        responses=paged("PaginatedRiskRatingList", RiskRatingSerializer()),
        parameters=[
            OpenApiParameter("rating", str, enum=["high", "medium", "low"]),
            OpenApiParameter("kind", str, enum=["supplier", "smelter"]),
        ],
        summary="The campaign's risk ratings, as its Risk page rates them",
    )
    @action(detail=True, url_path="risk-ratings")
    def risk_ratings(self, request, pk=None):
        ratings = list(campaign_risk(self.get_object()).assessment.ratings)
        for param, attribute, allowed in (
            ("rating", "rating", ("high", "medium", "low")),
            ("kind", "subject_kind", ("supplier", "smelter")),
        ):
            if (wanted := request.query_params.get(param)) is not None:
                if wanted not in allowed:
                    raise serializers.ValidationError({param: [f"Choose one of: {', '.join(allowed)}."]})
                ratings = [r for r in ratings if getattr(r, attribute) == wanted]
        page = self.paginate_queryset(ratings)
        return self.get_paginated_response([r.as_dict() for r in page])


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestEvent
        fields = ["from_state", "to_state", "at", "by_label", "note"]


class RequestSerializer(serializers.ModelSerializer):
    supplier_key = serializers.CharField(source="supplier.key")
    supplier_name = serializers.CharField(source="supplier.name")
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = Request
        fields = [
            "id",
            "campaign",
            "supplier",
            "supplier_key",
            "supplier_name",
            "state",
            "state_label",
            "state_changed_at",
            "sent_at",
            "opened_at",
            "responded_at",
            "reminders_sent",
            "escalated_at",
            "latest_submission",
            "accepted_open_errors",
        ]


class RequestDetailSerializer(RequestSerializer):
    events = EventSerializer(many=True, read_only=True)

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "events"]


class RequestFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=State.choices)
    counted_in = django_filters.ChoiceFilter(
        choices=[(key, key) for key in COUNTED_BY],
        method="counted_by_figure",
        help_text="The requests a campaign figure counts (overdue, responded, waiting_for_us ...), as the "
        "core counts them for the dashboard; needs campaign.",
    )
    supplier_key = django_filters.CharFilter(field_name="supplier__key")
    changed_since = django_filters.IsoDateTimeFilter(field_name="state_changed_at", lookup_expr="gte")

    class Meta:
        model = Request
        fields = ["campaign", "supplier"]

    def counted_by_figure(self, queryset, name, value):
        campaign = self.form.cleaned_data.get("campaign")
        if campaign is None:
            raise serializers.ValidationError({"counted_in": ["Say which campaign: add campaign=<id>."]})
        built = campaign_survey(campaign)
        return queryset.filter(pk__in=[s.ref for s in members(built.survey, value, today=built.as_of)])


@extend_schema_view(
    list=extend_schema(
        summary="List requests and their state (filter by campaign, supplier, state, changed since)"
    ),
    retrieve=extend_schema(summary="A request with its state history"),
)
class RequestViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Request.objects.select_related("supplier").order_by("campaign_id", "supplier__name", "id")
    filterset_class = RequestFilter

    def get_serializer_class(self):
        return RequestDetailSerializer if self.action == "retrieve" else RequestSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.prefetch_related("events") if self.action == "retrieve" else queryset


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.CharField()
    mineral = serializers.CharField(allow_null=True, required=False)
    sheet = serializers.CharField(allow_null=True, required=False)
    cell = serializers.CharField(allow_null=True, required=False)
    message = serializers.CharField()
    question = serializers.CharField(allow_null=True, required=False)


class SubmissionSerializer(serializers.ModelSerializer):
    findings_by_severity = serializers.DictField(child=serializers.IntegerField())

    class Meta:
        model = Submission
        fields = [
            "id",
            "request",
            "version",
            "filename",
            "size",
            "uploaded_at",
            "uploaded_by_label",
            "template_kind",
            "template_version",
            "company_name",
            "declaration_scope",
            "analysed_at",
            "findings_count",
            "findings_by_severity",
        ]


class SubmissionDetailSerializer(SubmissionSerializer):
    findings = FindingSerializer(many=True, help_text="The review's findings, as the file's page lists them.")

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "findings"]


@extend_schema_view(
    list=extend_schema(summary="List the files suppliers sent (filter by request, campaign, supplier)"),
    retrieve=extend_schema(summary="A supplier file with the review's findings"),
)
class SubmissionViewSet(viewsets.ReadOnlyModelViewSet):
    """Each file a supplier sent, every version, with the review's findings."""

    queryset = Submission.objects.defer("data", "smelter_record").order_by("request_id", "version")
    filterset_fields = {
        "request": ["exact"],
        "request__campaign": ["exact"],
        "request__supplier__key": ["exact"],
    }

    def get_serializer_class(self):
        return SubmissionDetailSerializer if self.action == "retrieve" else SubmissionSerializer
