"""Plain-text formats for authoring self-check questions and exercise injects (pure).

Questions (one block per question)::

    ? Wann wird die Rückführung geplant?
    - Wenn die Lage vorbei ist. | Dann ist es zu spät.
    + Von Anfang an. | Richtig: mit Kriterien und Übergabe.

``?`` starts a question, ``+`` is a correct answer, ``-`` a wrong one; after ``|`` follows
the feedback shown for that answer. Every question needs at least two answers and one correct.

Injects (one per line, then optional discussion questions with ``?``)::

    Woche 14 | Zwei Leistungsträger fallen aus. | Hinweis für die Moderation
    ? Wer übernimmt ihre Aufgaben?

Errors carry line numbers; nothing is stored unless the whole text is correct.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_LINES = 2000


@dataclass
class ParsedQuestion:
    text: str
    options: list[dict] = field(default_factory=list)
    line: int = 0


@dataclass
class ParsedInject:
    time_label: str
    text: str
    note: str = ""
    questions: list[str] = field(default_factory=list)


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate((text or "").splitlines()[:MAX_LINES + 1], 1)]


def parse_questions(text: str) -> tuple[list[ParsedQuestion], list[str]]:
    questions: list[ParsedQuestion] = []
    errors: list[str] = []
    lines = _lines(text)
    if len(lines) > MAX_LINES:
        return [], [f"Zu viele Zeilen (höchstens {MAX_LINES})."]
    for n, line in lines:
        if not line or line.startswith("#"):
            continue
        marker, body = line[0], line[1:].strip()
        if marker == "?":
            if not body:
                errors.append(f"Zeile {n}: Die Frage ist leer.")
            questions.append(ParsedQuestion(body[:1000], line=n))
        elif marker in "+-":
            if not questions:
                errors.append(f"Zeile {n}: Antwort ohne Frage – beginnen Sie mit „? Frage“.")
                continue
            answer, _sep, feedback = body.partition("|")
            if not answer.strip():
                errors.append(f"Zeile {n}: Die Antwort ist leer.")
            questions[-1].options.append({"text": answer.strip()[:500], "correct": marker == "+", "feedback": feedback.strip()[:1000]})
        else:
            errors.append(f"Zeile {n}: Zeilen beginnen mit „?“ (Frage), „+“ (richtige) oder „-“ (falsche Antwort).")
    for q in questions:
        if len(q.options) < 2:
            errors.append(f"Zeile {q.line}: Die Frage braucht mindestens zwei Antworten.")
        elif not any(o["correct"] for o in q.options):
            errors.append(f"Zeile {q.line}: Die Frage braucht mindestens eine richtige Antwort („+“).")
    return (questions if not errors else []), errors


def parse_injects(text: str) -> tuple[list[ParsedInject], list[str]]:
    injects: list[ParsedInject] = []
    errors: list[str] = []
    lines = _lines(text)
    if len(lines) > MAX_LINES:
        return [], [f"Zu viele Zeilen (höchstens {MAX_LINES})."]
    for n, line in lines:
        if not line or line.startswith("#"):
            continue
        if line.startswith("?"):
            if not injects:
                errors.append(f"Zeile {n}: Diskussionsfrage ohne Einspielung davor.")
            elif not line[1:].strip():
                errors.append(f"Zeile {n}: Die Diskussionsfrage ist leer.")
            else:
                injects[-1].questions.append(line[1:].strip()[:1000])
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            errors.append(f"Zeile {n}: Erwartet „Zeitpunkt | Einspielung [| Hinweis für die Moderation]“.")
            continue
        if len(parts) > 3:
            errors.append(f"Zeile {n}: Höchstens drei Teile, getrennt durch „|“.")
            continue
        injects.append(ParsedInject(parts[0][:100], parts[1][:2000], parts[2][:2000] if len(parts) == 3 else ""))
    if not injects and not errors:
        errors.append("Bitte geben Sie mindestens eine Einspielung an.")
    return (injects if not errors else []), errors


def format_questions(questions) -> str:
    """The text form of stored questions (for editing)."""
    blocks = []
    for q in questions:
        lines = [f"? {q.text}"]
        for o in q.options:
            lines.append(f"{'+' if o.get('correct') else '-'} {o.get('text', '')}" + (f" | {o['feedback']}" if o.get("feedback") else ""))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
