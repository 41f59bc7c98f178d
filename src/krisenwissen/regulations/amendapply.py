"""Apply the instructions of an amending act to a base version (pure, no Django).

:func:`apply_act` reads the act (:mod:`amending`), picks the Artikel that amend the base's law
(by the short title, abbreviation or long title of its ``% Title`` header), applies their
instructions one by one to the base's Markdown (:mod:`amendtext`) and reports each of them as
``applied``, ``failed`` (with a German reason) or ``not_applicable`` (other laws, the table of
contents). Each instruction is atomic: a failed one changes nothing, the others still apply.
Instructions are applied in order, each to the text as the previous ones left it (that is how
"Die bisherigen Absätze 3 und 4 werden die Absätze 4 und 5" followed by "Nach Absatz 2 wird
folgender Absatz 3 eingefügt" reads).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .amending import (
    AmendingActError,
    Article,
    Instruction,
    _follows,
    article_names_law,
    is_amending_act,
    law_names,
    parse_act,
    quote_spans,
)
from .amendtext import (
    LEVEL,
    BaseText,
    Para,
    Unit,
    absatz_end,
    child_end,
    is_term,
    is_term_item,
    read_base,
    relabel_marker,
    sentences,
)
from .legaltext import parse

APPLIED, FAILED, NOT_APPLICABLE = "applied", "failed", "not_applicable"
MAX_INSTRUCTIONS = 5000


class InstructionError(Exception):
    """An instruction does not fit the base text (German reason)."""


@dataclass
class Entry:
    article: str
    number: str
    label: str
    text: str
    context: list[str]
    status: str
    reason: str = ""

    def as_dict(self) -> dict:
        return {"article": self.article, "number": self.number, "label": self.label, "text": self.text,
                "context": self.context, "status": self.status, "reason": self.reason}


@dataclass
class AmendResult:
    text: str
    act_title: str
    law_title: str
    entries: list[Entry] = field(default_factory=list)
    articles: list[dict] = field(default_factory=list)
    in_force: str = ""  # text of the Artikel "Inkrafttreten" (the dates the new version needs)

    @property
    def applied(self) -> int:
        return sum(1 for e in self.entries if e.status == APPLIED)

    @property
    def failed(self) -> int:
        return sum(1 for e in self.entries if e.status == FAILED)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    @property
    def summary(self) -> str:
        text = f"{self.applied} Änderungsbefehle angewendet, {self.failed} fehlgeschlagen"
        skipped = sum(1 for e in self.entries if e.status == NOT_APPLICABLE)
        if skipped:
            text += f", {skipped} nicht anwendbar (anderer Rechtstext oder Inhaltsübersicht)"
        if self.failed:
            text += ". Die fehlgeschlagenen Befehle haben nichts verändert; alle anderen wurden angewendet."
        return text

    def as_dict(self) -> dict:
        return {"act": self.act_title, "law": self.law_title, "summary": self.summary, "in_force": self.in_force,
                "applied": self.applied, "failed": self.failed, "articles": self.articles,
                "instructions": [e.as_dict() for e in self.entries]}


# ---------------------------------------------------------------------------- entry point


def apply_act(base_text: str, act_text: str, *, articles: list[str] | None = None,
              law: tuple[str, ...] = ()) -> AmendResult:
    """Apply the act to the base text. Raises :class:`AmendingActError` (German) if the act is no
    amending act or none of its Artikel amends the base's law.

    ``articles`` chooses the Artikel by number instead of by the law's names; ``law`` adds names
    of the law (title, abbreviation of the stored legal text) to those read from the base text."""
    if not is_amending_act(act_text):
        raise AmendingActError(
            "Die Datei ist keine Änderungsverordnung: es wurden keine Änderungsbefehle gefunden "
            "(z. B. „… wird wie folgt geändert:“, „werden die Wörter … ersetzt“).")
    doc = parse(base_text)
    names = law_names(doc.title, doc.abbreviation)
    for extra in law:
        names.extend(n for n in law_names(extra) if n not in names)
    act = parse_act(act_text)
    base = read_base(base_text)
    result = AmendResult(text=base_text, act_title=act.title, law_title=doc.title)
    chosen: list[Article] = []
    for article in act.articles:
        if re.search(r"Inkrafttreten", article.heading) or not article.instructions and re.search(
                r"\btritt\b.*\bin\s+Kraft\b", article.body[:2000]):
            body = re.split(r"\n[A-ZÄÖÜ][\w. -]{1,40}, den \d{1,2}\. ", "\n" + article.body, maxsplit=1)[0]
            result.in_force = " ".join(body.split())[:2000]  # without place, date and signature
        if not article.instructions:
            continue
        wanted = article.number in articles if articles else article_names_law(article, names)
        result.articles.append({"label": article.label, "heading": article.heading, "applies": wanted,
                                "instructions": len(article.instructions)})
        if wanted:
            chosen.append(article)
        else:
            reason = (f"{article.label} ({article.heading or 'ohne Überschrift'}) ändert nicht "
                      f"„{names[0] if names else doc.title}“.")
            for ins in article.instructions:
                result.entries.append(_entry(ins, NOT_APPLICABLE, reason))
    if not chosen:
        known = ", ".join(f"{a['label']} ({a['heading']})" for a in result.articles) or "keine"
        raise AmendingActError(
            f"Kein Artikel dieser Änderungsverordnung ändert „{names[0] if names else doc.title}“ "
            f"(gefunden: {known}). Ist der Rechtstext dort anders benannt, bitte den Artikel angeben.")
    count = 0
    for article in chosen:
        for ins in article.instructions:
            count += 1
            if count > MAX_INSTRUCTIONS:
                result.entries.append(_entry(ins, FAILED, "Zu viele Änderungsbefehle."))
                continue
            snapshot = _snapshot(base)
            try:
                status = apply_instruction(base, ins, names)
            except InstructionError as exc:
                _restore(base, snapshot)
                result.entries.append(_entry(ins, FAILED, str(exc)))
                continue
            result.entries.append(_entry(ins, status, "" if status == APPLIED else
                                         "Die Inhaltsübersicht wird nicht fortgeschrieben."))
    result.entries.sort(key=lambda e: _order(act.articles, e))
    for unit in base.units():
        for para in unit.paras:
            para.new = False
    result.text = base.render()
    return result


def _snapshot(base: BaseText):
    """Everything an instruction may change (cheaper than a deep copy of a 350 KB law)."""
    units = [(u, u.label, u.heading, u.title, u.changed, u.trailing, list(u.paras),
              [(p, p.kind, p.label, p.marker, p.text, p.raw, p.new) for p in u.paras]) for u in base.units()]
    return list(base.parts), units


def _restore(base: BaseText, snapshot) -> None:
    parts, units = snapshot
    base.parts = parts
    for u, label, heading, title, changed, trailing, paras, states in units:
        u.label, u.heading, u.title, u.changed, u.trailing, u.paras = label, heading, title, changed, trailing, paras
        for p, kind, lab, marker, text, raw, new in states:
            p.kind, p.label, p.marker, p.text, p.raw, p.new = kind, lab, marker, text, raw, new


def _order(articles: list[Article], entry: Entry) -> int:
    for i, art in enumerate(articles):
        if art.label == entry.article:
            return i
    return 0


def _entry(ins: Instruction, status: str, reason: str) -> Entry:
    return Entry(article=ins.article, number=ins.number, label=ins.label, text=ins.text, context=ins.context,
                 status=status, reason=reason)


# ---------------------------------------------------------------------------- instruction grammar

_Q = "\u27e8"  # ⟨n⟩ stands for the n-th quotation
_NUMLIST = r"\d+[a-z]?(?:\s*(?:,|und|bis|sowie|oder)\s*\d+[a-z]?)*"
_LETLIST = r"[a-z]{1,3}(?:\s*(?:,|und|bis|sowie|oder)\s*[a-z]{1,3})*"
_TOKENS = [
    ("intro", re.compile(r"\b(?:Satzteil\s+vor\s+(?:der\s+)?(?:Nummer|Buchstabe|Aufzählung)(?:\s+[0-9a-z]+)?"
                         r"|einleitenden?\s+Satzteil)")),
    ("closing", re.compile(r"\b(?:Satzteil\s+nach\s+(?:der\s+)?(?:Nummer|Buchstabe|Aufzählung)(?:\s+[0-9a-z]+)?"
                           r"|abschließenden?\s+Satzteil)")),
    ("halbsatz", re.compile(r"\b(erste|zweite|dritte|vierte)[rn]?\s+Halbsatz(?:es)?")),
    ("units", re.compile(rf"§§\s*({_NUMLIST})")),
    ("unit", re.compile(r"§\s*(\d+[a-z]*)")),
    ("artikel", re.compile(r"\bArtikels?\s+(\d+[a-z]*)")),
    ("anlage", re.compile(r"\bAnlagen?(?:\s+(\d+[a-z]*))?\b")),
    ("eingangsformel", re.compile(r"\bEingangsformel\b")),
    ("absatz", re.compile(rf"\bAbs(?:atz|atzes|ätze|ätzen)\s+({_NUMLIST})")),
    ("satz", re.compile(rf"\bS(?:atz|atzes|ätze|ätzen)\s+({_NUMLIST})")),
    ("nummer", re.compile(rf"\bNummer(?:n)?\s+({_NUMLIST})")),
    ("dreifachbuchstabe", re.compile(rf"\bDreifachbuchstaben?\s+({_LETLIST})")),
    ("doppelbuchstabe", re.compile(rf"\bDoppelbuchstaben?\s+({_LETLIST})")),
    ("buchstabe", re.compile(rf"\bBuchstaben?\s+({_LETLIST})")),
    ("heading", re.compile(r"\bÜberschrift\b")),
    ("toc", re.compile(r"\bInhalts(?:übersicht|verzeichnis)\b")),
]
_ORDINAL = {"erste": 1, "zweite": 2, "dritte": 3, "vierte": 4}


@dataclass
class Token:
    kind: str
    labels: list[str]
    start: int
    end: int


def _expand(text: str, letters: bool) -> list[str]:
    parts = re.split(r"\s*(,|und|sowie|oder|bis)\s*", text.strip())
    out: list[str] = []
    i = 0
    while i < len(parts):
        item = parts[i]
        if item in (",", "und", "sowie", "oder", ""):
            i += 1
            continue
        if item == "bis" and out and i + 1 < len(parts):
            last, end = out[-1], parts[i + 1]
            out.extend(_range(last, end, letters)[1:])
            i += 2
            continue
        out.append(item)
        i += 1
    return out[:200]


def _range(a: str, b: str, letters: bool) -> list[str]:
    if letters:
        if len(a) == len(b) and a and b and len(set(a)) == 1 and len(set(b)) == 1 and a[0] <= b[0]:
            return [chr(c) * len(a) for c in range(ord(a[0]), ord(b[0]) + 1)]
        return [a, b]
    ma, mb = re.fullmatch(r"(\d+)([a-z]?)", a), re.fullmatch(r"(\d+)([a-z]?)", b)
    if ma and mb and not ma.group(2) and not mb.group(2) and int(ma.group(1)) <= int(mb.group(1)) <= int(ma.group(1)) + 200:
        return [str(n) for n in range(int(ma.group(1)), int(mb.group(1)) + 1)]
    if ma and mb and ma.group(1) == mb.group(1) and mb.group(2):
        start = ord(ma.group(2)) if ma.group(2) else ord("a") - 1
        return [a] + [ma.group(1) + chr(c) for c in range(start + 1, ord(mb.group(2)) + 1)]
    return [a, b]


def tokens(text: str) -> list[Token]:
    """Address tokens of an instruction text (quotations must be replaced by placeholders)."""
    found: list[Token] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _TOKENS:
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if kind == "units":
                labels, kind = [f"§ {n}" for n in _expand(m.group(1), letters=False)], "unit"
            elif kind == "unit":
                labels = [f"§ {m.group(1)}"]
            elif kind == "artikel":
                labels, kind = [f"Artikel {m.group(1)}"], "unit"
            elif kind == "anlage":
                labels, kind = [f"Anlage {m.group(1)}" if m.group(1) else "Anlage"], "unit"
            elif kind == "eingangsformel":
                labels, kind = ["Eingangsformel"], "unit"
            elif kind == "halbsatz":
                labels = [str(_ORDINAL[m.group(1)])]
            elif kind in ("intro", "closing", "heading", "toc"):
                labels = []
            else:
                labels = _expand(m.group(1), letters=kind.endswith("buchstabe"))
            found.append(Token(kind, labels, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda t: t.start)
    return found


def mask_quotes(text: str) -> tuple[str, list[str]]:
    """The text with each quotation replaced by ⟨n⟩, and the quotations' contents."""
    quotes: list[str] = []
    out, pos = [], 0
    for s, e in quote_spans(text):
        out.append(text[pos:s])
        inner = text[s + 1:e - 1] if text[e - 1:e] == "“" else text[s + 1:e]
        out.append(f"{_Q}{len(quotes)}\u27e9")
        quotes.append(_inner_quotes(inner))
        pos = e
    out.append(text[pos:])
    return "".join(out), quotes


def _inner_quotes(text: str) -> str:
    """‚…‘ inside a quotation are the „…“ of the amended text."""
    return re.sub(r"‚([^‚‘]*)‘", r"„\1“", text)


def strip_citation(text: str, names: list[str]) -> str:
    """Remove "der Coronavirus-Impfverordnung vom … (…), die zuletzt … geändert worden ist," from an
    Artikel with a single instruction."""
    for name in names:
        rx = re.compile(r"\s(?:der|des)\s+" + r"\s+".join(re.escape(w) for w in name.split())
                        + r"(?:es|s)?(?:\s+vom\s+\d{1,2}\.\s*\w+\s+\d{4})?(?:\s*\([^()„]{0,200}\))?"
                        r"(?:,\s*(?:die|das|der)\s[^„]{0,400}?worden\s+ist,?)?", re.IGNORECASE)
        new = rx.sub("", text, count=1)
        if new != text:
            return new
    return text


# ---------------------------------------------------------------------------- applying


def apply_instruction(base: BaseText, ins: Instruction, names: list[str]) -> str:
    texts = [strip_citation(c, names) for c in ins.context]
    own_raw = strip_citation(ins.text, names) if not ins.number else ins.text
    context_tokens: list[Token] = []
    for ctx in texts:
        masked, _ = mask_quotes(ctx)
        if re.search(r"Inhalts(?:übersicht|verzeichnis)", masked):
            return NOT_APPLICABLE
        context_tokens.extend(t for t in tokens(masked) if t.kind != "toc")
    masked, quotes = mask_quotes(own_raw)
    if re.search(r"\bInhalts(?:übersicht|verzeichnis)\b", masked):
        return NOT_APPLICABLE
    clauses = _split_clauses(masked)
    if not clauses:
        raise InstructionError("Der Änderungsbefehl wurde nicht verstanden (kein „ersetzt“, „gestrichen“, "
                               "„eingefügt“, „angefügt“, „aufgehoben“ oder „gefasst“).")
    previous: list[Token] = []
    base.memo = {}
    for clause in clauses:
        own = _scope_tokens(tokens(clause), clause)
        inherited: list[Token] = []
        if previous and not any(t.kind == "unit" for t in context_tokens + own):
            # "In § 3 wird Absatz 3 aufgehoben. Der bisherige Absatz 4 wird Absatz 3." /
            # "… ersetzt und folgender Halbsatz wird angefügt": the second clause names no place of its own
            kinds = {t.kind for t in tokens(clause)}
            inherited = list(previous)
            while inherited and inherited[-1].kind in kinds:
                inherited.pop()
        shape = [(id(u), len(u.paras)) for u in base.units()]
        _apply_clause(base, clause, quotes, context_tokens + inherited)
        if shape != [(id(u), len(u.paras)) for u in base.units()]:
            base.memo = {}  # paragraphs were inserted or removed: places are found anew
        previous = inherited + own
    return APPLIED


_VERB = re.compile(r"\b(ersetzt|gestrichen|eingefügt|angefügt|aufgehoben|gefasst|Fassung|bisherigen?|"
                   r"(?:wird|werden)\s+(?:die\s+|der\s+)?(?:Absatz|Absätze|Nummer|Nummern|Satz|Sätze|Buchstabe|"
                   r"Buchstaben|Doppelbuchstabe|Doppelbuchstaben|§)\s+[0-9a-z]+)")


def _split_clauses(masked: str) -> list[str]:
    """Sentences of an instruction, and "… ersetzt und … angefügt" split into its two commands."""
    parts = [p.strip() for p in re.split(r"(?<=[.:])\s+(?=[A-ZÄÖÜ])", masked) if p.strip()]
    out: list[str] = []
    for part in parts:
        if not _VERB.search(part):
            if out and _Q in part:  # the quotation of the previous clause continues
                out[-1] += " " + part
            continue
        pieces = re.split(r"(?:(?<=setzt)|(?<=ichen)|(?<=efügt)|(?<=hoben)|(?<=fasst))\s+und\s+(?=\S)", part)
        out.extend(p for p in pieces if p)
    return out


def _quote_ids(text: str) -> list[int]:
    return [int(n) for n in re.findall(_Q + r"(\d+)\u27e9", text)]


_PUNCT = {"Punkt": ".", "Komma": ",", "Semikolon": ";", "Doppelpunkt": ":", "Fragezeichen": "?",
          "Ausrufezeichen": "!"}
_OBJ = re.compile(_Q + r"(\d+)\u27e9|\b(?:der|das|den|dem|ein|einen|eine)\s+(Punkt|Komma|Semikolon|Doppelpunkt|"
                  r"Fragezeichen|Ausrufezeichen)\b")


def _objects(text: str, quotes: list[str]) -> list[str]:
    out = []
    for m in _OBJ.finditer(text):
        out.append(quotes[int(m.group(1))] if m.group(1) else _PUNCT[m.group(2)])
    return out


MAX_CLAUSE = 3000  # characters of a command outside its quotations (real ones have < 500)


def _apply_clause(base: BaseText, clause: str, quotes: list[str], context: list[Token]) -> None:
    if len(clause) > MAX_CLAUSE:
        raise InstructionError("Der Änderungsbefehl ist zu lang, um ihn zuverlässig zu lesen.")
    toks = tokens(clause)
    # "Absatz 1 des § 3": the § first, then the places inside it
    toks = [t for t in toks if t.kind == "unit"] + [t for t in toks if t.kind != "unit"]
    if any(t.kind == "toc" for t in toks + context):
        return
    verb = None
    for m in re.finditer(r"\b(ersetzt|gestrichen|eingefügt|angefügt|aufgehoben|gefasst|erhält\s+folgende\s+Fassung)\b",
                         clause):
        verb = m.group(1)
    if verb == "ersetzt" and re.search(r"\bdurch\s+(?:den\s+|die\s+)?folgenden?\s+", clause) \
            and not _objects(clause[:clause.find("durch")], quotes):
        # "Satz 2 wird durch die folgenden Sätze ersetzt: „…“" is a new wording of the place
        return _reword(base, clause[:clause.find("durch")] + " wie folgt gefasst: " +
                       " ".join(f"{_Q}{i}\u27e9" for i in _quote_ids(clause)), quotes, tokens(clause[:clause.find("durch")]),
                       context)
    renumber = re.search(r"\bbisherigen?\b", clause) or verb is None and re.search(
        r"\b(?:Absatz|Absätze|Nummer|Nummern|Buchstabe|Buchstaben|Satz|Sätze|§§?)\s+[0-9a-z ,]+?\s+(?:wird|werden)\s+"
        r"(?:die\s+|der\s+|zu\s+)?(?:Absatz|Absätze|Absätzen|Nummer|Nummern|Buchstabe|Buchstaben|Satz|Sätze|Sätzen|§§?)\s+"
        r"[0-9a-z]", clause)
    if verb is None:
        if renumber:
            return _renumber(base, clause, toks, context)
        raise InstructionError("Der Änderungsbefehl wurde nicht verstanden.")
    if verb == "ersetzt":
        return _replace(base, clause, quotes, toks, context)
    if verb == "gestrichen":
        if re.search(r"Absatzbezeichnung", clause):
            return _drop_absatz_marker(base, clause, quotes, toks, context)
        if _objects(clause, quotes):
            return _delete_words(base, clause, quotes, toks, context)
        return _repeal(base, toks, context)
    if verb == "aufgehoben":
        return _repeal(base, toks, context)
    if verb.startswith("gefasst") or verb.startswith("erhält"):
        return _reword(base, clause, quotes, toks, context)
    if verb in ("eingefügt", "angefügt"):
        return _insert(base, clause, quotes, toks, context, append=verb == "angefügt")
    raise InstructionError("Der Änderungsbefehl wurde nicht verstanden.")


# ---------------------------------------------------------------------------- addresses


@dataclass
class Scope:
    unit: Unit
    a: int  # paragraph range [a, b)
    b: int
    pieces: list[tuple[int, int, int]]  # text ranges (para, start, end)
    kind: str = "unit"  # kind of the last address step
    label: str = ""
    sentence: object = None
    heading: bool = False
    base: object = None
    where: str = ""


def _describe(toks: list[Token]) -> str:
    names = {"absatz": "Absatz", "satz": "Satz", "nummer": "Nummer", "buchstabe": "Buchstabe",
             "doppelbuchstabe": "Doppelbuchstabe", "dreifachbuchstabe": "Dreifachbuchstabe"}
    out = []
    for t in toks:
        if t.kind == "unit":
            out.append(t.labels[0])
        elif t.kind in names:
            out.append(f"{names[t.kind]} {' und '.join(t.labels)}")
        elif t.kind == "intro":
            out.append("einleitender Satzteil")
        elif t.kind == "closing":
            out.append("abschließender Satzteil")
        elif t.kind == "halbsatz":
            out.append(f"{t.labels[0]}. Halbsatz")
        elif t.kind == "heading":
            out.append("Überschrift")
    return " ".join(out)


def _all_pieces(unit: Unit, a: int, b: int) -> list[tuple[int, int, int]]:
    return [(i, 0, len(unit.paras[i].text)) for i in range(a, b) if unit.paras[i].kind != "note"]


def resolve(base: BaseText, toks: list[Token]) -> Scope:
    """The place that the address tokens name; :class:`InstructionError` if it does not exist."""
    units = [t for t in toks if t.kind == "unit"]
    if not units:
        raise InstructionError("Der Befehl nennt keine Vorschrift (§, Artikel, Anlage).")
    key = tuple((t.kind, tuple(t.labels)) for t in toks)
    if key in base.memo:
        return base.memo[key]
    scope = _resolve(base, toks, units)
    scope.base = base
    base.memo[key] = scope
    return scope


def _shift(base: BaseText, unit: Unit, pi: int, at: int, delta: int) -> None:
    """Keep remembered places valid after a text of paragraph ``pi`` changed length at ``at``."""
    for scope in base.memo.values():
        if scope.unit is unit:
            scope.pieces = [(p, s + delta if p == pi and s > at else s, max(s, e + delta) if p == pi and e >= at else e)
                            for p, s, e in scope.pieces]


def _resolve(base: BaseText, toks: list[Token], units: list[Token]) -> Scope:
    label = units[-1].labels[0]
    unit = base.unit(label)
    if unit is None:
        raise InstructionError(f"{label} gibt es in der Ausgangsfassung nicht.")
    steps = [t for t in toks if t.kind != "unit"]
    scope = Scope(unit=unit, a=0, b=len(unit.paras), pieces=_all_pieces(unit, 0, len(unit.paras)), label=label)
    where = label
    for step in steps:
        where += " " + _describe([step])
        scope = _step(scope, step, where)
    scope.where = where
    return scope


def _find(paras: list[Para], a: int, b: int, kind: str, label: str) -> int | None:
    """Index of the paragraph of ``kind`` and ``label`` at the shallowest level in [a, b); old
    paragraphs before paragraphs inserted by this act."""
    hits = [i for i in range(a, b) if paras[i].kind == kind and paras[i].label == label]
    if not hits:
        return None
    old = [i for i in hits if not paras[i].new]
    return (old or hits)[0]


def _step(scope: Scope, step: Token, where: str) -> Scope:
    unit, paras = scope.unit, scope.unit.paras
    if step.kind == "heading":
        return Scope(unit=unit, a=scope.a, b=scope.b, pieces=[], kind="heading", heading=True)
    if step.kind in ("absatz", "nummer", "buchstabe", "doppelbuchstabe", "dreifachbuchstabe", "satz"):
        if len(step.labels) != 1:
            # "In Satz 1 und 2 werden jeweils …": the places together
            parts = [_step(scope, Token(step.kind, [lab], 0, 0), where) for lab in step.labels]
            pieces = sorted({p for part in parts for p in part.pieces})
            return Scope(unit, min(p.a for p in parts), max(p.b for p in parts), pieces, step.kind,
                         " und ".join(step.labels))
        label = step.labels[0]
    if step.kind == "absatz":
        i = _find(paras, scope.a, scope.b, "absatz", label)
        if i is None:
            raise InstructionError(f"{where} gibt es in der Ausgangsfassung nicht.")
        end = absatz_end(paras, i, scope.b)
        return Scope(unit, i, end, _all_pieces(unit, i, end), "absatz", label)
    if step.kind in ("nummer", "buchstabe", "doppelbuchstabe", "dreifachbuchstabe"):
        lo, hi = scope.a, scope.b
        if scope.sentence is not None and scope.sentence.lists:
            lo, hi = min(scope.sentence.lists), max(scope.sentence.lists) + 1
        i = _find(paras, lo, hi, step.kind, label)
        if i is None:
            raise InstructionError(f"{where} gibt es in der Ausgangsfassung nicht.")
        end = child_end(paras, i, hi)
        return Scope(unit, i, end, _all_pieces(unit, i, end), step.kind, label)
    if step.kind == "satz":
        sents = sentences(paras, scope.a, scope.b) if scope.sentence is None else []
        n = int(re.match(r"\d+", label).group(0))
        if not 1 <= n <= len(sents):
            raise InstructionError(f"{where} gibt es in der Ausgangsfassung nicht "
                                   f"(die Stelle hat {len(sents)} {'Satz' if len(sents) == 1 else 'Sätze'}).")
        sent = sents[n - 1]
        pieces = list(sent.pieces)
        for li in sent.lists:
            pieces.append((li, 0, len(paras[li].text)))
        pieces.sort()
        rng = sent.paras
        return Scope(unit, rng[0], rng[-1] + 1, pieces, "satz", label, sentence=sent)
    if step.kind == "halbsatz":
        text_pieces = [p for p in scope.pieces if scope.sentence is None or p[0] not in scope.sentence.lists]
        if len(text_pieces) != 1:
            raise InstructionError(f"{where}: der Halbsatz lässt sich nicht eindeutig bestimmen.")
        pi, s, e = text_pieces[0]
        text = paras[pi].text
        cuts = [s] + [s + m.end() for m in re.finditer(r";\s*", text[s:e])]
        n = int(step.labels[0])
        if n > len(cuts):
            raise InstructionError(f"{where} gibt es in der Ausgangsfassung nicht.")
        start = cuts[n - 1]
        end = cuts[n] if n < len(cuts) else e
        return Scope(unit, pi, pi + 1, [(pi, start, end)], "halbsatz", step.labels[0])
    if step.kind == "intro":
        sents = [scope.sentence] if scope.sentence is not None else sentences(paras, scope.a, scope.b)
        for sent in sents:
            if sent.lists:
                first_list = min(sent.lists)
                pieces = [p for p in sent.pieces if p[0] < first_list]
                if pieces:
                    return Scope(unit, pieces[0][0], pieces[-1][0] + 1, pieces, "intro")
        if scope.kind in ("nummer", "buchstabe", "doppelbuchstabe") and scope.b > scope.a + 1:
            return Scope(unit, scope.a, scope.a + 1, [(scope.a, 0, len(paras[scope.a].text))], "intro")
        raise InstructionError(f"{where}: die Stelle hat keine Aufzählung mit einleitendem Satzteil.")
    if step.kind == "closing":
        sents = [scope.sentence] if scope.sentence is not None else sentences(paras, scope.a, scope.b)
        for sent in sents:
            if sent.closing:
                pi, s, e = sent.closing
                return Scope(unit, pi, pi + 1, [sent.closing], "closing")
        raise InstructionError(f"{where}: die Stelle hat keinen abschließenden Satzteil nach der Aufzählung.")
    raise InstructionError(f"{where}: diese Angabe wird nicht unterstützt.")


def _scope_tokens(toks: list[Token], clause: str, *, skip_anchor: bool = True, skip_new: bool = True) -> list[Token]:
    """Tokens that address the place (not the anchor "nach Satz 1" or the new "folgender Absatz 3")."""
    out = []
    for t in toks:
        before = clause[max(0, t.start - 30):t.start]
        if skip_anchor and re.search(r"\b(?:[Nn]ach|[Vv]or)\s+(?:dem\s+|der\s+|den\s+)?$", before):
            continue
        if skip_new and re.search(r"\b(?:[Ff]olgende[rns]?|die\s+folgenden|[Dd]ie\s+[Ff]olgenden)\s+$", before):
            continue
        if re.search(r"\bbisherigen?\s+$", before):
            continue
        out.append(t)
    return out


# ---------------------------------------------------------------------------- word operations


def _occurrences(text: str, needle: str, s: int, e: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    if not needle:
        return out
    pos = s
    while True:
        i = text.find(needle, pos, e)
        if i < 0:
            break
        j = i + len(needle)
        left_ok = not needle[0].isalnum() or i == 0 or not text[i - 1].isalnum()
        right_ok = not needle[-1].isalnum() or j >= len(text) or not text[j].isalnum()
        if left_ok and right_ok:
            out.append((i, j))
        pos = i + 1
    if not out and "-" not in needle and len(needle) < 2000:
        # the text layer may have lost or kept a hyphen at a line break
        pattern = "".join(re.escape(c) + ("-?" if c.isalpha() else "") for c in needle)
        rx = re.compile(r"(?<!\w)" + pattern + r"(?!\w)")
        out = [(m.start(), m.end()) for m in rx.finditer(text, s, e)]
    return out


def _find_in_scope(scope: Scope, needle: str, clause: str, what: str) -> list[tuple[int, int, int]]:
    needle = " ".join(needle.split())
    paras = scope.unit.paras
    hits: list[tuple[int, int, int]] = []
    if scope.heading:
        for s, e in _occurrences(scope.unit.title, needle, 0, len(scope.unit.title)):
            hits.append((-1, s, e))
    else:
        for pi, s, e in scope.pieces:
            hits.extend((pi, a, b) for a, b in _occurrences(paras[pi].text, needle, s, e))
    where = _where(scope)
    plural = what in ("Die Wörter", "Die Angaben")
    stands, occurs = ("stehen", "kommen") if plural else ("steht", "kommt")
    if re.search(r"\bam\s+Ende\b", clause):
        ends = [h for h in hits if h[2] == _piece_end(scope, h[0])]
        hits = ends[-1:] if ends else []
        if not hits:
            raise InstructionError(f"{what} „{needle}“ {stands} nicht am Ende von {where}.")
    elif re.search(r"\bam\s+Anfang\b", clause):
        hits = [h for h in hits if h[1] == _piece_start(scope, h[0])][:1]
        if not hits:
            raise InstructionError(f"{what} „{needle}“ {stands} nicht am Anfang von {where}.")
    if not hits:
        raise InstructionError(f"{what} „{needle}“ {occurs} in {where} nicht vor.")
    if len(hits) > 1 and not re.search(r"\b(?:jeweils|an\s+allen\s+Stellen|an\s+beiden\s+Stellen|überall)\b", clause):
        raise InstructionError(f"{what} „{needle}“ {occurs} in {where} {len(hits)}-mal vor; der Befehl sagt nicht, "
                               "welche Stelle gemeint ist (kein „jeweils“).")
    return hits


def _piece_end(scope: Scope, pi: int) -> int:
    if pi < 0:
        return len(scope.unit.title.rstrip())
    ends = [e for p, _, e in scope.pieces if p == pi]
    text = scope.unit.paras[pi].text
    end = max(ends) if ends else len(text)
    return len(text[:end].rstrip())


def _piece_start(scope: Scope, pi: int) -> int:
    if pi < 0:
        return 0
    starts = [s for p, s, _ in scope.pieces if p == pi]
    return min(starts) if starts else 0


def _where(scope: Scope) -> str:
    if scope.heading:
        return f"der Überschrift von {scope.unit.label}"
    names = {"absatz": "Absatz", "satz": "Satz", "nummer": "Nummer", "buchstabe": "Buchstabe",
             "doppelbuchstabe": "Doppelbuchstabe", "halbsatz": "Halbsatz", "intro": "einleitendem Satzteil",
             "closing": "abschließendem Satzteil"}
    if scope.where:
        return scope.where
    if scope.kind == "unit":
        return scope.unit.label
    return f"{scope.unit.label} ({names.get(scope.kind, scope.kind)} {scope.label})".replace(" )", ")")


def _splice(text: str, s: int, e: int, new: str) -> str:
    """Replace text[s:e] by new, with the spacing of German text."""
    before, after = text[:s], text[e:]
    if not new:
        before_r = before.rstrip()
        after_l = after.lstrip()
        if not before_r:
            return after_l
        if not after_l:
            return before_r
        if after_l[0] in ",.;:)!?“":
            return before_r + after_l
        return before_r + " " + after_l
    if before and before[-1].isalnum() and (new[0].isalnum() or new[0] in "„(§"):
        new = " " + new
    if after and new[-1].isalnum() and (after[0].isalnum() or after[0] in "„(§"):
        new = new + " "
    return before + new + after


def _edit(scope: Scope, hits: list[tuple[int, int, int]], replacement: str, mode: str) -> None:
    unit = scope.unit
    for pi, s, e in sorted(hits, key=lambda h: (h[0], h[1]), reverse=True):
        text = unit.title if pi < 0 else unit.paras[pi].text
        if mode == "replace":
            new = _splice(text, s, e, replacement)
        elif mode == "after":
            sep = "" if replacement[:1] in ",.;:)" else " "
            new = text[:e] + sep + replacement + ("" if text[e:e + 1] in ("", " ", ",", ".", ";", ":", ")", "!", "?", "“")
                                                  else " ") + text[e:]
        else:  # before
            new = text[:s] + replacement + ("" if text[s:s + 1] in ",.;:)" else " ") + text[s:]
        new = re.sub(r"  +", " ", new)
        if pi < 0:
            unit.set_title(new.strip())
        else:
            unit.paras[pi].set_text(new.strip())
            if scope.base is not None:
                _shift(scope.base, unit, pi, s, len(unit.paras[pi].text) - len(text))
    unit.changed = True



def _replace(base, clause, quotes, toks, context) -> None:
    scope = resolve(base, context + _scope_tokens(toks, clause))
    pairs = re.finditer(r"(.*?)\bdurch\b(.*?)(?=\bund\b[^⟨]*⟨\d+⟩[^⟨]*\bdurch\b|$)", clause)
    done = False
    for m in pairs:
        old, new = _objects(m.group(1), quotes), _objects(m.group(2), quotes)
        if not old and not new:
            continue
        if len(old) < 1 or len(new) < 1:
            raise InstructionError("Der Ersetzungsbefehl nennt nicht, was wodurch ersetzt wird.")
        target = old[-1]
        replacement = _join_objects(new)
        hits = _find_in_scope(scope, target, clause, _what(m.group(1)))
        _edit(scope, hits, replacement, "replace")
        done = True
    if not done:
        raise InstructionError("Der Ersetzungsbefehl nennt nicht, was wodurch ersetzt wird.")


def _join_objects(objs: list[str]) -> str:
    """"ein Komma und das Wort „und“" → ", und"."""
    return "".join(o if o in ",.;:!?" else " " + " ".join(o.split()) for o in objs).strip()


def _what(text: str) -> str:
    if re.search(r"\bWörter\b|\bWort\b", text):
        return "Das Wort" if re.search(r"\bWort\b", text) else "Die Wörter"
    if re.search(r"\bAngaben\b", text):
        return "Die Angaben"
    if re.search(r"\bAngabe", text):
        return "Die Angabe"
    if re.search(r"Punkt|Komma|Semikolon|Doppelpunkt", text):
        return "Das Zeichen"
    return "Der Text"


def _delete_words(base, clause, quotes, toks, context) -> None:
    scope = resolve(base, context + _scope_tokens(toks, clause))
    objs = _objects(clause, quotes)
    # resolve every object first: the command is atomic
    found = [(_find_in_scope(scope, obj, clause, _what(clause))) for obj in objs]
    for hits in found:
        _edit(scope, hits, "", "replace")


def _drop_absatz_marker(base, clause, quotes, toks, context) -> None:
    scope = resolve(base, context + _scope_tokens(toks, clause))
    objs = _objects(clause, quotes)
    marker = objs[0].strip() if objs else ""
    m = re.fullmatch(r"\((\d+[a-z]?)\)", marker)
    if not m:
        raise InstructionError(f"„{marker}“ ist keine Absatzbezeichnung.")
    i = _find(scope.unit.paras, scope.a, scope.b, "absatz", m.group(1))
    if i is None:
        raise InstructionError(f"Die Absatzbezeichnung „{marker}“ gibt es in {scope.unit.label} nicht.")
    para = scope.unit.paras[i]
    para.kind, para.label, para.marker = "text", "", ""
    para.raw = None
    scope.unit.changed = True


# ---------------------------------------------------------------------------- structure operations


_KIND_WORDS = {
    "absatz": r"Abs(?:atz|ätze)", "satz": r"S(?:atz|ätze)", "nummer": r"Nummern?",
    "buchstabe": r"Buchstaben?", "doppelbuchstabe": r"Doppelbuchstaben?",
    "dreifachbuchstabe": r"Dreifachbuchstaben?", "halbsatz": r"Halbs(?:atz|ätze)", "unit": r"(?:§|Paragraph|Artikel|Anlage)",
}


def _new_kind(clause: str) -> str:
    m = re.search(r"\b(?:[Ff]olgende[rns]?|die\s+folgenden|[Dd]ie\s+[Ff]olgenden)\s+(§|Paragraph|Artikel|Anlage|"
                  r"Dreifachbuchstaben?|Doppelbuchstaben?|Buchstaben?|Nummern?|Abs(?:atz|ätze)|Halbs(?:atz|ätze)|"
                  r"S(?:atz|ätze))", clause)
    if not m:
        m = re.search(r"\b(?:die|das|der)\s+(Wörter|Wort|Angabe|Angaben)\b", clause)
        return "words" if m else ""
    word = m.group(1)
    for kind, rx in _KIND_WORDS.items():
        if re.fullmatch(rx, word):
            return kind
    return ""


def _quote_text(clause: str, quotes: list[str]) -> str:
    ids = _quote_ids(clause)
    if not ids:
        raise InstructionError("Der Befehl enthält keinen Text in Anführungszeichen („…“).")
    return "\n\n".join(quotes[i] for i in ids)


def fragments(text: str, *, terms: bool = False) -> list[Para]:
    """Paragraphs of a quoted new text: a line break starts a new paragraph only before a marker
    that continues the numbering ("(5)" after "(4)", "2." after "1.", "1." after a colon).

    ``terms``: the base writes definition items as the term alone with the definition in the next
    paragraph ("8. Genesenennachweis" / "ein Nachweis …"); a new item whose first line is a term
    is written the same way."""
    lines = [ln.strip() for ln in text.split("\n")]
    paras: list[list[str]] = []
    last: dict[str, str] = {}
    hard = True
    for line in lines:
        if not line:
            hard = True
            continue
        para = Para.from_text(line)
        start = hard or not paras
        if not start and para.kind != "text":
            prev = last.get(para.kind)
            prev_text = " ".join(paras[-1]) if paras else ""
            first = {"absatz": "1", "nummer": "1", "buchstabe": "a", "doppelbuchstabe": "aa",
                     "dreifachbuchstabe": "aaa"}[para.kind]
            prev_kind = Para.from_text(paras[-1][0]).kind if paras else "text"
            if prev is not None and _follows(prev, para.label) or para.label == first and (
                    prev_text.rstrip().endswith(":")
                    # "d) Intervallzeiten," / "aa) …": a sub-list of letters under a list item
                    or para.kind in ("buchstabe", "doppelbuchstabe", "dreifachbuchstabe")
                    and prev_kind not in ("text", "note") and LEVEL[prev_kind] < LEVEL[para.kind]):
                start = True
        if start:
            paras.append([line])
            if para.kind != "text":
                last[para.kind] = para.label
        else:
            paras[-1].append(line)
        hard = False
    out: list[Para] = []
    for p in paras:
        head = Para.from_text(p[0])
        if terms and len(p) > 1 and head.kind not in ("text", "note") and is_term(head.text):
            out.append(Para.from_text(" ".join(p[0].split()), new=True))
            out.append(Para(kind="text", label="", marker="", text=" ".join(" ".join(p[1:]).split()), new=True))
            continue
        out.append(Para.from_text(" ".join(" ".join(p).split()), new=True))
    return out


def _keep_unchanged(old: list[Para], new: list[Para]) -> list[Para]:
    """Paragraphs a new wording repeats word for word stay as written in the base."""
    return [o if k < len(old) and (o := old[k]).kind == f.kind and o.label == f.label and o.text == f.text else f
            for k, f in enumerate(new)]


def _repeal(base, toks, context) -> None:
    toks = context + toks
    if not toks:
        raise InstructionError("Der Befehl nennt nicht, was aufgehoben wird.")
    last = toks[-1]
    if last.kind == "unit":
        for label in last.labels:
            unit = base.unit(label)
            if unit is None:
                raise InstructionError(f"{label} gibt es in der Ausgangsfassung nicht.")
        for label in last.labels:
            unit = base.unit(label)
            unit.paras = []
            unit.set_title("(weggefallen)")
        return
    if last.kind not in ("absatz", "satz", "nummer", "buchstabe", "doppelbuchstabe", "dreifachbuchstabe"):
        raise InstructionError(f"{_describe([last])} kann nicht aufgehoben werden.")
    parent = resolve(base, toks[:-1])
    # resolve all first (atomic), then remove from the back
    scopes = [_step(parent, Token(last.kind, [lab], 0, 0), _describe(toks[:-1]) + " " + _describe(
        [Token(last.kind, [lab], 0, 0)])) for lab in last.labels]
    unit = parent.unit
    if last.kind == "satz":
        cuts: list[tuple[int, int, int]] = []
        lists: set[int] = set()
        for sc in scopes:
            cuts.extend(sc.sentence.pieces)
            lists |= set(sc.sentence.lists)
        for pi, s, e in sorted(cuts, reverse=True):
            unit.paras[pi].set_text(_splice(unit.paras[pi].text, s, e, ""))
        drop = lists | {pi for pi, _, _ in cuts if not unit.paras[pi].text and unit.paras[pi].kind == "text"}
        unit.paras = [p for i, p in enumerate(unit.paras) if i not in drop]
        unit.changed = True
        return
    for sc in sorted(scopes, key=lambda s: s.a, reverse=True):
        para = unit.paras[sc.a]
        later_same = any(p.kind == para.kind for p in unit.paras[sc.b:parent.b]
                         if p.level <= para.level or p.kind == para.kind) and \
            any(p.kind == para.kind for p in unit.paras[sc.b:_block_end(unit, sc, parent)])
        if later_same:
            placeholder = Para(kind=para.kind, label=para.label, marker=para.marker, text="(weggefallen)")
            unit.paras[sc.a:sc.b] = [placeholder]
        else:
            del unit.paras[sc.a:sc.b]
    unit.changed = True


def _block_end(unit: Unit, sc: Scope, parent: Scope) -> int:
    """End of the list/Absatz sequence the unit ``sc`` belongs to."""
    para = unit.paras[sc.a]
    j = sc.b
    while j < parent.b:
        p = unit.paras[j]
        if p.kind == "text" or p.level < para.level:
            break
        j += 1
    return j


def _reword(base, clause, quotes, toks, context) -> None:
    new_text = _quote_text(clause, quotes)
    scope_toks = context + _scope_tokens(toks, clause)
    if not scope_toks:
        raise InstructionError("Der Befehl nennt nicht, was neu gefasst wird.")
    last = scope_toks[-1]
    if any(t.kind == "heading" for t in scope_toks):
        scope = resolve(base, [t for t in scope_toks if t.kind == "unit"])
        scope.unit.set_title(" ".join(new_text.split()))
        return
    if last.kind == "unit":
        unit = base.unit(last.labels[0])
        if unit is None:
            raise InstructionError(f"{last.labels[0]} gibt es in der Ausgangsfassung nicht.")
        title, paras = _unit_text(new_text, last.labels[0])
        unit.paras = paras
        unit.set_title(title)
        return
    scope = resolve(base, scope_toks)
    unit = scope.unit
    if scope.heading:
        unit.set_title(" ".join(new_text.split()))
        return
    frags = fragments(new_text, terms=scope.kind != "absatz" and is_term_item(unit.paras, scope.a, scope.b))
    if scope.kind in ("absatz", "nummer", "buchstabe", "doppelbuchstabe", "dreifachbuchstabe"):
        old = unit.paras[scope.a]
        if frags and frags[0].kind != old.kind:
            if frags[0].kind == "text" and old.marker:
                frags[0].kind, frags[0].label, frags[0].marker = old.kind, old.label, old.marker
            else:
                raise InstructionError(f"Die neue Fassung beginnt nicht mit der Bezeichnung {old.marker}.")
        unit.paras[scope.a:scope.b] = _keep_unchanged(unit.paras[scope.a:scope.b], frags)
        unit.changed = True
        return
    if scope.kind == "satz":
        sent = scope.sentence
        _replace_sentence(unit, sent.pieces, sent.lists, frags)
        return
    if scope.kind in ("halbsatz", "intro", "closing"):
        _replace_sentence(unit, scope.pieces, [], frags)
        return
    raise InstructionError(f"{_where(scope)} kann so nicht neu gefasst werden.")


def _replace_sentence(unit: Unit, pieces, lists, frags: list[Para]) -> None:
    """Put ``frags`` where the text pieces (and list paragraphs) of a sentence were."""
    pieces = sorted(pieces)
    first_pi, s, e = pieces[0]
    for pi, ps, pe in reversed(pieces[1:]):
        unit.paras[pi].set_text(_splice(unit.paras[pi].text, ps, pe, ""))
    para = unit.paras[first_pi]
    text = para.text
    before, after = text[:s].rstrip(), text[e:].lstrip()
    inline = frags[0].text if frags and frags[0].kind == "text" else ""
    rest = frags[1:] if inline or (frags and frags[0].kind == "text") else frags
    if rest and after:
        if rest[-1].kind == "text":
            rest[-1].set_text(rest[-1].text + " " + after)
        else:
            rest = rest + [Para.from_text(after, new=True)]
            rest[-1].kind, rest[-1].label, rest[-1].marker = "text", "", ""
        after = ""
    joined = " ".join(x for x in (before, inline, after) if x)
    para.set_text(joined)
    drop = set(lists) | {pi for pi, _, _ in pieces[1:] if not unit.paras[pi].text and unit.paras[pi].kind == "text"}
    new_paras = []
    for i, p in enumerate(unit.paras):
        if i in drop:
            continue
        new_paras.append(p)
        if i == first_pi:
            new_paras.extend(rest)
    unit.paras = new_paras
    unit.changed = True


def _unit_text(text: str, label: str) -> tuple[str, list[Para]]:
    """Title and paragraphs of a quoted new § ("§ 5a\nTitel\n(1) …")."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not lines:
        raise InstructionError("Die neue Fassung ist leer.")
    head = lines[0]
    m = re.match(r"^(?:§§?|Artikel|Anlage)\s*\d*[a-z]*\s*[-–]?\s*(.*)$", head)
    title = ""
    body = lines[1:]
    if m:
        title = m.group(1).strip()
        if not title and body and len(body[0]) <= 200 and not body[0].startswith("(") \
                and not body[0].endswith((".", ":", ";", ",")):
            title, body = body[0], body[1:]
    else:
        body = lines
    return title, fragments("\n".join(body)) if body else []


def _insert(base, clause, quotes, toks, context, *, append: bool) -> None:
    kind = _new_kind(clause)
    anchor_m = re.search(r"\b(?:[Nn]ach|[Vv]or)\s+(?:dem|der|den)\s+(?:Wörtern?|Wort|Angaben?|Zeichenfolge|Zahl|"
                         r"Bezeichnung|Satzteil|Abkürzung)?\s*" + _Q + r"(\d+)\u27e9|\b([Nn]ach|[Vv]or)\s+dem\s+"
                         r"(Punkt|Komma|Semikolon|Doppelpunkt)\b", clause)
    if anchor_m and kind in ("words", ""):
        return _insert_words(base, clause, quotes, toks, context, anchor_m)
    if kind in ("words", "") and append:
        scope = resolve(base, context + _scope_tokens(toks, clause))
        objs = _objects(clause, quotes)
        if not objs:
            raise InstructionError("Der Befehl nennt nicht, was angefügt wird.")
        _append_text(scope, _join_objects(objs))
        return
    if not kind:
        raise InstructionError("Der Befehl nennt nicht, was eingefügt wird.")
    new_text = _quote_text(clause, quotes)
    scope_toks = context + _scope_tokens(toks, clause)
    anchor = None
    for t in toks:
        before = clause[max(0, t.start - 30):t.start]
        if re.search(r"\b(?:[Nn]ach|[Vv]or)\s+(?:dem\s+|der\s+|den\s+)?$", before):
            anchor = (t, bool(re.search(r"\b[Vv]or\s+(?:dem\s+|der\s+|den\s+)?$", before)))
    if kind == "unit":
        return _insert_unit(base, new_text, anchor, append, clause)
    if kind in ("satz", "halbsatz"):
        return _insert_sentences(base, scope_toks, anchor, new_text, append)
    scope0 = resolve(base, scope_toks) if scope_toks else None
    terms = scope0 is not None and any(is_term_item(scope0.unit.paras, i, scope0.b) for i in range(scope0.a, scope0.b)
                                       if scope0.unit.paras[i].kind == kind)
    frags = fragments(new_text, terms=terms)
    if not frags:
        raise InstructionError("Der neue Text ist leer.")
    if anchor is not None:
        tok, before = anchor
        target = resolve(base, scope_toks + [tok])
        unit = target.unit
        pos = target.a if before else target.b
        unit.paras[pos:pos] = frags
        unit.changed = True
        return
    # angefügt: after the last unit of that kind in the scope
    scope = resolve(base, scope_toks)
    unit = scope.unit
    same = [i for i in range(scope.a, scope.b) if unit.paras[i].kind == kind and i != scope.a or
            unit.paras[i].kind == kind and scope.kind != kind]
    if same:
        last = same[-1]
        pos = absatz_end(unit.paras, last, scope.b) if kind == "absatz" else child_end(unit.paras, last, scope.b)
    else:
        pos = scope.b
        if kind != "absatz":
            # a new list directly after the sentence that introduces it
            while pos > scope.a + 1 and unit.paras[pos - 1].kind == "text" and scope.kind != "absatz":
                pos -= 1
    unit.paras[pos:pos] = frags
    unit.changed = True


def _insert_words(base, clause, quotes, toks, context, anchor_m) -> None:
    scope = resolve(base, context + _scope_tokens(toks, clause))
    if anchor_m.group(1) is not None:
        anchor_text = quotes[int(anchor_m.group(1))]
        before = anchor_m.group(0).lower().startswith("vor")
    else:
        anchor_text = _PUNCT[anchor_m.group(3)]
        before = anchor_m.group(2).lower() == "vor"
    rest = clause[:anchor_m.start()] + clause[anchor_m.end():]
    objs = _objects(rest, quotes)
    if not objs:
        raise InstructionError("Der Befehl nennt nicht, was eingefügt wird.")
    new = _join_objects(objs)
    hits = _find_in_scope(scope, anchor_text, clause, _what(anchor_m.group(0)))
    _edit(scope, hits, new, "before" if before else "after")


def _append_text(scope: Scope, text: str) -> None:
    unit = scope.unit
    pi, s, e = max(scope.pieces) if scope.pieces else (None, 0, 0)
    if pi is None:
        raise InstructionError(f"{_where(scope)} hat keinen Text, an den angefügt werden kann.")
    para = unit.paras[pi]
    end = _piece_end(scope, pi)
    sep = "" if text[:1] in ",.;:" else " "
    old_len = len(para.text)
    para.set_text(para.text[:end] + sep + text + para.text[end:])
    if scope.base is not None:
        _shift(scope.base, unit, pi, end, len(para.text) - old_len)
    unit.changed = True


def _insert_sentences(base, scope_toks, anchor, new_text, append) -> None:
    frags = fragments(new_text)
    if not frags:
        raise InstructionError("Der neue Text ist leer.")
    if anchor is not None:
        tok, before = anchor
        target = resolve(base, scope_toks + [tok])
        unit = target.unit
        sent = target.sentence
        if sent is None:
            raise InstructionError("Die Stelle für den neuen Satz wurde nicht gefunden.")
        if before:
            pi, s, _ = min(sent.pieces)
            _put_text(unit, pi, s, frags, before=True)
        else:
            if sent.lists and (not sent.pieces or max(sent.lists) > max(sent.pieces)[0]):
                pos = max(sent.lists) + 1
                unit.paras[pos:pos] = [_as_text(f) for f in frags]
                unit.changed = True
                return
            pi, _, e = max(sent.pieces)
            _put_text(unit, pi, e, frags, before=False)
        return
    scope = resolve(base, scope_toks)
    unit = scope.unit
    # the last text of the scope: the last text piece, or a new paragraph after a closing list
    last_pi = scope.b - 1
    if scope.kind == "satz" or scope.kind == "halbsatz":
        pi, _, e = max(p for p in scope.pieces if unit.paras[p[0]].kind == "text" or p[0] == scope.a)
        _put_text(unit, pi, e, frags, before=False)
        return
    if unit.paras and unit.paras[last_pi].kind in ("text",) or last_pi == scope.a:
        _put_text(unit, last_pi, len(unit.paras[last_pi].text), frags, before=False)
    else:
        pos = scope.b
        unit.paras[pos:pos] = [_as_text(f) for f in frags]
        unit.changed = True


def _as_text(para: Para) -> Para:
    if para.kind != "text":
        para.text = f"{para.marker} {para.text}".strip()
        para.kind, para.label, para.marker = "text", "", ""
    return para


def _put_text(unit: Unit, pi: int, pos: int, frags: list[Para], *, before: bool) -> None:
    para = unit.paras[pi]
    inline = frags[0].text if frags[0].kind == "text" else ""
    rest = frags[1:] if inline else frags
    text = para.text
    if before:
        para.set_text((inline + " " + text[pos:].lstrip() if inline else text[pos:]).strip()
                      if pos == 0 else text[:pos].rstrip() + " " + inline + " " + text[pos:].lstrip())
    else:
        head, tail = text[:pos].rstrip(), text[pos:].lstrip()
        if rest and tail:
            rest = rest + [Para(kind="text", label="", marker="", text=tail, new=True)]
            tail = ""
        para.set_text(" ".join(x for x in (head, inline, tail) if x))
        unit.paras[pi + 1:pi + 1] = rest
    unit.changed = True


def _insert_unit(base: BaseText, new_text: str, anchor, append: bool, clause: str) -> None:
    m = re.search(r"\b(?:[Ff]olgende[rns]?|die\s+folgenden)\s+((?:§§?|Artikel|Anlagen?)\s*" + _NUMLIST + ")", clause)
    labels = [lab for t in tokens(m.group(1)) for lab in t.labels] if m else []
    lines = new_text.strip().split("\n")
    if not labels:
        hm = re.match(r"^(§|Artikel|Anlage)\s*(\d+[a-z]*)", lines[0].strip())
        if not hm:
            raise InstructionError("Die Bezeichnung der neuen Vorschrift fehlt.")
        labels = [f"{hm.group(1)} {hm.group(2)}"]
    # one quotation may hold several new §§: split at the lines that begin with their labels
    chunks: list[list[str]] = []
    wanted = list(labels)
    for line in lines:
        head = line.strip()
        if wanted and re.match(re.escape(wanted[0]).replace("\\ ", r"\s*") + r"(?![0-9a-z])", head):
            chunks.append([line])
            wanted.pop(0)
        elif chunks:
            chunks[-1].append(line)
        else:
            chunks.append([line])
    if len(chunks) != len(labels):
        raise InstructionError(f"Der neue Text enthält nicht {' und '.join(labels)}.")
    new_units = []
    for label, chunk in zip(labels, chunks, strict=True):
        if base.unit(label) is not None:
            raise InstructionError(f"{label} gibt es in der Ausgangsfassung schon.")
        title, paras = _unit_text("\n".join(chunk), label)
        for p in paras:
            p.new = True
        heading = f"{base.heading_prefix}{label}" + (f" – {title}" if title else "")
        new_units.append(Unit(label=label, kind="paragraph", heading=heading, title=title, paras=paras, raw=[],
                              blank_separated=True, trailing=1, changed=True))
    if anchor is not None:
        tok, before = anchor
        target = base.unit(tok.labels[-1] if not before else tok.labels[0])
        if target is None:
            raise InstructionError(f"{tok.labels[0]} gibt es in der Ausgangsfassung nicht.")
        index = base.parts.index(target)
        if not before:
            index += 1
            while index < len(base.parts) and not isinstance(base.parts[index], Unit):
                index += 1
    else:
        units = [u for u in base.units() if u.kind == "paragraph"]
        if not units:
            raise InstructionError("Die Ausgangsfassung hat keine §§, an die angefügt werden kann.")
        last = units[-1]
        if not last.trailing:
            last.trailing = 1
            last.changed = True
        index = base.parts.index(last) + 1
    base.parts[index:index] = new_units


# ---------------------------------------------------------------------------- renumbering


def _renumber(base, clause, toks, context) -> None:
    if re.search(r"bisherige\s+Wortlaut\s+wird\s+Absatz\s+1\b", clause):
        scope = resolve(base, context + [t for t in toks if t.kind == "unit"])
        unit = scope.unit
        if not unit.paras or unit.paras[0].kind == "absatz":
            raise InstructionError(f"{unit.label} hat schon Absätze.")
        first = unit.paras[0]
        first.kind, first.label, first.marker = "absatz", "1", "(1)"
        first.raw = None
        unit.changed = True
        return
    toks = [t for t in tokens(clause) if t.kind != "toc"]
    # the last two places of the same kind: "Die bisherigen Absätze 3 und 4 werden die Absätze 4 und 5",
    # "In § 3 werden die bisherigen Absätze 3 und 4 die Absätze 4 und 5", "Der bisherige § 6 wird § 7"
    pair = None
    for i in range(len(toks) - 1, 0, -1):
        if toks[i - 1].kind == toks[i].kind and toks[i].kind not in ("heading", "intro", "closing", "halbsatz"):
            pair = (i - 1, i)
            break
    if pair is None:
        raise InstructionError("Der Umnummerierungsbefehl nennt keine alte und neue Bezeichnung derselben Art.")
    old, new = toks[pair[0]], toks[pair[1]]
    if len(old.labels) != len(new.labels):
        raise InstructionError(f"Alte ({len(old.labels)}) und neue ({len(new.labels)}) Bezeichnungen passen nicht "
                               "zusammen.")
    prefix = context + toks[:pair[0]]
    if old.kind == "unit":
        units = []
        for label in old.labels:
            unit = base.unit(label)
            if unit is None:
                raise InstructionError(f"{label} gibt es in der Ausgangsfassung nicht.")
            units.append(unit)
        for unit, label in zip(units, new.labels, strict=True):
            unit.heading = unit.heading.replace(unit.label, label, 1)
            unit.label = label
            unit.changed = True
        return
    scope = resolve(base, prefix) if prefix else None
    if scope is None:
        raise InstructionError("Der Befehl nennt keine Vorschrift (§).")
    unit = scope.unit
    targets = []
    for label in old.labels:
        i = _find(unit.paras, scope.a, scope.b, old.kind, label)
        if i is None:
            raise InstructionError(f"{_describe([Token(old.kind, [label], 0, 0)])} gibt es in {unit.label} nicht.")
        targets.append(i)
    moved = [unit.paras[i] for i in targets]
    for para, label in zip(moved, new.labels, strict=True):
        para.label, para.marker = label, relabel_marker(para.kind, label)
        para.raw = None
    # a "(weggefallen)" placeholder whose number is taken over disappears
    unit.paras = [p for p in unit.paras if not (p.text == "(weggefallen)" and p.kind == old.kind and
                                                p.label in new.labels and p not in moved)]
    unit.changed = True


__all__ = ["AmendResult", "Entry", "apply_act", "InstructionError", "AmendingActError", "LEVEL", "fragments"]
