"""Queue (or run) the reminder job for actions due soon or overdue. Run daily from cron."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from krisenwissen.learning.tasks import send_action_reminders, send_reminders_now


class Command(BaseCommand):
    help = "Erinnert Verantwortliche an bald fällige und überfällige Maßnahmen (E-Mail und Benachrichtigung)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Sofort in diesem Prozess ausführen statt in die Warteschlange zu stellen.")
        parser.add_argument("--date", help="Stichtag JJJJ-MM-TT (Standard: heute).")

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"Ungültiges Datum: {options['date']!r} (erwartet JJJJ-MM-TT).") from None
        if options["now"]:
            counts = send_reminders_now(day)
            self.stdout.write(
                f"Erinnerungen versendet: {counts['bald_faellig']} bald fällig, {counts['ueberfaellig']} überfällig, "
                f"{counts['empfaenger']} Empfänger; {counts['wiederholungspruefung']} Wiederholungsprüfungen."
            )
        else:
            result = send_action_reminders.enqueue(day.isoformat() if day else None)
            self.stdout.write(f"Erinnerungsauftrag eingereiht ({result.id}).")
