from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.directory, name="list"),
    path("neu/", views.create, name="create"),
    path("mein-eintrag/", views.own, name="own"),
    path("abdeckung/", views.coverage, name="coverage"),
    path("funktionen/", views.functions, name="functions"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/bestaetigen/", views.confirm, name="confirm"),
    path("<int:pk>/uebernehmen/", views.take_over_history, name="take_over_history"),
    path("<int:pk>/ausscheiden/", views.leaving, name="leaving"),
    path("<int:pk>/loeschen/", views.erase, name="erase"),
    path("<int:pk>/uebergabe/", views.handover_start, name="handover_start"),
    path("uebergabe/<int:pk>/", views.handover, name="handover"),
    path("uebergabe/<int:pk>/abschliessen/", views.handover_complete, name="handover_complete"),
]
