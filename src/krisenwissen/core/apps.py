from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "krisenwissen.core"
    label = "core"
    verbose_name = _("Grundlagen")

    def ready(self):
        # Each app declares its audit events in events.py and its lifecycles in
        # lifecycles.py; import them all so that core.audit and core.lifecycle know them
        # without core importing any app (core is the bottom layer).
        autodiscover_modules("events", "lifecycles")
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the system checks)
        from .middleware import mark_session_start

        user_logged_in.connect(mark_session_start, dispatch_uid="krisenwissen.core.session_start")
