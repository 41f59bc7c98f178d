from django.urls import path

from . import views

app_name = "ui"
urlpatterns = [
    path("", views.start, name="start"),
    path("neu/", views.create, name="create"),
]
