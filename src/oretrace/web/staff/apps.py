from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "oretrace.web.staff"
    label = "staff"
    verbose_name = "Staff pages"
