from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "oretrace.web.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"
