from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "oretrace.web.audit"
    label = "audit"
    verbose_name = "Audit log"
