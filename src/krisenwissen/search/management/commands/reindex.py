"""``krisenwissen reindex``: rebuild the search index from the knowledge tables."""

import time

from django.core.management.base import BaseCommand

from krisenwissen.search.indexing import reindex_all
from krisenwissen.search.selectors import kind_label


class Command(BaseCommand):
    help = "Baut den Suchindex aus allen Beobachtungen, Erkenntnissen, Handlungsempfehlungen und Gute-Praxis-Beispielen neu auf."

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = reindex_all()
        for kind, count in counts.items():
            self.stdout.write(f"{kind_label(kind)}: {count}")
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"Suchindex neu aufgebaut: {sum(counts.values())} Einträge in {elapsed:.1f} s."
        ))
