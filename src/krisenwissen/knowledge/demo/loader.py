"""Write the demo content of :mod:`krisenwissen.knowledge.demo.content` into the database.

Loading is idempotent in two ways: without ``force`` nothing happens once any knowledge
item exists (so a production database is never touched by accident), and with ``force``
every demo object is matched by a stable key (AGS, username, scheme/code key, or a UUID
derived from the item's demo key) and updated instead of duplicated.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from krisenwissen.accounts.models import (
    Department,
    Membership,
    Municipality,
    MunicipalityKind,
    Network,
    Role,
    User,
)
from krisenwissen.core.demo import DemoLoadResult
from krisenwissen.core.demo import load_demo as load_all_demos
from krisenwissen.core.policy import SYSTEM
from krisenwissen.knowledge import models as km
from krisenwissen.knowledge.lifecycles import publish_evidence_strength

from . import content, hazards

# Namespace for the UUIDs of demo objects: uuid5(DEMO_NAMESPACE, "observation:o01") etc.
# Fixed forever, so that reloading and exchange files keep referring to the same items.
DEMO_NAMESPACE = uuid.UUID("4e1d299d-5a5d-4aae-972f-27db9dcf1cbf")


def demo_uuid(kind: str, key: str) -> uuid.UUID:
    """The stable UUID of the demo object ``key`` of the given kind (e.g. "lesson", "l01")."""
    return uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{key}")


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    municipality: str
    is_superuser: bool

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def knowledge_content_exists() -> bool:
    return any(model.objects.exists() for model in km.KNOWLEDGE_MODELS)


def demo_logins() -> list[DemoLogin]:
    """The demo accounts as defined in the content module (independent of the database)."""
    return [
        DemoLogin(username, role, content.CITIES[city]["name"], superuser)
        for username, _first, _last, city, role, _function, superuser in content.USERS
    ]


def load_demo(*, force: bool = False) -> DemoLoadResult:
    """Load the demo content of every app (this one first); see :func:`krisenwissen.core.demo.load_demo`.

    Does nothing (``skipped=True``) if knowledge items exist, unless ``force`` is set.
    """
    return load_all_demos(force=force)


def load(*, force: bool = False) -> dict[str, int]:
    """The knowledge app's ``demo_loader``: cities, users, crisis, code book, sources and items."""
    loader = _DemoLoader()
    loader.run()
    return loader.counts


def _lifecycle_defaults(key: str) -> dict:
    data = content.LESSON_LIFECYCLE.get(key, {})
    return {
        "validated_on": dt.date.fromisoformat(data["validated_on"]) if data.get("validated_on") else None,
        "validation_method": data.get("validation_method", ""),
        "validation_result": data.get("validation_result", ""),
        "recheck_due": dt.date.fromisoformat(data["recheck_due"]) if data.get("recheck_due") else None,
    }


class _DemoLoader:
    """Keeps the key → object maps while the content is written, so later parts can link."""

    def __init__(self) -> None:
        self.cities: dict[str, Municipality] = {}
        self.departments: dict[tuple[str, str], Department] = {}
        self.users: dict[str, User] = {}
        self.codes: dict[str, km.Code] = {}
        self.sources: dict[str, km.Source] = {}
        self.phases: dict[int, km.Phase] = {}
        self.crisis: km.Crisis | None = None
        self.crises: dict[str, km.Crisis] = {}
        self.observations: dict[str, km.Observation] = {}
        self.lessons: dict[str, km.Lesson] = {}
        self.counts: dict[str, int] = {}

    def run(self) -> None:
        self.load_municipalities()
        self.load_users()
        self.load_crisis()
        self.load_taxonomy()
        self.load_sources()
        self.load_observations()
        self.load_lessons()
        self.load_recommendations()
        self.load_good_practices()
        self.load_hazard_knowledge()
        self.counts = {
            "kommunen": len(self.cities),
            "dienststellen": len(self.departments),
            "personen": len(self.users),
            "phasen": len(self.phases),
            "codes": len(self.codes),
            "quellen": len(self.sources),
            "beobachtungen": len(self.observations),
            "erkenntnisse": len(self.lessons),
            "empfehlungen": len(content.RECOMMENDATIONS) + len(hazards.RECOMMENDATIONS),
            "gute_praxis": len(content.GOOD_PRACTICES) + len(hazards.GOOD_PRACTICES),
        }

    # -- organisation -------------------------------------------------------------------

    def load_municipalities(self) -> None:
        for key, city in content.CITIES.items():
            municipality, _ = Municipality.objects.update_or_create(
                ags=city["ags"],
                defaults={
                    "name": city["name"],
                    "state": content.STATE,
                    "kind": MunicipalityKind.KREISFREIE_STADT,
                    "population": city["population"],
                    "postcode": city["postcode"],
                    "is_participating": True,
                },
            )
            self.cities[key] = municipality
            for name, function in content.DEPARTMENTS:
                department, _ = Department.objects.update_or_create(
                    municipality=municipality, name=name, defaults={"function": function}
                )
                self.departments[(key, function)] = department
        network, _ = Network.objects.update_or_create(
            slug=content.NETWORK["slug"],
            defaults={"name": content.NETWORK["name"], "description": content.NETWORK["description"]},
        )
        network.members.add(*(self.cities[key] for key in content.NETWORK["members"]))

    def load_users(self) -> None:
        for username, first_name, last_name, city, role, function, superuser in content.USERS:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.first_name = first_name
            user.last_name = last_name
            user.email = f"{username}@example.org"
            user.is_superuser = superuser
            user.is_staff = superuser
            user.is_active = True
            user.set_password(content.DEMO_PASSWORD)
            user.save()
            Membership.objects.update_or_create(
                user=user,
                municipality=self.cities[city],
                defaults={"role": role, "department": self.departments[(city, function)]},
            )
            self.users[username] = user

    # -- crisis and taxonomy ------------------------------------------------------------

    def load_crisis(self) -> None:
        data = content.CRISIS
        self.crisis, _ = km.Crisis.objects.update_or_create(
            uuid=demo_uuid("crisis", data["key"]),
            defaults={name: data[name] for name in ("title", "hazard_type", "start", "end", "description")},
        )
        for phase in content.PHASES:
            self.phases[phase["number"]], _ = km.Phase.objects.update_or_create(
                crisis=self.crisis,
                number=phase["number"],
                defaults={name: phase[name] for name in ("name", "start", "end", "period_label", "description")},
            )

    def load_taxonomy(self) -> None:
        for scheme_order, data in enumerate(content.SCHEMES, start=1):
            scheme, _ = km.Scheme.objects.update_or_create(
                key=data["key"],
                defaults={"name": data["name"], "description": data["description"], "order": scheme_order},
            )
            order = 0
            for key, name, description, children in data["codes"]:
                order += 1
                parent = self._save_code(scheme, key, name, description, order, parent=None)
                for child_key, child_name, child_description in children:
                    order += 1
                    self._save_code(scheme, child_key, child_name, child_description, order, parent=parent)

    def _save_code(self, scheme, key, name, description, order, parent) -> km.Code:
        code, _ = km.Code.objects.update_or_create(
            scheme=scheme,
            key=key,
            defaults={"name": name, "description": description, "order": order, "parent": parent},
        )
        self.codes[f"{scheme.key}:{key}"] = code
        return code

    def load_sources(self) -> None:
        for key, data in {**content.SOURCES, **hazards.SOURCES}.items():
            self.sources[key], _ = km.Source.objects.update_or_create(
                uuid=demo_uuid("source", key),
                defaults={name: data[name] for name in ("kind", "title", "citation", "date")},
            )

    # -- knowledge items ----------------------------------------------------------------

    def _item_defaults(self, city: str, visibility: str, phase: int | None, function: str) -> dict:
        return {
            "municipality": self.cities[city],
            "visibility": visibility,
            "crisis": self.crisis,
            "phase": self.phases[phase] if phase else None,
            "department_function": function,
            "created_by": self.users.get(content.AUTHOR_BY_CITY[city]),
        }

    def _set_codes(self, item, code_refs: list[str]) -> None:
        refs = dict.fromkeys([*content.DEFAULT_CODES, *code_refs])  # ordered, without duplicates
        item.codes.set([self.codes[ref] for ref in refs])

    def load_observations(self) -> None:
        for key, city, kind, phase, function, visibility, source, codes, text in content.OBSERVATIONS:
            observation, _ = km.Observation.objects.update_or_create(
                uuid=demo_uuid("observation", key),
                defaults={
                    **self._item_defaults(city, visibility, phase, function),
                    "kind": kind,
                    "text": text,
                    "source": self.sources[source],
                    "anonymous": True,
                    "status": km.ObservationStatus.GEPRUEFT,
                },
            )
            self._set_codes(observation, codes)
            self.observations[key] = observation

    def load_lessons(self) -> None:
        for data in content.LESSONS:
            lesson, _ = km.Lesson.objects.update_or_create(
                uuid=demo_uuid("lesson", data["key"]),
                defaults={
                    **self._item_defaults(data["city"], data["visibility"], data["phase"], data["function"]),
                    "title": data["title"],
                    "finding": data["finding"],
                    "cause": data["cause"],
                    "status": data["status"],
                    **_lifecycle_defaults(data["key"]),
                },
            )
            self._set_codes(lesson, data["codes"])
            lesson.observations.set([self.observations[key] for key in data["evidence"]])
            if lesson.visibility != km.Visibility.INTERN:
                publish_evidence_strength(lesson, reviewer=SYSTEM)
            self.lessons[data["key"]] = lesson

    def load_recommendations(self) -> None:
        for data in content.RECOMMENDATIONS:
            recommendation, _ = km.Recommendation.objects.update_or_create(
                uuid=demo_uuid("recommendation", data["key"]),
                defaults={
                    **self._item_defaults(data["city"], data["visibility"], None, data["function"]),
                    "title": data["title"],
                    "text": data["text"],
                    "addressee_level": data["addressee"],
                },
            )
            self._set_codes(recommendation, data["codes"])
            recommendation.lessons.set([self.lessons[key] for key in data["lessons"]])
            if recommendation.visibility != km.Visibility.INTERN:
                # Published with its evidence strength, as an approval by Redaktion would do.
                publish_evidence_strength(recommendation, reviewer=SYSTEM)

    def load_good_practices(self) -> None:
        for data in content.GOOD_PRACTICES:
            city = content.CITIES[data["city"]]["name"]
            practice, _ = km.GoodPractice.objects.update_or_create(
                uuid=demo_uuid("goodpractice", data["key"]),
                defaults={
                    **self._item_defaults(data["city"], data["visibility"], data["phase"], data["function"]),
                    "title": data["title"],
                    "city": city,
                    "country": "Deutschland",
                    "problem": data["problem"],
                    "solution": data["solution"],
                    "results": data["results"],
                    "transferability": data["transferability"],
                    "contact": f"Redaktion des PanReflex-Netzwerks ({city})",
                },
            )
            self._set_codes(practice, data["codes"])
            practice.sources.set([self.sources[key] for key in data["sources"]])

    # -- knowledge beyond the pandemic (see :mod:`.hazards`) -------------------------------

    def _hazard_defaults(self, city: str, visibility: str, crisis: str | None, function: str) -> dict:
        return {**self._item_defaults(city, visibility, None, function), "crisis": self.crises.get(crisis) if crisis else None}

    def load_hazard_knowledge(self) -> None:
        for data in hazards.CRISES:
            self.crises[data["key"]], _ = km.Crisis.objects.update_or_create(
                uuid=demo_uuid("crisis", data["key"]),
                defaults={name: data[name] for name in ("title", "hazard_type", "start", "end", "description")},
            )
        for key, city, kind, crisis, function, visibility, source, codes, text in hazards.OBSERVATIONS:
            observation, _ = km.Observation.objects.update_or_create(
                uuid=demo_uuid("observation", key),
                defaults={
                    **self._hazard_defaults(city, visibility, crisis, function),
                    "kind": kind, "text": text, "source": self.sources[source], "anonymous": True,
                    "status": km.ObservationStatus.GEPRUEFT,
                },
            )
            observation.codes.set([self.codes[ref] for ref in codes])
            self.observations[key] = observation
        for data in hazards.LESSONS:
            lesson, _ = km.Lesson.objects.update_or_create(
                uuid=demo_uuid("lesson", data["key"]),
                defaults={
                    **self._hazard_defaults(data["city"], data["visibility"], data["crisis"], data["function"]),
                    "title": data["title"], "finding": data["finding"], "cause": data["cause"], "status": data["status"],
                },
            )
            lesson.codes.set([self.codes[ref] for ref in data["codes"]])
            lesson.observations.set([self.observations[key] for key in data["evidence"]])
            if lesson.visibility != km.Visibility.INTERN:
                publish_evidence_strength(lesson, reviewer=SYSTEM)
            self.lessons[data["key"]] = lesson
        for data in hazards.RECOMMENDATIONS:
            recommendation, _ = km.Recommendation.objects.update_or_create(
                uuid=demo_uuid("recommendation", data["key"]),
                defaults={
                    **self._hazard_defaults(data["city"], data["visibility"], data["crisis"], data["function"]),
                    "title": data["title"], "text": data["text"], "addressee_level": data["addressee"],
                },
            )
            recommendation.codes.set([self.codes[ref] for ref in data["codes"]])
            recommendation.lessons.set([self.lessons[key] for key in data["lessons"]])
            if recommendation.visibility != km.Visibility.INTERN:
                publish_evidence_strength(recommendation, reviewer=SYSTEM)
        for data in hazards.GOOD_PRACTICES:
            city = content.CITIES[data["city"]]["name"]
            practice, _ = km.GoodPractice.objects.update_or_create(
                uuid=demo_uuid("goodpractice", data["key"]),
                defaults={
                    **self._hazard_defaults(data["city"], data["visibility"], data["crisis"], data["function"]),
                    "title": data["title"], "city": city, "country": "Deutschland",
                    "problem": data["problem"], "solution": data["solution"], "results": data["results"],
                    "transferability": data["transferability"],
                    "contact": f"Redaktion des PanReflex-Netzwerks ({city})",
                },
            )
            practice.codes.set([self.codes[ref] for ref in data["codes"]])
            practice.sources.set([self.sources[key] for key in data["sources"]])
