from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "oretrace.web.accounts"
    label = "accounts"
    verbose_name = "Staff accounts"
