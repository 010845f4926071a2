from django.urls import path

from oretrace.web.staff import identification, scope, views

urlpatterns = [
    path("", views.home, name="dashboard"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_edit, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/scope/", scope.campaign_scope, name="campaign_scope"),
    path("campaigns/<int:pk>/send/", scope.campaign_send, name="campaign_send"),
    path("campaigns/<int:pk>/template/", views.campaign_template, name="campaign_template"),
    path("campaigns/<int:pk>/requests/", views.campaign_requests, name="campaign_requests"),
    path("campaigns/<int:pk>/smelters/", views.smelters, name="smelters"),
    path("campaigns/<int:pk>/smelters/unidentified/", identification.unidentified, name="unidentified"),
    path(
        "campaigns/<int:pk>/smelters/unidentified/exact-ids/",
        identification.confirm_exact_ids,
        name="unidentified_exact_ids",
    ),
    path("smelters/reference/", identification.reference, name="reference"),
    path("suppliers/", views.suppliers, name="suppliers"),
    path("suppliers/new/", views.supplier_edit, name="supplier_new"),
    path("suppliers/import/", views.supplier_import, name="supplier_import"),
    path("suppliers/import/<str:digest>/", views.supplier_import_preview, name="supplier_import_preview"),
    path("suppliers/<int:pk>/", views.supplier, name="supplier"),
    path("suppliers/<int:pk>/edit/", views.supplier_edit, name="supplier_edit"),
    path("suppliers/<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("suppliers/<int:pk>/contacts/<int:contact_pk>/remove/", views.contact_remove, name="contact_remove"),
    path("requests/<int:pk>/", views.request_page, name="request"),
    path("requests/<int:pk>/upload/", views.request_upload, name="request_upload"),
    path("requests/<int:pk>/<slug:action>/", views.request_action, name="request_action"),
    path("submissions/<int:pk>/download/", views.submission_download, name="submission_download"),
    path("audit/", views.audit, name="audit"),
    path("settings/", views.organisation, name="organisation"),
    path("users/", views.users, name="users"),
]
