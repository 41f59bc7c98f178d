"""The seeded question bank: PanReflex guiding questions and after-action questions (pure data).

Phase keys: ``deskriptiv``, ``analytisch``, ``transfer``, ``ideen``. Sources: ``leitfrage``
(guiding questions of the Reflexionsraum "Kommunales Krisenmanagement", paraphrased) and
``after_action`` (well-known after-action-review questions).
"""

from __future__ import annotations

QUESTIONS: list[tuple[str, str, str]] = [
    # (phase kind, source, text)
    ("deskriptiv", "leitfrage", "Wie haben Sie die Pandemie vor Ort erlebt?"),
    ("deskriptiv", "leitfrage", "Welche Ereignisse, Phasen, Erlasse oder Regeln haben am tiefsten in Ihre Arbeit eingegriffen?"),
    ("deskriptiv", "leitfrage", "Wie haben Sie sich damals gefühlt?"),
    ("deskriptiv", "leitfrage", "Welche Schwerpunkte sehen Sie im Rückblick?"),
    ("deskriptiv", "after_action", "Was war geplant, und was ist tatsächlich geschehen?"),
    ("analytisch", "leitfrage", "Was war anders als bei anderen Krisen, und warum?"),
    ("analytisch", "leitfrage", "Wie haben Sie das Krisenmanagement organisiert, um vor die Lage zu kommen?"),
    ("analytisch", "leitfrage", "Welche Herausforderungen hatten Sie, und wie haben sie sich verändert?"),
    ("analytisch", "leitfrage", "Welche neuen Ansätze haben Sie gefunden?"),
    ("analytisch", "after_action", "Was lief gut, warum?"),
    ("analytisch", "after_action", "Was lief weniger gut, warum?"),
    ("analytisch", "after_action", "Wer hat was gemacht, und wer hat gefehlt?"),
    ("transfer", "leitfrage", "Was würden Sie wieder so machen?"),
    ("transfer", "leitfrage", "Was würden Sie anders machen?"),
    ("transfer", "after_action", "Was sollten wir beibehalten, was anders machen?"),
    ("transfer", "after_action", "Was brauchen wir, um für die nächste Krise besser vorbereitet zu sein?"),
    ("transfer", "after_action", "Wer sollte von unseren Erkenntnissen erfahren?"),
    ("ideen", "after_action", "Welche konkrete Verbesserung schlagen Sie vor?"),
    ("ideen", "after_action", "Was ist der erste Schritt, und wer könnte ihn gehen?"),
]

# The default agenda: which bank questions a new workshop starts with, per phase kind.
DEFAULT_AGENDA: dict[str, list[str]] = {
    "deskriptiv": [QUESTIONS[0][2], QUESTIONS[1][2], QUESTIONS[2][2]],
    "analytisch": [QUESTIONS[6][2], QUESTIONS[9][2], QUESTIONS[10][2]],
    "transfer": [QUESTIONS[12][2], QUESTIONS[13][2]],
    "ideen": [QUESTIONS[17][2], QUESTIONS[18][2]],
}

PHASES_BY_KIND: dict[str, list[str]] = {
    "reflexionsraum": ["deskriptiv", "analytisch", "transfer"],
    "nachbesprechung": ["deskriptiv", "analytisch", "transfer"],
    "zwischenbilanz": ["deskriptiv", "analytisch", "transfer"],
    "innovationsworkshop": ["deskriptiv", "analytisch", "ideen", "transfer"],
}
