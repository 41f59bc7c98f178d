"""The pure spelling core ("Meinten Sie …?")."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from krisenwissen.search.spelling import Vocabulary, fold_word, max_distance, suggest

VOCAB = Vocabulary.from_counts({
    "Krisenstab": 5, "Krisenstäbe": 2, "Stromausfall": 3, "Hochwasser": 4, "Lagebild": 1, "Lagebilder": 1,
})


def test_typo_is_corrected_to_a_known_word():
    assert suggest("Krisenstap", VOCAB) == "Krisenstab"
    assert suggest("hochwaser", VOCAB) == "Hochwasser"


def test_swapped_letters_count_as_one_edit():
    assert suggest("Lagebidl", VOCAB) == "Lagebild"


def test_only_unknown_words_are_replaced():
    assert suggest("Stromausfal im Krisenstap", VOCAB) == "Stromausfall im Krisenstab"


def test_known_words_and_umlaut_spellings_get_no_suggestion():
    assert suggest("Krisenstab", VOCAB) is None
    assert suggest("krisenstaebe", VOCAB) is None
    assert suggest("KRISENSTÄBE", VOCAB) is None


def test_nothing_close_and_short_words_get_no_suggestion():
    assert suggest("Impfzentrum", VOCAB) is None
    assert suggest("Lag", VOCAB) is None
    assert suggest("", VOCAB) is None
    assert suggest("!!! ???", VOCAB) is None


def test_long_questions_get_no_suggestion():
    assert suggest("wie " * 20 + "Krisenstap", VOCAB) is None


def test_ties_go_to_the_more_frequent_word():
    vocabulary = Vocabulary.from_counts({"Wache": 1, "Woche": 9})
    assert suggest("Wiche", vocabulary) == "Woche"


def test_empty_vocabulary_suggests_nothing():
    assert suggest("Krisenstap", Vocabulary.from_counts({})) is None


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß", min_size=1, max_size=14)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(words, st.integers(min_value=1, max_value=50), max_size=30), st.text(max_size=80))
def test_suggestions_only_use_vocabulary_words_and_never_crash(counts, query):
    vocabulary = Vocabulary.from_counts(counts)
    result = suggest(query, vocabulary)
    if result is not None:
        known = {fold_word(word) for word in counts}
        query_words = {fold_word(word) for word in query.split()}
        for word in result.split():
            # every word of a suggestion is either the user's own or a vocabulary word
            assert fold_word(word) in known or fold_word(word) in query_words or word in query


@settings(max_examples=200, deadline=None)
@given(words.filter(lambda w: len(w) >= 4), st.integers(min_value=0, max_value=13), st.sampled_from("xqz"))
def test_one_substitution_away_is_found(word, position, letter):
    position %= len(word)
    typo = word[:position] + letter + word[position + 1:]
    vocabulary = Vocabulary.from_counts({word: 1})
    result = suggest(typo, vocabulary)
    distance = OSA.distance(fold_word(typo), fold_word(word))
    if distance == 0 or max_distance(fold_word(typo)) == 0:
        assert result is None
    elif distance <= max_distance(fold_word(typo)) and fold_word(typo).isalpha():
        assert result == word
