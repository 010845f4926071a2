from django.urls import path

from oretrace.web.risk import views

urlpatterns = [
    path("risk/", views.risk_home, name="risk_home"),
    path("campaigns/<int:pk>/risk/", views.risk_page, name="risk"),
    path("campaigns/<int:pk>/risk/actions/new/", views.action_new, name="risk_action_new"),
    path("campaigns/<int:pk>/risk/actions/open-high/", views.open_high, name="risk_open_high"),
    path("campaigns/<int:pk>/risk/screening/", views.screening, name="risk_screening"),
    path("campaigns/<int:pk>/risk/screening/decide/", views.screening_decide, name="risk_screening_decide"),
    path("campaigns/<int:pk>/risk/register/", views.register, name="risk_register"),
    path("campaigns/<int:pk>/risk/summary/", views.summary, name="risk_summary"),
    path("campaigns/<int:pk>/risk/summary/page/", views.summary_document, name="risk_summary_document"),
    path("risk/actions/<int:pk>/", views.action_page, name="risk_action"),
    path("risk/actions/<int:pk>/note/", views.action_note, name="risk_action_note"),
    path("risk/actions/<int:pk>/category/", views.action_category, name="risk_action_category"),
    path("risk/actions/<int:pk>/evidence/", views.action_evidence, name="risk_action_evidence"),
    path("risk/actions/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="risk_evidence"),
    path("risk/actions/<int:pk>/escalate/", views.action_escalate, name="risk_action_escalate"),
    path("risk/actions/<int:pk>/close/", views.action_close, name="risk_action_close"),
    path("risk/thresholds/", views.thresholds_list, name="risk_thresholds"),
    path("risk/thresholds/<int:year>/", views.thresholds_edit, name="risk_thresholds_edit"),
    path("risk/scoring/<int:year>/", views.scoring, name="risk_scoring"),
    path("risk/reporting-lines/", views.reporting_lines, name="risk_reporting_lines"),
    path("risk/cahra/", views.cahra, name="risk_cahra"),
    path("risk/cahra/<int:pk>/file/", views.cahra_download, name="risk_cahra_file"),
]
