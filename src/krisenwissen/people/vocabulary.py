"""The shipped competence vocabulary (subject and crisis competence); editable afterwards.

Shipped by migration 0002 and ensured again by the demo loader: a database emptied by
``flush`` (or a test that empties it) has lost the migration's rows, and the demo directory
and its CSV examples refer to these codes.
"""

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


def ship_competence_vocabulary(competence_model) -> int:
    """Create the shipped competences that are missing; existing codes are left alone, so an
    edited vocabulary survives. ``competence_model`` is ``CompetenceArea`` or a migration's
    historical model. Returns how many were created."""
    created = 0
    for order, (code, label, kind) in enumerate(VOCABULARY):
        created += competence_model.objects.get_or_create(
            code=code, defaults={"label": label, "kind": kind, "order": order},
        )[1]
    return created
