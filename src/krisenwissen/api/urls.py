from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("v1/suche/", views.search, name="search"),
    path("v1/krisen/", views.crises, name="crises"),
    path("v1/codebuch/", views.codebook, name="codebook"),
    path("v1/kommunen/", views.municipalities, name="municipalities"),
    path("v1/verordnungen/<slug:slug>/synopse/", views.synopse, name="synopse"),
    path("v1/<slug:resource>/", views.item_list, name="item_list"),
    path("v1/<slug:resource>/<uuid:uuid>/", views.item_detail, name="item_detail"),
]
