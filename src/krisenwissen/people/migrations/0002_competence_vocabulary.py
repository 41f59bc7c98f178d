"""The shipped competence vocabulary (subject and crisis competence); editable afterwards.

Existing rows with the same code are left alone, so an edited vocabulary survives."""

from django.db import migrations

VOCABULARY = [
    # (code, label, kind)
    ("infektionsschutz", "Infektionsschutz und Hygiene", "fach"),
    ("ordnungsrecht", "Ordnungsrecht und Gefahrenabwehr", "fach"),
    ("oeffentliche-gesundheit", "Öffentlicher Gesundheitsdienst", "fach"),
    ("sozialplanung", "Soziales und besonders Betroffene", "fach"),
    ("vergabe-beschaffung", "Vergabe und Beschaffung", "fach"),
    ("personalwesen", "Personalwesen", "fach"),
    ("it-kommunikationstechnik", "IT und Kommunikationstechnik", "fach"),
    ("energieversorgung", "Energieversorgung", "fach"),
    ("wasserwirtschaft", "Wasserwirtschaft und Hochwasserschutz", "fach"),
    ("recht-verordnungen", "Recht und Verordnungen", "fach"),
    ("stabsarbeit", "Stabsarbeit", "krise"),
    ("lagefuehrung", "Lageführung und Lagebild", "krise"),
    ("krisenkommunikation", "Krisenkommunikation", "krise"),
    ("evakuierung", "Evakuierung und Betreuung", "krise"),
    ("impf-testzentren", "Aufbau von Impf- und Testzentren", "krise"),
    ("warnung-bevoelkerung", "Warnung der Bevölkerung", "krise"),
    ("psychosoziale-unterstuetzung", "Psychosoziale Unterstützung", "krise"),
    ("uebungsplanung", "Übungsplanung", "krise"),
    ("rueckfuehrung", "Rückführung aus dem Krisenmodus", "krise"),
]


def ship(apps, schema_editor):
    CompetenceArea = apps.get_model("people", "CompetenceArea")
    for order, (code, label, kind) in enumerate(VOCABULARY):
        CompetenceArea.objects.get_or_create(code=code, defaults={"label": label, "kind": kind, "order": order})


class Migration(migrations.Migration):

    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
