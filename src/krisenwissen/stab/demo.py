"""Demo content of the crisis staff (called by `krisenwissen load_demo` after the apps below).

- The Essen staff of spring 2020, activated on 13 March 2020 from the shipped Pandemie template
  for the COVID-19 crisis, with the demo accounts of Essen in its functions (the Administration
  leads, ``mitwirkende.essen`` holds S1 as in Köpfe kennen, ``leser.essen`` keeps the Lage);
  the parts of the staff (ETB, messages, meetings, load, closing) add their demo data to it
  through their own ``<part>_demo.load(staff, acting_user=...)`` where such a module exists.
- An exercise staff (ÜBUNG) for Starkregen in Gelsenkirchen, from the Hochwasser/Starkregen
  template, partially activated.

No real personal data: only the demo accounts. Idempotent: a staff is matched by municipality,
name and time of activation and written once.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from krisenwissen.accounts.models import Municipality
from krisenwissen.core.policy import SYSTEM
from krisenwissen.knowledge.models import Crisis

from .actions import do_activate_staff, ensure_shipped_templates
from .models import AlertLevel, AssignmentRole, Staff, StaffTemplate

BERLIN = ZoneInfo("Europe/Berlin")
PARTS = ("etb", "msg", "meet", "load", "closing")

ESSEN = {
    "ags": "05113", "template": "pandemie", "name": "Krisenstab der Stadt Essen (Corona)",
    "activated_at": dt.datetime(2020, 3, 13, 9, 0, tzinfo=BERLIN), "first_meeting_at": dt.datetime(2020, 3, 13, 14, 0, tzinfo=BERLIN),
    "crisis": "COVID-19-Pandemie", "exercise": False,
    "assignments": {"leitung": [("admin", AssignmentRole.INHABER)], "kgs": [("admin", AssignmentRole.INHABER)],
                    "s1": [("mitwirkende.essen", AssignmentRole.INHABER)], "lage": [("leser.essen", AssignmentRole.INHABER)],
                    "gesundheitsamt": [("mitwirkende.essen", AssignmentRole.VERTRETUNG)]},
}
GELSENKIRCHEN = {
    "ags": "05513", "template": "hochwasser-starkregen", "name": "Stabsrahmenübung Starkregen Gelsenkirchen",
    "activated_at": dt.datetime(2025, 6, 12, 9, 0, tzinfo=BERLIN), "first_meeting_at": dt.datetime(2025, 6, 12, 10, 0, tzinfo=BERLIN),
    "crisis": None, "exercise": True, "functions": ["leitung", "s1", "s2", "s3", "s5", "tiefbau"],
    "assignments": {"leitung": [("admin.gelsenkirchen", AssignmentRole.INHABER)]},
}


def _staff(spec: dict) -> tuple[Staff, bool]:
    municipality = Municipality.objects.get(ags=spec["ags"])
    existing = Staff.objects.filter(municipality=municipality, name=spec["name"], activated_at=spec["activated_at"]).first()
    if existing is not None:
        return existing, False
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in={name for people in spec["assignments"].values() for name, _role in people})}
    assignments = {code: [(users[name], role) for name, role in people if name in users] for code, people in spec["assignments"].items()}
    crisis = Crisis.objects.filter(title=spec["crisis"]).first() if spec["crisis"] else None
    staff = do_activate_staff(
        StaffTemplate.objects.get(municipality__isnull=True, key=spec["template"]), municipality=municipality, crisis=crisis,
        name=spec["name"], exercise=spec["exercise"], alert_level=AlertLevel.VOLLAKTIVIERUNG, functions=spec.get("functions"),
        assignments={c: p for c, p in assignments.items() if p}, first_meeting_at=spec["first_meeting_at"],
        activated_at=spec["activated_at"], acting_user=SYSTEM)
    return staff, True


def load_parts(staff: Staff, *, acting_user=SYSTEM) -> list[str]:
    """Let each part of the staff that ships demo content add it to ``staff``; returns the parts."""
    loaded = []
    for part in PARTS:
        name = f"krisenwissen.stab.{part}_demo"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name).load(staff, acting_user=acting_user)
            loaded.append(part)
    return loaded


def load(*, force: bool = False) -> dict[str, int]:
    """The stab app's ``demo_loader``: shipped templates, the Essen staff and the exercise staff."""
    ensure_shipped_templates()
    essen, created = _staff(ESSEN)
    if created:
        load_parts(essen, acting_user=SYSTEM)
    _staff(GELSENKIRCHEN)
    return {"staebe": Staff.objects.filter(name__in=[ESSEN["name"], GELSENKIRCHEN["name"]]).count(),
            "stabsvorlagen": StaffTemplate.objects.filter(municipality__isnull=True).count()}
