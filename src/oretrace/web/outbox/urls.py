from django.urls import path

from oretrace.web.outbox import views

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("queue-again/", views.queue_again_failed, name="outbox_queue_again_failed"),
    path("<int:pk>/", views.email, name="outbox_email"),
    path("<int:pk>/queue-again/", views.queue_again, name="outbox_queue_again"),
]
