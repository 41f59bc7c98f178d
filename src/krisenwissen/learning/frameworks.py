"""Loading framework files into the database (atomic: all or nothing)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from krisenwissen.core.audit import record
from krisenwissen.core.policy import SYSTEM, require_perm

from .events import LearningEvent
from .framework_schema import FrameworkData, FrameworkError, parse_framework
from .models import AssessmentScore, Framework, FrameworkArea, Indicator

SHIPPED_DIR = Path(__file__).parent / "data" / "frameworks"


class FrameworkLoadError(Exception):
    def __init__(self, errors: list[FrameworkError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.yaml"))


def load_framework_text(text: str, *, source: str = "", acting_user=SYSTEM) -> Framework:
    """Parse and store a framework; raises FrameworkLoadError with line-precise messages."""
    data, errors = parse_framework(text)
    if errors:
        raise FrameworkLoadError(errors)
    return _store(data, source=source, acting_user=acting_user)


def load_framework_file(path: Path, *, acting_user=SYSTEM) -> Framework:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FrameworkLoadError([FrameworkError(0, "", f"Die Datei ist nicht UTF-8-kodiert ({exc.reason}).")]) from None
    except OSError as exc:
        raise FrameworkLoadError([FrameworkError(0, "", f"Die Datei kann nicht gelesen werden: {exc.strerror}.")]) from None
    return load_framework_text(text, source=Path(path).name, acting_user=acting_user)


@transaction.atomic
def _store(data: FrameworkData, *, source: str, acting_user) -> Framework:
    require_perm(acting_user, "learning.load_framework", message="Nur die Plattform-Administration lädt Bewertungsrahmen.")
    framework, created = Framework.objects.update_or_create(
        key=data.key,
        defaults={"title": data.title, "version": data.version, "description": data.description, "source": data.source or source, "target": data.target},
    )
    keep_indicators: set[int] = set()
    keep_areas: set[int] = set()
    for a_order, area_data in enumerate(data.areas):
        area, _ = FrameworkArea.objects.update_or_create(
            framework=framework, key=area_data.key, defaults={"title": area_data.title, "order": a_order})
        keep_areas.add(area.pk)
        for i_order, ind in enumerate(area_data.indicators):
            existing = Indicator.objects.filter(area__framework=framework, key=ind.key).first()
            defaults = {"title": ind.title, "question": ind.question, "levels": ind.levels, "theme_codes": ind.codes,
                        "action_title": ind.action_title, "action_description": ind.action_description,
                        "order": i_order, "area": area}
            if existing:
                for name, value in defaults.items():
                    setattr(existing, name, value)
                existing.save()
                keep_indicators.add(existing.pk)
            else:
                keep_indicators.add(Indicator.objects.create(key=ind.key, **defaults).pk)
    removed = Indicator.objects.filter(area__framework=framework).exclude(pk__in=keep_indicators)
    used = list(removed.filter(pk__in=AssessmentScore.objects.values("indicator_id")).values_list("key", flat=True))
    if used:
        raise FrameworkLoadError([FrameworkError(0, "", (
            f"Die Indikatoren {', '.join(used)} fehlen in der Datei, haben aber schon Bewertungen; "
            "sie können nicht entfernt werden.")) ])
    removed.delete()
    FrameworkArea.objects.filter(framework=framework).exclude(pk__in=keep_areas).delete()
    record(LearningEvent.FRAMEWORK_LOADED, acting_user=acting_user, obj=framework, neu=created,
           indikatoren=len(keep_indicators), quelle=source)
    return framework
