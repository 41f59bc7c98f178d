"""``krisenwissen search "QUERY"``: search the knowledge base from the console."""

import html
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.html import strip_tags

from krisenwissen.accounts.selectors import VisibilityScope, visibility_scope
from krisenwissen.search.registry import indexed_models
from krisenwissen.search.selectors import search_in_scope


class Command(BaseCommand):
    help = (
        "Durchsucht die Wissensbasis. Ohne --as-user sucht der Befehl mit vollem Zugriff "
        "(alle Einträge aller Kommunen, auch interne) – er ist für den Betrieb auf dem Server "
        "gedacht. Mit --as-user NAME sieht er nur, was diese Person sehen darf."
    )

    def add_arguments(self, parser):
        parser.add_argument("query", help="Suchbegriffe, z. B. \"Krisenstäbe\".")
        parser.add_argument("--json", action="store_true", help="Treffer als JSON-Liste ausgeben.")
        parser.add_argument("--limit", type=int, default=20, help="Höchstzahl der Treffer (Standard 20).")
        parser.add_argument(
            "--as-user", "--user", dest="as_user", metavar="USERNAME",
            help="Nur Einträge zeigen, die diese Person lesen darf.",
        )
        parser.add_argument(
            "--anonymous", action="store_true", help="Nur öffentliche Einträge zeigen (wie ohne Anmeldung).",
        )

    def handle(self, *args, **options):
        limit = options["limit"]
        if limit < 1:
            raise CommandError("--limit muss mindestens 1 sein.")
        scope = self._scope(options)
        page = search_in_scope(scope, text=options["query"], per_page=limit)
        if options["json"]:
            payload = [
                {
                    "kind": hit.kind,
                    "kind_label": hit.kind_label,
                    "id": hit.object_id,
                    "title": hit.title,
                    "snippet": str(hit.snippet),
                    "url": hit.url,
                    "municipality": hit.municipality_name,
                    "visibility": hit.visibility,
                    "created_at": hit.created_at.isoformat() if hit.created_at else None,
                    "matched_by": "meaning" if hit.matched_by_meaning else "words",
                }
                for hit in page.hits
            ]
            self._add_hit_details(page.hits, payload)
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{page.total} Treffer für „{options['query']}“")
        for number, hit in enumerate(page.hits, start=1):
            reason = " (ähnliche Bedeutung)" if hit.matched_by_meaning else ""
            self.stdout.write(f"{number:>3}. [{hit.kind_label}] {hit.title} – {hit.municipality_name}{reason}")
            if hit.snippet:
                # The console shows the snippet as text: marks become »…« and entities are decoded.
                text = str(hit.snippet).replace("<mark>", "»").replace("</mark>", "«")
                self.stdout.write(f"     {html.unescape(strip_tags(text))}")
            if hit.url:
                self.stdout.write(f"     {hit.url}")

    def _add_hit_details(self, hits, payload) -> None:
        """Kinds whose index declaration has ``hit_details(ids)`` add their own keys (a passage: its
        document, page and full text); the common keys stay."""
        by_kind: dict[str, list[int]] = {}
        for hit in hits:
            by_kind.setdefault(hit.kind, []).append(hit.object_id)
        details: dict[tuple[str, int], dict] = {}
        for kind, ids in by_kind.items():
            entry = next((e for e in indexed_models() if e.kind == kind), None)
            extra = getattr(entry.declaration, "hit_details", None) if entry else None
            if extra:
                details.update({(kind, pk): values for pk, values in extra(ids).items()})
        for hit, row in zip(hits, payload, strict=True):
            for key, value in details.get((hit.kind, hit.object_id), {}).items():
                row.setdefault(key, value)

    def _scope(self, options) -> VisibilityScope:
        if options["anonymous"] and options["as_user"]:
            raise CommandError("--anonymous und --as-user schließen einander aus.")
        if options["anonymous"]:
            return VisibilityScope()
        if options["as_user"]:
            user_model = get_user_model()
            try:
                user = user_model.objects.get(**{user_model.USERNAME_FIELD: options["as_user"]})
            except user_model.DoesNotExist:
                raise CommandError(f"Person „{options['as_user']}“ gibt es nicht.") from None
            return visibility_scope(user)
        return VisibilityScope(everything=True)

