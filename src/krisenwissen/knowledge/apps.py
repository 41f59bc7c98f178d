from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "krisenwissen.knowledge"
    label = "knowledge"
    verbose_name = _("Wissen")
    # Crises, code book, sources, knowledge items and reviews in the exchange format.
    exchange = "krisenwissen.knowledge.exchange.PART"
    # The four knowledge item models are searchable (read by search.registry).
    search_index = "krisenwissen.knowledge.search_index"
    # The base demo content (cities, users, crisis, items); runs before the other apps' demos.
    demo_loader = "krisenwissen.knowledge.demo.loader.load"
    demo_content_exists = "krisenwissen.knowledge.demo.loader.knowledge_content_exists"
    demo_logins = "krisenwissen.knowledge.demo.loader.demo_logins"
    demo_password = "krisenwissen.knowledge.demo.content.DEMO_PASSWORD"
    demo_traces = "krisenwissen.knowledge.demo.traces.demo_traces"
