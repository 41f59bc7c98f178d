"""The Lagebericht (daily situation report) as a neutral document for PDF/UA and DOCX."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from krisenwissen.reports.document import (
    BulletList,
    Callout,
    Chart,
    Document,
    Heading,
    Paragraph,
    Run,
    Table,
)

from . import display, selectors


def _incidence_chart(sits, as_of) -> Chart | None:
    start = as_of - timedelta(days=27)
    values = [{"Datum": d.isoformat(), "Gebiet": s.area.name, "Wert": round(v, 1)}
              for s in sits for d, v in sorted(s.incidence.items()) if d >= start]
    if not values:
        return None
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": 440, "height": 220,
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "line", "strokeWidth": 2},
             "encoding": {"x": {"field": "Datum", "type": "temporal", "title": "Datum",
                                "axis": {"format": "%d.%m.", "labelAngle": 0}},
                          "y": {"field": "Wert", "type": "quantitative", "title": "je 100.000 Einwohner"},
                          "color": {"field": "Gebiet", "type": "nominal", "title": "Gebiet"},
                          "strokeDash": {"field": "Gebiet", "type": "nominal", "legend": None}}},
            {"data": {"values": [{"Schwelle": t} for t in (100, 150, 165)]},
             "mark": {"type": "rule", "color": "#4d4d4d", "strokeDash": [2, 2]},
             "encoding": {"y": {"field": "Schwelle", "type": "quantitative"}}},
        ],
    }
    alt = "; ".join(f"{s.area.name}: {display.num(s.incidence.get(as_of), 1)}" for s in sits)
    caption = _("7-Tage-Inzidenz (am Tag veröffentlicht), 28 Tage, mit den Schwellen 100, 150, 165")
    fallback = sorted({d for s in sits for d in s.incidence_fallback if d >= start})
    if fallback:
        caption += "; " + display.fallback_text(fallback)
    return Chart(spec=spec, alt=_("7-Tage-Inzidenz der letzten 28 Tage. Werte am %(day)s: %(values)s") % {
        "day": display.d(as_of), "values": alt}, caption=caption)


def build_report(user, as_of: date, *, areas=None) -> Document:
    """Key figures, changes, rule status and upcoming changes, staff notes, sources.

    ``user`` None (command line) = the default five partner cities and no staff notes
    beyond public ones.
    """
    areas = areas if areas is not None else selectors.followed_areas(user=user)
    rulesets = list(selectors.rulesets_for(user=user))
    sits = selectors.situation(areas, as_of=as_of, rulesets=rulesets)
    day = display.d(as_of)
    blocks: list = [
        Paragraph(_("Stand: Daten bis einschließlich %(day)s. Gebiete: %(areas)s.") % {
            "day": day, "areas": ", ".join(a.name for a in areas)}),
        Paragraph(_("Regelstatus ausgewertet auf dem %(mode)s.") % {
            "mode": _("Stand damals (die Werte, wie sie am %(day)s bekannt waren)") % {"day": day}}),
        Heading(_("Kennzahlen"), 1),
    ]
    keys = ["inzidenz_7t_veroeffentlicht", "inzidenz_7t", "inzidenz_rki", "faelle_neu", "todesfaelle_neu", "its_belegung_anteil", "its_covid_anteil"]
    shown = [k for k in keys if any(s.figure(k) and s.figure(k).value is not None for s in sits)]
    for key in shown:
        ind = next(s.figure(key).indicator for s in sits if s.figure(key))
        rows = []
        for s in sits:
            f = s.figure(key)
            if f is None or f.value is None:
                rows.append([s.area.name, "–", "–", "–", "–"])
                continue
            symbol, word = display.trend_text(f)
            rows.append([s.area.name, display.num(f.value, ind.decimals),
                         display.num(f.change_day, ind.decimals) if f.change_day is not None else "–",
                         f"{display.num(f.change_week_percent, 1)} %" if f.change_week_percent is not None else "–",
                         f"{symbol} {word}"])
        blocks.append(Heading(f"{ind.name} ({ind.unit})", 2))
        blocks.append(Table(header=[_("Gebiet"), _("Wert"), _("zum Vortag"), _("zur Vorwoche"), _("Trend")],
                            rows=rows, caption=f"{ind.name}, {day}"))
    chart = _incidence_chart(sits, as_of)
    if chart is not None:
        blocks.append(chart)

    blocks.append(Heading(_("Regelstatus"), 1))
    for rs in rulesets:
        rows = []
        for s in sits:
            for st in s.statuses:
                if st.ruleset.pk != rs.pk:
                    continue
                v = display.status_view(st.evaluation)
                rows.append([s.area.name, st.rule.name, f"{v.symbol} {v.text}",
                             f"{v.detail} ({v.fallback})" if v.fallback else v.detail])
        if rows:
            blocks.append(Heading(rs.name, 2))
            blocks.append(Table(header=[_("Gebiet"), _("Regel"), _("Status"), _("Einzelheiten")], rows=rows,
                                caption=_("%(name)s am %(day)s") % {"name": rs.name, "day": day}))
    upcoming = []
    for area, st in selectors.upcoming_changes(sits):
        v = display.status_view(st.evaluation)
        upcoming.append(f"{area.name}, {st.rule.name}: {v.detail}." if st.evaluation.change_on
                        else f"{area.name}, {st.rule.name}: {v.forecast}")
    blocks.append(Heading(_("Anstehende Änderungen"), 2))
    blocks.append(BulletList(upcoming) if upcoming else Paragraph(_("Keine anstehenden Änderungen.")))
    blocks.append(Callout(_("Die Prognose schreibt die Veränderung zur Vorwoche als gleichbleibenden täglichen "
                            "Faktor fort. Sie ist keine amtliche Vorhersage."), title=_("Hinweis")))

    blocks.append(Heading(_("Notizen des Stabes (S2 / Lage)"), 1))
    notes = (selectors.readable_notes(user=user, day=as_of) if user is not None
             else selectors.readable_notes(user=None, day=as_of, public_only=True))
    notes = list(notes[:50])
    if notes:
        blocks.append(BulletList([Paragraph([Run(f"{n.municipality}, {n.get_kind_display()}: ", bold=True),
                                             Run(n.text)]) for n in notes]))
    else:
        blocks.append(Paragraph(_("Keine Notizen für diesen Tag.")))

    blocks.append(Heading(_("Quellen und Lizenzen"), 1))
    blocks.append(BulletList([
        _("Fallzahlen und 7-Tage-Inzidenz: Robert Koch-Institut (RKI), Lizenz CC BY 4.0; Kreisdaten "
          "zusammengestellt von entorb/COVID-19-Coronavirus-German-Regions."),
        _("Intensivbetten: DIVI-Intensivregister (Deutsche Interdisziplinäre Vereinigung für Intensiv- und "
          "Notfallmedizin) und RKI, Lizenz CC BY 4.0."),
        _("Regeln: maßgeblich ist die 7-Tage-Inzidenz, wie das RKI sie am jeweiligen Tag veröffentlicht hat "
          "(fixierte Werte der Arbeitsmappe Fallzahlen_Kum_Tab, Datenlizenz Deutschland – Namensnennung 2.0). "
          "Fehlt sie für einen Tag, wird die aus den Fallzahlen nach Meldedatum und der Einwohnerzahl berechnete "
          "Inzidenz verwendet; jeder davon abhängige Status ist als „berechnet, nicht veröffentlicht“ gekennzeichnet."),
        _("Regeln: § 28b IfSG in der Fassung vom 22.04.2021; § 28a Abs. 3 IfSG in der Fassung vom 18.11.2020."),
    ]))
    return Document(title=_("Lagebericht vom %(day)s") % {"day": day}, subtitle=", ".join(a.name for a in areas),
                    blocks=blocks, date=as_of, keywords=["Lagebericht", "Lagebild", "COVID-19"])
