"""Quality hints for observations (pure)."""

from hypothesis import given
from hypothesis import strategies as st

from krisenwissen.knowledge.quality import quality_hints


def codes(text):
    return {h.code for h in quality_hints(text)}


def test_good_observation_has_no_hints():
    text = ("Im Frühjahr 2020 musste das Ordnungsamt Essen wöchentlich neue Landesverordnungen umsetzen, weil das Land "
            "die Fristen sehr kurz setzte; es fehlte Personal, das die Regeln vor Ort kontrollieren konnte.")
    assert codes(text) == set()


def test_decision_without_obstacle():
    assert "hindernis" in codes("Der Krisenstab hat im März 2020 beschlossen, das Bürgertelefon auf sieben Tage auszuweiten, weil es gewünscht war.")


def test_context_words_and_short():
    assert {"kurz", "kontext"} <= codes("Wie besprochen lief es dort gut.")


@given(st.text(max_size=2000))
def test_never_crashes(text):
    for hint in quality_hints(text):
        assert hint.code and hint.message
