"""URLs of the crisis staff (mounted at /stab/)."""

from django.urls import include, path

from . import views

app_name = "stab"

urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("aktivieren/", views.activate, name="activate"),
    path("vorlagen/", views.template_list, name="template_list"),
    path("vorlagen/<int:pk>/", views.template_detail, name="template_detail"),
    path("vorlagen/<int:pk>/kopieren/", views.template_copy, name="template_copy"),
    path("vorlagen/<int:pk>/bearbeiten/", views.template_edit, name="template_edit"),
    path("vorlagen/<int:pk>/funktionen/", views.template_functions, name="template_functions"),
    path("<int:pk>/", views.staff_detail, name="staff_detail"),
    path("<int:pk>/besetzung/", views.assignments, name="assignments"),
    path("<int:pk>/besetzung/<int:assignment_pk>/beenden/", views.release, name="release"),
    path("<int:pk>/alarmstufe/", views.alert_level, name="alert_level"),
    path("", include("krisenwissen.stab.etb_urls")),
    path("", include("krisenwissen.stab.ops_urls")),
    path("", include("krisenwissen.stab.load_urls")),
    path("", include("krisenwissen.stab.closing_urls")),
    path("", include("krisenwissen.stab.meet_urls")),
]
