from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "oretrace.web.risk"
    label = "risk"
    verbose_name = "Risk assessment and response"
