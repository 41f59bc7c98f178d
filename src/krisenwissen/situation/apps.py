from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SituationConfig(AppConfig):
    name = "krisenwissen.situation"
    label = "situation"
    verbose_name = _("Lagebild")
    demo_loader = "krisenwissen.situation.demo.load"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (declares the permissions)
