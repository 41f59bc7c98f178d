"""A workshop with cards from three cities, for the transfer tests (unit and browser).

Host Essen; invited Dortmund and Düsseldorf; the facilitator is Moderation of Düsseldorf (an
invited municipality), entered as the workshop's facilitator, like the demo's "Moderation
Düsseldorf". All three cities are participating municipalities and share a network.
"""

import datetime
import uuid

from krisenwissen.accounts.models import Role
from krisenwissen.workshops import actions

from .. import factories as f

PASSWORD = "krisenwissen-test-passwort"


def build(*, scope="moderation", visibility="netzwerk"):
    essen = f.MunicipalityFactory(name="Essen", ags="05113", is_participating=True)
    dortmund = f.MunicipalityFactory(name="Dortmund", ags="05913", is_participating=True)
    duesseldorf = f.MunicipalityFactory(name="Düsseldorf", ags="05111", is_participating=True)
    f.NetworkFactory(name="PanReflex", slug="panreflex", members=[essen, dortmund, duesseldorf])
    host_moderator = f.MembershipFactory(municipality=essen, role=Role.MODERATION, user__username="moderation.essen").user
    facilitator = f.MembershipFactory(municipality=duesseldorf, role=Role.MODERATION, user__username="moderation.duesseldorf").user
    for user in (host_moderator, facilitator):
        user.set_password(PASSWORD)
        user.save()
    outsider = f.MembershipFactory(municipality=dortmund, role=Role.MODERATION, user__username="moderation.dortmund").user

    themes = f.SchemeFactory(key="themen", name="Themenschwerpunkte")
    hazards = f.SchemeFactory(key="gefahren", name="Gefahrenart")
    codes = {
        "pandemie": f.CodeFactory(scheme=hazards, key="pandemie", name="Pandemie"),
        "hitze": f.CodeFactory(scheme=hazards, key="hitze", name="Hitze"),
        "zusammenarbeit": f.CodeFactory(scheme=themes, key="zusammenarbeit", name="Zusammenarbeit im Krisenmanagement",
                                        description="Organisation, Stäbe, Personal und Zusammenarbeit."),
        "personal": f.CodeFactory(scheme=themes, key="personal", name="Personaleinsatz und Belastung",
                                  description="Personalgewinnung, Umsetzung, Einarbeitung, Überlastung und Anerkennung."),
        "buergerkommunikation": f.CodeFactory(scheme=themes, key="buergerkommunikation", name="Kommunikation mit der Bevölkerung",
                                              description="Bürgertelefon, soziale Medien, Aushänge, Lautsprecherwagen."),
    }
    crisis = f.CrisisFactory(title="COVID-19-Pandemie", hazard_type="Pandemie")
    phases = [
        f.PhaseFactory(crisis=crisis, number=1, name="Eindämmung & Unsicherheit",
                       start=datetime.date(2020, 3, 1), end=datetime.date(2020, 5, 31)),
        f.PhaseFactory(crisis=crisis, number=2, name="Schutz & Weiterbetrieb",
                       start=datetime.date(2020, 6, 1), end=datetime.date(2020, 12, 31)),
        f.PhaseFactory(crisis=crisis, number=3, name="Kontrolle & Legitimation",
                       start=datetime.date(2021, 1, 1), end=None),
    ]
    workshop = actions.do_create_workshop(
        host=essen, acting_user=host_moderator,
        fields={"title": "Reflexionsraum Drei Städte", "start_date": datetime.date(2023, 3, 27),
                "end_date": datetime.date(2023, 3, 28), "crisis": crisis, "theme": codes["zusammenarbeit"],
                "place": "Essen", "attribution": "chatham_house", "private_until_reveal": False},
    )
    workshop.invited.set([dortmund, duesseldorf])
    workshop.facilitators.set([facilitator])
    type(workshop).objects.filter(pk=workshop.pk).update(transfer_scope=scope, transfer_visibility=visibility)
    workshop.refresh_from_db()

    people = {
        city.name: actions.do_join_workshop(workshop, display_name=f"Teilnahme {city.name}", municipality=city,
                                            department_function="krisenstab")
        for city in (essen, dortmund, duesseldorf)
    }
    descriptive = workshop.phases.get(kind="deskriptiv")
    transfer = workshop.phases.get(kind="transfer")
    q_desc = descriptive.questions.first()
    q_transfer = transfer.questions.first()
    finding = actions.do_create_cluster(workshop, name="Belastung weniger Leistungsträger", kind="befund", acting_user=host_moderator)
    idea = actions.do_create_cluster(workshop, name="Personalreserve vorab planen", kind="massnahmenidee", acting_user=host_moderator)
    cards = {}

    def card(key, person, text, cluster, question, **extra):
        c, _ = actions.do_add_card(people[person], card_uuid=uuid.uuid4(), text=text, question=question, **extra)
        actions.do_move_card(c, cluster, acting_user=host_moderator)
        cards[key] = c

    # Findings (descriptive phase): one on the timeline wall, one with a date, one with neither.
    card("e1", "Essen", "Wenige Leistungsträger trugen die Last über Monate, Überlastung des Personals.", finding, q_desc,
         crisis_phase=phases[0])
    card("d1", "Dortmund", "Das Personal im Gesundheitsamt war nach dem ersten Jahr erschöpft.", finding, q_desc,
         when=datetime.date(2020, 9, 1))
    card("s1", "Düsseldorf", "Überlastung des Personals, weil Vertretungen fehlten.", finding, q_desc)
    # Action ideas (transfer phase), one per city.
    card("e2", "Essen", "Personalreserve für lange Lagen vorab planen und schulen.", idea, q_transfer,
         crisis_phase=phases[2])
    card("d2", "Dortmund", "Einen Personalpool aus allen Ämtern für die Krise vorbereiten.", idea, q_transfer,
         when=datetime.date(2021, 2, 1))
    card("s2", "Düsseldorf", "Personal früh verstärken, Einarbeitung vorbereiten.", idea, q_transfer)
    return {
        "workshop": workshop, "essen": essen, "dortmund": dortmund, "duesseldorf": duesseldorf,
        "host_moderator": host_moderator, "facilitator": facilitator, "outsider": outsider,
        "codes": codes, "crisis": crisis, "phases": phases, "finding": finding, "idea": idea, "cards": cards,
        "q_desc": q_desc, "q_transfer": q_transfer,
    }
