"""The Synthesebericht (pure, no Django): the report as structured blocks, written from plain
data classes (see ``build_report`` below), and the forgiving parser of older plain-text drafts.

Older drafts were a small markup, still converted when such a draft is shown:

    ## Heading            (level 2; "# " is level 1, "### " level 3)
    - bullet item         (consecutive lines form one list)
    > quote text          (an anonymous quote, set as a call-out)
    plain lines           (consecutive lines form one paragraph; blank line ends it)

``parse(text)`` turns any text into a list of blocks ``("heading", level, text) |
("paragraph", text) | ("bullets", [items]) | ("quote", text)`` and never raises.
"""

from __future__ import annotations

import datetime as _dt
import re as _re
from dataclasses import dataclass, field

MAX_TEXT = 200_000


# Words that hint at a section when a cluster or card has no explicit kind.
KEYWORDS = {
    "belastung": ("belast", "überlast", "müde", "erschöpf", "druck", "psych", "ohnmacht", "ohnmächtig", "familie"),
    "strukturen": ("krisenstab", "struktur", "prozess", "team", "lagebild", "dashboard", "organis", "stab"),
    "geholfen": ("geholfen", "gut lief", "lief gut", "hilfreich", "pragmat", "bewährt", "digital", "gelungen"),
    "lernen": ("lernen", "gelernt", "künftig", "brauchen", "sollten", "bedarf", "vorbereit", "beibehalten"),
    "herausforderungen": ("schwierig", "problem", "herausforder", "fehlte", "mangel", "unklar", "kurzfristig"),
}


def classify(text: str, phase_kind: str = "", cluster_kind: str = "") -> str:
    low = text.lower()
    for section in ("belastung", "strukturen", "geholfen", "herausforderungen", "lernen"):
        if any(word in low for word in KEYWORDS[section]):
            return section
    if cluster_kind == "massnahmenidee" or phase_kind in ("transfer", "ideen"):
        return "lernen"
    if phase_kind == "analytisch":
        return "herausforderungen"
    return "herausforderungen"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def parse(text: str) -> list[tuple]:
    """Blocks of the edited draft. Never raises; unknown markup is plain text."""
    text = (text or "")[:MAX_TEXT].replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[tuple] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(("paragraph", " ".join(paragraph)))
            paragraph.clear()
        if bullets:
            blocks.append(("bullets", list(bullets)))
            bullets.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#"):
            hashes = len(line) - len(line.lstrip("#"))
            rest = line[hashes:].strip()
            if 1 <= hashes <= 4 and rest:
                flush()
                blocks.append(("heading", hashes, rest))
                continue
        if line.startswith(("- ", "* ")) and line[2:].strip():
            if paragraph:
                flush()
            bullets.append(line[2:].strip())
            continue
        if line.startswith(">"):
            rest = line[1:].strip()
            if rest:
                flush()
                blocks.append(("quote", rest))
            continue
        if bullets:
            flush()
        paragraph.append(line)
    flush()
    return blocks


# ==========================================================================================
# The Synthesebericht as structured blocks (pure, no Django)
#
# ``build_report(ReportInput)`` writes the report after the structure of the PanReflex
# synthesis reports: title and introduction (project, method, duration, participants, the
# "no claim to completeness" note), the guiding questions as a box, the crisis phases as
# narrative with the timeline figure, the thematic sections fed by the questions that ask for
# them (then clusters and votes), the comparison across cities (counts, never names where the
# attribution rule forbids it) and the central findings. Extractive: the sentences are the
# participants' cards, chosen per cluster by vote weight and how representative a card is,
# joined by German sentence templates. No language model.
#
# The result is a JSON list of blocks, validated by ``validate_blocks``:
#   {"type": "heading", "level": 1-3, "text"}
#   {"type": "paragraph", "text"}
#   {"type": "list", "items": [...], "title": "", "box": false}
#   {"type": "quote", "text", "source"}          (a call-out beside the paragraph before it)
#   {"type": "figure", "figure": "timeline", "caption", "alt", "data": {"phases", "events"}}
#   {"type": "table", "caption", "header": [...], "rows": [[...], ...]}
# ==========================================================================================


REPORT_SECTIONS: list[tuple[str, str]] = [
    ("phasen", "Phasen der Krise"),
    ("herausforderungen", "Herausforderungen"),
    ("geholfen", "Was geholfen hat"),
    ("strukturen", "Strukturen und Prozesse"),
    ("belastung", "Belastung der Beschäftigten"),
    ("vergleich", "Vergleich mit anderen Krisen"),
    ("potenziale", "Potenziale und Bedarfe"),
    ("lernen", "Kommunen können Krise – und müssen weiter lernen"),
    ("fazit", "Zentrale Erkenntnisse"),
]
SECTION_TITLES = dict(REPORT_SECTIONS)

BLOCK_TYPES = ("heading", "paragraph", "list", "quote", "figure", "table")
FIGURE_KINDS = ("timeline",)
MAX_BLOCKS = 400
MAX_BLOCK_TEXT = 20_000
MAX_ITEMS = 200
MAX_TABLE_ROWS = 200
MAX_TABLE_COLS = 8

ATTRIBUTION_NAMED = "namentlich"
ATTRIBUTION_ANONYMOUS = "anonym"
ANONYMOUS_SOURCE = "Stimme aus dem Workshop (anonym)"

_OTHER_CRISIS_STEMS = ("hochwasser", "starkregen", "stromausfall", "energie", "gasmangel", "ukraine", "geflüchtet",
                       "flüchtling", "hitze", "cyber", "blackout", "unwetter", "andere krise", "anderen krisen")
_NUMBER_WORDS = {1: "eins", 2: "zwei", 3: "drei", 4: "vier", 5: "fünf", 6: "sechs", 7: "sieben", 8: "acht",
                 9: "neun", 10: "zehn", 11: "elf", 12: "zwölf"}
_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"]


class BlockError(ValueError):
    """The blocks of a report are malformed (message in German, for the user)."""


@dataclass
class ReportCard:
    text: str
    question: str = ""
    section: str = ""          # the section the card's question feeds ("" when none)
    phase_kind: str = ""
    city: str = ""             # the participant's municipality (a key; shown only where allowed)
    crisis_phase: int | None = None
    when: _dt.date | None = None
    feeling: str = ""          # the feeling's German label
    cluster: str = ""          # cluster key
    is_quote: bool = False
    author: str = ""           # a name, only under attribution "namentlich"


@dataclass
class ReportCluster:
    key: str
    name: str
    kind: str = ""
    votes: int = 0


@dataclass
class ReportPhase:
    number: int
    name: str
    period: str = ""
    start: _dt.date | None = None
    end: _dt.date | None = None
    description: str = ""


@dataclass
class ReportInput:
    title: str
    kind_label: str = "Reflexionsraum"
    focus: str = ""
    crisis: str = ""
    start_date: _dt.date | None = None
    end_date: _dt.date | None = None
    place: str = ""
    attribution: str = "chatham_house"
    cities: list[str] = field(default_factory=list)          # participating municipalities (names)
    departments: list[str] = field(default_factory=list)     # department labels
    participant_count: int = 0
    workshop_phases: list[tuple[str, str, int]] = field(default_factory=list)  # (label, lead, minutes)
    questions: list[tuple[str, str]] = field(default_factory=list)             # (phase label, text)
    crisis_phases: list[ReportPhase] = field(default_factory=list)
    cards: list[ReportCard] = field(default_factory=list)
    clusters: list[ReportCluster] = field(default_factory=list)


# ------------------------------------------------------------------------------------------
# Small German helpers
# ------------------------------------------------------------------------------------------


def number_word(n: int) -> str:
    return _NUMBER_WORDS.get(n, str(n))


def _sentence(text: str) -> str:
    text = " ".join((text or "").split())
    if text and text[-1] not in ".!?…“\"":
        text += "."
    return text


def _date_de(day: _dt.date) -> str:
    return f"{day.day}. {_MONTHS[day.month - 1]} {day.year}"


def _month_de(day: _dt.date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.year}"


def _dative(label: str) -> str:
    """ "Deskriptive Phase" → "Deskriptiven Phase" (after "der", dative feminine)."""
    return _re.sub(r"e Phase$", "en Phase", label)


def _join_words(words: list[str]) -> str:
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " und " + words[-1]


def cities_phrase(n: int, m: int) -> str:
    """ "in vier der fünf Kommunen", "in allen fünf Kommunen", "in einer Partnerkommune"."""
    if m <= 1:
        return "in der beteiligten Kommune"
    if n >= m:
        return f"in allen {number_word(m)} Kommunen"
    if n == 1:
        return "in einer der beteiligten Kommunen" if m > 12 else f"in einer der {number_word(m)} Kommunen"
    return f"in {number_word(n)} der {number_word(m)} Kommunen"


def from_cities_phrase(n: int, m: int) -> str:
    """ "Teilnehmende aus vier der fünf Kommunen" / "eine Partnerkommune"."""
    if m <= 1 or n <= 0:
        return "Die Teilnehmenden"
    if n == 1:
        return "Eine Partnerkommune"
    if n >= m:
        return f"Teilnehmende aus allen {number_word(m)} Kommunen"
    return f"Teilnehmende aus {number_word(n)} der {number_word(m)} Kommunen"


_WORD = _re.compile(r"[a-zäöüß]{4,}")
_STOP = frozenset("eine einen einer eines einem haben hatte hatten wurde wurden werden nicht auch noch sind war waren "
                  "dass dies diese dieser diesem mehr sehr viel viele über unter nach beim einem allem schon immer "
                  "wieder erst kaum oder aber wenn weil denn durch gegen ohne jede jeden jeder zwischen damit".split())


def _stems(text: str) -> set[str]:
    return {w[:6] for w in _WORD.findall((text or "").lower()) if w not in _STOP}


def representative(cards: list[ReportCard], *, about: str = "") -> list[ReportCard]:
    """Cards ordered by how representative they are of their group: shared word stems with the
    other cards and the group's name, then length (a fuller card says more), then input order."""
    stems = [_stems(c.text) for c in cards]
    topic = _stems(about)

    def score(i: int) -> tuple:
        shared = sum(len(stems[i] & stems[j]) for j in range(len(cards)) if j != i)
        return (-(shared + 2 * len(stems[i] & topic)), -min(len(cards[i].text), 200), i)

    return [cards[i] for i in sorted(range(len(cards)), key=score)]


# ------------------------------------------------------------------------------------------
# Sorting cards into sections
# ------------------------------------------------------------------------------------------

_BURDEN_STEMS = ("belast", "überlast", "erschöpf", "psych", "ohnmacht", "leistungsträger", "dauereinsatz", "marathon")


def _is_burden(text: str) -> bool:
    low = text.lower()
    return any(stem in low for stem in _BURDEN_STEMS)


def section_of(card: ReportCard, cluster: ReportCluster | None) -> str:
    """The section a card feeds. The question decides; a card on the timeline tells the course
    of the crisis; burden is the challenge of its own kind (cluster or wording say so);
    without a question the cluster's kind and the card's words decide."""
    section = card.section
    if card.crisis_phase is not None and section in ("", "phasen", "belastung"):
        return "phasen"
    if section == "herausforderungen" and (_is_burden(card.text) or (cluster and _is_burden(cluster.name))):
        return "belastung"
    if section:
        return section
    if cluster and cluster.kind == "massnahmenidee":
        return "potenziale"
    if cluster and cluster.kind == "offene_frage":
        return "lernen"
    legacy = classify(card.text, card.phase_kind, cluster.kind if cluster else "")
    return {"lernen": "potenziale"}.get(legacy, legacy)


# ------------------------------------------------------------------------------------------
# The report
# ------------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join((text or "").replace("\x00", "").split())


def _h(level: int, text: str) -> dict:
    return {"type": "heading", "level": level, "text": _clean(text)[:500] or "–"}


def _p(*sentences: str) -> dict:
    return {"type": "paragraph", "text": " ".join(s for s in sentences if s)}


def _quote(card: ReportCard, attribution: str) -> dict:
    source = card.author if attribution == ATTRIBUTION_NAMED and card.author else ANONYMOUS_SOURCE
    return {"type": "quote", "text": _clean(card.text), "source": source}


class _Writer:
    def __init__(self, data: ReportInput):
        self.data = data
        self.clusters = {c.key: c for c in data.clusters}
        self.m = len(data.cities) or len({c.city for c in data.cards if c.city})
        self.rank = {c.key: i for i, c in enumerate(sorted(data.clusters, key=lambda c: -c.votes), 1)}
        self.named = data.attribution != ATTRIBUTION_ANONYMOUS

    def n_cities(self, cards: list[ReportCard]) -> int:
        return len({c.city for c in cards if c.city})

    # -- title and introduction ------------------------------------------------------------

    def intro(self) -> list[dict]:
        d = self.data
        out = [_h(1, f"Synthesebericht: {d.title}")]
        when = ""
        if d.start_date:
            when = _date_de(d.start_date)
            if d.end_date and d.end_date != d.start_date:
                when = f"{d.start_date.day}. bis {_date_de(d.end_date)}" if (d.start_date.month, d.start_date.year) == (
                    d.end_date.month, d.end_date.year) else f"{_date_de(d.start_date)} bis {_date_de(d.end_date)}"
        place = f" in {d.place}" if d.place and self.named else ""
        sub = f"{d.kind_label}{place}" + (f", {when}" if when else "") + (f". Thema: {d.focus}" if d.focus else "")
        out.append(_p(_sentence(sub)))
        out.append(_h(2, "Einleitung"))
        days = ((d.end_date - d.start_date).days + 1) if d.start_date and d.end_date else 1
        duration = "eintägigen" if days <= 1 else f"{number_word(days)}tägigen"
        crisis = f" zur Lage „{d.crisis}“" if d.crisis else ""
        out.append(_p(
            f"Dieser Bericht fasst die Ergebnisse des {duration} {d.kind_label}s{crisis} zusammen.",
            "Ein Reflexionsraum ist ein moderiertes Workshopformat, in dem Beschäftigte aus mehreren Kommunen ihre "
            "Erfahrungen aus einer Krise gemeinsam auswerten, um daraus Wissen für künftige Krisen zu gewinnen.",
            "Im Mittelpunkt stehen die persönlichen Erfahrungen und das Lernen der Beteiligten, auch solche Dinge, "
            "die in keinem offiziellen Einsatzbericht stehen.",
        ))
        phases = d.workshop_phases
        if phases:
            parts = [f"der {_dative(label)} ({lead.rstrip('?')}?)" if lead else f"der {_dative(label)}" for label, lead, _m in phases]
            minutes = sum(m for _l, _le, m in phases)
            hours = f" mit zusammen rund {round(minutes / 60)} Stunden Arbeitszeit" if minutes >= 60 else ""
            out.append(_p(
                f"Der Workshop folgte {number_word(len(phases))} Phasen{hours}: {_join_words(parts)}.",
                "Die Beiträge wurden live auf Karten festgehalten, am Zeitstrahl den Phasen der Krise zugeordnet, "
                "zu Clustern verdichtet und in einer Punktabfrage gewichtet.",
            ))
        who = []
        if d.participant_count:
            who.append(f"Am Workshop nahmen {d.participant_count} Beschäftigte"
                       + (f" aus {number_word(self.m)} Kommunen" if self.m > 1 else "") + " teil"
                       + (f" ({_join_words(sorted(d.cities))})" if d.cities and self.named else "") + ".")
        elif self.m:
            who.append(f"Beteiligt waren {number_word(self.m)} Kommunen"
                       + (f" ({_join_words(sorted(d.cities))})" if d.cities and self.named else "") + ".")
        if d.departments:
            who.append(f"Sie kamen aus folgenden Bereichen: {_join_words(d.departments)}.")
        if who:
            who.append("Gerade die Unterschiede zwischen den Kommunen und Bereichen sind selbst ein Ergebnis: "
                       "Sie zeigen, wo Lösungen übertragbar sind und wo nicht.")
            out.append(_p(*who))
        out.append(_p(
            "Der Bericht verdichtet die Sicht der Teilnehmenden und erhebt keinen Anspruch auf Vollständigkeit.",
            "Er gibt weder die offizielle Position der beteiligten Kommunen wieder noch ersetzt er eine "
            "Evaluation; Zitate sind anonymisiert, Aussagen über mehrere Kommunen werden nur als Anzahl genannt."
            if d.attribution != ATTRIBUTION_NAMED else
            "Er gibt nicht die offizielle Position der beteiligten Kommunen wieder und ersetzt keine Evaluation.",
        ))
        if d.questions:
            out.append({"type": "list", "title": "Leitfragen des Workshops", "box": True,
                        "items": [f"{label}: {text}" if label else text for label, text in d.questions]})
        return out

    # -- crisis phases ------------------------------------------------------------------------

    def phases(self, cards: list[ReportCard], quotes: list[ReportCard]) -> list[dict]:
        d = self.data
        out = [_h(2, SECTION_TITLES["phasen"])]
        timeline = [c for c in d.cards if c.crisis_phase is not None or c.when]
        if not d.crisis_phases:
            out.append(_p("Für diesen Workshop ist keine Krise mit Phasen hinterlegt.",
                          "Die Beiträge zum Verlauf stehen daher in den folgenden Abschnitten."))
            return out + self._loose(cards, "phasen") + [_quote(q, d.attribution) for q in quotes]
        n = self.n_cities(timeline)
        names = _join_words([f"„{p.name}“" for p in d.crisis_phases])
        out.append(_p(
            f"Rückblickend unterschieden die Teilnehmenden {number_word(len(d.crisis_phases))} Phasen der Krise: {names}.",
            f"Am Zeitstrahl hielten {from_cities_phrase(n, self.m).replace('Eine Partnerkommune', 'Teilnehmende aus einer Partnerkommune')} "
            f"{len(timeline)} Ereignisse und Erfahrungen fest; die Abbildung zeigt die Phasen mit ihren Zeiträumen und "
            "die markierten Ereignisse." if timeline else
            "Am Zeitstrahl wurden keine Ereignisse markiert; die Abbildung zeigt die Phasen mit ihren Zeiträumen.",
        ))
        figure, table = timeline_figure(d.crisis_phases, timeline)
        out.append(figure)
        if table["rows"]:
            out.append(table)
        for phase in d.crisis_phases:
            label = f"{phase.number}. {phase.name}" + (f" ({phase.period})" if phase.period else "")
            out.append(_h(3, label))
            mine = [c for c in cards if c.crisis_phase == phase.number]
            sentences = []
            if phase.description:
                sentences.append(_sentence(phase.description))
            if mine:
                k = self.n_cities(mine)
                lead = ("Am Zeitstrahl schilderte eine Partnerkommune diese Phase so:" if k == 1 else
                        f"Teilnehmende {self.where(k)} ordneten dieser Phase eigene Erfahrungen zu.")
                sentences.append(lead)
                connectors = ["", "Außerdem hieß es:", "Ergänzend wurde festgehalten:", "Hinzu kam:"]
                for i, card in enumerate(representative(mine, about=phase.name)[:4]):
                    sentences.append(f"{connectors[i]} {_sentence(card.text)}".strip())
                feelings = [c.feeling for c in mine if c.feeling]
                if feelings:
                    sentences.append(f"Die eigene Stimmung in dieser Zeit beschrieben sie als {_join_words(sorted(set(feelings)))}.")
            else:
                sentences.append("Zu dieser Phase wurden am Zeitstrahl keine eigenen Karten angeheftet.")
                if not phase.description:
                    sentences.append("Sie ist der Vollständigkeit halber genannt.")
            out.append(_p(*sentences))
            out += [_quote(q, d.attribution) for q in quotes if q.crisis_phase == phase.number]
        numbers = {p.number for p in d.crisis_phases}
        rest = [c for c in cards if c.crisis_phase not in numbers]
        if rest:
            out += self._loose(rest, "phasen")
        out += [_quote(q, d.attribution) for q in quotes if q.crisis_phase not in numbers]
        return out

    # -- thematic sections --------------------------------------------------------------------

    _LEADS = {
        "herausforderungen": "Als Herausforderungen beschrieben die Teilnehmenden vor allem die folgenden Punkte; die Beiträge dazu kamen {where}.",
        "geholfen": "Was in der Krise geholfen hat, beschrieben die Teilnehmenden anhand konkreter Beispiele; sie kamen {where}.",
        "strukturen": "Zu Strukturen und Prozessen des Krisenmanagements kamen Beiträge {where}.",
        "belastung": "Die Belastung der Beschäftigten war ein eigenes, wiederkehrendes Thema; Beiträge dazu kamen {where}.",
        "vergleich": "Den Vergleich mit anderen Krisen zogen die Teilnehmenden ausdrücklich; Beiträge dazu kamen {where}.",
        "potenziale": "Potenziale und Bedarfe für die nächste Krise formulierten die Teilnehmenden sehr konkret; die Beiträge kamen {where}.",
        "lernen": "Was sich bewährt hat und beibehalten werden soll, hielten die Teilnehmenden ausdrücklich fest; die Beiträge kamen {where}.",
    }
    _FIRST = {
        "herausforderungen": "Als Schwierigkeit wurde etwa genannt:",
        "geholfen": "Geholfen hat zum Beispiel:",
        "strukturen": "Dazu hieß es etwa:",
        "belastung": "So hieß es etwa:",
        "vergleich": "Den Unterschied beschrieb eine Stimme so:",
        "potenziale": "Vorgeschlagen wurde etwa:",
        "lernen": "Beibehalten wollen die Teilnehmenden zum Beispiel:",
    }
    _CLOSINGS = {
        "herausforderungen": "Die Teilnehmenden sahen darin eine der prägenden Schwierigkeiten der Krise.",
        "geholfen": "Dies wurde als Erfolgsfaktor beschrieben, der auch in künftigen Krisen tragen kann.",
        "strukturen": "Solche Strukturen machten Entscheidungen schneller und besser begründet.",
        "belastung": "Die Belastung verteilte sich damit sehr ungleich auf die Beschäftigten.",
        "vergleich": "Darin zeigt sich, dass die bisherigen Strukturen auf kurze, örtlich begrenzte Lagen ausgelegt sind.",
        "potenziale": "Daraus leiten die Teilnehmenden einen konkreten Handlungsbedarf für die nächste Krise ab.",
        "lernen": "Diese Erfahrung wollen die Kommunen für künftige Krisen sichern.",
    }

    def where(self, k: int) -> str:
        """ "aus vier der fünf Kommunen", "aus einer Partnerkommune", "aus allen fünf Kommunen"."""
        if self.m <= 1 or k <= 0:
            return "aus der beteiligten Kommune" if self.m == 1 else "von den Teilnehmenden"
        if k == 1:
            return "aus einer Partnerkommune"
        if k >= self.m:
            return f"aus allen {number_word(self.m)} Kommunen"
        return f"aus {number_word(k)} der {number_word(self.m)} Kommunen"

    def _cluster_paragraph(self, section: str, cluster: ReportCluster | None, cards: list[ReportCard],
                           *, first: bool = True) -> dict:
        k = self.n_cities([c for c in self.data.cards if cluster is not None and c.cluster == cluster.key] or cards)
        sentences = []
        if cluster is not None:
            rank = self.rank.get(cluster.key, 99)
            votes = (f"Bei der Punktabfrage erhielt das Thema {cluster.votes} Punkte"
                     + (" und zählte damit zu den wichtigsten des Workshops." if rank <= 3 and cluster.votes else ".")
                     if cluster.votes else "")
            if k >= 2:
                sentences.append(f"Das Thema „{cluster.name}“ kam {cities_phrase(k, self.m)} zur Sprache.")
            elif k == 1 and self.m > 1:
                sentences.append(f"Das Thema „{cluster.name}“ brachte eine Partnerkommune ein.")
            else:
                sentences.append(f"Ein Schwerpunkt lag auf dem Thema „{cluster.name}“.")
            if votes:
                sentences.append(votes)
        else:
            k = self.n_cities(cards)
            sentences.append("Einzelne weitere Beiträge ergänzten das Bild" + (f"; sie kamen {self.where(k)}." if k >= 2 else "."))
        chosen = representative(cards, about=cluster.name if cluster else "")
        previous_city = None
        for i, card in enumerate(chosen[:3]):
            if i == 0:
                lead = self._FIRST.get(section, "So hieß es etwa:") if cluster is not None else ""
            elif card.city and previous_city and card.city != previous_city:
                lead = "Aus einer weiteren Kommune kam eine ähnliche Erfahrung:"
            else:
                lead = ["", "Ergänzend wurde festgehalten:", "Außerdem wurde genannt:"][i]
            sentences.append(f"{lead} {_sentence(card.text)}".strip())
            previous_city = card.city
        if len(chosen) > 3:
            more = len(chosen) - 3
            sentences.append(f"{'Eine weitere Karte griff' if more == 1 else f'{number_word(more).capitalize()} weitere Karten griffen'} "
                             "den Punkt auf.")
        if cluster is not None and first and section in self._CLOSINGS:
            sentences.append(self._CLOSINGS[section])
        return _p(*sentences)

    def _loose(self, cards: list[ReportCard], section: str) -> list[dict]:
        if not cards:
            return []
        return [self._cluster_paragraph(section, None, cards)]

    def section(self, key: str, cards: list[ReportCard], quotes: list[ReportCard], *, extra: list[dict] = ()) -> list[dict]:
        d = self.data
        out = [_h(2, SECTION_TITLES[key])]
        questions = sorted({c.question for c in cards if c.question})
        k = self.n_cities(cards)
        if cards:
            lead = [self._LEADS[key].format(where=self.where(k))]
            if questions:
                lead.append(f"Sie antworten vor allem auf die Leitfrage{'n' if len(questions) > 1 else ''} "
                            f"{_join_words([f'„{q}“' for q in questions[:3]])}.")
            lead.append(f"Insgesamt {'entstand' if len(cards) == 1 else 'entstanden'} dazu {len(cards)} "
                        f"{'Karte' if len(cards) == 1 else 'Karten'}.")
            out.append(_p(*lead))
        else:
            out.append(_p(f"Zum Thema „{SECTION_TITLES[key]}“ wurden im Workshop keine eigenen Karten gesammelt.",
                          "Der Abschnitt kann bei der Überarbeitung ergänzt werden."))
        out += list(extra)
        groups: dict[str, list[ReportCard]] = {}
        for card in cards:
            groups.setdefault(card.cluster if card.cluster in self.clusters else "", []).append(card)
        keys = sorted((g for g in groups if g), key=lambda g: (-self.clusters[g].votes, g))
        sub = len(keys) >= 2
        placed: set[int] = set()
        for number, g in enumerate(keys):
            cluster = self.clusters[g]
            if sub:
                out.append(_h(3, cluster.name))
            out.append(self._cluster_paragraph(key, cluster, groups[g], first=number == 0))
            for q in quotes:
                if q.cluster == g and id(q) not in placed:
                    out.append(_quote(q, d.attribution))
                    placed.add(id(q))
        if groups.get(""):
            if sub:
                out.append(_h(3, "Weitere Beiträge"))
            out += self._loose(groups[""], key)
        for q in quotes:
            if id(q) not in placed:
                out.append(_quote(q, d.attribution))
        return out

    # -- comparison, learning, findings -------------------------------------------------------

    def comparison_extra(self, cards_elsewhere: list[ReportCard]) -> list[dict]:
        mentions = [c for c in cards_elsewhere
                    if any(stem in c.text.lower() for stem in _OTHER_CRISIS_STEMS)]
        if not mentions:
            return []
        k = self.n_cities(mentions)
        sentences = [f"Auch in anderen Abschnitten stellten die Teilnehmenden Verbindungen zu weiteren Krisen her; "
                     f"diese Hinweise kamen {self.where(k)}."]
        for card in representative(mentions)[:2]:
            sentences.append(_sentence(card.text))
        return [_p(*sentences)]

    def learning_extra(self) -> list[dict]:
        open_questions = [c for c in self.data.clusters if c.kind == "offene_frage"]
        if not open_questions:
            return []
        names = _join_words([f"„{c.name}“" for c in open_questions])
        return [_p("Zugleich blieben Fragen offen, an denen die Kommunen weiter lernen müssen:", _sentence(names),
                   "Sie sind Aufgaben für den weiteren Austausch zwischen den Kommunen.")]

    def findings(self) -> list[dict]:
        out = [_h(2, SECTION_TITLES["fazit"])]
        ranked = [c for c in sorted(self.data.clusters, key=lambda c: -c.votes) if c.kind != "offene_frage"][:5]
        if not ranked:
            out.append(_p("Im Workshop wurden keine Cluster gebildet und keine Punkte vergeben.",
                          "Die zentralen Erkenntnisse ergeben sich daher aus den einzelnen Abschnitten."))
            return out
        top = ranked[0]
        top_cards = [c for c in self.data.cards if c.cluster == top.key]
        everywhere = [c for c in ranked if self.m > 1 and self.n_cities([x for x in self.data.cards if x.cluster == c.key]) >= self.m - 1]
        sentences = [f"Die Punktabfrage ergab eine klare Rangfolge: Am meisten Gewicht gaben die Teilnehmenden dem Thema "
                     f"„{top.name}“ ({top.votes} Punkte), das {cities_phrase(self.n_cities(top_cards), self.m)} zur Sprache kam."
                     if self.n_cities(top_cards) > 1 else
                     f"Die Punktabfrage ergab eine klare Rangfolge: Am meisten Gewicht gaben die Teilnehmenden dem Thema "
                     f"„{top.name}“ ({top.votes} Punkte)."]
        if everywhere:
            sentences.append(f"{'Ein Befund' if len(everywhere) == 1 else f'{number_word(len(everywhere)).capitalize()} Befunde'} "
                             f"zog{'' if len(everywhere) == 1 else 'en'} sich durch alle oder fast alle beteiligten Kommunen: "
                             f"{_join_words([f'„{c.name}“' for c in everywhere])}.")
        single = [c for c in ranked if self.m > 2 and self.n_cities([x for x in self.data.cards if x.cluster == c.key]) == 1]
        if single and everywhere:
            sentences.append(f"Andere Themen blieben dagegen auf einzelne Kommunen beschränkt: "
                             f"{_join_words([f'„{c.name}“' for c in single])} brachte jeweils nur eine Partnerkommune ein, "
                             "in den übrigen spielte es kaum eine Rolle.")
        ideas = [c for c in self.data.clusters if c.kind == "massnahmenidee"]
        if ideas:
            sentences.append(f"Als Maßnahmen schlugen die Teilnehmenden {_join_words([f'„{c.name}“' for c in ideas])} vor.")
        out.append(_p(*sentences))
        items = []
        for c in ranked:
            k = self.n_cities([x for x in self.data.cards if x.cluster == c.key])
            where = f", genannt {cities_phrase(k, self.m)}" if k > 1 else (", eingebracht von einer Partnerkommune" if k == 1 and self.m > 1 else "")
            items.append(f"{c.name} ({c.votes} Punkte{where})")
        out.append({"type": "list", "title": "", "box": False, "items": items})
        out.append(_p("Die Ergebnisse zeigen: Kommunen können Krise, wenn Strukturen, Menschen und Werkzeuge zusammenpassen.",
                      "Damit das Gelernte nicht mit den Personen verloren geht, sollen die Erkenntnisse in die Wissensbasis "
                      "übernommen und in Empfehlungen und Fortbildungen übersetzt werden."))
        return out

    def build(self) -> list[dict]:
        d = self.data
        blocks = self.intro()
        by_section: dict[str, list[ReportCard]] = {key: [] for key, _t in REPORT_SECTIONS}
        quotes: dict[str, list[ReportCard]] = {key: [] for key, _t in REPORT_SECTIONS}
        for card in d.cards:
            if not _clean(card.text):
                continue
            section = section_of(card, self.clusters.get(card.cluster))
            section = section if section in by_section else "herausforderungen"
            (quotes if card.is_quote else by_section)[section].append(card)
        # A cluster whose cards all went to the timeline still stands in its thematic section.
        blocks += self.phases(by_section["phasen"], quotes["phasen"])
        for key in ("herausforderungen", "geholfen", "strukturen", "belastung", "vergleich", "potenziale", "lernen"):
            extra: list[dict] = []
            if key == "vergleich":
                extra = self.comparison_extra([c for s, cs in by_section.items() if s != "vergleich" for c in cs])
            if key == "belastung":
                extra = self.feelings_extra()
            if key == "lernen":
                extra = self.learning_extra()
            blocks += self.section(key, by_section[key], quotes[key], extra=extra)
        blocks += self.findings()
        return blocks

    def feelings_extra(self) -> list[dict]:
        counts: dict[str, int] = {}
        for c in self.data.cards:
            if c.feeling:
                counts[c.feeling] = counts.get(c.feeling, 0) + 1
        if not counts:
            return []
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        named = _join_words([f"„{f}“ ({n}-mal)" for f, n in ranked[:4]])
        return [_p(f"Auf die Frage, wie sie sich damals gefühlt haben, nannten die Teilnehmenden {named}.",
                   "Das Stimmungsbild reicht damit von Verunsicherung und Überlastung bis zu Zuversicht."
                   if len(ranked) > 2 else "Das Stimmungsbild fiel damit eindeutig aus.")]


def build_report(data: ReportInput) -> list[dict]:
    """The Synthesebericht of a workshop as validated blocks."""
    return validate_blocks(_Writer(data).build())


# ------------------------------------------------------------------------------------------
# The timeline figure
# ------------------------------------------------------------------------------------------


def timeline_figure(phases: list[ReportPhase], cards: list[ReportCard]) -> tuple[dict, dict]:
    """The figure block (phases with their periods and the events on the timeline wall) and a
    table of the numbered events (the figure's text alternative in full)."""
    by_number = {p.number: p for p in phases}
    events = []
    ordered = sorted(cards, key=lambda c: (c.when or (by_number[c.crisis_phase].start if c.crisis_phase in by_number
                                                      and by_number[c.crisis_phase].start else _dt.date.max),
                                           c.crisis_phase or 0))
    for n, card in enumerate(ordered, 1):
        phase = by_number.get(card.crisis_phase)
        day = card.when
        if day is None and phase and phase.start and phase.end:
            day = phase.start + (phase.end - phase.start) / 2
        text = " ".join(card.text.split())
        events.append({"n": n, "date": day.isoformat() if day else "", "phase": card.crisis_phase or 0,
                       "label": text if len(text) <= 90 else text[:87] + " …"})
    data = {"phases": [{"number": p.number, "name": p.name, "period": p.period,
                        "start": p.start.isoformat() if p.start else "", "end": p.end.isoformat() if p.end else ""}
                       for p in phases],
            "events": events}
    alt = (f"Zeitstrahl mit {len(phases)} Phasen der Krise: "
           + "; ".join(f"{p.number}. {p.name}" + (f" ({p.period})" if p.period else "") for p in phases)
           + (f". Darauf {len(events)} nummerierte Ereignisse, die die Teilnehmenden markiert haben; "
              "die Tabelle unter der Abbildung nennt sie." if events else "."))
    figure = {"type": "figure", "figure": "timeline", "caption": "Phasen der Krise und Ereignisse am Zeitstrahl",
              "alt": alt, "data": data}
    names = {p.number: p.name for p in phases}
    rows = [[str(e["n"]), _month_de(_dt.date.fromisoformat(e["date"])) if e["date"] else "–",
             names.get(e["phase"], "–"), e["label"]] for e in events]
    table = {"type": "table", "caption": "Ereignisse am Zeitstrahl (Nummern wie in der Abbildung)",
             "header": ["Nr.", "Zeitpunkt", "Phase", "Ereignis"], "rows": rows}
    return figure, table


TIMELINE_PALETTE = ["#0b5394", "#b45309", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#4d4d4d"]


def timeline_spec(data: dict) -> dict | None:
    """The Vega-Lite specification of a timeline figure, or None when no phase has dates."""
    phases = [p for p in data.get("phases", []) if p.get("start") and p.get("end")]
    if not phases:
        return None
    labels = [f"{p['number']}. {p['name']}" for p in phases]
    label_of = {p["number"]: label for p, label in zip(phases, labels, strict=True)}
    bars = [{"phase": label_of[p["number"]], "start": p["start"], "end": p["end"], "period": p.get("period", "")} for p in phases]
    events = []
    seen: dict[tuple, int] = {}
    for e in data.get("events", []):
        if not (e.get("date") and e.get("phase") in label_of):
            continue
        # Events on the same day of the same phase are drawn three weeks apart (readable numbers).
        key = (e["phase"], e["date"])
        shift = seen.get(key, 0)
        seen[key] = shift + 1
        day = _dt.date.fromisoformat(e["date"]) + _dt.timedelta(days=21 * shift)
        events.append({"phase": label_of[e["phase"]], "date": day.isoformat(), "n": str(e["n"]), "label": e.get("label", "")})
    y = {"field": "phase", "type": "nominal", "sort": labels, "title": None,
         "axis": {"labelLimit": 220, "labelFontSize": 11, "labelColor": "#1a1a1a"}}
    x = {"field": "start", "type": "temporal", "title": None,
         "axis": {"format": "%b %Y", "labelColor": "#1a1a1a", "tickCount": 8, "grid": True, "gridColor": "#dddddd"}}
    layers = [{
        "data": {"values": bars},
        "mark": {"type": "bar", "height": 20, "cornerRadius": 3, "opacity": 0.35},
        "encoding": {"y": y, "x": x, "x2": {"field": "end"},
                     "color": {"field": "phase", "type": "nominal", "legend": None, "sort": labels,
                               "scale": {"domain": labels, "range": TIMELINE_PALETTE[:len(labels)]}}},
    }]
    if events:
        layers.append({
            "data": {"values": events},
            "mark": {"type": "point", "filled": True, "size": 70, "color": "#1a1a1a"},
            "encoding": {"y": y, "x": {**x, "field": "date"}},
        })
        layers.append({
            "data": {"values": events},
            "mark": {"type": "text", "dy": -13, "fontSize": 10, "fontWeight": "bold", "color": "#1a1a1a"},
            "encoding": {"y": y, "x": {**x, "field": "date"}, "text": {"field": "n"}},
        })
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 460, "height": 44 * len(phases),
            "background": "#ffffff", "config": {"view": {"stroke": None}, "font": "DejaVu Sans"}, "layer": layers}


# ------------------------------------------------------------------------------------------
# Validation
# ------------------------------------------------------------------------------------------


def _text(value, what: str, *, limit: int = MAX_BLOCK_TEXT, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BlockError(f"{what}: Text erwartet.")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if len(value) > limit:
        raise BlockError(f"{what}: Der Text ist zu lang (höchstens {limit} Zeichen).")
    if required and not value.strip():
        raise BlockError(f"{what}: Der Text darf nicht leer sein.")
    return value


def validate_blocks(blocks) -> list[dict]:
    """Checked, normalised copies of the blocks; raises :class:`BlockError` (German)."""
    if not isinstance(blocks, list):
        raise BlockError("Der Bericht muss eine Liste von Blöcken sein.")
    if len(blocks) > MAX_BLOCKS:
        raise BlockError(f"Der Bericht hat zu viele Blöcke (höchstens {MAX_BLOCKS}).")
    out = []
    for number, block in enumerate(blocks, 1):
        what = f"Block {number}"
        if not isinstance(block, dict):
            raise BlockError(f"{what}: Jeder Block muss ein Objekt mit einem Typ sein.")
        kind = block.get("type")
        if kind not in BLOCK_TYPES:
            raise BlockError(f"{what}: Unbekannter Blocktyp „{str(kind)[:40]}“. Erlaubt sind Überschrift, Absatz, "
                             "Liste, Zitat, Abbildung und Tabelle.")
        if kind == "heading":
            level = block.get("level")
            if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 3:
                raise BlockError(f"{what}: Die Überschriftenebene muss 1, 2 oder 3 sein.")
            out.append({"type": kind, "level": level, "text": _text(block.get("text"), what, limit=500, required=True)})
        elif kind == "paragraph":
            out.append({"type": kind, "text": _text(block.get("text"), what)})
        elif kind == "quote":
            out.append({"type": kind, "text": _text(block.get("text"), what, required=True),
                        "source": _text(block.get("source"), what, limit=300)})
        elif kind == "list":
            items = block.get("items")
            if not isinstance(items, list) or len(items) > MAX_ITEMS:
                raise BlockError(f"{what}: Eine Liste braucht eine Liste von Einträgen (höchstens {MAX_ITEMS}).")
            out.append({"type": kind, "items": [_text(i, what, limit=2000) for i in items],
                        "title": _text(block.get("title"), what, limit=300), "box": bool(block.get("box", False))})
        elif kind == "table":
            header = block.get("header")
            rows = block.get("rows")
            if not isinstance(header, list) or not 1 <= len(header) <= MAX_TABLE_COLS:
                raise BlockError(f"{what}: Eine Tabelle braucht eine Kopfzeile mit 1 bis {MAX_TABLE_COLS} Spalten.")
            if not isinstance(rows, list) or len(rows) > MAX_TABLE_ROWS:
                raise BlockError(f"{what}: Eine Tabelle hat höchstens {MAX_TABLE_ROWS} Zeilen.")
            clean_rows = []
            for row in rows:
                if not isinstance(row, list) or len(row) != len(header):
                    raise BlockError(f"{what}: Jede Tabellenzeile braucht {len(header)} Zellen.")
                clean_rows.append([_text(c, what, limit=2000) for c in row])
            out.append({"type": kind, "caption": _text(block.get("caption"), what, limit=300),
                        "header": [_text(h, what, limit=200) for h in header], "rows": clean_rows})
        elif kind == "figure":
            if block.get("figure") not in FIGURE_KINDS:
                raise BlockError(f"{what}: Unbekannte Abbildung.")
            data = block.get("data")
            if not isinstance(data, dict) or not isinstance(data.get("phases"), list) or not isinstance(data.get("events"), list):
                raise BlockError(f"{what}: Die Daten der Abbildung fehlen oder sind beschädigt.")
            out.append({"type": kind, "figure": block["figure"], "caption": _text(block.get("caption"), what, limit=300),
                        "alt": _text(block.get("alt"), what, limit=4000, required=True),
                        "data": _clean_timeline(data, what)})
    return out


def _clean_timeline(data: dict, what: str) -> dict:
    phases, events = data["phases"], data["events"]
    if len(phases) > 30 or len(events) > 500:
        raise BlockError(f"{what}: Die Abbildung hat zu viele Phasen oder Ereignisse.")

    def day(value) -> str:
        if value in (None, ""):
            return ""
        try:
            return _dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise BlockError(f"{what}: Ungültiges Datum in der Abbildung.") from None

    def integer(value) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise BlockError(f"{what}: Ungültige Nummer in der Abbildung.")
        return value

    clean_phases = []
    for p in phases:
        if not isinstance(p, dict):
            raise BlockError(f"{what}: Die Daten der Abbildung fehlen oder sind beschädigt.")
        clean_phases.append({"number": integer(p.get("number")), "name": _text(p.get("name"), what, limit=200),
                             "period": _text(p.get("period"), what, limit=100), "start": day(p.get("start")), "end": day(p.get("end"))})
    clean_events = []
    for e in events:
        if not isinstance(e, dict):
            raise BlockError(f"{what}: Die Daten der Abbildung fehlen oder sind beschädigt.")
        clean_events.append({"n": integer(e.get("n")), "date": day(e.get("date")), "phase": integer(e.get("phase")),
                             "label": _text(e.get("label"), what, limit=200)})
    return {"phases": clean_phases, "events": clean_events}


def word_count(blocks: list[dict]) -> int:
    words = 0
    for b in blocks:
        for key in ("text", "caption", "title"):
            words += len(str(b.get(key, "")).split())
        words += sum(len(i.split()) for i in b.get("items", []))
    return words
