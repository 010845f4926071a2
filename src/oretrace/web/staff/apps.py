from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "oretrace.web.staff"
    label = "staff"
    verbose_name = "Staff pages"

    def ready(self):
        from oretrace.web import checks  # noqa: F401  (registers the production checks)
