"""URLs of the directory's import and export (included under ``/koepfe/`` by the root URLconf)."""

from django.urls import path

from . import io_views

app_name = "people_io"

urlpatterns = [
    path("import/", io_views.import_people, name="import"),
    path("export/<str:fmt>/", io_views.export_people, name="export"),
]
