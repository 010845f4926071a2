from django.urls import path

from oretrace.web.portal import views

app_name = "portal"

urlpatterns = [
    path("<str:token>/", views.request_page, name="request"),
    path("<str:token>/template/", views.blank_template, name="blank_template"),
    path("<str:token>/upload/", views.upload_file, name="upload"),
    path("<str:token>/unchanged/", views.send_last_year_again, name="unchanged"),
    path("<str:token>/files/<int:version>/", views.file_review, name="file_review"),
    path("<str:token>/answer/", views.answer_questions, name="answer"),
    path("<str:token>/decline/", views.decline_request, name="decline"),
]
