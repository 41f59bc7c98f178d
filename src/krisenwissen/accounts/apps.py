from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "krisenwissen.accounts"
    label = "accounts"
    verbose_name = _("Konten und Kommunen")
    # Municipalities, networks and users in the JSON exchange format (core.exchange).
    exchange = "krisenwissen.accounts.exchange.PART"

    def ready(self):
        from . import checks  # noqa: F401 (registers the directory sign-in checks)
