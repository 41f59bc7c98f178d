"""URLs of the crisis staff: the Einsatztagebuch (included by ``urls``, namespace ``stab``)."""

from django.urls import path

from . import etb_views as views

urlpatterns = [
    path("<int:pk>/etb/", views.etb_log, name="etb_log"),
    path("<int:pk>/etb/neu.json", views.etb_events, name="etb_events"),
    path("<int:pk>/etb/eintrag/", views.etb_new, name="etb_new"),
    path("<int:pk>/etb/anlage/", views.etb_attach, name="etb_attach"),
    path("<int:pk>/etb/uebergabe/", views.etb_handover, name="etb_handover"),
    path("<int:pk>/etb/export.pdf", views.etb_export, name="etb_export"),
    path("<int:pk>/etb/<int:number>/korrektur/", views.etb_correct, name="etb_correct"),
    path("<int:pk>/etb/<int:number>/anlage/", views.etb_attachment, name="etb_attachment"),
]
