"""Demo content: a few IfSG versions around the Bundesnotbremse from ../shared/data, if present."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .defaults import DEFAULT_KEYWORD_RULES
from .extract import extract_text
from .legaltext import LegalTextError, check_usable, parse
from .models import KeywordRule, LegalText, Level, Version

# early-formats/2021-04-22 (before) and 2021-04-23 (§ 28b inserted), then the main series
# around the rewrites of § 28b (2021-11-24, 2022-03-20, 2022-09-28).
DEMO_FILES = [
    "early-formats/2021-04-22.md",
    "early-formats/2021-04-23.md",
    "2021-11-01.md",
    "2021-11-24.md",
    "2022-03-19.md",
    "2022-03-20.md",
    "2022-03-22.md",
    "2022-09-28.md",
]
SOURCE = "Gesetze im Internet, über kmein/gesetze (amtlicher Text, gemeinfrei nach § 5 UrhG)"


def shared_laws() -> Path:
    base = Path(getattr(settings, "BASE_DIR", Path.cwd()))
    for candidate in (base.parent / "shared" / "data" / "laws", base / ".." / ".." / "shared" / "data" / "laws",
                      Path(__file__).resolve().parents[3].parent / "shared" / "data" / "laws"):
        if candidate.is_dir():
            return candidate
    return Path("/nonexistent")


def seed_keyword_rules() -> int:
    """Create the default keyword rules that do not exist yet (the migration seeds its own copy)."""
    created = 0
    for term, department, task in DEFAULT_KEYWORD_RULES:
        _obj, was_created = KeywordRule.objects.get_or_create(term=term, department=department, defaults={"task": task})
        created += was_created
    return created


@transaction.atomic
def load(*, force: bool = False) -> dict[str, int]:
    counts = {"keyword_rules": seed_keyword_rules(), "legal_texts": 0, "versions": 0}
    folder = shared_laws() / "IfSG"
    if not folder.is_dir():
        return counts
    legal_text, created = LegalText.objects.get_or_create(
        slug="ifsg", defaults={"abbreviation": "IfSG", "level": Level.BUND,
                               "title": "Gesetz zur Verhütung und Bekämpfung von Infektionskrankheiten beim Menschen "
                                        "(Infektionsschutzgesetz)"})
    counts["legal_texts"] += created
    for name in DEMO_FILES:
        path = folder / name
        if not path.is_file():
            continue
        day = datetime.date.fromisoformat(path.stem)
        if not force and Version.objects.filter(legal_text=legal_text, in_force_from=day).exists():
            continue
        try:
            text = extract_text(path.read_bytes(), path.name)
            check_usable(parse(text))
        except LegalTextError:
            continue
        _version, was_created = Version.objects.update_or_create(
            legal_text=legal_text, in_force_from=day,
            defaults={"text": text, "source": SOURCE, "original_name": name,
                      "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                      "note": "Frühere Auszeichnung der Quelle" if name.startswith("early") else ""})
        counts["versions"] += was_created
    return counts
