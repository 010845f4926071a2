"""The REST API's URLs under /api/v1/, its OpenAPI 3 schema and its documentation pages."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from oretrace.web.api import campaigns, problems, reports, suppliers, upsert

# No format suffixes (.json) and no root page: one address per endpoint, all of them in the schema.
router = SimpleRouter(trailing_slash=True)
router.register("suppliers", suppliers.SupplierViewSet, basename="api-supplier")
router.register("contacts", suppliers.ContactViewSet, basename="api-contact")
router.register("parts", suppliers.PartViewSet, basename="api-part")
router.register("supplier-parts", suppliers.SupplierPartViewSet, basename="api-supplier-part")
router.register("campaigns", campaigns.CampaignViewSet, basename="api-campaign")
router.register("requests", campaigns.RequestViewSet, basename="api-request")
router.register("submissions", campaigns.SubmissionViewSet, basename="api-submission")
router.register("declarations", reports.DeclarationViewSet, basename="api-declaration")
router.register("evidence-packages", reports.EvidencePackageViewSet, basename="api-evidence-package")

urlpatterns = [
    path("suppliers/upsert/", upsert.SupplierUpsert.as_view(), name="api-supplier-upsert"),
    path(
        "campaigns/<int:pk>/report-files/<slug:document>/<slug:fmt>/",
        reports.ReportFile.as_view(),
        name="api-report-file",
    ),
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    re_path(r"^.*$", problems.NoSuchEndpoint.as_view()),
]
