"""Check against reality: § 28b IfSG ("Bundesnotbremse") dates of the five partner cities, spring 2021.

Computes, with the platform's pure rule engine (``situation.rules_engine``), the built-in rule set
``bundesnotbremse-2021`` and the NRW public holidays exactly as ``situation.selectors._holidays`` does,
the in-force and out-of-force dates of levels 100 / 150 / 165 for Dortmund, Düsseldorf, Essen,
Gelsenkirchen and Köln between 20 April and 30 June 2021 on two series:

* **published**: the RKI's "fixierte" 7-day incidences ("wie sie am jeweiligen Tag berechnet wurden"),
  sheet ``LK_7-Tage-Inzidenz (fixiert)`` of ``Fallzahlen_Kum_Tab_2021-11-22.xlsx``; read here with
  openpyxl, independently of the platform's importer;
* **computed**: the district time series by reporting date (``Cases_Last_Week_Per_Million / 10`` of
  ``de-district_timeseries-<AGS>.tsv``), which the platform used before the published series existed
  (it agrees with the platform's own computed incidence within 0.1).

No Django, no database. The announced dates (``ANNOUNCED``) are not computed: they were researched in
press releases of the cities and reports quoting the state's Allgemeinverfügungen, each with its
source; ``--markdown`` prints the table documented in docs/situation.md ("Check against reality").

    PYTHONPATH=src /work/main/.venv/bin/python scripts/lagebild_reality_check.py [--shared ../shared]
        [--json | --markdown | --values AGS]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import holidays as holidays_lib
import openpyxl

from krisenwissen.situation import catalog
from krisenwissen.situation import rules_engine as eng

CITIES = {"05913": "Dortmund", "05111": "Düsseldorf", "05113": "Essen", "05513": "Gelsenkirchen", "05315": "Köln"}
SHEET = "LK_7-Tage-Inzidenz (fixiert)"
WINDOW = (date(2021, 4, 20), date(2021, 6, 30))
AS_OF = date(2021, 7, 1)   # after expiry: every period is closed (§ 28b Abs. 10)


# --- announced dates -------------------------------------------------------------------------------
#
# One entry per transition (AGS, level, "in" = in force from / "out" = lifted from). ``announced`` is the first
# day the measure applied (in) or no longer applied (out) as announced by the city or the state, or None
# where no announcement with a date was found. ``kind`` says how it relates to the platform's date on the
# published series (checked by tests/situation/test_reality_check.py):
#   same         - the announced day is the platform's day;
#   first_day    - the platform's day is a Saturday/Sunday/holiday; the announcement names the first school day
#                  (schools, NRW: "am ersten Montag nach der Feststellung") or shopping day on or after it;
#   earlier      - the measure already applied before (from ``earlier_from``, None = date not found), by an
#                  earlier order of the state or the city; § 28b itself took effect on the platform's day
#                  (Saturday 24.04.2021 for all five cities) or the first school day after it;
#   trigger_only - the source names the trigger day (fifth Werktag), not the effective day;
#   none         - no announcement with a date was found.
# ``sources``: (URL, title, the date as the source states it). ``note``: explanation of any difference.

ANNOUNCED = [
    # Dortmund ------------------------------------------------------------------------------------------
    dict(ags="05913", level=100, change="in", announced="2021-04-24", kind="same", sources=[
        ("https://t-online.de/region/dortmund/news/id_89900804/bundes-notbremse-in-dortmund-ausgangssperre-tritt-in-kraft.html",
         "Bundes-Notbremse in Dortmund: Ausgangssperre tritt ab Samstag in Kraft (t-online, after Stadt Dortmund, "
         "press release 22.04.2021)", "gilt ab Samstag (24. April) in Dortmund")],
        note="§ 28b applied from Saturday 24.04. (law in force 23.04., effect on the day after next at the earliest)."),
    dict(ags="05913", level=100, change="out", announced="2021-05-27", kind="same", sources=[
        ("https://nordstadtblogger.de/der-corona-inzidenzwert-in-dortmund-liegt-stabil-unter-100-das-sind-die-wichtigsten-lockerungenab-donnerstag",
         "Der Corona-Inzidenzwert in Dortmund liegt stabil unter 100 (Nordstadtblogger, text of the Stadt Dortmund)",
         "Ab Donnerstag (27. Mai 2021) … Ende der „Notbremse“"),
        ("https://old.ruhrnachrichten.de/dortmund/corona-inzidenz-unter-100-diese-lockerungen-gibt-es-bald-in-dortmund-plus-1634783.html",
         "Corona-Inzidenz unter 100: Diese Lockerungen gibt es bald in Dortmund (Ruhr Nachrichten, 18.05.2021)",
         "city's own figure below 100 on 18.05., RKI 101,1; count from Wednesday; state order 25.5. at the "
         "earliest, effect Thursday 27.5.")],
        note="Computed series: four days early (Sun 23.05.). Late reports lowered the series by reporting date "
             "below 100 from 17.05. (99.8), while the RKI had published 107.6 (17.05.) and 101.1 (18.05.); the "
             "published series fell below 100 only on Wed 19.05. (99.3). With Whit Monday skipped the fifth "
             "Werktag was Tue 25.05."),
    dict(ags="05913", level=150, change="in", announced="2021-04-24", kind="earlier", earlier_from='2021-04-19', sources=[
        ("https://old.ruhrnachrichten.de/dortmund/strengere-massnahmen-diese-corona-regeln-gelten-ab-194-in-dortmund-plus-1625134.html",
         "Strengere Maßnahmen: Diese Corona-Regeln gelten ab 19. April in Dortmund (Ruhr Nachrichten, 18.04.2021)",
         "ab Montag (19.4.) … keinen Click-and-Meet-Einkauf mehr"),
        ("https://t-online.de/region/dortmund/news/id_89900804/bundes-notbremse-in-dortmund-ausgangssperre-tritt-in-kraft.html",
         "Bundes-Notbremse in Dortmund: Ausgangssperre tritt ab Samstag in Kraft (t-online)", "ab Samstag (24. April)")],
        note="Click & Meet had already ended on Mon 19.04. (NRW's own Notbremse, the city no longer used the testing "
             "option); § 28b took over on 24.04."),
    dict(ags="05913", level=150, change="out", announced="2021-05-20", kind="same", sources=[
        ("https://www.dorstenerzeitung.de/dortmund/jetzt-offiziell-dortmunder-geschaefte-duerfen-am-donnerstag-oeffnen-w1635168-p-4000234398/",
         "Jetzt offiziell: Dortmunder Geschäfte dürfen am Donnerstag öffnen (Ruhr Nachrichten group, 19.05.2021)",
         "MAGS: „mit Wirkung ab dem 20. Mai“ § 28b Abs. 2 Satz 4 außer Kraft"),
        ("http://kurt.digital/2021/05/21/click-and-meet-in-dortmund-wieder-moeglich-weitere-lockerungen-ab-kommender-woche/",
         "Click and Meet in Dortmund wieder möglich (kurt, 21.05.2021)",
         "seit Donnerstag … Allgemeinverfügung des Landes")],
        note="Retailers waited for the state's Allgemeinverfügung, published only on the afternoon before. "
             "Computed series: one day early (below 150 from 11.05., published 152.0 that day)."),
    dict(ags="05913", level=165, change="in", announced="2021-04-26", kind="earlier", earlier_from='2021-04-19', sources=[
        ("https://old.ruhrnachrichten.de/dortmund/strengere-massnahmen-diese-corona-regeln-gelten-ab-194-in-dortmund-plus-1625134.html",
         "Strengere Maßnahmen: Diese Corona-Regeln gelten ab 19. April in Dortmund (Ruhr Nachrichten, 18.04.2021)",
         "city order: all schools closed „bis einschließlich 25.4.2021“"),
        ("https://www.azonline.de/NRW/4408149-Schulen-Bundes-Notbremse-fuer-NRW-Schulen-schon-ab-Montag",
         "Bundes-Notbremse für NRW-Schulen schon ab Montag (dpa, 23.04.2021)",
         "for districts already above 165 „schon ab dem kommenden Montag“ distance learning"),
        ("https://t-online.de/region/dortmund/news/id_89900804/bundes-notbremse-in-dortmund-ausgangssperre-tritt-in-kraft.html",
         "Bundes-Notbremse in Dortmund (t-online)", "Kita closure „am Montag umgesetzt“")],
        note="Schools were already closed from 19.04. by the city's Allgemeinverfügung (and the NRW order for "
             "cities above 200); § 28b took over on Sat 24.04.; first school and Kita day under it Mon 26.04."),
    dict(ags="05913", level=165, change="out", announced="2021-05-17", kind="same", sources=[
        ("https://www.ruhrnachrichten.de/dortmund/ab-montag-wieder-praesenzunterricht-im-wechsel-in-dortmunds-schulen-1633990.html",
         "Ab Montag wieder Präsenzunterricht im Wechsel in Dortmunds Schulen (Ruhr Nachrichten, 15.05.2021)",
         "ab Montag (17. Mai) wieder Präsenzunterricht im Wechselmodell"),
        ("https://old.ruhrnachrichten.de/dortmund/ab-wann-wieder-schule-in-dortmund-stadt-nennt-termin-plus-1632534.html",
         "Ab wann wieder Schule in Dortmund? Stadt nennt Termin (Ruhr Nachrichten, 11.05.2021)",
         "Sunday 9.5. below 165 did not count; count from Monday 10.5.; Saturday Werktag no. 5")],
        note="Same day. Computed series: Sun 16.05., no practical difference (schools reopen on the first Monday)."),
    # Düsseldorf ----------------------------------------------------------------------------------------
    dict(ags="05111", level=100, change="in", announced="2021-04-24", kind="same", sources=[
        ("https://wz.de./nrw/duesseldorf/duesseldorf-das-sind-die-regeln-der-ausgangssperre_aid-57535771",
         "Corona in Düsseldorf: Die Regeln der Ausgangssperre (WZ, 24.04.2021)", "von Samstag (24. April) an")],
        note="Contact limits and Click & Collect already applied from 13.04. under NRW's own Notbremse "
             "(Rheinische Post, „Land ordnet Corona-Notbremse in Düsseldorf an“); the curfew came with § 28b."),
    dict(ags="05111", level=100, change="out", announced="2021-05-21", kind="same", sources=[
        ("https://www.antenneduesseldorf.de/artikel/die-corona-notbremse-ist-in-duesseldorf-ausser-kraft-956467.html",
         "Die Corona-Notbremse ist in Düsseldorf außer Kraft (Antenne Düsseldorf, 21.05.2021)",
         "gilt deswegen seit heute (21. Mai 2021) nicht mehr")],
        note="Computed series: one day early (below 100 from 12.05., 93.6, where 105.3 had been published)."),
    dict(ags="05111", level=150, change="in", announced=None, kind="earlier", earlier_from='2021-04-19', sources=[
        ("https://www.linden-partner.com/presse/news/notbremse-in-duesseldorf-ab-montag-972330/",
         "Notbremse in Düsseldorf ab Montag (quoting the city's press release of 15.04.2021)",
         "retail (except daily needs) „ab Montag wieder schließen“, Click & Collect allowed")],
        note="Click & Meet had already ended on Mon 19.04. when the city's testing-option order expired; no separate "
             "§ 28b date for 150 was announced. Published series above 150 on 21.–23.04. → Sun 25.04.; computed "
             "series → Sat 24.04.: no practical difference."),
    dict(ags="05111", level=150, change="out", announced="2021-05-08", kind="same", sources=[
        ("https://www.welt.de/regionales/nrw/article230956393/Lockerungen-Ab-Samstag-Click-Meet-in-Duesseldorf.html",
         "Lockerungen: Ab Samstag „Click & Meet“ in Düsseldorf (dpa, 07.05.2021)",
         "Bereits ab diesen Samstag … aus einer neuen Allgemeinverfügung des Landes; the mayor had said Monday")],
        note="The mayor expected Monday 10.05.; the state counted as the platform does: Sat 01.05. (151.5, above 150) "
             "is a public holiday and does not interrupt the count, so 30.04. and 03.–06.05. are the five Werktage. "
             "Computed series: Sun 09.05., one shopping day (Sat 08.05.) late."),
    # Essen ---------------------------------------------------------------------------------------------
    dict(ags="05113", level=100, change="in", announced="2021-04-24", kind="same", sources=[
        ("https://www.radioessen.de/artikel/essen-ausgangssperre-und-mehr-das-bedeutet-die-corona-notbremse-929298.html",
         "Essen: Ausgangssperre und mehr – das bedeutet die Corona-Notbremse (Radio Essen)",
         "am Samstag um 0 Uhr in Kraft getreten"),
        ("https://app-webview.sparknews.funkemedien.de/nrw-waz/lokales/essen/article401533623/essen-ausgangssperre-gilt-schon-ab-diesem-samstag-um-0-uhr.html",
         "Essen: Ausgangssperre gilt schon ab diesem Samstag um 0 Uhr (WAZ)",
         "the city's lawyers considered Friday, then: ab Samstag, 0 Uhr")],
        note="Same day; the city first wondered whether the curfew applied from Friday evening (day of the "
             "promulgation) — the \"übernächster Tag\" rule gives Saturday."),
    dict(ags="05113", level=100, change="out", announced="2021-05-21", kind="same", sources=[
        ("https://app-webview.sparknews.funkemedien.de/nrw-waz/staedte/essen/article232325409/Inzidenz-weiter-unter-100-Was-in-Essen-gelockert-wird.html",
         "Inzidenz weiter unter 100: Was in Essen gelockert wird (WAZ)",
         "Am Freitag, 21. Mai … gelten seit Freitag, null Uhr, nicht mehr")],
        note="Computed series: one day early. Computed 11.05. = 100.0 (exactly at the threshold), 12.05. 95.7; "
             "published 100.7 on 11.05. and 12.05., so the published count started only on Fri 14.05. (13.05. "
             "Ascension skipped)."),
    dict(ags="05113", level=150, change="in", announced="2021-04-26", kind="first_day", sources=[
        ("https://app-webview.sparknews.funkemedien.de/nrw-waz/lokales/essen/article401533773/essen-ueberschreitet-schon-zweite-stufe-der-corona-notbremse.html",
         "Essen überschreitet schon zweite Stufe der Corona-Notbremse (WAZ, 23.04.2021)",
         "ab Montag müssen die Läden auf „Click & Meet“ verzichten"),
        ("https://t-online.de/region/essen/news/id_89918016/corona-in-essen-notbremse-greift-schulen-schliessen-wieder.html",
         "Corona in Essen: Schulen schließen ab Mittwoch wieder (t-online)",
         "Seit Montag ist auch das Einkaufen mit Termin „Click&Meet“ nicht mehr möglich")],
        note="Published series above 150 on 21.–23.04. → Sun 25.04. (shops closed), first shopping day Mon 26.04. "
             "Computed series: Sat 24.04., one shopping day too early."),
    dict(ags="05113", level=150, change="out", announced=None, kind="trigger_only", announced_trigger="2021-05-10", sources=[
        ("https://www.derwesten.de/staedte/essen/essen-inzidenz-stadt-corona-regeln-click-meet-ausgangssperre-lockerungen-hoffnung-id232262587.html",
         "Essen: Inzidenz sinkt fast unter 100 (DerWesten, 11.05.2021)",
         "the city announced on Monday (10.05.) five Werktage below 150, counted since Wednesday 5 May")],
        note="The fifth Werktag announced (Mon 10.05.) is the platform's trigger day (→ Wed 12.05.); the source "
             "gives no effective day. Computed series: Sun 09.05. (trigger Fri 07.05.), three days early."),
    dict(ags="05113", level=165, change="in", announced="2021-04-28", kind="same", sources=[
        ("https://essen.de/meldungen/pressemeldung_1426356.de.html",
         "Stadt Essen, press release 26.04.2021",
         "mit dem heutigen Tag (26.04.) … an drei aufeinanderfolgenden Tagen überschritten … Allgemeinverfügung "
         "[des Landes] … ab dem kommenden Mittwoch, 28. April")],
        note="Computed series: Mon 26.04., two school days early. Late reports had raised the series by reporting "
             "date above 165 from 22.04., while the RKI published 156.2 (22.04.) and 155.1 (23.04.); published "
             "above 165 only from Sat 24.04. (168.5)."),
    dict(ags="05113", level=165, change="out", announced="2021-05-10", kind="first_day", sources=[
        ("https://www.radioessen.de/artikel/essen-schulen-und-kitas-oeffnen-ab-montag-wieder-944374.html",
         "Essen: Schulen und Kitas öffnen ab Montag wieder (Radio Essen, 07.05.2021)", "ab Montag (10. Mai)"),
        ("https://app-webview.sparknews.funkemedien.de/nrw-waz/staedte/essen/article232237465/Am-Montag-starten-in-Essen-die-Schulen-wieder.html",
         "Inzidenz deutlich unter 165: Montag starten Essens Schulen wieder (WAZ)",
         "am Montag, 10. Mai … Verfügung veröffentlichte am Freitag das Landesgesundheitsministerium")],
        note="Published series → Sun 09.05.; NRW reopens schools on the first Monday after the state's "
             "Feststellung → Mon 10.05. (no practical difference). The WAZ's \"fifth Werktag Thursday 6 May\" "
             "counts Sat 1 May, a public holiday; the fifth Werktag was Fri 7 May, the day the order was published. "
             "Computed series: Wed 05.05., three school days (5.–7.05.) too early."),
    # Gelsenkirchen -------------------------------------------------------------------------------------
    dict(ags="05513", level=100, change="in", announced="2021-04-24", kind="same", sources=[
        ("https://app-webview.sparknews.funkemedien.de/nrw-waz/staedte/gelsenkirchen/article232118225/Corona-Notbremse-Diese-Regeln-gelten-in-Gelsenkirchen.html",
         "Corona-Notbremse: Diese Regeln gelten in Gelsenkirchen (WAZ, 23.04.2021)", "ab Samstag (24. April)"),
        ("https://hallobuer.ruhr/notbremse-in-gelsenkirchen", "Corona-Notbremse: Diese Regeln gelten in "
         "Gelsenkirchen (Hallo Buer, statement of the city)", "ab Samstag (24. April), 0 Uhr")],
        note="Same day."),
    dict(ags="05513", level=100, change="out", announced="2021-05-24", kind="same", sources=[
        ("https://www.lokalkompass.de/gelsenkirchen/c-lk-gemeinschaft/oberbuergermeisterin-karin-welge-das-ist-eine-gute-nachricht-nach-schwierigen-wochen-die-lage-ist-allerdings-noch-fragil_a1579307",
         "Oberbürgermeisterin Karin Welge: „Das ist eine gute Nachricht …“ (Lokalkompass, Stadt Gelsenkirchen, "
         "22.05.2021)", "Samstag, 22. Mai … fünf Werktagen … ab Montag, 24. Mai 2021")],
        note="Same day (Whit Monday). Computed series: five days too long (Sat 29.05.): late reports raised the "
             "series by reporting date to 105.7 on Thu 20.05., where the RKI had published 89.0, which restarts "
             "the count."),
    dict(ags="05513", level=150, change="in", announced="2021-04-24", kind="same", sources=[
        ("https://www.radioemscherlippe.de/artikel/bundes-notbremse-gilt-ab-heute-in-gladbeck-und-gelsenkirchen-930938.html",
         "Bundes-Notbremse gilt ab heute in Gladbeck und Gelsenkirchen (Radio Emscher Lippe, 24.04.2021)",
         "jetzt nur noch „Click & Collect“")],
        note="Same day (the article names 165 as the threshold for shops; the law's threshold is 150)."),
    dict(ags="05513", level=150, change="out", announced="2021-05-21", kind="same", sources=[
        ("https://www.waz.de/staedte/gelsenkirchen/gelsenkirchen-click-and-meet-ab-freitag-moeglich-id232329621.html",
         "Gelsenkirchen: Click and Meet ab Freitag möglich (WAZ, 19.05.2021)", "Ab dem kommenden Freitag (21. Mai)")],
        note="Same day on both series."),
    dict(ags="05513", level=165, change="in", announced="2021-04-26", kind="earlier", earlier_from='2021-04-19', sources=[
        ("https://app-webview.sparknews.funkemedien.de/nrw-waz/staedte/gelsenkirchen/article232058205/Corona-Hotspot-Gelsenkirchen-Schulen-bleiben-geschlossen.html",
         "Corona-Hotspot Gelsenkirchen: Schulen bleiben geschlossen (WAZ, 16.04.2021)",
         "NRW order: schools above 200 stay closed „auch ab Montag (19. April)“"),
        ("https://app-webview.sparknews.funkemedien.de/nrw-waz/staedte/gelsenkirchen/article232118225/Corona-Notbremse-Diese-Regeln-gelten-in-Gelsenkirchen.html",
         "Corona-Notbremse: Diese Regeln gelten in Gelsenkirchen (WAZ, 23.04.2021)",
         "Kitas „ab Montag in die bedarfsorientierte Notbetreuung“")],
        note="Schools had stayed closed since 19.04. by the state's order for cities above 200; § 28b took over on "
             "Sat 24.04.; Kitas changed on Mon 26.04."),
    dict(ags="05513", level=165, change="out", announced="2021-05-14", kind="same", sources=[
        ("https://www.waz.de/staedte/gelsenkirchen/gelsenkirchen-offene-kitas-ab-montag-mit-weniger-stunden-id232278479.html",
         "Gelsenkirchen: Offene Kitas ab Montag mit weniger Stunden (WAZ, 12.05.2021)",
         "state order received Wednesday; emergency care ends „formal zwar bereits am 14.“; schools and Kitas "
         "in practice from Monday 17 May")],
        note="Formally the same day (Fri 14.05., a bridge day; schools restarted Mon 17.05. by NRW's first-Monday "
             "rule). Computed series: Mon 17.05., three days late formally (the published series fell below 165 "
             "on Fri 07.05., 163.3; the computed one only on Mon 10.05., after 166.8 on Sat 08.05.)."),
    # Köln ----------------------------------------------------------------------------------------------
    dict(ags="05315", level=100, change="in", announced="2021-04-24", kind="earlier", earlier_from='2021-04-17', sources=[
        ("https://www.report-k.de/bundesnotbremse-und-die-regeln-der-stadt-koeln-143658/",
         "Bundesnotbremse und die Regeln der Stadt Köln (report-K, 23.04.2021)", "ab Mitternacht"),
        ("https://www.24rhein.de/koeln/koeln-coronavirus-inzidenz-200-coronaregeln-verschaerfungen-ausgangssperre-einzelhandel-schulen-90470874.html",
         "Trotz Bundesnotbremse – Ausgangssperre in Köln gilt weiterhin ab 21 Uhr (24RHEIN, 23.04.2021)",
         "seit vergangenem Samstag eine Ausgangssperre … von 21 bis 5 Uhr")],
        note="§ 28b from Sat 24.04. as on the platform, but Köln's own stricter curfew (21–5 h, city order) had "
             "applied since 17.04. and stayed until 17.05. (Kölnische Rundschau, 18.05.2021)."),
    dict(ags="05315", level=100, change="out", announced="2021-05-31", kind="same", sources=[
        ("https://www.welt.de/regionales/nrw/article231430941/Koeln-Ausgangsbeschraenkung-wohl-ab-Montag-ausser-Kraft.html",
         "Köln: Ausgangsbeschränkung wohl ab Montag außer Kraft (dpa, 28.05.2021)",
         "«Damit würde die Bundes-Notbremse am Montag außer Kraft treten.»"),
        ("https://rp-online.de/nrw/staedte/koeln/corona-regeln-koeln-diese-lockerungen-gelten-ab-montag-restaurants-schule-und-sport_aid-58308805",
         "Inzidenz sinkt auf 40,1 – Diese Lockerungen gelten ab Montag in Köln (Rheinische Post)",
         "fällt am Montag (31. Mai) die Bundesnotbremse")],
        note="Computed series: Sun 30.05., one day early (computed 102.5 on 21.05. and 91.0 on 22.05., published "
             "94.6 and 102.8: the reset falls one Werktag apart). On 16.05. the RKI published 89.8 (revised: "
             "104.6), and 105.3 on 17.05.: the city blamed tests before the holiday and labs sending results late."),
    dict(ags="05315", level=150, change="in", announced=None, kind="earlier", earlier_from=None, sources=[
        ("https://www1.wdr.de/nachrichten/notbremse-testoption-nrw-100.html",
         "Notbremse: Testoption (WDR, 27.03.2021)", "Köln decided not to use the testing option")],
        note="Click & Meet was already not allowed under NRW's Notbremse (Köln declined the testing option in "
             "March); no separate § 28b date for 150 was announced. Platform: Sat 24.04. on both series."),
    dict(ags="05315", level=150, change="out", announced="2021-05-19", kind="same", sources=[
        ("https://newsportal.koeln/regionales/koeln-ausgangsbeschraenkung-wieder-erst-ab-2200-uhr/",
         "Köln: Ausgangsbeschränkung wieder erst ab 22:00 Uhr (text of the Stadt Köln, 17.05.2021)",
         "Ab Mittwoch, den 19. Mai 2021 … click&meet")],
        note="Same day; on 17.05. the city's legal office still weighed Tuesday or Wednesday (Bild, 17.05.2021). "
             "Computed series: Mon 17.05., two days early (below 150 from 10.05., published 151.0 that day)."),
    dict(ags="05315", level=165, change="in", announced="2021-04-26", kind="first_day", sources=[
        ("https://www.report-k.de/bundesnotbremse-und-die-regeln-der-stadt-koeln-143658/",
         "Bundesnotbremse und die Regeln der Stadt Köln (report-K, 23.04.2021)",
         "Die Kölner Schulen kehren am Montag in den Distanzunterricht zurück")],
        note="Platform: Sat 24.04.; first school and Kita day Mon 26.04."),
    dict(ags="05315", level=165, change="out", announced="2021-05-17", kind="same", sources=[
        ("https://www.24rhein.de/koeln/corona-koeln-oeffnungen-schule-kita-inzidenz-wechselunterricht-distanzunterricht-notbetreuung-90575532.html",
         "Corona in Köln: Öffnungen in Schulen und Kitas am Montag (24RHEIN, update 16.05.2021)",
         "laut Allgemeinverfügung des Gesundheitsministeriums am Montag (17. Mai)"),
        ("https://www.express.de/koeln/corona-in-koeln-entscheidung-klar--ab-montag-wechselunterricht---wenn-inzidenz-passt-38381362",
         "Entscheidung klar: Ab Montag Wechselunterricht – wenn Inzidenz passt (Express)",
         "ministry: Saturday counts, Ascension does not interrupt; not Whit Tuesday as reported before")],
        note="Same day, after confusion whether Ascension broke the count (it does not: holidays are skipped). "
             "Computed series: Sun 16.05., no practical difference."),
]

KIND_TEXT = {
    "same": "same day", "first_day": "first school/shopping day", "earlier": "earlier order",
    "trigger_only": "trigger day only", "none": "not found",
}


def announced_for(ags: str, level: int, change: str) -> dict | None:
    key = "in" if change.startswith("in") else "out"
    return next((a for a in ANNOUNCED if (a["ags"], a["level"], a["change"]) == (ags, level, key)), None)


def _header_date(cell) -> date | None:
    """A header cell: a spreadsheet date (datetime) or text "dd.mm.yyyy"; anything else None."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, str):
        try:
            return datetime.strptime(cell.strip(), "%d.%m.%Y").date()
        except ValueError:
            return None
    return None


def published_series(workbook: Path, ags_list) -> dict[str, dict[date, float]]:
    """{AGS: {day: fixed 7-day incidence}} for the given districts from the RKI workbook."""
    wanted = {int(a): a for a in ags_list}
    wb = openpyxl.load_workbook(workbook, read_only=True, data_only=True)
    try:
        ws = wb[SHEET]
        days: dict[int, date] | None = None
        key_col = None
        out: dict[str, dict[date, float]] = {}
        for row in ws.iter_rows(values_only=True):
            if days is None:
                # The header row is the one with "LKNR" (heading rows above it are skipped).
                labels = [str(c).strip().upper() if c is not None else "" for c in row]
                if "LKNR" in labels:
                    key_col = labels.index("LKNR")
                    days = {i: d for i, c in enumerate(row) if (d := _header_date(c)) is not None}
                continue
            key = row[key_col] if key_col is not None and key_col < len(row) else None
            try:
                key = int(key)
            except (TypeError, ValueError):
                continue
            if key in wanted:
                out[wanted[key]] = {d: float(row[i]) for i, d in days.items()
                                    if i < len(row) and isinstance(row[i], (int, float))}
        return out
    finally:
        wb.close()


def computed_series(districts_dir: Path, ags: str) -> dict[date, float]:
    """{day: Cases_Last_Week_Per_Million / 10} from the district time series (by reporting date)."""
    with open(districts_dir / f"de-district_timeseries-{ags}.tsv", encoding="utf-8") as fh:
        return {date.fromisoformat(r["Date"]): float(r["Cases_Last_Week_Per_Million"]) / 10
                for r in csv.DictReader(fh, delimiter="\t")}


def nrw_holidays(values) -> frozenset[date]:
    """As selectors._holidays("NW", years of the series up to the evaluation day)."""
    years = tuple(range(min(values).year, AS_OF.year + 1))
    return frozenset(holidays_lib.Germany(subdiv="NW", years=years).keys())


def periods(rule, values) -> list[eng.Period]:
    ev = eng.evaluate(rule, values, as_of=AS_OF, holidays=nrw_holidays(values), forecast_days=0)
    return [p for p in ev.periods if p.start <= WINDOW[1] and (p.end is None or p.end >= WINDOW[0])]


def transitions(rule, values) -> list[dict]:
    """One row per change: in force from (first day) and lifted from (first day without measures)."""
    rows = []
    for p in periods(rule, values):
        rows.append({"change": "in Kraft ab", "day": p.start, "trigger": p.trigger_day})
        if p.end is not None and p.end < rule.in_force_until:
            rows.append({"change": "außer Kraft ab", "day": p.end + timedelta(days=1), "trigger": p.lift_trigger_day})
    return rows


def compare(shared: Path) -> list[dict]:
    ruleset = next(rs for rs in catalog.builtin_rulesets() if rs.key == "bundesnotbremse-2021")
    published = published_series(shared / "data/covid/rki/Fallzahlen_Kum_Tab_2021-11-22.xlsx", CITIES)
    out = []
    for ags, city in CITIES.items():
        computed = computed_series(shared / "data/covid/districts", ags)
        for rule in ruleset.rules:
            pub = transitions(rule, published[ags])
            com = transitions(rule, computed)
            n = max(len(pub), len(com))
            for i in range(n):
                p = pub[i] if i < len(pub) else None
                c = com[i] if i < len(com) else None
                change = (p or c)["change"]
                ann = announced_for(ags, int(rule.entry.threshold), change)
                out.append({
                    "ags": ags, "city": city, "level": int(rule.entry.threshold), "rule": rule.key, "change": change,
                    "published": p["day"].isoformat() if p else None,
                    "published_trigger": p["trigger"].isoformat() if p else None,
                    "computed": c["day"].isoformat() if c else None,
                    "computed_trigger": c["trigger"].isoformat() if c else None,
                    "difference_days": (c["day"] - p["day"]).days if p and c else None,
                    "announced": ann["announced"] if ann else None,
                    "kind": ann["kind"] if ann else "none",
                    "earlier_from": ann.get("earlier_from") if ann else None,
                    "sources": [{"url": u, "title": t, "says": q} for u, t, q in ann["sources"]] if ann else [],
                    "note": ann["note"] if ann else "",
                })
    return out


def values_table(shared: Path, ags: str, start: date, end: date) -> list[tuple[date, float | None, float | None]]:
    """Day, published, computed: for explaining single transitions."""
    pub = published_series(shared / "data/covid/rki/Fallzahlen_Kum_Tab_2021-11-22.xlsx", [ags])[ags]
    com = computed_series(shared / "data/covid/districts", ags)
    out = []
    d = start
    while d <= end:
        out.append((d, pub.get(d), com.get(d)))
        d += timedelta(days=1)
    return out


WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()


def _day(iso: str | None) -> str:
    if not iso:
        return "–"
    d = date.fromisoformat(iso)
    return f"{WEEKDAYS[d.weekday()]} {d:%d.%m.}"


def markdown(rows: list[dict]) -> str:
    """The comparison table (docs/situation.md) and the numbered sources and explanations below it."""
    lines = ["| # | city | level | change | platform, published series | platform, computed series | "
             "announced | relation | sources |",
             "|---|---|---|---|---|---|---|---|---|"]
    notes = []
    for i, r in enumerate(rows, 1):
        diff = r["difference_days"]
        computed = _day(r["computed"]) + (f" ({diff:+d})" if diff else "")
        refs = ", ".join(f"[{i}{chr(97 + j)}]" for j in range(len(r["sources"]))) or "–"
        relation = KIND_TEXT[r["kind"]]
        if r["kind"] == "earlier":
            relation += f" (from {_day(r['earlier_from'])})" if r["earlier_from"] else " (date not found)"
        lines.append(f"| {i} | {r['city']} | {r['level']} | {r['change']} | {_day(r['published'])} | {computed} | "
                     f"{_day(r['announced'])} | {relation} | {refs} |")
        srcs = "; ".join(f"[{i}{chr(97 + j)}] {s['title']}, <{s['url']}>: {s['says']}"
                         for j, s in enumerate(r["sources"]))
        notes.append(f"{i}. {r['city']} {r['level']} {r['change']}: {r['note']}" + (f" Sources: {srcs}." if srcs else ""))
    return "\n".join(lines) + "\n\n" + "\n".join(notes) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--markdown", action="store_true", help="the table for docs/situation.md")
    parser.add_argument("--values", metavar="AGS", help="print the two series day by day for one district")
    args = parser.parse_args(argv)
    if args.values:
        for d, p, c in values_table(args.shared, args.values, WINDOW[0] - timedelta(days=7), WINDOW[1]):
            wd = "Mo Di Mi Do Fr Sa So".split()[d.weekday()]
            fmt = lambda v: "   -  " if v is None else f"{v:6.1f}"  # noqa: E731
            print(f"{d} {wd}  veröffentlicht {fmt(p)}  berechnet {fmt(c)}")
        return 0
    rows = compare(args.shared)
    if args.markdown:
        sys.stdout.write(markdown(rows))
        return 0
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(f"{'Stadt':14} {'Stufe':>5} {'Wechsel':15} {'veröffentlicht':>14} {'(Auslöser)':>12} "
          f"{'berechnet':>11} {'(Auslöser)':>12} {'Diff.':>5} {'angekündigt':>12}  Bezug")
    for r in rows:
        diff = "" if r["difference_days"] is None else f"{r['difference_days']:+d}"
        print(f"{r['city']:14} {r['level']:>5} {r['change']:15} {r['published'] or '-':>14} "
              f"{r['published_trigger'] or '':>12} {r['computed'] or '-':>11} {r['computed_trigger'] or '':>12} "
              f"{diff:>5} {r['announced'] or '-':>12}  {KIND_TEXT[r['kind']]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
