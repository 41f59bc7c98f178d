from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "krisenwissen.accounts"
    label = "accounts"
    verbose_name = _("Konten und Kommunen")
    # Municipalities, networks and users in the JSON exchange format (core.exchange).
    exchange = "krisenwissen.accounts.exchange.PART"
    # Expired login-throttle counters (core.retention).
    retention = "krisenwissen.accounts.retention.apply"

    def ready(self):
        # Audit rows of sign-ins on every login path (accounts.throttle); ``checks`` registers
        # the directory sign-in checks.
        from django.contrib.auth import signals

        from . import checks, throttle  # noqa: F401

        signals.user_logged_in.connect(throttle.on_logged_in, dispatch_uid="krisenwissen.accounts.logged_in")
        signals.user_login_failed.connect(throttle.on_login_failed, dispatch_uid="krisenwissen.accounts.login_failed")
        signals.user_logged_out.connect(throttle.on_logged_out, dispatch_uid="krisenwissen.accounts.logged_out")
