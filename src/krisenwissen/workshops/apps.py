from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "krisenwissen.workshops"
    label = "workshops"
    verbose_name = _("Reflexionsräume")
    demo_loader = "krisenwissen.workshops.demo.load"
    demo_traces = "krisenwissen.workshops.demo.traces.demo_traces"
    # Participants and photos of ended workshops (core.retention).
    retention = "krisenwissen.workshops.retention.apply"

    def ready(self) -> None:
        from . import rules  # noqa: F401
