from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "krisenwissen.search"
    label = "search"
