from django.urls import path

from krisenwissen.stab import etb_api

from . import stab_views, views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("v1/suche/", views.search, name="search"),
    path("v1/krisen/", views.crises, name="crises"),
    path("v1/codebuch/", views.codebook, name="codebook"),
    path("v1/kommunen/", views.municipalities, name="municipalities"),
    path("v1/verordnungen/<slug:slug>/synopse/", views.synopse, name="synopse"),
    path("v1/staebe/", views.staffs, name="staffs"),
    path("v1/staebe/<uuid:uuid>/", views.staff_detail, name="staff_detail"),
    path("v1/staebe/<uuid:uuid>/auftraege/", stab_views.stab_tasks, name="stab_tasks"),
    path("v1/staebe/<uuid:uuid>/meldungen/", stab_views.stab_messages, name="stab_messages"),
    path("v1/staebe/<uuid:uuid>/etb/", etb_api.etb_entries, name="etb_entries"),
    path("v1/staebe/<uuid:uuid>/etb/pruefung/", etb_api.etb_verification, name="etb_verification"),
    path("v1/<slug:resource>/", views.item_list, name="item_list"),
    path("v1/<slug:resource>/<uuid:uuid>/", views.item_detail, name="item_detail"),
]
