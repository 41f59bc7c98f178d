"""`krisenwissen crisis briefing TITLE --hazard TYPE [--json] [--user NAME]`: crisis-onset recall.

Nothing is saved. Without ``--user`` the briefing reads only public items (the console has
no logged-in person, so it gets the anonymous scope); with ``--user`` it reads exactly what
that person would see on the briefing page.
"""

import json

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from krisenwissen.accounts.models import User
from krisenwissen.knowledge.models import HazardType
from krisenwissen.learning.selectors import briefing


class Command(BaseCommand):
    help = "Briefing zu Krisenbeginn: die relevantesten Erkenntnisse, Maßnahmen, Gute Praxis und Fortbildungen."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        brief = sub.add_parser("briefing", help="Briefing für eine (neue) Krise ausgeben, ohne etwas zu speichern.")
        brief.add_argument("title")
        brief.add_argument("--hazard", default="", help=f"Gefahrenart, z. B. {', '.join(HazardType.values)}")
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
        items = briefing(user=user, title=options["title"], hazard_type=options["hazard"],
                         description=options["description"], limit=limit)
        if options["json"]:
            self.stdout.write(json.dumps([item.as_dict() for item in items], ensure_ascii=False, indent=2))
            return
        for n, item in enumerate(items, 1):
            self.stdout.write(f"{n:2d}. [{item.kind_label}] {item.title}  ({item.score:.2f})  {item.url}")
