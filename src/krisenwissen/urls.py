from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("krisenwissen.ui.urls")),
    path("", include("krisenwissen.knowledge.urls")),
    path("", include("krisenwissen.search.urls")),
    path("konto/", include("krisenwissen.accounts.urls")),
    path("api/", include("krisenwissen.api.urls")),
    path("verordnungen/", include("krisenwissen.regulations.urls")),
    path("lagebild/", include("krisenwissen.situation.urls")),
    path("reflexionsraeume/", include("krisenwissen.workshops.urls")),
    path("lernen/", include("krisenwissen.learning.urls")),
    path("koepfe/", include("krisenwissen.people.io_urls")),
    path("koepfe/", include("krisenwissen.people.urls")),
    path("stab/", include("krisenwissen.stab.urls")),
    path("dokumente/", include("krisenwissen.documents.urls")),
    path("benachrichtigungen/", include("krisenwissen.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("verwaltung/django/", admin.site.urls),
]
