from django.urls import path

from oretrace.web.retention import views

urlpatterns = [
    path("retention/", views.overview, name="retention"),
    path("retention/periods/", views.periods, name="retention_periods"),
    path("retention/holds/new/", views.hold_new, name="retention_hold_new"),
    path("retention/holds/<int:pk>/release/", views.hold_release, name="retention_hold_release"),
    path("suppliers/<int:pk>/contacts/<int:contact_pk>/erase/", views.contact_erase, name="contact_erase"),
]
