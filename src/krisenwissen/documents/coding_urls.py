"""URLs of documents: coding part (included by ``urls``)."""

from django.urls import path

from . import coding_views as views

urlpatterns = [
    path("codierung/", views.code_index, name="coding_index"),
    path("codierung/version/<int:pk>/", views.version_coding, name="coding_version"),
    path("codierung/version/<int:pk>/memo/", views.version_memo, name="coding_version_memo"),
    path("codierung/version/<int:pk>/uebereinstimmung/", views.agreement, name="coding_agreement"),
    path("codierung/codierungen/<int:pk>/entfernen/", views.coding_remove, name="coding_remove"),
    path("codierung/codes/<int:pk>/", views.code_segments, name="coding_code"),
    path("codierung/codes/<int:pk>/bearbeiten/", views.code_edit, name="coding_code_edit"),
    path("codierung/kookkurrenz/", views.cooccurrence, name="coding_cooccurrence"),
    path("codierung/export/projekt.qdpx", views.export_project, name="coding_export"),
    path("codierung/export/codebuch.qdc", views.export_codebook, name="coding_export_codebook"),
    path("codierung/import/", views.import_file, name="coding_import"),
]
