"""Judged evaluation of the crisis-onset briefing (``make bench-briefing``).

Loads the demo content into a throwaway test database, runs the briefing for every crisis
of ``bench/briefing_judgements.json`` as the platform administration (everything readable)
and scores the top 10 against the hand-made judgements of that file:

- precision@5: share of the first five items judged "relevant" ("partly" and "not" count 0);
- nDCG@10: graded gains relevant = 2, partly = 1, not = 0; the ideal ranking is built from
  all judged items of that crisis.

An item that is not in the judgement file counts as "not relevant" (so the file must cover
every item that reaches a top 10). Items are identified as "<kind>:<title>".

Usage: .venv/bin/python bench/briefing.py [--show] [--unjudged]
  --show      print each crisis's top 10 with judgements
  --unjudged  print the top-10 items without a judgement (with their text, for judging)
Prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krisenwissen.settings.test")

JUDGEMENTS = ROOT / "bench" / "briefing_judgements.json"
GAIN = {"relevant": 2, "partly": 1, "not": 0}


def item_key(item) -> str:
    return f"{item.kind}:{item.title}"


def precision_at(keys: list[str], judged: dict[str, dict], k: int = 5) -> float:
    return sum(1 for key in keys[:k] if judged.get(key, {}).get("grade") == "relevant") / k


def ndcg_at(keys: list[str], judged: dict[str, dict], k: int = 10) -> float:
    def dcg(gains):
        return sum(g / math.log2(i + 2) for i, g in enumerate(gains[:k]))

    gains = [GAIN[judged.get(key, {}).get("grade", "not")] for key in keys]
    ideal = dcg(sorted((GAIN[j["grade"]] for j in judged.values()), reverse=True))
    return dcg(gains) / ideal if ideal else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--unjudged", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_databases, setup_test_environment

    setup_test_environment()
    setup_databases(verbosity=0, interactive=False)
    call_command("load_demo", stdout=StringIO())

    from krisenwissen.accounts.models import User
    from krisenwissen.learning import selectors

    admin = User.objects.get(username="admin")
    data = json.loads(JUDGEMENTS.read_text(encoding="utf-8"))
    results = []
    for crisis in data["crises"]:
        items = selectors.briefing(user=admin, title=crisis["title"], hazard_type=crisis["hazard"],
                                   description=crisis.get("description", ""), limit=10)
        keys = [item_key(item) for item in items]
        judged = crisis.get("judgements", {})
        p5, n10 = precision_at(keys, judged), ndcg_at(keys, judged)
        results.append({"title": crisis["title"], "hazard": crisis["hazard"],
                        "precision@5": round(p5, 3), "ndcg@10": round(n10, 3)})
        if args.show or args.unjudged:
            print(f"\n== {crisis['title']} ({crisis['hazard']}): P@5 {p5:.2f}, nDCG@10 {n10:.2f}")
        for n, (item, key) in enumerate(zip(items, keys, strict=True), 1):
            grade = judged.get(key, {}).get("grade", "—")
            if args.show:
                print(f"{n:2d}. [{grade:8s}] {key}  ({item.score:.3f})")
            if args.unjudged and key not in judged:
                print(f"UNJUDGED {key}\n    {getattr(item, 'excerpt', '')[:400]}")
    overall = {
        "precision@5": round(sum(r["precision@5"] for r in results) / len(results), 3),
        "ndcg@10": round(sum(r["ndcg@10"] for r in results) / len(results), 3),
        "crises": results,
    }
    print(json.dumps(overall, ensure_ascii=False))


if __name__ == "__main__":
    main()
