"""Demo content of the learning loop (called by `krisenwissen load_demo` after the knowledge demo).

Idempotent: every object is matched by a stable key (uuid5 of a demo key, or natural keys).
No real personal data: owners are the demo accounts.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from krisenwissen.accounts.models import Department, Municipality, User
from krisenwissen.core.policy import SYSTEM
from krisenwissen.knowledge import models as km
from krisenwissen.knowledge.demo.loader import demo_uuid

from .frameworks import load_framework_file, shipped_files
from .models import (
    Action,
    ActionNote,
    ActionStatus,
    DiscussionQuestion,
    Inject,
    ScenarioExercise,
    SelfCheckQuestion,
    TrainingModule,
)

AGS = {"E": "05113", "DO": "05913", "K": "05315", "D": "05111", "GE": "05513"}

ACTIONS = [
    {"key": "a01", "city": "E", "lesson": "l04", "owner": "mitwirkende.essen", "department": "personalamt",
     "title": "Personalreserve für lang andauernde Lagen aufbauen",
     "description": "Unterstützungskräfte aus allen Fachbereichen benennen, Umsetzungsverfahren mit dem Personalamt vereinbaren und Einarbeitungsmappen für Krisenaufgaben erstellen.",
     "status": "in_arbeit", "due_days": 45, "start_days": -60, "horizon": "mittelfristig", "impact": 3, "feasibility": 2,
     "capability": "personal", "codes": ["personal"], "success_indicator": "Reserve von 40 eingearbeiteten Kräften; Übung bestanden.",
     "resources": "0,5 Stelle im Personalamt für ein Jahr",
     "notes": ["Liste der Unterstützungskräfte mit den Fachbereichen abgestimmt (32 Personen)."]},
    {"key": "a02", "city": "K", "lesson": "l03", "owner": "mitwirkende.koeln", "department": "krisenstab",
     "title": "Checkliste für die Rückführung aus dem Krisenmodus einführen",
     "description": "Kriterien für das Ende der Stabsarbeit und die Übergabe offener Aufgaben an die Fachbereiche festlegen.",
     "status": "in_arbeit", "due_days": 20, "start_days": -90, "horizon": "sofort", "impact": 3, "feasibility": 3,
     "capability": "prozesse", "codes": ["krisenstab"], "success_indicator": "Checkliste in der Stabsdienstordnung; in einer Übung angewendet.",
     "resources": "", "notes": []},
    {"key": "a03", "city": "DO", "lesson": "l13", "owner": "redaktion.dortmund", "department": "krisenstab",
     "title": "Rahmenverträge für Schutzausrüstung abschließen",
     "description": "Rahmenverträge mit zwei Lieferanten und eine Bevorratung für acht Wochen.",
     "status": "erledigt", "due_days": -30, "start_days": -200, "horizon": "mittelfristig", "impact": 2, "feasibility": 2,
     "capability": "ausstattung", "codes": [], "success_indicator": "Verträge unterschrieben; Lager aufgefüllt.", "resources": "", "notes": []},
    {"key": "a04", "city": "DO", "lesson": "l17", "owner": "redaktion.dortmund", "department": "krisenstab",
     "title": "Schichtmodell für den Dauerbetrieb des Krisenstabs",
     "description": "Doppelte Besetzung aller Stabsfunktionen und Regeln für Ablösung und Rotation festlegen.",
     "status": "blockiert", "status_reason": "Die Freistellung der Vertretungen ist mit den Fachbereichen noch nicht geklärt.",
     "due_days": 90, "start_days": -10, "horizon": "mittelfristig", "impact": 3, "feasibility": 2,
     "capability": "organisation", "codes": ["krisenstab", "personal"], "success_indicator": "Schichtplan über 6 Wochen in einer Übung erprobt.",
     "resources": "", "notes": []},
]

MODULE = {
    "key": "m01", "city": "E", "visibility": "oeffentlich", "order": 1,
    "title": "Krise können 1: Der lange Atem – Krisenstab, Personal und Rückführung",
    "summary": "Was die Städte in der Pandemie über lang andauernde Lagen gelernt haben – und was Sie beim nächsten Mal von Anfang an anders machen können.",
    "text": (
        "Krisenstäbe sind für kurze, örtliche Lagen gebaut: ein Hochwasser, ein Großbrand, ein Bombenfund. "
        "Die Pandemie dauerte drei Jahre. In allen Partnerstädten trugen wenige Leistungsträgerinnen und "
        "Leistungsträger die Hauptlast, Überlastung wurde kaum beobachtet, und niemand hatte festgelegt, wann "
        "und wie der Krisenmodus wieder verlassen wird.\n\n"
        "Drei Dinge helfen: Erstens zu Beginn bewusst Zeit in Analyse, Planung und Organisation investieren – auch "
        "wenn die Lage drängt. Zweitens den Personaleinsatz für eine lange Lage planen: Verstärkung früh anfordern, "
        "Vertretungen doppelt besetzen, Arbeitslast und Ruhezeiten beobachten. Drittens die Rückführung aus dem "
        "Krisenmodus von Anfang an mitplanen, mit Kriterien und einer Übergabe an die Fachbereiche.\n\n"
        "Gelingensfaktoren, die die Städte nannten: gegenseitige Wertschätzung im Team, Partnerschaft mit der "
        "Bevölkerung und persönliche Netzwerke – „die Köpfe vor der Krise kennen“."
    ),
    "lessons": ["l01", "l03", "l04", "l17"],
    "recommendations": ["r11"],
    "good_practices": ["g03", "g01"],
    "codes": ["themen:krisenstab", "themen:personal", "faehigkeiten:uebung-training"],
    "questions": [
        ("Woran scheiterte die Stabsarbeit in langen Lagen am häufigsten?", [
            ("An fehlender Technik im Stabsraum.", False, "Technik war selten das Problem; es fehlten Personal- und Ablaufplanung für den Dauerbetrieb."),
            ("Daran, dass wenige Leistungsträger über Monate die Hauptlast trugen.", True, "Richtig: In 4 von 5 Städten trugen wenige Personen die Hauptlast über mehr als zwei Jahre."),
            ("An zu vielen Vertretungen.", False, "Im Gegenteil: Vertretungen fehlten meist."),
        ]),
        ("Wann sollte die Rückführung aus dem Krisenmodus geplant werden?", [
            ("Wenn die Lage vorbei ist.", False, "Dann ist es zu spät – die Strukturen laufen sonst einfach in die nächste Krise weiter."),
            ("Von Anfang an, mit Kriterien und Übergabe.", True, "Richtig: Kriterien und Übergabe gehören in die erste Planung."),
        ]),
        ("Welcher Gelingensfaktor wurde von den Städten ausdrücklich genannt?", [
            ("Die Köpfe vor der Krise kennen.", True, "Richtig: Persönliche Netzwerke trugen, als formale Wege zu langsam waren."),
            ("Entscheidungen allein auf Dezernatsebene treffen.", False, "Ein einzelner Engpass auf Dezernatsebene bremste; Thementeams entschieden schneller."),
        ]),
    ],
}

EXERCISE = {
    "key": "x01", "city": "DO", "visibility": "oeffentlich", "hazard": "Energie",
    "title": "Gasmangellage im Winter",
    "starting": (
        "Es ist Oktober. Die Gasversorgung ist angespannt, die Frühwarnstufe des Notfallplans Gas gilt. Ihre Stadt "
        "plant Wärmeinseln, prüft die Versorgung von Pflegeeinrichtungen und bereitet die Bevölkerung auf mögliche "
        "Einschränkungen vor. Der Krisenstab ist seit der Pandemie nie ganz aufgelöst worden."
    ),
    "lessons": ["l17", "l04", "l03"],
    "injects": [
        ("Woche 1", "Der Krisenstab tritt zusammen. Die Hälfte der Stabsfunktionen ist nur einfach besetzt.",
         "Achten Sie darauf, ob die Gruppe über Dauerbetrieb und Vertretungen spricht.",
         ["Wie stellen Sie den Stab für eine Lage über mehrere Monate auf?"]),
        ("Woche 6", "Die Alarmstufe wird ausgerufen. Bürgerinnen und Bürger fragen nach Wärmeinseln; das Bürgertelefon ist überlastet.",
         "", ["Wer besetzt das Bürgertelefon – und kennt die Verwaltung?", "Wie erreichen Sie Menschen ohne Internet?"]),
        ("Woche 14", "Zwei Leistungsträger fallen aus; eine neue Landesverordnung tritt übermorgen in Kraft.",
         "Der Kern der Übung: Personalreserve, Überlastung, Umsetzung kurzfristiger Vorgaben.",
         ["Wer übernimmt die Aufgaben der ausgefallenen Personen?", "Wie setzen Sie die Verordnung in zwei Tagen um?"]),
        ("Woche 20", "Die Lage entspannt sich. Die Fachbereiche fordern ihre Beschäftigten zurück.",
         "", ["Nach welchen Kriterien beenden Sie die Stabsarbeit?"]),
    ],
    "questions": ["Was haben wir aus der Pandemie schon umgesetzt – und was nicht?",
                  "Welche Maßnahme mit welcher verantwortlichen Person leiten wir aus dieser Übung ab?"],
}


# Training modules and scenario templates beyond the pandemic (lessons from knowledge/demo/hazards.py).
MORE_MODULES = [
    {
        "key": "m02", "city": "K", "visibility": "oeffentlich", "order": 2,
        "title": "Krise können 2: Warnen und evakuieren bei Starkregen und Hochwasser",
        "summary": "Was die Flut im Juli 2021 an Ahr und Erft über Warnketten, Evakuierung und Spontanhelfende gezeigt hat.",
        "text": (
            "Im Juli 2021 lagen Unwetter- und Hochwasserwarnungen vor, doch viele Menschen erfuhren zu spät oder ohne "
            "Handlungsanweisung davon. Im Ahrtal starben 135 Menschen, in Nordrhein-Westfalen 49.\n\n"
            "Drei Lehren für Ihre Kommune: Warnen Sie über mehrere Kanäle – Sirene, Cell Broadcast, Warn-App, Radio, "
            "Lautsprecherwagen – und sagen Sie, was zu tun ist. Verknüpfen Sie Starkregengefahrenkarten mit der "
            "Evakuierungsplanung, besonders für Pflegeeinrichtungen. Planen Sie eine Sammelstelle für Spontanhelfende."
        ),
        "lessons": ["h-l01", "h-l02", "h-l03"], "recommendations": ["h-r01"], "good_practices": ["h-g01"],
        "codes": ["gefahren:hochwasser-starkregen", "themen:buergerkommunikation", "faehigkeiten:uebung-training"],
        "questions": [
            ("Was fehlte vielen Warnungen bei der Flut 2021?", [
                ("Eine klare Handlungsanweisung.", True, "Richtig: Menschen müssen wissen, was sie jetzt tun sollen."),
                ("Eine frühere Vorhersage.", False, "Die Vorhersagen lagen Tage vorher vor; es riss die Warnkette."),
            ]),
        ],
    },
    {
        "key": "m03", "city": "D", "visibility": "netzwerk", "order": 3,
        "title": "Krise können 3: Verwaltung ohne IT – Notbetrieb nach einem Cyberangriff",
        "summary": "Der Fall Anhalt-Bitterfeld 2021: erster Katastrophenfall wegen eines Cyberangriffs in Deutschland.",
        "text": (
            "Im Juli 2021 verschlüsselte Erpressungssoftware die IT der Kreisverwaltung Anhalt-Bitterfeld; der Landkreis "
            "rief den Katastrophenfall aus. Sozialleistungen und Bürgerdienste fielen wochenlang aus.\n\n"
            "Bereiten Sie einen Notbetrieb ohne IT für kritische Leistungen vor, verwahren Sie Datensicherungen "
            "getrennt, halten Sie Alarmierungslisten auf Papier bereit und klären Sie die Hilfe durch BSI und "
            "Landes-CERT vor einem Angriff."
        ),
        "lessons": ["h-l04", "h-l05"], "recommendations": ["h-r02"], "good_practices": [],
        "codes": ["gefahren:cyber", "faehigkeiten:prozesse", "faehigkeiten:uebung-training"],
        "questions": [],
    },
    {
        "key": "m04", "city": "DO", "visibility": "oeffentlich", "order": 4,
        "title": "Krise können 4: Hitzeschutz in der Kommune",
        "summary": "Hitzeaktionspläne, Warnketten und kühle Orte für ältere, pflegebedürftige und wohnungslose Menschen.",
        "text": (
            "Für 2022 schätzt das Robert Koch-Institut rund 4.500 hitzebedingte Sterbefälle in Deutschland. Die "
            "Handlungsempfehlungen von Bund und Ländern für Hitzeaktionspläne (2017) nennen unter anderem: eine "
            "zentrale Koordinierung, die Nutzung des Hitzewarnsystems des Deutschen Wetterdienstes, die Information "
            "der Bevölkerung, die Reduzierung von Hitze in Innenräumen und den besonderen Schutz von Risikogruppen."
        ),
        "lessons": ["h-l08", "h-l09"], "recommendations": ["h-r04"], "good_practices": ["h-g03"],
        "codes": ["gefahren:hitze", "themen:vulnerable-gruppen"],
        "questions": [],
    },
]

MORE_EXERCISES = [
    {
        "key": "x02", "city": "GE", "visibility": "oeffentlich", "hazard": "Stromausfall",
        "title": "Stromausfall über 72 Stunden",
        "starting": (
            "Ein Wintersturm hat mehrere Hochspannungsmasten umgeworfen. Die halbe Stadt ist ohne Strom; der "
            "Netzbetreiber rechnet mit mindestens drei Tagen. Mobilfunk fällt nach wenigen Stunden aus, "
            "Pflegebedürftige zu Hause sind auf Beatmungs- und Sauerstoffgeräte angewiesen."
        ),
        "lessons": ["h-l10", "h-l11"],
        "injects": [
            ("Stunde 2", "Der Krisenstab tritt im Stabsraum auf Notstrom zusammen.", "",
             ["Wie lange reicht der Diesel, und wer betankt nach?"]),
            ("Stunde 8", "Mobilfunk und Festnetz fallen aus; Menschen stehen vor den Feuerwachen.", "",
             ["Wo richten Sie Notfalltreffpunkte ein, und wie erfährt die Bevölkerung davon?"]),
            ("Tag 2", "Ein Pflegedienst meldet zwölf Beatmungspatienten ohne Akkureserve.", "",
             ["Wie finden und versorgen Sie Pflegebedürftige zu Hause?"]),
        ],
        "questions": ["Welche Maßnahme zu Notstrom und Nachbetankung leiten wir ab?"],
    },
    {
        "key": "x03", "city": "K", "visibility": "netzwerk", "hazard": "Starkregen",
        "title": "Starkregen und Hochwasser in der Nacht",
        "starting": (
            "Der Deutsche Wetterdienst warnt vor extremem Unwetter mit Starkregen; die Hochwasserzentrale erwartet "
            "Pegelstände über dem Rekord. Es ist 22 Uhr, zwei Pflegeheime liegen im Überschwemmungsgebiet."
        ),
        "lessons": ["h-l01", "h-l02"],
        "injects": [
            ("22:00", "Der Pegel steigt schneller als vorhergesagt.", "", ["Wen warnen Sie wie, mit welcher Anweisung?"]),
            ("01:30", "Der Pegel fällt aus; eine Talsperre meldet Probleme.", "", ["Wann ordnen Sie die Evakuierung an?"]),
        ],
        "questions": ["Was aus der Flut 2021 haben wir umgesetzt?"],
    },
    {
        "key": "x04", "city": "D", "visibility": "intern", "hazard": "Cyber",
        "title": "Cyberangriff auf die Stadtverwaltung",
        "starting": (
            "Montag, 7 Uhr: Alle Bildschirme zeigen eine Erpressungsnachricht. Fachverfahren, E-Mail und Telefonanlage "
            "sind ausgefallen; in zwei Wochen sind Sozialleistungen auszuzahlen."
        ),
        "lessons": ["h-l04", "h-l05"],
        "injects": [
            ("Tag 1", "Die IT trennt alle Systeme vom Netz.", "", ["Wie erreichen Sie den Krisenstab ohne E-Mail und Telefonanlage?"]),
            ("Tag 10", "Die Zahlung der Sozialleistungen steht an.", "", ["Wie zahlen Sie ohne Fachverfahren aus?"]),
        ],
        "questions": ["Welche Leistungen brauchen einen Notbetrieb ohne IT?"],
    },
]


def _code(ref: str):
    scheme, _sep, key = ref.partition(":")
    return km.Code.objects.filter(scheme__key=scheme, key=key).first()


def _lesson(key):
    return km.Lesson.objects.get(uuid=demo_uuid("lesson", key))


def load(*, force: bool) -> dict[str, int]:

    today = timezone.localdate()
    cities = {key: Municipality.objects.get(ags=ags) for key, ags in AGS.items()}
    frameworks = 0
    for path in shipped_files():
        load_framework_file(path, acting_user=SYSTEM)
        frameworks += 1
    for data in ACTIONS:
        municipality = cities[data["city"]]
        action, _ = Action.objects.update_or_create(
            uuid=demo_uuid("action", data["key"]),
            defaults={
                "municipality": municipality, "lesson": _lesson(data["lesson"]), "title": data["title"],
                "description": data["description"], "owner": User.objects.get(username=data["owner"]),
                "department": Department.objects.filter(municipality=municipality, function=data["department"]).first(),
                "start": today + dt.timedelta(days=data["start_days"]), "due": today + dt.timedelta(days=data["due_days"]),
                "horizon": data["horizon"], "impact": data["impact"], "feasibility": data["feasibility"],
                "capability": _code(f"faehigkeiten:{data['capability']}"), "resources": data["resources"],
                "success_indicator": data["success_indicator"], "status": data["status"],
                "status_reason": data.get("status_reason", ""),
                "completed_on": today + dt.timedelta(days=data["due_days"]) if data["status"] == ActionStatus.ERLEDIGT else None,
            },
        )
        action.codes.set([c for c in (_code(f"themen:{k}") for k in data["codes"]) if c])
        for text in data["notes"]:
            ActionNote.objects.get_or_create(action=action, text=text, defaults={"author": action.owner})
    for data in [MODULE, *MORE_MODULES]:
        _load_module(data, cities)
    for data in [EXERCISE, *MORE_EXERCISES]:
        _load_exercise(data, cities)
    return {"massnahmen": len(ACTIONS), "bewertungsrahmen": frameworks, "fortbildungsmodule": 1 + len(MORE_MODULES),
            "muster_szenarien": 1 + len(MORE_EXERCISES)}


def _load_module(data: dict, cities: dict) -> None:
    module, _ = TrainingModule.objects.update_or_create(
        uuid=demo_uuid("training", data["key"]),
        defaults={"municipality": cities[data["city"]], "visibility": data["visibility"], "title": data["title"],
                  "summary": data["summary"], "text": data["text"], "order": data["order"], "path": "Krise können"},
    )
    module.lessons.set([_lesson(k) for k in data["lessons"]])
    module.recommendations.set(km.Recommendation.objects.filter(uuid__in=[demo_uuid("recommendation", k) for k in data["recommendations"]]))
    module.good_practices.set(km.GoodPractice.objects.filter(uuid__in=[demo_uuid("goodpractice", k) for k in data["good_practices"]]))
    module.codes.set([c for c in map(_code, data["codes"]) if c])
    module.questions.all().delete()
    for order, (text, options) in enumerate(data["questions"]):
        SelfCheckQuestion.objects.create(module=module, order=order, text=text,
                                         options=[{"text": t, "correct": c, "feedback": f} for t, c, f in options])


def _load_exercise(data: dict, cities: dict) -> None:
    exercise, _ = ScenarioExercise.objects.update_or_create(
        uuid=demo_uuid("exercise", data["key"]),
        defaults={"municipality": cities[data["city"]], "visibility": data["visibility"], "title": data["title"],
                  "hazard_type": data["hazard"], "starting_situation": data["starting"]},
    )
    exercise.lessons.set([_lesson(k) for k in data["lessons"]])
    if not exercise.runs.exists():
        exercise.questions.all().delete()
        exercise.injects.all().delete()
        order = 0
        for n, (label, text, note, questions) in enumerate(data["injects"]):
            inject = Inject.objects.create(exercise=exercise, order=n + 1, time_label=label, text=text, facilitator_note=note)
            for q in questions:
                order += 1
                DiscussionQuestion.objects.create(exercise=exercise, inject=inject, order=order, text=q)
        for q in data["questions"]:
            order += 1
            DiscussionQuestion.objects.create(exercise=exercise, order=order, text=q)
