"""`krisenwissen crisis briefing TITLE --hazard TYPE [--json] [--user NAME]`: crisis-onset recall.

Nothing is saved. The hazard type must be a known type or one of the synonyms mapped in
``learning/data/hazards.json`` ("Hochwasser" → Starkregen); anything else ends with a German
error that lists the known types (exit status 1). Without ``--user`` the briefing reads only public items (the console has
no logged-in person, so it gets the anonymous scope); with ``--user`` it reads exactly what
that person would see on the briefing page.
"""

import json

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from krisenwissen.accounts.models import User
from krisenwissen.knowledge.models import HazardType
from krisenwissen.learning.selectors import briefing_result


class Command(BaseCommand):
    help = "Briefing zu Krisenbeginn: die relevantesten Erkenntnisse, Maßnahmen, Gute Praxis und Fortbildungen."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        brief = sub.add_parser("briefing", help="Briefing für eine (neue) Krise ausgeben, ohne etwas zu speichern.")
        brief.add_argument("title")
        brief.add_argument("--hazard", default="", help=f"Gefahrenart: {', '.join(HazardType.values)}")
        brief.add_argument("--description", default="")
        brief.add_argument("--json", action="store_true", help="Als JSON-Liste ausgeben (kind, title, url, …).")
        brief.add_argument("--limit", type=int, default=12)
        brief.add_argument("--user", help="Aus Sicht dieser Person lesen (Standard: nur öffentliche Einträge).")

    def handle(self, *args, **options):
        user = AnonymousUser()
        if options.get("user"):
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"Unbekannte oder inaktive Person: {options['user']}")
        if not options["title"].strip():
            raise CommandError("Bitte geben Sie einen Titel der Krise an.")
        limit = max(1, min(100, options["limit"]))
        try:
            result = briefing_result(user=user, title=options["title"], hazard_type=options["hazard"],
                                     description=options["description"], limit=limit, per_kind=0)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        items = result.items
        if options["json"]:
            # A JSON list as before; the "no knowledge" note goes to stderr so that the list stays parseable.
            if not result.has_specific:
                self.stderr.write(result.no_knowledge_message)
            self.stdout.write(json.dumps([item.as_dict() for item in items], ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Gefahrenart: {result.hazard_label}")
        if not result.has_specific:
            self.stdout.write(result.no_knowledge_message)
        for n, item in enumerate(items, 1):
            self.stdout.write(f"{n:2d}. [{item.kind_label}] {item.title}  ({item.score:.2f})  {item.url}")
