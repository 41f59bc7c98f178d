from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("wissen/", views.browse, name="browse"),
    path("suche/", views.search, name="search"),
    path("suche/aehnliche/", views.similar, name="similar"),
]
