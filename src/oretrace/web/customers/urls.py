from django.urls import path

from oretrace.web.customers import views

urlpatterns = [
    path("customers/", views.customer_requests, name="customer_requests"),
    path("customers/new/", views.customer_request_edit, name="customer_request_new"),
    path("customers/updates/", views.customer_updates, name="customer_updates"),
    path("customers/templates/", views.customer_templates, name="customer_templates"),
    path("customers/<int:pk>/", views.customer_request, name="customer_request"),
    path("customers/<int:pk>/edit/", views.customer_request_edit, name="customer_request_edit"),
    path("customers/<int:pk>/parts/", views.customer_parts, name="customer_parts"),
    path("customers/<int:pk>/prepare/", views.customer_prepare, name="customer_prepare"),
    path("customers/<int:pk>/sent-file/", views.customer_sent_file, name="customer_sent_file"),
    path("customers/<int:pk>/acknowledge/", views.customer_acknowledge, name="customer_acknowledge"),
    path("customers/<int:pk>/still-holds/", views.customer_answer_holds, name="customer_answer_holds"),
    path(
        "customers/<int:pk>/answers/<int:answer_pk>/file/",
        views.customer_answer_file,
        name="customer_answer_file",
    ),
    path(
        "customers/<int:pk>/answers/<int:answer_pk>/send/",
        views.customer_answer_send,
        name="customer_answer_send",
    ),
]
