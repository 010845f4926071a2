from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "oretrace.web.api"
    label = "api"
    verbose_name = "REST API"
