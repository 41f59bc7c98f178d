"""Workshops in the room: question sets by hazard and format, host preselected, invited cities only."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from krisenwissen.accounts.models import Role
from krisenwissen.workshops import actions, questionbank

from .. import factories as f


def _questions(workshop) -> list[str]:
    return [q.text for p in workshop.phases.all() for q in p.questions.all()]


def _create(moderator, host, **fields):
    data = {"title": "Workshop", "start_date": datetime.date(2026, 3, 27)}
    data.update(fields)
    return actions.do_create_workshop(host=host, acting_user=moderator, fields=data)


@pytest.mark.parametrize(("hazard", "word"), [
    ("hochwasser", "Hochwasser"), ("hitze", "Hitzewelle"), ("stromausfall", "Stromausfall"),
    ("cyber", "IT-Sicherheitsvorfall"), ("pandemie", "Pandemie")])
def test_debrief_title_gets_the_hazards_questions(moderator, host, hazard, word):
    titles = {"hochwasser": "Nachbesprechung Hochwasser", "hitze": "Nachbesprechung Hitze 2026",
              "stromausfall": "Nachbesprechung Stromausfall Nord", "cyber": "Nachbesprechung Cyberangriff",
              "pandemie": "Nachbesprechung Corona"}
    workshop = _create(moderator, host, title=titles[hazard], kind="nachbesprechung")
    texts = _questions(workshop)
    assert any(word in t for t in texts), texts
    others = [w for h, w in {"hochwasser": "Hochwasser", "hitze": "Hitze", "stromausfall": "Stromausfall",
                             "cyber": "IT-Sicherheitsvorfall", "pandemie": "Pandemie"}.items() if h != hazard]
    assert not [t for t in texts for w in others if w in t], texts
    # a hot debrief follows the after-action review
    assert "Was lief gut, warum?" in texts and "Was war geplant, und was ist tatsächlich geschehen?" in texts


def test_flood_debrief_has_no_pandemic_questions(moderator, host):
    workshop = _create(moderator, host, title="Nachbesprechung Hochwasser", kind="nachbesprechung")
    texts = _questions(workshop)
    assert "Wie haben Sie die Pandemie vor Ort erlebt?" not in texts
    assert "Wie haben Sie das Hochwasser oder den Starkregen vor Ort erlebt?" in texts
    assert not any("Pandemie" in t or "Erlasse" in t or "Gesundheitsamt" in t for t in texts)


def test_crisis_hazard_type_decides_before_the_title(moderator, host):
    crisis = f.CrisisFactory(title="Juli-Ereignis 2021", hazard_type="Starkregen")
    workshop = _create(moderator, host, title="Reflexionsraum Sommer", kind="reflexionsraum", crisis=crisis)
    texts = _questions(workshop)
    assert "Wie haben Sie das Hochwasser oder den Starkregen vor Ort erlebt?" in texts
    # a Reflexionsraum keeps the PanReflex guiding questions
    assert "Wie haben Sie das Krisenmanagement organisiert, um vor die Lage zu kommen?" in texts
    assert "Wie haben Sie sich damals gefühlt?" in texts


def test_pandemic_reflexionsraum_keeps_the_panreflex_agenda(workshop):
    texts = _questions(workshop)  # crisis "COVID-19-Pandemie"
    for text in questionbank.DEFAULT_AGENDA["deskriptiv"] + questionbank.DEFAULT_AGENDA["analytisch"]:
        assert text in texts


def test_unknown_hazard_gets_neutral_questions(moderator, host):
    texts = _questions(_create(moderator, host, title="Reflexionsraum Krisenkommunikation"))
    assert "Wie haben Sie die Krise vor Ort erlebt?" in texts
    assert not any("Pandemie" in t for t in texts)


def test_bank_on_the_workshop_page_offers_the_hazards_questions(client, moderator, host):
    workshop = _create(moderator, host, title="Nachbesprechung Hochwasser", kind="nachbesprechung")
    client.force_login(moderator)
    html = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    assert "Wie haben Warnung der Bevölkerung und Evakuierung funktioniert?" in html
    assert "Wie haben Sie die Pandemie vor Ort erlebt?" not in html
    assert "Was lief weniger gut, warum?" in html


def test_every_bank_question_is_seeded_once():
    texts = [text for _p, _s, text, _h in questionbank.bank()]
    assert len(texts) == len(set(texts))
    assert {h for *_x, h in questionbank.bank()} == {"", *questionbank.HAZARD_QUESTIONS}


def test_host_is_preselected_for_a_moderator(client, moderator, host):
    f.MunicipalityFactory(name="Dortmund", ags="05913", is_participating=True)
    client.force_login(moderator)
    response = client.get(reverse("workshops:create"))
    assert response.context["form"]["host"].value() == host.pk
    assert f'<option value="{host.pk}" selected>' in response.content.decode()


def test_join_offers_only_host_and_invited_cities(client, workshop, host):
    dortmund = f.MunicipalityFactory(name="Dortmund", ags="05913", is_participating=True)
    koeln = f.MunicipalityFactory(name="Köln", ags="05315", is_participating=True)
    workshop.invited.set([dortmund])
    url = reverse("workshops:join", args=[workshop.join_token])
    html = client.get(url).content.decode()
    assert ">Dortmund<" in html and ">Essen<" in html
    assert "Köln" not in html
    response = client.post(url, {"municipality": koeln.pk, "department_function": ""})
    assert response.status_code == 200  # the form says no
    assert not workshop.participants.filter(municipality=koeln).exists()
    with pytest.raises(ValidationError):
        actions.do_join_workshop(workshop, municipality=koeln)
    assert actions.do_join_workshop(workshop, municipality=dortmund).municipality == dortmund


def test_moderator_of_two_cities_gets_the_first_membership(client, db):
    a = f.MunicipalityFactory(name="Essen", ags="05113", is_participating=True)
    b = f.MunicipalityFactory(name="Bochum", ags="05911", is_participating=True)
    user = f.MembershipFactory(municipality=a, role=Role.MODERATION).user
    f.MembershipFactory(municipality=b, role=Role.MODERATION, user=user)
    client.force_login(user)
    assert client.get(reverse("workshops:create")).context["form"]["host"].value() == a.pk


# --- presenter view, lean participant view, time box ----------------------------------------


def test_presenter_shows_qr_link_question_and_revealed_cards_only(client, moderator, workshop, participant):
    import uuid

    actions.do_add_card(participant, card_uuid=uuid.uuid4(), text="Verdeckte Karte")
    question = workshop.phases.first().questions.first()
    actions.do_set_current_question(workshop, question, acting_user=moderator)
    client.force_login(moderator)
    url = reverse("workshops:presenter", args=[workshop.pk])
    html = client.get(url).content.decode()
    assert reverse("workshops:qr", args=[workshop.pk]) in html
    assert reverse("workshops:join", args=[workshop.join_token]) in html
    assert question.text in html
    assert "Verdeckte Karte" not in html and "1 Karte noch verdeckt" in html
    for name in ("ui:imprint", "ui:privacy", "ui:accessibility"):  # the legal links, small in the join column
        assert f'href="{reverse(name)}"' in html
    assert 'class="site-header"' not in html
    assert "data-ws-clock" in html  # the phase runs: its time box is shown
    actions.do_reveal_cards(workshop, acting_user=moderator)
    fragment = client.get(url + "?teil=board").content.decode()
    assert "Verdeckte Karte" in fragment and "<html" not in fragment
    detail = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    assert f'href="{url}"' in detail and "Präsentationsansicht" in detail


def test_reveal_from_the_presenter_returns_there(client, moderator, workshop):
    client.force_login(moderator)
    response = client.post(reverse("workshops:board_action", args=[workshop.pk]), {"op": "reveal", "next": "praesentation"})
    assert response.status_code == 302 and response["Location"] == reverse("workshops:presenter", args=[workshop.pk])


def test_participant_view_is_lean(client, moderator, host):
    workshop = _create(moderator, host, title="Nachbesprechung Hochwasser", kind="nachbesprechung")
    question = workshop.phases.first().questions.first()
    actions.do_set_current_question(workshop, question, acting_user=moderator)
    url = reverse("workshops:join", args=[workshop.join_token])
    client.post(url, {"municipality": host.pk, "department_function": ""})
    html = client.get(reverse("workshops:participant_board", args=[workshop.join_token])).content.decode()
    assert 'class="site-header"' not in html and 'role="search"' not in html and "Anmelden" not in html
    assert "Zeitstrahl" not in html.replace("Zeitstrahl und Stimmung", "")  # no crisis: no empty timeline block
    assert html.index(question.text) < html.index('id="id_text"') < html.index('id="karten-h"')
    assert "data-ws-clock" in html
    for name in ("ui:imprint", "ui:privacy", "ui:accessibility", "ui:easy_language"):  # the footer of every page
        assert f'href="{reverse(name)}"' in html


def test_phase_clock_counts_from_the_phase_start_on_the_server(moderator, workshop):
    import datetime as dt

    from krisenwissen.workshops import selectors

    first, second = list(workshop.phases.all())[:2]
    assert selectors.phase_clock(workshop) is None  # planned: no phase runs
    actions.do_set_current_question(workshop, first.questions.first(), acting_user=moderator)
    workshop.refresh_from_db()
    clock = selectors.phase_clock(workshop)
    assert clock["phase"] == first and clock["total"] == 3600 and 3590 <= clock["remaining"] <= 3600
    # another question of the same phase does not restart the clock
    later = clock["started"] + dt.timedelta(minutes=70)
    actions.do_set_current_question(workshop, first.questions.last(), acting_user=moderator)
    workshop.refresh_from_db()
    over = selectors.phase_clock(workshop, now=later)
    assert over["started"] == clock["started"] and over["over"] and over["label"] == "+10:00"
    actions.do_set_current_question(workshop, second.questions.first(), acting_user=moderator)
    workshop.refresh_from_db()
    assert selectors.phase_clock(workshop)["phase"] == second
