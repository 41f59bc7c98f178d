"""Apply the retention periods (setting KRISENWISSEN_RETENTION). Run daily (systemd timer)."""

from django.core.management.base import BaseCommand

from krisenwissen.core.retention import do_apply_retention, periods


class Command(BaseCommand):
    help = ("Löscht oder pseudonymisiert personenbezogene Daten, deren Aufbewahrungsfrist abgelaufen ist "
            "(Einstellung KRISENWISSEN_RETENTION; siehe docs/datenschutz.md).")

    def handle(self, *args, **options):
        counts = do_apply_retention()
        self.stdout.write("Fristen (Tage, 0 = unbegrenzt): " + ", ".join(f"{k}={v}" for k, v in sorted(periods().items())))
        self.stdout.write("Gelöscht oder pseudonymisiert: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
