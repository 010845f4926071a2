from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "oretrace.web.reports"
    label = "reports"
    verbose_name = "Our CMRT, the Conflict Minerals Report and the evidence package"
