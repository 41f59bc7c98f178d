"""The pure suggestion functions of the transfer (code book terms, similar lessons)."""

from krisenwissen.workshops.suggest import hazard_code, nearest, suggest_codes

CODES = [
    ("personal", "Personaleinsatz und Belastung Personalgewinnung, Umsetzung, Überlastung"),
    ("buerger", "Kommunikation mit der Bevölkerung Bürgertelefon, soziale Medien"),
    ("krisenstab", "Krisenstab und Stabsarbeit Aktivierung, Arbeitsweise und Auflösung von Krisenstäben"),
]
HAZARDS = [("pandemie", "Pandemie pandemie"), ("flut", "Hochwasser/Starkregen hochwasser starkregen"), ("hitze", "Hitze hitze")]


def test_suggest_codes_by_terms():
    assert suggest_codes("Überlastung des Personals, Personal verstärken", CODES)[0] == "personal"
    assert suggest_codes("Das Bürgertelefon war überlaufen", CODES) == ["buerger"]
    assert suggest_codes("", CODES) == []


def test_hazard_code():
    assert hazard_code("Pandemie", HAZARDS) == "pandemie"
    assert hazard_code("Starkregen", HAZARDS) == "flut"
    assert hazard_code("", HAZARDS) is None
    assert hazard_code("Cyberangriff", HAZARDS) is None


def test_nearest_orders_by_similarity():
    docs = [(1, "Personalreserve für lange Lagen planen"), (2, "Bürgertelefon früh schalten"), (3, "Personal planen")]
    found = nearest("Personalreserve vorab planen", docs)
    assert {m.key for m in found} == {1, 3}
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
