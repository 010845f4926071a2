from django.urls import path

from oretrace.web.reports import views

urlpatterns = [
    path("campaigns/<int:pk>/reports/", views.overview, name="reports"),
    path("campaigns/<int:pk>/reports/declaration/", views.declaration, name="report_declaration"),
    path(
        "campaigns/<int:pk>/reports/declaration/generate/", views.declaration_generate, name="report_generate"
    ),
    path(
        "campaigns/<int:pk>/reports/declaration/company-questions/",
        views.kind_company_answers,
        name="report_kind_answers",
    ),
    path(
        "campaigns/<int:pk>/reports/declaration/answers/<int:override_pk>/remove/",
        views.override_remove,
        name="report_override_remove",
    ),
    path(
        "campaigns/<int:pk>/reports/declaration/files/<int:generated_pk>/",
        views.declaration_download,
        name="report_declaration_file",
    ),
    path("campaigns/<int:pk>/reports/declaration/products/", views.products, name="report_products"),
    # Our declaration served only the CMRT once; its old addresses keep working, a POST included (308).
    path("campaigns/<int:pk>/reports/cmrt/", views.old_declaration_address),
    path("campaigns/<int:pk>/reports/cmrt/<path:rest>", views.old_declaration_address),
    path("campaigns/<int:pk>/reports/narrative/", views.narrative, name="report_narrative"),
    path(
        "campaigns/<int:pk>/reports/narrative/<int:version_pk>/restore/",
        views.narrative_restore,
        name="report_narrative_restore",
    ),
    path("campaigns/<int:pk>/reports/settings/", views.settings_page, name="report_settings"),
    path("campaigns/<int:pk>/reports/preview/", views.preview, name="report_preview"),
    path(
        "campaigns/<int:pk>/reports/files/<slug:document>.<slug:fmt>", views.report_file, name="report_file"
    ),
    path("campaigns/<int:pk>/reports/evidence/", views.evidence, name="report_evidence"),
    path("campaigns/<int:pk>/reports/evidence/build/", views.evidence_build, name="report_evidence_build"),
    path(
        "campaigns/<int:pk>/reports/evidence/<int:build_pk>.zip",
        views.evidence_file,
        name="report_evidence_file",
    ),
]
