"""The Synopse and the compare form start on two different versions (issue 14)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from krisenwissen.core.policy import SYSTEM
from krisenwissen.regulations import actions

from .test_views import NEW, OLD

THIRD = NEW.replace("Versammlungen sind anzuzeigen", "Versammlungen sind zu genehmigen")


@pytest.fixture
def three(db):
    """Three versions; the newest has the same text as the one before (a re-promulgation)."""
    legal_text = actions.do_create_legal_text(title="Testverordnung", abbreviation="TestV", acting_user=SYSTEM)
    a = actions.do_add_version(legal_text, text=OLD, in_force_from=datetime.date(2021, 1, 1), acting_user=SYSTEM)
    b = actions.do_add_version(legal_text, text=THIRD, in_force_from=datetime.date(2021, 2, 1), acting_user=SYSTEM)
    c = actions.do_add_version(legal_text, text=THIRD, in_force_from=datetime.date(2021, 3, 1), acting_user=SYSTEM)
    return legal_text, a, b, c


def _selected(html: str, select_id: str) -> str:
    select = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    chosen = re.findall(r'<option value="(\d+)" selected>', select)
    assert len(chosen) == 1, select
    return chosen[0]


def test_synopse_defaults_to_the_two_newest_different_versions(client, three):
    legal_text, a, _b, c = three
    html = client.get(reverse("regulations:synopse", args=[legal_text.slug])).content.decode()
    old, new = _selected(html, "s-alt"), _selected(html, "s-neu")
    assert old != new
    assert (old, new) == (str(a.pk), str(c.pk))  # b has the same text as c: nothing to compare


def test_compare_form_on_the_detail_page_starts_on_two_different_versions(client, three):
    legal_text, a, _b, c = three
    html = client.get(reverse("regulations:detail", args=[legal_text.slug])).content.decode()
    assert (_selected(html, "cmp-alt"), _selected(html, "cmp-neu")) == (str(a.pk), str(c.pk))


@pytest.mark.parametrize("params", ["alt={c}", "neu={a}", "alt={b}&neu={b}", "alt={c}&neu=999999"])
def test_one_chosen_side_never_puts_the_same_version_on_both(client, three, params):
    legal_text, a, b, c = three
    query = params.format(a=a.pk, b=b.pk, c=c.pk)
    html = client.get(reverse("regulations:synopse", args=[legal_text.slug]) + "?" + query).content.decode()
    assert _selected(html, "s-alt") != _selected(html, "s-neu")


def test_an_explicit_different_pair_is_kept(client, three):
    legal_text, a, b, _c = three
    html = client.get(reverse("regulations:synopse", args=[legal_text.slug]),
                      {"alt": b.pk, "neu": a.pk}).content.decode()
    assert (_selected(html, "s-alt"), _selected(html, "s-neu")) == (str(b.pk), str(a.pk))
