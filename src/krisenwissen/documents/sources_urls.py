"""URLs of documents: research sources part (included by ``urls``)."""

from django.urls import path

from . import sources_views as views

urlpatterns = [
    path("quellen/", views.index, name="sources_index"),
    path("interviews/hochladen/", views.interview_upload, name="sources_interview_upload"),
    path("interviews/<int:pk>/", views.interview_detail, name="sources_interview"),
    path("umfragen/importieren/", views.survey_import, name="sources_survey_import"),
    path("umfragen/<int:pk>/", views.survey_detail, name="sources_survey"),
    path("literatur/", views.literature_list, name="sources_literature"),
    path("literatur/importieren/", views.literature_import, name="sources_literature_import"),
]
