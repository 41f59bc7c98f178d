"""The Synthesebericht draft as editable plain text, and its parser (pure, no Django).

The facilitator edits a small, forgiving markup:

    ## Heading            (level 2; "# " is level 1, "### " level 3)
    - bullet item         (consecutive lines form one list)
    > quote text          (an anonymous quote, set as a call-out)
    plain lines           (consecutive lines form one paragraph; blank line ends it)

``draft(data)`` writes such text from board data; ``parse(text)`` turns any text into a list
of blocks ``("heading", level, text) | ("paragraph", text) | ("bullets", [items]) |
("quote", text)`` and never raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_TEXT = 200_000


@dataclass
class DraftCard:
    text: str
    crisis_phase: str = ""
    cluster: str = ""
    cluster_kind: str = ""
    is_quote: bool = False
    phase_kind: str = ""


@dataclass
class DraftData:
    title: str
    focus: str = ""
    crisis_phases: list[tuple[str, str]] = field(default_factory=list)  # (name, period)
    cards: list[DraftCard] = field(default_factory=list)
    clusters: list[tuple[str, str, int]] = field(default_factory=list)  # (name, kind, votes)


SECTIONS = [
    ("herausforderungen", "Herausforderungen"),
    ("geholfen", "Was geholfen hat"),
    ("strukturen", "Strukturen und Prozesse"),
    ("belastung", "Belastung der Beschäftigten"),
    ("lernen", "Erkenntnisse und Bedarfe"),
]

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


def draft(data: DraftData) -> str:
    """A first draft of the synthesis report from the board: the facilitator edits it."""
    out: list[str] = [f"# Synthesebericht: {_one_line(data.title)}", ""]
    if data.focus:
        out += [f"Thema: {_one_line(data.focus)}", ""]
    out += ["## Phasen der Krise", ""]
    by_phase: dict[str, list[str]] = {}
    for card in data.cards:
        if card.crisis_phase and not card.is_quote:
            by_phase.setdefault(card.crisis_phase, []).append(_one_line(card.text))
    if data.crisis_phases:
        for name, period in data.crisis_phases:
            out.append(f"### {_one_line(name)}" + (f" ({_one_line(period)})" if period else ""))
            items = by_phase.get(name, [])
            out += [f"- {t}" for t in items] if items else ["Keine Karten zu dieser Phase."]
            out.append("")
    else:
        out += ["Keine Krisenphasen hinterlegt.", ""]
    buckets: dict[str, list[str]] = {key: [] for key, _ in SECTIONS}
    for name, kind, votes in data.clusters:
        section = "lernen" if kind == "massnahmenidee" else classify(name, cluster_kind=kind)
        suffix = f" ({votes} Punkte)" if votes else ""
        buckets[section].append(f"{_one_line(name)}{suffix}")
    for card in data.cards:
        if card.is_quote or card.crisis_phase:
            continue
        buckets[classify(card.text, card.phase_kind, card.cluster_kind)].append(_one_line(card.text))
    for key, heading in SECTIONS:
        out += [f"## {heading}", ""]
        out += [f"- {t}" for t in buckets[key]] if buckets[key] else ["Noch keine Beiträge."]
        out.append("")
    quotes = [_one_line(c.text) for c in data.cards if c.is_quote]
    if quotes:
        out += ["## Stimmen aus dem Reflexionsraum", ""]
        for q in quotes:
            out += [f"> {q}", ""]
    return "\n".join(out).rstrip() + "\n"


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
