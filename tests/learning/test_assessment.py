"""Self-assessment with the shipped framework: radar chart, comparison, proposed actions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from krisenwissen.accounts.models import Municipality
from krisenwissen.learning import actions
from krisenwissen.learning.models import Action, Assessment, Framework


@pytest.fixture
def setup(users):
    framework = Framework.objects.get(key="panreflex-resilienz")
    essen = Municipality.objects.get(ags="05113")
    return framework, essen, list(actions.framework_indicators(framework).order_by("area__order", "order"))


def test_form_flow_chart_and_one_click_action(client, users, setup):
    framework, essen, indicators = setup
    client.force_login(users["mitwirkende.essen"])
    data = {"municipality": essen.pk, "note": ""}
    for n, ind in enumerate(indicators):
        data[f"score_{ind.pk}"] = str(n % 6)
        data[f"rationale_{ind.pk}"] = f"Begründung {n}"
        data[f"evidence_{ind.pk}"] = "https://example.org/beleg" if n == 0 else ""
    response = client.post(f"/lernen/selbstbewertung/neu/{framework.pk}/", data)
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert '<svg' in page and 'role="img"' in page and "Datentabelle zum Diagramm" in page
    assert "Als Maßnahme vorschlagen" in page
    low = assessment.scores.filter(score__lt=framework.target).select_related("indicator").first()
    response = client.post(f"/lernen/selbstbewertung/{assessment.pk}/massnahme/{low.pk}/")
    assert response.status_code == 302
    action = Action.objects.get(municipality=essen, title=low.indicator.action_title or f"Verbessern: {low.indicator.title}")
    assert action.status == "vorgeschlagen" and action.owner == users["mitwirkende.essen"]
    assert action.due > timezone.localdate()
    # One click only once.
    client.post(f"/lernen/selbstbewertung/{assessment.pk}/massnahme/{low.pk}/")
    assert Action.objects.filter(title=action.title, municipality=essen).count() == 1
    csv = b"".join(client.get(f"/lernen/selbstbewertung/{assessment.pk}/?format=csv").streaming_content).decode()
    assert "Bereich" in csv and indicators[0].title in csv
    assert client.get(f"/lernen/selbstbewertung/{assessment.pk}/?format=pdf").content.startswith(b"%PDF")


def test_comparison_with_previous(client, users, setup):
    framework, essen, indicators = setup
    user = users["mitwirkende.essen"]
    first = actions.do_create_assessment(framework=framework, municipality=essen, date=timezone.localdate() - dt.timedelta(days=365),
                                         scores={i.pk: (1, "", "") for i in indicators}, acting_user=user)
    second = actions.do_create_assessment(framework=framework, municipality=essen, date=timezone.localdate(),
                                          scores={i.pk: (3, "", "") for i in indicators}, acting_user=user)
    client.force_login(user)
    page = client.get(second.get_absolute_url()).content.decode()
    assert "besser (+2)" in page and "Gestrichelt: vorherige Bewertung" in page and first.date.strftime("%d.%m.%Y") in page


def test_bad_scores_refused(users, setup):
    framework, essen, indicators = setup
    user = users["mitwirkende.essen"]
    with pytest.raises(ValidationError) as exc:
        actions.do_create_assessment(framework=framework, municipality=essen, date=timezone.localdate(), acting_user=user,
                                     scores={i.pk: (6 if n == 0 else 2, "", "keinlink" if n == 1 else "") for n, i in enumerate(indicators)})
    text = str(exc.value)
    assert "zwischen 0 und 5" in text and "Link" in text
    with pytest.raises(ValidationError, match="fehlen"):
        actions.do_create_assessment(framework=framework, municipality=essen, date=timezone.localdate(), acting_user=user, scores={})
    # An unknown indicator with bad evidence is refused with a message (was a KeyError).
    with pytest.raises(ValidationError, match="Unbekannter Indikator"):
        actions.do_create_assessment(framework=framework, municipality=essen, date=timezone.localdate(), acting_user=user,
                                     scores={**{i.pk: (2, "", "") for i in indicators}, 10**9: (2, "", "keinlink")})
    assert not Assessment.objects.exists()


def test_form_errors_are_shown(client, users, setup):
    framework, essen, indicators = setup
    client.force_login(users["mitwirkende.essen"])
    response = client.post(f"/lernen/selbstbewertung/neu/{framework.pk}/", {"municipality": essen.pk})
    assert response.status_code == 200 and "Bitte wählen Sie eine Stufe" in response.content.decode()
