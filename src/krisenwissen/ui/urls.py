from django.urls import path

from . import legal_views, views

app_name = "ui"
urlpatterns = [
    path("", views.start, name="start"),
    path("impressum/", legal_views.imprint, name="imprint"),
    path("datenschutz/", legal_views.privacy, name="privacy"),
    path("barrierefreiheit/", legal_views.accessibility, name="accessibility"),
    path("barrierefreiheit/rueckmeldungen/", legal_views.accessibility_feedback_list, name="accessibility_feedback_list"),
    path("leichte-sprache/", legal_views.easy_language, name="easy_language"),
    path("seiten/<slug:key>/bearbeiten/", legal_views.site_page_edit, name="site_page_edit"),
    path("erste-schritte/", legal_views.getting_started, name="getting_started"),
    path("erste-schritte/<slug:role>/", legal_views.getting_started_role, name="getting_started_role"),
    path("einrichtung/kommune/", legal_views.municipality_setup, name="municipality_setup"),
    path("neu/", views.create, name="create"),
]
