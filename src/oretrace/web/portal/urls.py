from django.urls import path

from oretrace.web.portal import online, views

app_name = "portal"

urlpatterns = [
    path("<str:token>/", views.request_page, name="request"),
    path("<str:token>/template/", views.blank_template, name="blank_template"),
    path("<str:token>/upload/", views.upload_file, name="upload"),
    path("<str:token>/unchanged/", views.send_last_year_again, name="unchanged"),
    path("<str:token>/files/<int:version>/", views.file_review, name="file_review"),
    path("<str:token>/files/<int:version>/download/", online.download_file, name="download_file"),
    path("<str:token>/answer/", views.answer_questions, name="answer"),
    path("<str:token>/decline/", views.decline_request, name="decline"),
    path("<str:token>/online/", online.online_start, name="online"),
    path("<str:token>/online/smelters/search/", online.smelter_search, name="online_smelter_search"),
    path("<str:token>/online/submit/", online.online_submit, name="online_submit"),
    path("<str:token>/online/<slug:step>/", online.online_step, name="online_step"),
    path("<str:token>/online/<slug:step>/check/", online.online_check, name="online_check"),
]
