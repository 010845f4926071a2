from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "oretrace.web.customers"
    label = "customers"
    verbose_name = "Our customers' requests for our CMRT, EMRT, CRT or AMRT"
