from django.urls import path

from oretrace.web.grievances import views

urlpatterns = [
    path("grievances/", views.case_list, name="grievances"),
    path("grievances/<int:pk>/", views.case_page, name="grievance"),
    path("grievances/<int:pk>/triage/", views.triage, name="grievance_triage"),
    path("grievances/<int:pk>/message/", views.add_message, name="grievance_message"),
    path("grievances/<int:pk>/close/", views.close, name="grievance_close"),
    path(
        "grievances/<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="grievance_attachment",
    ),
]
