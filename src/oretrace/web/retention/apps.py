from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "oretrace.web.retention"
    label = "retention"
    verbose_name = "Records retention"
