from django.apps import AppConfig


class SuppliersConfig(AppConfig):
    name = "oretrace.web.suppliers"
    label = "suppliers"
    verbose_name = "Suppliers"
