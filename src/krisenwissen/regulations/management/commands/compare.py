"""``krisenwissen compare OLD NEW --format json|text|html|pdf|docx [--output FILE] [--full]``, ``--pairs DIR``.

The work is done by the pure ``regulations.comparecli`` (which ``krisenwissen.cli`` also runs
without Django for speed); this command adds the keyword rules from the database.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from krisenwissen.regulations.comparecli import CompareError, add_arguments, default_rules, run
from krisenwissen.regulations.selectors import active_rules


class Command(BaseCommand):
    help = "Vergleicht zwei Fassungen eines Rechtstexts (Dateien) strukturbewusst."

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, **options):
        try:
            run(options, rules=_rules(), note=self.stderr.write)
        except CompareError as exc:
            raise CommandError(str(exc)) from exc


def _rules() -> list[tuple[str, str]]:
    """Active keyword rules from the database; the seeded defaults when it is not set up."""
    try:
        rules = active_rules()
        if rules:
            return rules
    except Exception:  # no database (e.g. a fresh checkout): fall back to the defaults
        pass
    return default_rules()
