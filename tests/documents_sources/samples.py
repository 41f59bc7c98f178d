"""Sample files of the research sources tests (LimeSurvey CSV, generic CSV, RIS, BibTeX, transcript)."""

LIMESURVEY_CSV = (
    "\ufeffid;submitdate;lastpage;startlanguage;seed;ipaddr;AGS;G01Q01. Wie gut war die Krisenkommunikation?;"
    "G01Q02[SQ001]. Welche Kanäle? [Website];G01Q02[SQ002]. Welche Kanäle? [Presse];G01Q02[other];"
    "G01Q03. Was sollte besser werden?\n"
    "1;2024-01-02 10:00:00;3;de;123;10.0.0.1;05913;gut;Y;;Aushang;Mehr Personal im Lagezentrum.\n"
    "2;2024-01-02 11:00:00;3;de;124;10.0.0.2;05111;gut;Y;Y;;Frühere Warnung der Bevölkerung.\n"
    "3;2024-01-03 09:00:00;3;de;125;10.0.0.3;09162;schlecht;;Y;;\n"
    "4;2024-01-03 09:30:00;3;de;126;10.0.0.4;99999;mittel;Y;;;Frau Müller war nicht erreichbar.\n"
).encode("utf-8")

GENERIC_CSV = (
    "kommune,F1: Gab es einen Krisenstab?,F2[Feuerwehr],F2[Gesundheitsamt],F3: Anmerkungen (Freitext)\n"
    "Stadt A,ja,1,,Gut vorbereitet.\n"
    "Stadt B,ja,,1,\n"
    "Stadt C,nein,1,1,\"Zu spät, zu wenig.\"\n"
).encode()

RIS = """TY  - JOUR
TI  - Krisenmanagement in Kommunen während der Pandemie
AU  - Müller, Anna
AU  - Schmidt, Bernd
PY  - 2021
T2  - Zeitschrift für Verwaltung
DO  - https://doi.org/10.1234/ZFV.2021.17
ER  -

TY  - BOOK
TI  - Lernen aus Krisen
AU  - Beta, Carla
PY  - 2020
PB  - Verlag X
ER  -

TY  - JOUR
TI  - Krisenmanagement in Kommunen waehrend der Pandemie (Preprint)
DO  - 10.1234/zfv.2021.17
PY  - 2021
ER  -

TY  - CHAP
TI  - Lernen aus  Krisen
PY  - 2020
ER  -
"""

BIBTEX = r"""@comment{Zotero export}
@string{zfv = "Zeitschrift f{\"u}r Verwaltung"}
@article{mueller2021,
  title = {Krisenmanagement in {K}ommunen w{\"a}hrend der Pandemie},
  author = {M{\"u}ller, Anna and Schmidt, Bernd},
  journal = zfv,
  year = 2021,
  doi = {10.1234/zfv.2021.17},
}
@book{gamma2019,
  title = "Resilienz im Krisenstab",
  author = "Gamma, Dora",
  year = {2019},
  publisher = {Verlag Y}
}
"""

TRANSCRIPT = """(00:00:05) I: Guten Tag, danke, dass Sie sich Zeit nehmen.
[Petra Schneider] Gerne. Ich war im Frühjahr 2020 Leiterin des Krisenstabs.
I: Wie lief die Zusammenarbeit mit Herrn Becker vom Gesundheitsamt?
Petra Schneider (00:01:10): Sehr gut. Schneider ist mein Name, Sie erreichen mich unter p.schneider@stadt.example.
Das war wichtig.
B: Eine Ergänzung: Thomas Wagner hat die Lage koordiniert.
"""
