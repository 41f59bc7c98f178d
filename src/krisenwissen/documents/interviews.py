"""Interview transcripts: speaker turns and pseudonymisation (pure, no Django).

A transcript is plain text (or the paragraphs of a DOCX) in which each turn starts with a
speaker label: the usual ``I:`` (interviewer) and ``B:`` (befragte Person), a named speaker
``Name:`` or ``[Name]``. Timestamps such as ``(00:12:34)`` or ``[00:12:34]`` before or after the
label are tolerated and kept apart from the spoken text. Lines without a label continue the
turn before.

``pseudonymise`` replaces named speakers by "Person 1", "Person 2" … (everywhere in the text)
and the names, e-mail addresses and phone numbers found by the project's personal-data finder
(``knowledge.names.find_personal_data``) by bracketed placeholders. The result's ``text`` is
what all turn offsets refer to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from krisenwissen.knowledge.names import find_personal_data

INTERVIEWER_LABELS = {"i", "int", "interviewer", "interviewerin", "interviewende", "interviewende person", "frage"}
RESPONDENT_LABELS = {"b", "ip", "tn", "befragte", "befragter", "befragte person", "interviewpartner",
                     "interviewpartnerin", "antwort"}

_TIME = r"[\(\[]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\)\]]?"
_TIME_RE = re.compile(_TIME)
# "(00:12:34) I: text", "I (00:12:34): text", "[Anna Muster] text", "Anna Muster: text"
_LABEL_RE = re.compile(
    rf"^\s*(?:(?P<t1>{_TIME})\s*)?"
    r"(?:\[(?P<bracket>[^\[\]\d:][^\[\]:]{0,59})\]|(?P<name>[A-ZÄÖÜa-zäöüß][\wÄÖÜäöüß.\- ]{0,59}?)\s*"
    rf"(?:(?P<t2>{_TIME})\s*)?:)"
    rf"\s*(?:(?P<t3>{_TIME})\s*)?(?P<rest>.*)$"
)
MAX_LABEL_WORDS = 4
# Parts of a speaker label that are not names (never replaced on their own in the text).
NOT_NAMES = {"frau", "herr", "herrn", "dr", "prof", "dipl", "von", "van", "der", "den", "zu"}


class TranscriptError(ValueError):
    """A transcript we cannot read; the message is German."""


@dataclass(frozen=True)
class Turn:
    role: str  # "interviewer", "befragt", "person"
    speaker: str  # the label as shown in the pseudonymised text ("I", "B", "Person 1")
    start: int  # offsets of the spoken text in ``Transcript.text``
    end: int
    time: str = ""


@dataclass
class Transcript:
    text: str
    turns: list[Turn] = field(default_factory=list)
    # original speaker name -> pseudonym (kept only in memory, never stored)
    pseudonyms: dict[str, str] = field(default_factory=dict)
    replaced: int = 0  # how many personal data findings in the spoken text were replaced

    def turns_as_dicts(self) -> list[dict]:
        return [{"role": t.role, "speaker": t.speaker, "start": t.start, "end": t.end, "time": t.time} for t in self.turns]


def role_of(label: str) -> str:
    key = label.strip().lower().rstrip(".")
    if key in INTERVIEWER_LABELS:
        return "interviewer"
    if key in RESPONDENT_LABELS:
        return "befragt"
    return "person"


def _label(line: str):
    match = _LABEL_RE.match(line)
    if not match:
        return None
    label = (match.group("bracket") or match.group("name") or "").strip()
    if not label or len(label.split()) > MAX_LABEL_WORDS:
        return None
    # a sentence with a colon ("Wichtig war: ...") is no label: labels are short or known
    if role_of(label) == "person" and not all(w[:1].isupper() for w in label.replace("-", " ").split() if w):
        return None
    time = next((match.group(k) for k in ("t1", "t2", "t3") if match.group(k)), "") or ""
    return label, time.strip("()[]"), match.group("rest").strip()


def split_turns(text: str) -> list[tuple[str, str, str]]:
    """(label, time, spoken text) per turn; text before the first label is a turn without a label ("")."""
    turns: list[list] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        found = _label(line)
        if found is not None:
            label, time, rest = found
            turns.append([label, time, rest])
        elif turns:
            stripped = _TIME_RE.sub("", line, count=1).strip() if _TIME_RE.match(line) else line
            turns[-1][2] = (turns[-1][2] + " " + stripped).strip()
        else:
            turns.append(["", "", line])
    return [(label, time, spoken) for label, time, spoken in turns]


def _replace_names(spoken: str, names: dict[str, str]) -> str:
    for original in sorted(names, key=len, reverse=True):
        spoken = re.sub(rf"(?<!\w){re.escape(original)}(?!\w)", names[original], spoken)
    return spoken


_PLACEHOLDER = {"name": "[Name]", "email": "[E-Mail]", "phone": "[Telefon]"}


def _redact(spoken: str) -> tuple[str, int]:
    findings = find_personal_data(spoken)
    for finding in reversed(findings):
        spoken = spoken[:finding.start] + _PLACEHOLDER[finding.kind] + spoken[finding.end:]
    return spoken, len(findings)


def pseudonymise(text: str, *, max_chars: int = 5_000_000) -> Transcript:
    """The transcript with speaker turns, named speakers pseudonymised and personal data replaced."""
    if len(text) > max_chars:
        raise TranscriptError(f"Das Transkript ist zu lang (höchstens {max_chars} Zeichen).")
    raw_turns = split_turns(text)
    if not raw_turns:
        raise TranscriptError("Das Transkript ist leer.")
    if not any(label for label, _t, _s in raw_turns):
        raise TranscriptError("Im Transkript wurden keine Sprecherwechsel gefunden. Jeder Redebeitrag beginnt mit "
                              "einer Kennung wie „I:“, „B:“, „Name:“ oder „[Name]“.")
    pseudonyms: dict[str, str] = {}
    for label, _time, _spoken in raw_turns:
        if label and role_of(label) == "person" and label not in pseudonyms:
            pseudonyms[label] = f"Person {len(pseudonyms) + 1}"
    # every part of a named speaker's name (surname alone, first name alone) is replaced too
    names = dict(pseudonyms)
    for original, pseudonym in pseudonyms.items():
        for part in re.split(r"[\s\-]+", original):
            if (len(part) >= 3 and part[:1].isupper() and part.lower().rstrip(".") not in NOT_NAMES
                    and part.lower() not in INTERVIEWER_LABELS | RESPONDENT_LABELS):
                names.setdefault(part, pseudonym)
    out: list[str] = []
    turns: list[Turn] = []
    position = 0
    replaced = 0
    for label, time, spoken in raw_turns:
        role = role_of(label) if label else "person"
        shown = pseudonyms.get(label, label.strip()) if label else ""
        spoken = _replace_names(spoken, names)
        spoken, count = _redact(spoken)
        replaced += count
        prefix = f"{shown}: " if shown else ""
        if time:
            prefix = f"({time}) {prefix}"
        block = prefix + spoken
        start = position + len(prefix)
        out.append(block)
        turns.append(Turn(role=role, speaker=shown, start=start, end=start + len(spoken), time=time))
        position += len(block) + 2
    return Transcript(text="\n\n".join(out), turns=turns, pseudonyms=pseudonyms, replaced=replaced)
