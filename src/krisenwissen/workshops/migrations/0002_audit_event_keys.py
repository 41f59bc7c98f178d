"""Audit rows of workshops written before the event enum (``workshops.events``) used German
free-string keys; rename them to the English keys so that old rows show their labels."""

from django.db import migrations

from krisenwissen.core.migration_operations import rename_audit_events

OLD_TO_NEW = {
    "workshop_angelegt": "workshops.workshop_created",
    "workshop_geaendert": "workshops.workshop_changed",
    "workshop_status": "workshops.status_changed",
    "zeitrahmen_geaendert": "workshops.timebox_changed",
    "leitfrage_hinzugefuegt": "workshops.question_added",
    "leitfrage_entfernt": "workshops.question_removed",
    "leitfrage_gewaehlt": "workshops.question_chosen",
    "board_gesperrt": "workshops.board_locked",
    "board_entsperrt": "workshops.board_unlocked",
    "punktabfrage_gestartet": "workshops.voting_opened",
    "punktabfrage_beendet": "workshops.voting_closed",
    "karten_aufgedeckt": "workshops.cards_revealed",
    "cluster_angelegt": "workshops.cluster_created",
    "cluster_geaendert": "workshops.cluster_changed",
    "karte_verschoben": "workshops.card_moved",
    "zitat_markiert": "workshops.quote_marked",
    "zitat_entfernt": "workshops.quote_unmarked",
    "foto_hochgeladen": "workshops.photo_uploaded",
    "synthese_erzeugt": "workshops.synthesis_generated",
    "synthese_gespeichert": "workshops.synthesis_saved",
    "in_wissensbasis_uebernommen": "workshops.transferred_to_knowledge",
}



class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [rename_audit_events(OLD_TO_NEW, object_type="workshops.workshop")]
