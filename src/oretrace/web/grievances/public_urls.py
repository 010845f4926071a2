from django.urls import path

from oretrace.web.grievances import public_views

urlpatterns = [
    path("", public_views.report_concern, name="concern_report"),
    path("<str:reference>/<str:secret>/", public_views.case_page, name="concern_case"),
]
