"""URLs of the crisis staff: Lagebesprechung and Lagebericht (included by ``urls``)."""

from django.urls import path

from . import meet_views as views

urlpatterns = [
    path("<int:pk>/lagebesprechungen/", views.meetings, name="meet_meetings"),
    path("lagebesprechung/<int:pk>/", views.meeting, name="meet_meeting"),
    path("lagebesprechung/<int:pk>/beitrag/", views.contribute, name="meet_contribute"),
    path("lagebesprechung/<int:pk>/entscheidung/", views.decide, name="meet_decide"),
    path("lagebesprechung/<int:pk>/weiter/", views.advance, name="meet_advance"),
    path("lagebesprechung/<int:pk>/schliessen/", views.close, name="meet_close"),
    path("lagebesprechung/<int:pk>/protokoll.<str:fmt>", views.protocol, name="meet_protocol"),
    path("<int:pk>/lageberichte/", views.reports, name="meet_reports"),
    path("lagebericht/<int:pk>/", views.report_detail, name="meet_report_detail"),
    path("lagebericht/<int:pk>/abschnitt/<int:section>/", views.report_section, name="meet_report_section"),
    path("lagebericht/<int:pk>/schritt/", views.report_step, name="meet_report_step"),
    path("lagebericht/<int:pk>/verteiler/", views.report_recipient_add, name="meet_report_recipient_add"),
    path("lagebericht/<int:pk>/verteiler/<int:recipient>/entfernen/", views.report_recipient_remove, name="meet_report_recipient_remove"),
    path("lagebericht/<int:pk>/bericht.<str:fmt>", views.report_download, name="meet_report_download"),
]
