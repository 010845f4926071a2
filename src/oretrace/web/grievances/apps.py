from django.apps import AppConfig


class GrievancesConfig(AppConfig):
    name = "oretrace.web.grievances"
    label = "grievances"
    verbose_name = "Grievance mechanism"
