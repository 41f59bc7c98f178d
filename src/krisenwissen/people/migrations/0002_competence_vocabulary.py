"""The shipped competence vocabulary (``people/vocabulary.py``); editable afterwards.

Existing rows with the same code are left alone, so an edited vocabulary survives."""

from django.db import migrations


def ship(apps, schema_editor):
    from krisenwissen.people.vocabulary import ship_competence_vocabulary

    ship_competence_vocabulary(apps.get_model("people", "CompetenceArea"))


class Migration(migrations.Migration):

    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
