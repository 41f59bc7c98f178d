"""Pages a user works with: details with evidence trail, lists, comparison, forms, review."""

import pytest

from krisenwissen.accounts.models import Role
from krisenwissen.knowledge.models import Observation, PublicationReview

from .. import factories as f

# The reason a reviewer gives for publishing a text with flagged personal data.
CHECKED = "Geprüft: keine schutzwürdigen Daten (Test)."


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


@pytest.fixture
def trail(network, city_a, city_b, city_c):
    """A public recommendation from two lessons backed by observations in three cities."""
    observations = [
        f.ObservationFactory(municipality=city, visibility="oeffentlich", text=f"Personalmangel im Krisenstab ({city.name})")
        for city in (city_a, city_b, city_c)
    ]
    lesson = f.LessonFactory(municipality=city_a, visibility="oeffentlich", title="Personalreserve planen")
    lesson.observations.set(observations)
    other = f.LessonFactory(municipality=city_b, visibility="oeffentlich", title="Einarbeitung vorbereiten")
    other.observations.set(observations[:1])
    rec = f.RecommendationFactory(municipality=city_a, visibility="oeffentlich", title="Flexible Personalreserve aufbauen")
    rec.lessons.set([lesson, other])
    return rec, lesson, observations


def test_recommendation_shows_evidence_trail_with_city_counts(client, trail):
    rec, lesson, observations = trail
    page = body(client.get(rec.get_absolute_url()))
    assert "Nachweiskette" in page
    assert "Personalreserve planen" in page and "Einarbeitung vorbereiten" in page
    assert "in 3 von 3 Städten beobachtet" in page
    assert "in 1 von 3 Städten beobachtet" in page
    assert observations[2].get_absolute_url() in page


def test_lesson_lists_its_observations_and_recommendations(client, trail):
    rec, lesson, observations = trail
    page = body(client.get(lesson.get_absolute_url()))
    assert "Befund" in page and rec.title in page
    for obs in observations:
        assert obs.get_absolute_url() in page


def test_internal_item_is_404_for_anonymous(client, city_a):
    obs = f.ObservationFactory(municipality=city_a, visibility="intern")
    assert client.get(obs.get_absolute_url()).status_code == 404


def test_recommendation_list_filters_by_addressee_and_exports_csv(client, city_a):
    f.RecommendationFactory(municipality=city_a, visibility="oeffentlich", title="An das Land", addressee_level="land")
    f.RecommendationFactory(municipality=city_a, visibility="oeffentlich", title="An die Kommune", addressee_level="kommune")
    page = body(client.get("/empfehlungen/?addressee_level=land"))
    assert "An das Land" in page and "An die Kommune" not in page
    response = client.get("/empfehlungen/?addressee_level=land&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    csv_text = body(response)
    assert csv_text.startswith("\ufeffTitel;Adressat")
    assert "An das Land" in csv_text and "An die Kommune" not in csv_text


def test_search_csv_shows_visibility_in_german_like_the_list_exports(client, city_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        f.ObservationFactory(municipality=city_a, visibility="oeffentlich")
    row = body(client.get("/wissen/?format=csv")).splitlines()[1]
    assert ";öffentlich;" in row and "oeffentlich" not in row


def test_csv_cells_cannot_smuggle_formulas(client, city_a):
    f.GoodPracticeFactory(municipality=city_a, visibility="oeffentlich", title="=HYPERLINK(\"http://x\")")
    csv_text = body(client.get("/gute-praxis/?format=csv"))
    assert "'=HYPERLINK" in csv_text


def test_compare_shows_cities_side_by_side_grouped_by_kind(client, city_a, city_b):
    theme = f.CodeFactory(key="kommunikation", name="Krisenkommunikation")
    for city, kind, text in [(city_a, "herausforderung", "Lautsprecherwagen fehlten"), (city_b, "gelingensfaktor", "Social Media wirkte")]:
        obs = f.ObservationFactory(municipality=city, visibility="oeffentlich", kind=kind, text=text)
        obs.codes.add(theme)
    f.ObservationFactory(municipality=city_a, visibility="oeffentlich", text="Ohne Thema")
    page = body(client.get(f"/vergleich/?stadt={city_a.pk}&stadt={city_b.pk}&thema={theme.pk}"))
    assert "Stadt A" in page and "Stadt B" in page
    assert "Lautsprecherwagen fehlten" in page and "Social Media wirkte" in page
    assert "Ohne Thema" not in page
    assert "Herausforderung" in page and "Gelingensfaktor" in page


def test_compare_asks_for_two_cities(client, city_a):
    page = body(client.get(f"/vergleich/?stadt={city_a.pk}"))
    assert "mindestens zwei Städte" in page


def test_contributor_creates_observation_through_form(client, city_a, contributor_a):
    client.force_login(contributor_a)
    response = client.post("/neu/observation/", {"kind": "erfahrung", "text": "Das Bürgertelefon war überlastet.",
                                                 "municipality": city_a.pk, "anonymous": "on"})
    assert response.status_code == 302
    obs = Observation.objects.get(text="Das Bürgertelefon war überlastet.")
    assert obs.visibility == "intern" and obs.created_by == contributor_a


def test_form_errors_are_shown_in_german(client, city_a, contributor_a):
    client.force_login(contributor_a)
    page = body(client.post("/neu/observation/", {"kind": "", "text": "", "municipality": city_a.pk}))
    assert "Bitte korrigieren Sie die markierten Angaben." in page


def test_review_and_publish_through_the_web(client, city_a, contributor_a):
    redaktion = f.MembershipFactory(municipality=city_a, role=Role.REDAKTION, user__username="redaktion-a").user
    obs = f.ObservationFactory(municipality=city_a, text="Frau Schneider hat das Lagezentrum geleitet.")
    client.force_login(contributor_a)
    client.post(f"/sichtbarkeit/observation/{obs.pk}/", {"visibility": "oeffentlich"})
    review = PublicationReview.objects.get()
    client.force_login(redaktion)
    page = body(client.get(f"/freigaben/{review.pk}/"))
    assert "Frau Schneider" in page and "möglicher Personenname" in page
    # Confirming without ticking the check box is refused with a message.
    page = body(client.post(f"/freigaben/{review.pk}/", {"decision": "freigeben"}))
    assert "Bitte bestätigen Sie die Prüfung" in page
    client.post(f"/freigaben/{review.pk}/", {"decision": "freigeben", "confirm_checked": "on", "flags_reason": CHECKED})
    client.logout()
    assert client.get(obs.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("url", [
    "/wissen/?phase=abc&theme=x&municipality=%00&kind=zzz",
    "/wissen/?crisis=999999999999999999999999&phase=-1",
    "/suche/?q=%22%22%22NEAR(*",
    "/suche/?q=" + "Krisenstab " * 2000,
    "/wissen/?seite=-5",
    "/wissen/?seite=99999",
    "/vergleich/?stadt=a&stadt=99999999999999999999999&thema=x&phase=%ff",
    "/empfehlungen/?theme=999999999999999999999999&seite=x",
    "/erkenntnisse/?status=foo&municipality=-3",
    "/gute-praxis/?phase=1e9",
    "/api/v1/erkenntnisse/?theme=99999999999999999999999",
    # Page and offset numbers beyond a database integer (were 500 errors).
    "/wissen/?seite=99999999999999999999999999",
    "/api/v1/suche/?offset=99999999999999999999999999",
    "/api/v1/beobachtungen/?offset=99999999999999999999999999",
])
def test_garbage_parameters_never_crash(client, city_a, url):
    f.ObservationFactory(municipality=city_a, visibility="oeffentlich")
    assert client.get(url).status_code in (200, 400)
