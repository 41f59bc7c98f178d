"""The city comparison shows counts and one page of the newest items per city (issue 19)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from django.utils import timezone

from krisenwissen.knowledge.models import Observation, ObservationKind
from krisenwissen.knowledge.selectors import COMPARE_PER_PAGE

from .. import factories as f

KINDS = ["herausforderung", "gelingensfaktor", "erfahrung"]


def _fill(city, count, label, visibility="oeffentlich", start=0):
    now = timezone.now()
    for n in range(count):
        obs = f.ObservationFactory(municipality=city, visibility=visibility, kind=KINDS[n % len(KINDS)],
                                   text=f"{label} Eintrag {n:03d}")
        Observation.objects.filter(pk=obs.pk).update(created_at=now - dt.timedelta(hours=start + n))


def _items(html):
    return re.findall(r"(Stadt[AB]) Eintrag (\d{3})", html)


def test_compare_pages_through_every_city_newest_first(client, city_a, city_b):
    _fill(city_a, COMPARE_PER_PAGE + 5, "StadtA")
    _fill(city_b, 3, "StadtB")
    url = f"/vergleich/?stadt={city_a.pk}&stadt={city_b.pk}"
    first = client.get(url).content.decode()
    shown = _items(first)
    assert len([i for i in shown if i[0] == "StadtA"]) == COMPARE_PER_PAGE
    assert len([i for i in shown if i[0] == "StadtB"]) == 3
    # the counts are of all items, not of the page
    assert f"<strong>{COMPARE_PER_PAGE + 5}</strong>" in first and "<strong>3</strong>" in first
    assert "Seite 1 von 2" in first and "seite=2" in first
    second = client.get(url + "&seite=2").content.decode()
    rest = [i for i in _items(second) if i[0] == "StadtA"]
    assert sorted(n for _, n in rest) == [f"{n:03d}" for n in range(COMPARE_PER_PAGE, COMPARE_PER_PAGE + 5)]
    assert not [i for i in _items(second) if i[0] == "StadtB"]
    # together the pages show each item of A exactly once
    seen = [n for c, n in shown + _items(second) if c == "StadtA"]
    assert sorted(seen) == [f"{n:03d}" for n in range(COMPARE_PER_PAGE + 5)]
    # a page past the end shows the last page; nonsense is page 1
    assert "Seite 2 von 2" in client.get(url + "&seite=999999999999").content.decode()
    assert "Seite 1 von 2" in client.get(url + "&seite=abc").content.decode()


def test_compare_counts_per_kind(client, city_a, city_b):
    _fill(city_a, 6, "StadtA")
    _fill(city_b, 1, "StadtB")
    html = client.get(f"/vergleich/?stadt={city_a.pk}&stadt={city_b.pk}").content.decode()
    assert "Herausforderung: 2" in html and "Gelingensfaktor: 2" in html and "Erfahrung: 2" in html
    assert "Herausforderung: 1" in html


def test_compare_counts_and_pages_only_readable_items(client, city_a, city_b, reader_a):
    _fill(city_a, 4, "StadtA", visibility="intern")
    _fill(city_b, 2, "StadtB", visibility="intern")
    _fill(city_b, 1, "StadtB", visibility="oeffentlich", start=10)
    url = f"/vergleich/?stadt={city_a.pk}&stadt={city_b.pk}"
    anonymous = client.get(url).content.decode()
    assert not [i for i in _items(anonymous) if i[0] == "StadtA"]
    assert "<strong>4</strong>" not in anonymous and "<strong>2</strong>" not in anonymous
    client.force_login(reader_a)
    member = client.get(url).content.decode()
    assert len([i for i in _items(member) if i[0] == "StadtA"]) == 4
    assert len([i for i in _items(member) if i[0] == "StadtB"]) == 1


def test_compare_csv_has_every_readable_item_in_page_order(client, city_a, city_b, city_c):
    _fill(city_a, COMPARE_PER_PAGE + 7, "StadtA")
    _fill(city_b, 4, "StadtB")
    _fill(city_b, 2, "StadtB", visibility="intern", start=100)
    theme = f.CodeFactory(key="kommunikation", name="Krisenkommunikation")
    for obs in Observation.objects.filter(municipality=city_a)[:5]:
        obs.codes.add(theme)
    response = client.get(f"/vergleich/?stadt={city_a.pk}&stadt={city_b.pk}&format=csv")
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Kommune", "Art", "Beobachtung", "Phase", "Adresse"]
    # The order of the page: cities by name, kinds in their order, newest first.
    expected = []
    for city in sorted((city_a, city_b), key=lambda c: c.name):
        for kind in ObservationKind:
            for obs in Observation.objects.filter(municipality=city, kind=kind.value, visibility="oeffentlich").order_by("-created_at", "-id"):
                expected.append([city.name, str(kind.label), obs.text])
    assert [row[:3] for row in rows[1:]] == expected
    assert all(row[4].startswith("http://testserver/beobachtungen/") for row in rows[1:])
    themed = client.get(f"/vergleich/?stadt={city_a.pk}&stadt={city_b.pk}&thema={theme.pk}&format=csv")
    themed_rows = list(csv.reader(io.StringIO(b"".join(themed.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert len(themed_rows) == 1 + 5
