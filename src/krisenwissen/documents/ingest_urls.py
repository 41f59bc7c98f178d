"""URLs of documents: ingest part (included by ``urls``)."""

from django.urls import path

from . import ingest_views as views

urlpatterns = [
    path("", views.document_list, name="list"),
    path("hochladen/", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/fassungen/", views.versions, name="versions"),
    path("<int:pk>/status/", views.status, name="status"),
    path("fassung/<int:pk>/original/", views.original, name="original"),
    path("textstelle/<int:pk>/", views.passage, name="passage"),
    path("textstelle/<int:pk>/uebernehmen/", views.accept_passage, name="accept_passage"),
]
