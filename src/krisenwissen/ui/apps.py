from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "krisenwissen.ui"
    label = "ui"
    # Accessibility feedback (name, e-mail address) is deleted after its period (core.retention).
    retention = "krisenwissen.ui.retention.apply"
