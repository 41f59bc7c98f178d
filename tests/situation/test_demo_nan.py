import math
import time

import pytest
from django.db import connection


@pytest.mark.django_db
def test_demo_stores_no_nan_and_is_measured():
    from krisenwissen.situation import demo
    from krisenwissen.situation.models import Observation

    t = time.perf_counter()
    demo.load()
    print("demo load", time.perf_counter() - t)
    with connection.cursor() as c:
        c.execute("SELECT area_id, indicator_id, date, value FROM situation_observation")
        bad = [r for r in c.fetchall() if r[3] is None or (isinstance(r[3], float) and not math.isfinite(r[3]))]
    assert bad == []
    assert Observation.objects.count() > 0
