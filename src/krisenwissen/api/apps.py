from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "krisenwissen.api"
    label = "api"
