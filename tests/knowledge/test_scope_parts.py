"""Start page counts and newest items from disjoint visibility parts equal the plain OR query (issue 19)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from krisenwissen.accounts.models import Role
from krisenwissen.knowledge import selectors
from krisenwissen.knowledge.models import GoodPractice, Lesson, Observation, Recommendation

from .. import factories as f

MODELS = (Observation, Lesson, Recommendation, GoodPractice)


@pytest.fixture
def mixed(city_a, city_b, city_c, network):
    now = timezone.now()
    hours = 0
    for city in (city_a, city_b, city_c):
        for visibility in ("intern", "netzwerk", "oeffentlich"):
            for _ in range(3):
                hours += 1
                obs = f.ObservationFactory(municipality=city, visibility=visibility)
                Observation.objects.filter(pk=obs.pk).update(created_at=now - dt.timedelta(hours=hours * 7 % 50))
            lesson = f.LessonFactory(municipality=city, visibility=visibility)
            Lesson.objects.filter(pk=lesson.pk).update(created_at=now - dt.timedelta(hours=hours * 5 % 50, minutes=1))
    users = {
        "anonymous": AnonymousUser(),
        "member_a": f.MembershipFactory(municipality=city_a, role=Role.LESER).user,
        "member_c": f.MembershipFactory(municipality=city_c, role=Role.LESER).user,
        "admin": f.UserFactory(is_superuser=True),
    }
    return users


@pytest.mark.parametrize("who", ["anonymous", "member_a", "member_c", "admin"])
def test_counts_and_latest_equal_the_or_query(mixed, who):
    user = mixed[who]
    assert selectors.counts_by_kind(user=user) == {
        model.kind_key: selectors.visible(model, user=user).count() for model in MODELS}
    expected = sorted((item for model in MODELS for item in selectors.visible(model, user=user)),
                      key=lambda item: (item.created_at, item.pk), reverse=True)[:6]
    assert [(type(i), i.pk) for i in selectors.latest_items(user=user)] == [(type(i), i.pk) for i in expected]
    parts = selectors.visible_parts(Observation, user=user)
    ids = [pk for part in parts for pk in part.values_list("pk", flat=True)]
    assert len(ids) == len(set(ids))  # disjoint
    assert set(ids) == set(selectors.visible(Observation, user=user).values_list("pk", flat=True))
