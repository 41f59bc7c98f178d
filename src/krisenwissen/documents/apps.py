from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "krisenwissen.documents"
    label = "documents"
    verbose_name = _("Dokumente und Forschung")
    search_index = "krisenwissen.documents.search_index"
    # Interview transcripts after the retention date recorded with their consent (core.retention).
    retention = "krisenwissen.documents.sources_retention.apply"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permissions)
