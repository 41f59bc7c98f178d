from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegulationsConfig(AppConfig):
    name = "krisenwissen.regulations"
    label = "regulations"
    verbose_name = _("Verordnungs-Synopse")
    demo_loader = "krisenwissen.regulations.demo.load"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permissions)
