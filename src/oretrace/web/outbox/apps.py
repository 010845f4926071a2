from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "oretrace.web.outbox"
    label = "outbox"
    verbose_name = "Outbox"
