from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "oretrace.web.portal"
    label = "portal"
    verbose_name = "Supplier portal"
