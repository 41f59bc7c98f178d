"""Benchmark of the learning loop's read paths on the demo plus N synthetic lessons.

Measures the crisis-onset briefing (page/CLI core), the recurring-lessons report and the
"identified before" check of one lesson, as an administrator (everything readable).
Usage: .venv/bin/python bench/learning.py [--lessons 2000] [--repeat 3]
Prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krisenwissen.settings.test")


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, round(statistics.median(times) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lessons", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_databases, setup_test_environment

    setup_test_environment()
    setup_databases(verbosity=0, interactive=False)
    call_command("load_demo", stdout=StringIO())

    from krisenwissen.accounts.models import Municipality, User
    from krisenwissen.knowledge.models import Code, Lesson
    from krisenwissen.learning import selectors
    from krisenwissen.search.indexing import reindex_all

    rng = random.Random(42)
    demo_lessons = list(Lesson.objects.all())
    words = " ".join(f"{x.title} {x.finding} {x.cause}" for x in demo_lessons).split()
    codes = list(Code.objects.filter(scheme__key__in=["themen", "faehigkeiten", "gefahren"]))
    cities = list(Municipality.objects.filter(is_participating=True))
    new = [Lesson(municipality=rng.choice(cities), visibility=rng.choice(["intern", "netzwerk", "oeffentlich"]),
                  title=" ".join(rng.sample(words, 6)), finding=" ".join(rng.sample(words, 40)),
                  cause=" ".join(rng.sample(words, 15))) for _ in range(args.lessons)]
    Lesson.objects.bulk_create(new, batch_size=500)
    through = Lesson.codes.through
    links = [through(lesson_id=lesson.pk, code_id=c.pk) for lesson in Lesson.objects.filter(pk__gt=demo_lessons[-1].pk)
             for c in rng.sample(codes, 3)]
    through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    reindex_all()
    admin = User.objects.get(username="admin")
    total = Lesson.objects.count()

    items, briefing_ms = timed(lambda: selectors.briefing(user=admin, title="Gasmangellage 2022", hazard_type="Energie"), args.repeat)
    groups, recurring_ms = timed(lambda: selectors.recurring_report(user=admin), args.repeat)
    target = Lesson.objects.get(title__startswith="Überlastung weniger")
    similar, similar_ms = timed(lambda: selectors.similar_lessons(target, user=admin), args.repeat)
    print(f"{total} Erkenntnisse; Briefing {briefing_ms} ms (Top: {items[0].title}); "
          f"wiederkehrend {recurring_ms} ms ({len(groups)} Gruppen); ähnlich {similar_ms} ms ({len(similar)})")
    print(json.dumps({"lessons": total, "briefing_ms": briefing_ms, "recurring_report_ms": recurring_ms,
                      "similar_lessons_ms": similar_ms, "recurring_groups": len(groups)}))


if __name__ == "__main__":
    main()
