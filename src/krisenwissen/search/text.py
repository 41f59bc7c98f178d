"""German text normalisation for the search index (pure Python, no Django).

Two normalised forms of every text are indexed:

- the *stemmed* form: words, case-folded, without stopwords, reduced to their Snowball
  German stem ("Krisenstäbe", "Krisenstaebe" and "Krisenstab" all become ``krisenstab``);
  it drives ranked full-text matching;
- the *folded* form: the whole text, lower-case, with umlauts, ß and other diacritics
  spelled in plain ASCII letters ("Schutzausrüstung" becomes ``schutzausrustung``); it drives
  substring (trigram) matching so that parts of compound words are found.

User queries are turned into :class:`ParsedQuery` objects whose terms contain only letters
and digits, so the MATCH expressions built from them can never be a syntax error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from .acl import is_permission_token

# Letters and digits; the underscore (part of ``\w``) separates words like any punctuation,
# which is also how SQLite's unicode61 tokenizer sees it.
WORD_RE = re.compile(r"[^\W_]+")

# A query is cut to this many words and each word to this many characters: enough for any
# real question, and it bounds the cost of the MATCH expression built from it.
MAX_QUERY_TERMS = 16
MAX_TERM_LENGTH = 64

# Trigram matching needs at least three characters per term.
MIN_TRIGRAM_LENGTH = 3

_DIRECT_FOLDS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})
# Umlauts written without the accent ("Krisenstaebe") are folded like the accented spelling
# ("Krisenstäbe"): ae→a, oe→o, ue→u. Not after a vowel or q ("Feuer", "Frauen", "Quelle")
# and not before another e, which also makes folding idempotent. Genuine "ae"/"oe"/"ue"
# that are folded anyway ("Aerosol") do no harm: index and query are folded the same way.
_DIGRAPH_RE = re.compile(r"(?<![aeiouq])([aou])e(?!e)")

GERMAN_STOPWORDS: frozenset[str] = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anderm andern anderr anders auch auf aus bei bin bis bist da damit dann das dass
    dasselbe dazu dein deine deinem deinen deiner deines dem demselben den denn denselben der
    derer derselbe derselben des desselben dessen dich die dies diese dieselbe dieselben
    diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines einig
    einige einigem einigen einiger einiges einmal er es etwas euch euer eure eurem euren eurer
    eures fur gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen
    ihr ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem jeden jeder jedes jene
    jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines konnen konnte
    machen man manche manchem manchen mancher manches mein meine meinem meinen meiner meines
    mich mir mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine
    seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen solcher
    solches soll sollte sondern sonst uber um und uns unsere unserem unseren unser unseres
    unter viel vom von vor wahrend war waren warst was weg weil weiter welche welchem welchen
    welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte wurde
    wurden zu zum zur zwar zwischen
    """.split()
)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character lower-cased and without accents (possibly several characters, ß → ss)."""
    folded = char
    # Decompose, drop accents and lower-case until stable: lower-casing or decomposing can
    # each produce characters the other step changes again (e.g. mathematical letters).
    for _ in range(3):
        decomposed = unicodedata.normalize("NFKD", folded).casefold().translate(_DIRECT_FOLDS)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if stripped == folded:
            break
        folded = stripped
    return folded


def fold(text: str) -> str:
    """Lower-case ``text`` and spell it in unaccented letters: ä→a, ö→o, ü→u, ß→ss, é→e.

    Unaccented umlaut spellings are folded the same way (ae→a, oe→o, ue→u), so "Maßnahme"
    and "Massnahme", "Krisenstäbe" and "Krisenstaebe" have the same folded form. Characters
    other than letters are kept, so the result can still be searched for substrings.
    """
    return _DIGRAPH_RE.sub(r"\1", "".join(_fold_char(char) for char in text))


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` like :func:`fold` and map every folded character to its source index.

    Returns ``(folded, offsets)`` where ``offsets[i]`` is the index in ``text`` of the
    character that produced ``folded[i]``; ``offsets`` has one extra entry, ``len(text)``,
    so that end positions can be mapped too. Used to highlight folded matches in the
    original text.
    """
    pieces = list(map(_fold_char, text))
    offsets = [index for index, piece in enumerate(pieces) for _ in piece]
    joined = "".join(pieces)
    # Apply the digraph fold while keeping the offsets aligned: each match drops its
    # second character (the "e").
    folded_chars: list[str] = []
    folded_offsets: list[int] = []
    position = 0
    for match in _DIGRAPH_RE.finditer(joined):
        folded_chars.append(joined[position:match.start() + 1])
        folded_offsets.extend(offsets[position:match.start() + 1])
        position = match.end()
    folded_chars.append(joined[position:])
    folded_offsets.extend(offsets[position:])
    folded_offsets.append(len(text))
    return "".join(folded_chars), folded_offsets


def tokenize(text: str) -> list[str]:
    """Split ``text`` into words (runs of letters and digits), keeping their spelling."""
    return WORD_RE.findall(text)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("german")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball German stem of one word, case- and umlaut-folded ("Krisenstäbe" → "krisenstab").

    PyStemmer's German stemmer already maps ä/ö/ü and their "ae"/"oe"/"ue" spellings to the
    plain vowel; :func:`fold` afterwards removes any other accent and maps ß to ss.
    """
    # The stemmer needs umlauts and ß to recognise suffixes, so it sees the lower-cased word
    # and the fold is applied to its result.
    return fold(_stemmer().stemWord(word.lower()))


def is_stopword(word: str) -> bool:
    """True for frequent German function words ("und", "der", "über" ...), in any spelling."""
    return fold(word) in GERMAN_STOPWORDS


def stemmed_terms(text: str) -> list[str]:
    """The stems of all words of ``text`` that are not stopwords, in text order."""
    return [stem(word) for word in tokenize(text) if not is_stopword(word)]


def stemmed_text(text: str) -> str:
    """The text to put into the stemmed full-text index: stems separated by spaces."""
    return " ".join(stemmed_terms(text))


def folded_text(text: str) -> str:
    """The text to put into the trigram index: :func:`fold` with whitespace collapsed."""
    return " ".join(fold(text).split())


def vocabulary_words(*folded: str) -> set[str]:
    """The distinct words of folded texts that a substring term could lie in.

    A query term (letters and digits, at least ``MIN_TRIGRAM_LENGTH`` long) occurs in a
    folded text exactly when it occurs inside one of the text's runs of letters and digits,
    so these runs are the vocabulary a substring is looked up in (see ``SearchWord``).
    """
    return {word for text in folded for word in WORD_RE.findall(text) if len(word) >= MIN_TRIGRAM_LENGTH}


def is_plain_word(word: str) -> bool:
    """True for a word of ASCII letters and digits only.

    Such a word is one token of the SQLite word index exactly as :func:`vocabulary_words`
    found it, whatever stands around it; for other words the tokenizer's idea of a letter
    may differ from Python's, so the engine then matches substrings by trigrams instead.
    """
    return word.isascii() and word.isalnum()


@dataclass(frozen=True)
class ParsedQuery:
    """A user query reduced to safe terms.

    ``stems``: distinct stems of the non-stopword words (all must match, ranked by BM25).
    ``substrings``: distinct folded words with at least three characters, each to be found as
    a substring of the folded text (all must match).
    ``short_stems``: stems of the words too short for substring matching; a substring match
    must contain them as words, so that "Stadt A" does not match every "Stadt".
    All terms contain only letters and digits.
    """

    stems: tuple[str, ...]
    substrings: tuple[str, ...]
    short_stems: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.stems and not self.substrings


def _distinct(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


def parse_query(text: str | None) -> ParsedQuery:
    """Turn free user input into a :class:`ParsedQuery`; never raises.

    Operators, quotes, ``*``, ``NEAR``, parentheses and any other punctuation are treated as
    word separators. Stopwords are dropped unless the query consists only of stopwords, in
    which case the words are still used for substring matching.
    """
    words = [word[:MAX_TERM_LENGTH] for word in tokenize(text or "")][:MAX_QUERY_TERMS]
    content_words = [word for word in words if not is_stopword(word)]
    stems = _distinct(stem(word) for word in content_words)
    substring_source = content_words or words
    substrings = _distinct(
        folded for folded in (fold(word) for word in substring_source) if len(folded) >= MIN_TRIGRAM_LENGTH
    )
    # Stopwords are not in the stemmed index, so only content words can be required as stems.
    short_stems = _distinct(stem(word) for word in content_words if len(fold(word)) < MIN_TRIGRAM_LENGTH)

    def words_only(terms: tuple[str, ...]) -> tuple[str, ...]:
        # Folding can in principle yield non-word characters (e.g. from compatibility
        # forms); keep the guarantee that terms are letters and digits only. Words shaped
        # like the index's permission tokens are dropped: they are no German words, and a
        # query must not address those tokens.
        return tuple(term for term in terms if WORD_RE.fullmatch(term) and not is_permission_token(term))

    return ParsedQuery(stems=words_only(stems), substrings=words_only(substrings), short_stems=words_only(short_stems))


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts5_stem_match(query: ParsedQuery) -> str | None:
    """The FTS5 MATCH expression for the stemmed index: every stem must occur; None if no stems."""
    if not query.stems:
        return None
    return " AND ".join(_quote(term) for term in query.stems)


def fts5_any_stem_match(query: ParsedQuery) -> str | None:
    """The FTS5 MATCH expression for the stemmed index: any stem may occur; None if no stems."""
    if not query.stems:
        return None
    return " OR ".join(_quote(term) for term in query.stems)


def tsquery_any_stem(query: ParsedQuery) -> str | None:
    """``to_tsquery`` text for PostgreSQL: any stem may occur; None if no stems.

    Terms contain only letters and digits (see :func:`parse_query`); they are quoted all the
    same, so no word can ever be read as tsquery syntax.
    """
    if not query.stems:
        return None
    return " | ".join("'" + term + "'" for term in query.stems)


def stems_covered(query: ParsedQuery, stemmed: str) -> int:
    """How many distinct stems of ``query`` occur as words of the stemmed text ``stemmed``."""
    words = set(stemmed.split())
    return sum(1 for term in query.stems if term in words)


def fts5_short_stem_match(query: ParsedQuery) -> str | None:
    """The FTS5 MATCH expression for the stemmed index requiring all ``short_stems``; None if none."""
    if not query.short_stems:
        return None
    return " AND ".join(_quote(term) for term in query.short_stems)


def fts5_trigram_match(query: ParsedQuery) -> str | None:
    """The FTS5 MATCH expression for the trigram index: every substring must occur; None if none."""
    if not query.substrings:
        return None
    return " AND ".join(_quote(term) for term in query.substrings)
