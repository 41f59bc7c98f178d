from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "krisenwissen.learning"
    label = "learning"
    verbose_name = _("Lernkreislauf")
    demo_loader = "krisenwissen.learning.demo.load"

    def ready(self) -> None:
        from . import rules  # noqa: F401
