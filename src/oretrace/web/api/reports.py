"""Our own CMRT files, the report documents and the evidence packages of a campaign, as the Reports
pages offer them: listed as data and downloaded byte for byte (the report documents are rendered by the
same function as the page's download links)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.views import APIView

from oretrace.errors import BadInput
from oretrace.reports import FORMATS
from oretrace.reports.render_pdf import pdf_unavailable
from oretrace.web.api.problems import problem
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Campaign
from oretrace.web.downloads import attachment
from oretrace.web.reports import documents
from oretrace.web.reports.models import EvidenceBuild, GeneratedDeclaration

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE = {(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")}


class DeclarationSerializer(serializers.ModelSerializer):
    class Meta:
        model = GeneratedDeclaration
        fields = [
            "id",
            "campaign",
            "scope",
            "filename",
            "sha256",
            "size",
            "parts",
            "created_by_label",
            "created_at",
        ]


@extend_schema_view(
    list=extend_schema(summary="List our own CMRT files (filter by campaign, scope)"),
    retrieve=extend_schema(summary="One of our CMRT files"),
)
class DeclarationViewSet(viewsets.ReadOnlyModelViewSet):
    """Each CMRT of ours that oretrace filled in (company level, or for a customer's parts)."""

    queryset = GeneratedDeclaration.objects.order_by("-created_at", "-pk")
    serializer_class = DeclarationSerializer
    filterset_fields = ["campaign", "scope"]

    @extend_schema(responses=FILE, summary="The CMRT workbook, byte for byte as it was made")
    @action(detail=True)
    def file(self, request, pk=None):
        generated = self.get_object()
        return attachment(generated.file_bytes(), generated.filename, XLSX)


class EvidencePackageSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceBuild
        fields = ["id", "campaign", "filename", "sha256", "size", "as_of", "supplier_files", "finished_at"]


@extend_schema_view(
    list=extend_schema(summary="List the built evidence packages (filter by campaign)"),
    retrieve=extend_schema(summary="An evidence package"),
)
class EvidencePackageViewSet(viewsets.ReadOnlyModelViewSet):
    """The evidence packages built for a campaign (built on its Reports page)."""

    queryset = EvidenceBuild.objects.filter(status=EvidenceBuild.Status.DONE).order_by("-finished_at", "-pk")
    serializer_class = EvidencePackageSerializer
    filterset_fields = ["campaign"]

    @extend_schema(responses=FILE, summary="The package's zip file")
    @action(detail=True)
    def file(self, request, pk=None):
        build = self.get_object()
        try:
            stream = build.file_path().open("rb")
        except FileNotFoundError:
            raise Http404("This package is no longer stored; build a new one on the Reports page.") from None
        AuditEntry.record(
            request.user,
            "report.evidence_downloaded",
            build.campaign,
            f"API: {build.filename}: {build.size} bytes, SHA-256 {build.sha256}",
        )
        return attachment(stream, build.filename, "application/zip")


class ReportFile(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "document", str, OpenApiParameter.PATH, enum=sorted({d for d, _ in documents.REPORT_FILES})
            ),
            OpenApiParameter(
                "fmt", str, OpenApiParameter.PATH, enum=sorted({f for _, f in documents.REPORT_FILES})
            ),
        ],
        responses=FILE,
        summary="The campaign's Conflict Minerals Report, Form SD or battery due-diligence report, rendered as the Reports page renders it",
    )
    def get(self, request, pk: int, document: str, fmt: str):
        campaign = get_object_or_404(Campaign.objects.select_related("reporting_year"), pk=pk)
        # A campaign has the documents of its kind: the CMR and Form SD for a CMRT inquiry, the battery
        # due-diligence report for an EMRT or CRT one.
        files = [key for key in documents.REPORT_FILES if key[0] in documents.documents_for(campaign)]
        if (document, fmt) not in files:
            choices = ", ".join(f"{d}/{f}" for d, f in files) or "none (no report is filed for this kind)"
            raise Http404(f"No such report file; the files are: {choices}.")
        name = documents.REPORT_FILES[(document, fmt)]
        if fmt == "pdf" and (reason := pdf_unavailable()):
            return problem(503, f"No PDF: {reason} The HTML and DOCX files can be downloaded.")
        try:
            data = documents.render_report(documents.prepare(campaign), fmt, document)
        except BadInput as error:
            return problem(409, error.message, title="The report cannot be made yet")
        stem, _, ext = name.rpartition(".")
        return attachment(data, f"{stem}-{campaign.reporting_year.year}.{ext}", FORMATS[fmt][0])
