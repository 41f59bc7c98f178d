from django.urls import path

from . import views

app_name = "situation"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("vergleich/", views.compare, name="compare"),
    path("vergleich.csv", views.compare_csv, name="compare_csv"),
    path("gebiet/<str:ags>/", views.area_detail, name="area_detail"),
    path("gebiet/<str:ags>/daten.csv", views.area_csv, name="area_csv"),
    path("gebiete/", views.follow, name="follow"),
    path("import/", views.import_view, name="import"),
    path("import/<int:pk>/", views.import_run, name="import_run"),
    path("bericht/", views.report, name="report"),
    path("notiz/neu/", views.note_create, name="note_create"),
    path("regeln/", views.rulesets, name="rulesets"),
    path("indikatoren/", views.indicators, name="indicators"),
    path("oeffentlich/<str:ags>/", views.public_page, name="public"),
]
