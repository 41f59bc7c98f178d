"""URLs of documents and qualitative research (mounted at /dokumente/)."""

from django.urls import include, path

app_name = "documents"

urlpatterns = [
    path("", include("krisenwissen.documents.ingest_urls")),
    path("", include("krisenwissen.documents.coding_urls")),
    path("", include("krisenwissen.documents.sources_urls")),
]
