"""The demo content of Köpfe kennen: five partner cities, deputies, a function without deputy and
a competence held by one person only."""

from krisenwissen.accounts.models import Municipality, User
from krisenwissen.people.models import Function, Person
from krisenwissen.people.selectors import coverage, search_people


def test_demo_people_in_five_cities(demo_content):
    assert Person.objects.values("municipality").distinct().count() == 5
    assert Function.objects.filter(holders__role="vertretung").exists()


def test_demo_coverage_and_search(demo_content):
    essen = Municipality.objects.get(ags="05113")
    s1 = User.objects.get(username="mitwirkende.essen")
    report = coverage(essen, user=s1)
    assert "S5 Presse- und Medienarbeit" in [f.name for f in report.functions_without_deputy]
    assert "warnung-bevoelkerung" in [c.code for c, _p in report.single_holder_competences]
    assert [row.person.family_name for row in report.leaving] == ["Brenner"]
    found = {row.person.display_name: row.person.municipality.name for row in search_people(user=s1, text="Krisenkommunikation").rows}
    assert {"Sabine Okafor", "Aylin Demir"} <= set(found)
    assert len(set(found.values())) >= 2
    assert "Friederike Lang" not in found  # intern to Köln


def test_demo_loader_is_idempotent(demo_content):
    from krisenwissen.people.demo import load

    before = Person.objects.count()
    load(force=True)
    assert Person.objects.count() == before


def test_demo_ships_the_competence_vocabulary_a_flush_removed(demo_content):
    """``flush`` (and every live-server test) empties the vocabulary of data migration 0002;
    the demo loader ships it again, so the demo people keep their competences."""
    from krisenwissen.people.demo import load
    from krisenwissen.people.models import CompetenceArea, PersonCompetence
    from krisenwissen.people.vocabulary import VOCABULARY

    PersonCompetence.objects.all().delete()
    CompetenceArea.objects.all().delete()  # what a flush leaves
    load(force=True)
    assert CompetenceArea.objects.count() == len(VOCABULARY)
    assert PersonCompetence.objects.filter(competence__code="ordnungsrecht").exists()
