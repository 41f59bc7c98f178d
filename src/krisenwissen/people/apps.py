from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "krisenwissen.people"
    label = "people"
    verbose_name = _("Köpfe kennen")
    retention = "krisenwissen.people.retention.apply"
    demo_loader = "krisenwissen.people.demo.load"
    search_index = "krisenwissen.people.search_index"

    def ready(self) -> None:
        from . import rules, signals  # noqa: F401  (registers the permissions and the audit-name signal)
