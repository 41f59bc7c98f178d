from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "krisenwissen.search"
    label = "search"
    verbose_name = _("Suche")

    def ready(self) -> None:
        # Keep the index current: item saves, deletions and code changes are re-indexed
        # after their transaction commits.
        from . import checks  # noqa: F401  (registers the dense retrieval check)
        from .indexing import connect_signals

        connect_signals()
