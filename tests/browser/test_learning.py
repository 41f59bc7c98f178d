"""The learning loop end to end: observation → lesson → action → overdue → reminder → done →
validation → lesson verankert with a re-check date; axe on every step."""

import datetime as dt
import re

from django.core import mail
from django.utils import timezone

from krisenwissen.knowledge.demo.loader import demo_uuid

from .conftest import EDITOR, check_page, login, url


def test_lesson_identified_to_lesson_learned(page, demo):
    from krisenwissen.learning.models import Action
    from krisenwissen.learning.tasks import send_reminders_now

    today = timezone.localdate()
    login(page, EDITOR)

    # 1. An observation, drafted in the knowledge base.
    page.goto(url("knowledge:item_create", "observation"))
    page.get_by_label("Art:", exact=True).select_option(label="Herausforderung")
    page.get_by_label("Text:", exact=True).fill(
        "In der Gasmangellage 2022 musste der Krisenstab Dortmund wieder über Monate arbeiten, weil keine "
        "Ablösung geplant war; dieselben vier Personen trugen die Stabsarbeit, es fehlte eine Personalreserve.")
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern").click()
    assert page.get_by_text("Entwurf").first.is_visible()

    # 2. Submit (quality hints) and review.
    with page.expect_navigation():
        page.get_by_role("link", name="Einreichen").click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("einreichen", re.I)).click()
    with page.expect_navigation():
        page.get_by_role("link", name="Prüfen").click()
    page.get_by_label("geprüft – annehmen").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Entscheidung speichern").click()
    assert "geprüft" in page.locator("#obs-lifecycle-heading + p").inner_text()

    # 3. Derive a lesson and endorse it.
    with page.expect_navigation():
        page.get_by_role("link", name="Erkenntnis ableiten").click()
    page.get_by_label("Titel der Erkenntnis").fill("Ablösung im Krisenstab für lange Lagen planen")
    page.get_by_label("Ursache").fill("Keine Personalreserve und keine Ablöseregeln.")
    with page.expect_navigation():
        page.get_by_role("button", name="Erkenntnis anlegen").click()
    lesson_url = page.url
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Erkenntnis bestätigen").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Erkenntnis bestätigen").click()

    # 4. An action with owner and due date.
    with page.expect_navigation():
        page.get_by_role("link", name="Maßnahme anlegen").click()
    page.get_by_label("Titel:", exact=True).fill("Ablöseplan für den Krisenstab")
    page.get_by_label("Beschreibung:", exact=True).fill("Doppelte Besetzung aller Stabsfunktionen, Schichtplan über sechs Wochen.")
    page.get_by_label("Verantwortliche Person").select_option(label="Demo Redaktion Dortmund")
    page.get_by_label("Fällig am").fill((today + dt.timedelta(days=10)).isoformat())
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern").click()
    action_url = page.url
    check_page(page)
    page.get_by_label("Neuer Status").select_option(label="beschlossen")
    with page.expect_navigation():
        page.get_by_role("button", name="Status speichern").click()

    # 5. Time passes: the action is overdue; the leadership overview shows it, the reminder job mails the owner.
    action = Action.objects.get(title="Ablöseplan für den Krisenstab")
    Action.objects.filter(pk=action.pk).update(due=today - dt.timedelta(days=2))
    page.goto(url("learning:overview", action.municipality_id))
    check_page(page)
    overdue = page.locator("section", has=page.get_by_role("heading", name=re.compile("^Überfällig")))
    assert "Überfällig (1)" in overdue.get_by_role("heading").first.inner_text()
    assert overdue.get_by_role("link", name="Ablöseplan für den Krisenstab").is_visible()
    mail.outbox.clear()
    counts = send_reminders_now()
    assert counts["ueberfaellig"] == 1
    reminder = next(m for m in mail.outbox if m.subject == "Maßnahme überfällig: Ablöseplan für den Krisenstab")
    assert reminder.to == ["redaktion.dortmund@example.org"] and "seit 2 Tag(en) überfällig" in reminder.body
    page.goto(url("core:notifications"))
    assert page.get_by_text("Maßnahme überfällig: Ablöseplan für den Krisenstab").first.is_visible()

    # 6. The action is done.
    page.goto(action_url)
    page.get_by_label("Neuer Status").select_option(label="erledigt")
    with page.expect_navigation():
        page.get_by_role("button", name="Status speichern").click()
    assert "erledigt" in page.locator("main .badge--status").first.inner_text()

    # 7. Validation of the lesson, then embedding with a re-check date.
    page.goto(lesson_url)
    with page.expect_navigation():
        page.get_by_role("link", name="Überprüfung eintragen").click()
    page.get_by_label("Art der Überprüfung").select_option(label="Übung")
    page.get_by_label("Ergebnis:", exact=True).fill("Stabsrahmenübung über drei Tage: Ablösung nach Schichtplan hat funktioniert.")
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Überprüfung eintragen").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Als verankert kennzeichnen").click()
    recheck = today + dt.timedelta(days=365)
    page.get_by_label("Nächste Überprüfung am").fill(recheck.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Als verankert kennzeichnen").click()
    assert page.url.endswith(lesson_url.split(page.url.split("/erkenntnisse/")[0])[-1]) or "/erkenntnisse/" in page.url
    panel = page.locator("section", has=page.get_by_role("heading", name="Lernkreislauf"))
    assert "verankert" in panel.locator("[aria-current=step]").inner_text()
    assert recheck.strftime("%d.%m.%Y") in panel.inner_text()
    panel.get_by_text("Verlauf").click()
    history = panel.locator("details").inner_text()
    for step in ("bestätigt", "Maßnahmen in Umsetzung", "überprüft", "verankert"):
        assert step in history
    check_page(page)


def test_crisis_briefing_page(page, demo):
    login(page, EDITOR)
    page.goto(url("learning:crisis_create"))
    check_page(page)
    page.get_by_label("Bezeichnung der Krise").fill("Gasmangellage 2022")
    page.get_by_label("Gefahrenart").select_option(label="Energie")
    with page.expect_navigation():
        page.get_by_role("button", name="Krise anlegen").click()
    check_page(page)
    titles = page.locator(".briefing-list h2").all_inner_texts()[:6]
    for title in ("Wärmeinseln und Anlaufstellen für eine Gasmangellage vorbereiten",
                  "Versorgungsprioritäten mit Stadtwerken und Netzbetreibern vor der Krise klären",
                  "Krisenstäbe für lang andauernde Lagen aufstellen"):
        assert title in titles
    assert page.locator("#no-knowledge").count() == 0
    # an unknown hazard cannot be chosen; "Sonstige" has no hazard-specific knowledge: said explicitly
    page.goto(url("learning:crisis_create"))
    page.get_by_label("Bezeichnung der Krise").fill("Unklare Lage")
    page.get_by_label("Gefahrenart").select_option(label="Sonstige")
    with page.expect_navigation():
        page.get_by_role("button", name="Krise anlegen").click()
    assert "Zu dieser Gefahrenart gibt es noch keine Erkenntnisse." in page.locator("#no-knowledge").inner_text()
    check_page(page)


def test_assessment_training_and_exercise_pages(page, demo):
    from krisenwissen.learning.models import Framework, ScenarioExercise, TrainingModule

    login(page, "mitwirkende.essen")
    page.goto(url("learning:assessment_create", Framework.objects.get().pk))
    check_page(page)
    for fieldset in page.locator("form fieldset").all():
        fieldset.get_by_role("radio").nth(2).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Selbstbewertung speichern").click()
    assert page.locator("svg[role=img]").count() == 1
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Als Maßnahme vorschlagen")).first.click()
    assert page.get_by_text("vorgeschlagen").first.is_visible()

    module = TrainingModule.objects.get(uuid=demo_uuid("training", "m01"))
    page.goto(url("learning:module_detail", module.pk))
    check_page(page)
    for question in module.questions.all():
        correct = next(o["text"] for o in question.options if o["correct"])
        page.get_by_label(correct, exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Antworten prüfen").click()
    assert page.get_by_text("Modul abgeschlossen").is_visible()
    check_page(page)

    page.goto(url("learning:exercise_detail", ScenarioExercise.objects.get(uuid=demo_uuid("exercise", "x01")).pk))
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Übung starten").click()
    for _ in range(3):
        with page.expect_navigation():
            page.get_by_role("button", name="Nächste Einspielung").click()
    assert "Zwei Leistungsträger fallen aus" in page.locator("main").inner_text()
    page.get_by_label("Erkenntnis aus der Übung").fill("Die Vertretung für ausgefallene Leistungsträger war nicht geregelt.")
    with page.expect_navigation():
        page.get_by_role("button", name="Befund festhalten").click()
    check_page(page)


def test_authoring_pages(page, demo):
    from krisenwissen.learning.models import ScenarioExercise, TrainingModule

    login(page, "admin")
    for path in (url("learning:module_create"), url("learning:exercise_create"),
                 url("learning:module_edit", TrainingModule.objects.get(uuid=demo_uuid("training", "m01")).pk),
                 url("learning:exercise_edit", ScenarioExercise.objects.get(uuid=demo_uuid("exercise", "x01")).pk),
                 url("learning:home"), url("learning:recurring"), url("learning:booklet"), url("learning:action_list"),
                 url("learning:observation_queue"), url("learning:module_list"), url("learning:exercise_list")):
        page.goto(path)
        check_page(page)
    page.goto(url("learning:exercise_create"))
    page.get_by_label("Titel:", exact=True).fill("Starkregen im Sommer")
    page.get_by_label("Ausgangslage").fill("Ein Unwetter zieht auf.")
    page.get_by_label("Einspielungen").fill("Stunde 1 | Keller laufen voll.\n? Wer warnt die Bevölkerung?\nnur Text ohne Trenner")
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern").click()
    assert "Zeile 3" in page.locator("main").inner_text()
    check_page(page)
