from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ship_templates(sender, **kwargs) -> None:
    from .actions import ensure_shipped_templates

    ensure_shipped_templates(audit=False)


class StabConfig(AppConfig):
    name = "krisenwissen.stab"
    label = "stab"
    verbose_name = _("Krisenstab")
    demo_loader = "krisenwissen.stab.demo.load"
    # The Einsatztagebuch (as a whole) and the presence data after their periods (core.retention).
    retention = "krisenwissen.stab.retention.apply"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permissions)

        # The shipped templates (Muster-Szenarien) are data: refreshed after every migrate.
        post_migrate.connect(_ship_templates, sender=self, dispatch_uid="stab-ship-templates")
