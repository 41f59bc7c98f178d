"""``krisenwissen load_demo [--force]``: load the PanReflex demo content and demo logins.

The apps declare their demo loaders on their AppConfig (see :mod:`krisenwissen.core.demo`)."""

from django.core.management.base import BaseCommand, CommandError

from krisenwissen.core.demo import DemoNotAllowed, load_demo

COUNT_LABELS = {
    "kommunen": "Kommunen", "dienststellen": "Dienststellen", "personen": "Personen", "phasen": "Phasen",
    "codes": "Codes", "quellen": "Quellen", "beobachtungen": "Beobachtungen", "erkenntnisse": "Erkenntnisse",
    "empfehlungen": "Handlungsempfehlungen", "gute_praxis": "Gute Praxis",
    # counts reported by the demo loaders of the capability apps
    "keyword_rules": "Stichwortregeln", "legal_texts": "Rechtstexte", "versions": "Fassungen",
    "observations": "Lagebild-Werte", "notes": "Lagenotizen", "workshops": "Workshops",
    "workshop_karten": "Workshop-Karten", "workshop_cluster": "Workshop-Cluster", "massnahmen": "Maßnahmen",
    "bewertungsrahmen": "Bewertungsrahmen", "fortbildungsmodule": "Fortbildungsmodule",
    "muster_szenarien": "Muster-Szenarien",
}


class Command(BaseCommand):
    help = (
        "Lädt Demo-Inhalte (PanReflex-Partnerstädte, COVID-19-Phasen, Codes, Beobachtungen, "
        "Erkenntnisse, Handlungsempfehlungen, Gute Praxis) und Demo-Zugänge. Tut nichts, wenn "
        "bereits Inhalte vorhanden sind, außer mit --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Auch laden, wenn schon Inhalte vorhanden sind (Demo-Einträge werden aktualisiert, nicht verdoppelt).",
        )

    def handle(self, *args, force: bool = False, **options):
        try:
            result = load_demo(force=force)
        except DemoNotAllowed:
            raise CommandError(
                "Demo-Daten werden mit diesen Einstellungen nicht geladen: die Demo-Zugänge haben ein "
                "veröffentlichtes Passwort und die Workshops erratbare Beitrittslinks. Auf einem "
                "Produktivsystem ist das ausgeschlossen. Für eine Demo-Installation die "
                "Entwicklungseinstellungen verwenden (DJANGO_SETTINGS_MODULE=krisenwissen.settings.dev)."
            ) from None
        if result.skipped:
            self.stdout.write(self.style.WARNING(
                "Es sind bereits Inhalte vorhanden; Demo-Daten wurden nicht geladen. "
                "Mit --force trotzdem laden."
            ))
        else:
            summary = ", ".join(f"{count} {COUNT_LABELS.get(name, name)}" for name, count in result.counts.items() if count)
            self.stdout.write(self.style.SUCCESS(f"Demo-Daten geladen: {summary}."))
        self.stdout.write("")
        self.stdout.write(f"Demo-Zugänge (Passwort für alle: {result.password}):")
        for login in result.logins:
            extra = ", Superuser" if login.is_superuser else ""
            self.stdout.write(f"  {login.username:<24} {login.role_label} {login.municipality}{extra}")
