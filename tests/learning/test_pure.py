"""Pure cores: text similarity, recall ranking, radar spec."""

from hypothesis import given
from hypothesis import strategies as st

from krisenwissen.learning import recall
from krisenwissen.learning.charts import radar_spec
from krisenwissen.search import similarity


def test_stems_meet():
    a = similarity.vector(similarity.terms("Krisenstäbe für lange Lagen"))
    b = similarity.vector(similarity.terms("Der Krisenstab in einer langen Lage"))
    assert similarity.cosine(a, b) > 0.6
    assert similarity.cosine(a, {}) == 0.0


def test_compounds_are_split_against_the_vocabulary():
    tokens = similarity.expand_compounds(similarity.terms("Gasmangellage"), {"lag", "gas", "mangel"})
    assert "mangel" in tokens


@given(st.text(max_size=300), st.text(max_size=300))
def test_cosine_is_bounded_and_symmetric(x, y):
    a, b = similarity.vector(similarity.terms(x)), similarity.vector(similarity.terms(y))
    value = similarity.cosine(a, b)
    assert -1e-9 <= value <= 1 + 1e-9
    assert abs(value - similarity.cosine(b, a)) < 1e-9


@given(st.lists(st.tuples(st.text(max_size=40), st.text(max_size=80), st.sets(st.sampled_from(
    ["gefahren:energiemangellage", "themen:krisenstab", "themen:personal", "gefahren:pandemie"]))), max_size=12),
    st.text(max_size=40), st.sampled_from(["Energie", "Pandemie", "", "Unbekannt"]))
def test_rank_never_crashes_and_is_sorted(rows, title, hazard):
    cands = [recall.Candidate("lesson", n, t, x, frozenset(c), n % 6) for n, (t, x, c) in enumerate(rows)]
    ranked = recall.rank(cands, title=title, hazard_type=hazard)
    assert len(ranked) == len(cands)
    # hazard-specific items first (tiers), within a tier by score
    keys = [(r.tier, r.score) for r in ranked]
    assert keys == sorted(keys, reverse=True)
    assert all(0 <= r.score <= 1.03 + 1e-9 for r in ranked)


def test_hazard_profiles_match_types_and_mapped_synonyms_only():
    assert recall.profile_for("energie").codes == {"gefahren:energiemangellage"}
    assert recall.profile_for("Starkregen/Hochwasser").codes == {"gefahren:hochwasser-starkregen"}
    assert recall.profile_for("").codes == frozenset()
    assert recall.profile_for("Ener").codes == frozenset()  # no prefix guessing any more (issue 15)


def test_radar_spec_has_one_slice_per_row():
    spec = radar_spec([{"indikator": "A", "bereich": "X", "stufe": 2}, {"indikator": "B", "bereich": "Y", "stufe": 5, "vorher": 3}], previous=True)
    values = spec["data"]["values"]
    assert [v["nr"] for v in values] == [1, 2] and values[1]["t1"] > values[0]["t1"]
    assert any(layer.get("mark", {}).get("strokeDash") for layer in spec["layer"])
