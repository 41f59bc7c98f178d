from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "krisenwissen.ui"
    label = "ui"
