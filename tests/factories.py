"""factory-boy factories shared by all test packages."""

import factory
from factory.django import DjangoModelFactory

from krisenwissen.accounts.models import Department, Membership, Municipality, Network, Role, User
from krisenwissen.knowledge import models as km


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("ags",)

    name = factory.Sequence(lambda n: f"Teststadt {n}")
    ags = factory.Sequence(lambda n: f"{90000 + n:05d}")
    state = "Nordrhein-Westfalen"
    kind = "kreisfreie_stadt"
    is_participating = True


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Netzwerk {n}")
    slug = factory.Sequence(lambda n: f"netzwerk-{n}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Amt {n}")
    function = "krisenstab"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "geheim-passwort-123")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Role.LESER


class CrisisFactory(DjangoModelFactory):
    class Meta:
        model = km.Crisis

    title = "COVID-19-Pandemie"
    hazard_type = "Pandemie"


class PhaseFactory(DjangoModelFactory):
    class Meta:
        model = km.Phase

    crisis = factory.SubFactory(CrisisFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Phase {n + 1}")


class SchemeFactory(DjangoModelFactory):
    class Meta:
        model = km.Scheme
        django_get_or_create = ("key",)

    key = "themen"
    name = "Themenschwerpunkte"


class CodeFactory(DjangoModelFactory):
    class Meta:
        model = km.Code

    scheme = factory.SubFactory(SchemeFactory)
    key = factory.Sequence(lambda n: f"code-{n}")
    name = factory.Sequence(lambda n: f"Code {n}")


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = km.Source

    kind = "workshop"
    title = "Reflexionsraum Kommunales Krisenmanagement, Essen 2023"


class ObservationFactory(DjangoModelFactory):
    class Meta:
        model = km.Observation

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = "herausforderung"
    text = "Der Krisenstab musste wöchentlich neue Landesverordnungen umsetzen."
    visibility = "intern"


class LessonFactory(DjangoModelFactory):
    class Meta:
        model = km.Lesson

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Erkenntnis {n}")
    finding = "Personalreserven müssen vor der Krise geplant werden."
    visibility = "intern"


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = km.Recommendation

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Empfehlung {n}")
    text = "Eine flexible Personalreserve aufbauen."
    visibility = "intern"


class GoodPracticeFactory(DjangoModelFactory):
    class Meta:
        model = km.GoodPractice

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Gute Praxis {n}")
    city = "Teststadt"
    problem = "Viele Anrufe am Bürgertelefon."
    solution = "Ein Callcenter mit Verwaltungskenntnis."
    visibility = "intern"
