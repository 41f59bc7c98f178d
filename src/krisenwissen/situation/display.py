"""German texts, symbols and CSS classes for rule states (status never by colour alone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import rules_engine as eng

STATUS = {
    eng.INACTIVE: (gettext_lazy("nicht in Kraft"), "○", "success"),
    eng.ANNOUNCED: (gettext_lazy("tritt in Kraft"), "▲", "warning"),
    eng.ACTIVE: (gettext_lazy("in Kraft"), "●", "error"),
    eng.LIFT_ANNOUNCED: (gettext_lazy("wird aufgehoben"), "▼", "warning"),
    eng.NO_DATA: (gettext_lazy("keine Daten"), "?", "status"),
}


def d(day: date | None) -> str:
    return formats.date_format(day, "d.m.Y") if day else "–"


def num(value, decimals: int = 1) -> str:
    if value is None:
        return "–"
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@dataclass
class StatusView:
    text: str
    symbol: str
    css: str
    detail: str
    forecast: str
    fallback: str = ""  # "berechnet, nicht veröffentlicht: …" when the status depends on substitute values
    periods: tuple[tuple[str, bool], ...] = ()  # (text, rests on substitute values) per period in force


def period_text(period: eng.Period) -> str:
    """„seit 24.04.2021“ for a period still in force on the evaluated day, else „24.04.2021 – 20.05.2021“."""
    if period.end is None:
        return _("seit %(day)s") % {"day": d(period.start)}
    return f"{d(period.start)} – {d(period.end)}"


def integer(value) -> str:
    """A whole number with the German thousands separator (579.432)."""
    return num(value, 0)


def status_view(ev: eng.Evaluation) -> StatusView:
    text, symbol, css = STATUS.get(ev.status, STATUS[eng.NO_DATA])
    text = str(text)
    if ev.status == eng.ANNOUNCED:
        detail = _("gilt ab %(day)s") % {"day": d(ev.change_on)}
    elif ev.status == eng.LIFT_ANNOUNCED:
        detail = _("außer Kraft ab %(day)s") % {"day": d(ev.change_on)}
    elif ev.status == eng.ACTIVE:
        start = ev.periods[-1].start if ev.periods else None
        detail = _("seit %(day)s; %(n)s von %(m)s Tagen unter der Schwelle") % {
            "day": d(start), "n": ev.streak, "m": ev.streak_needed}
    elif ev.status == eng.INACTIVE:
        detail = _("%(n)s von %(m)s Tagen über der Schwelle") % {"n": ev.streak, "m": ev.streak_needed}
    else:
        detail = _("Für diesen Tag liegen keine Werte vor.")
    fc = ev.forecast
    if fc is None or fc.change is None:
        forecast = _("Beim aktuellen Trend keine Änderung in den nächsten %(n)s Tagen.") % {
            "n": fc.horizon_days if fc else 60}
    elif fc.change == "tritt_in_kraft":
        forecast = ngettext("Beim aktuellen Trend in Kraft ab %(day)s (in %(n)s Tag).",
                            "Beim aktuellen Trend in Kraft ab %(day)s (in %(n)s Tagen).", fc.days_until) % {
            "day": d(fc.effective_on), "n": fc.days_until}
    else:
        forecast = ngettext("Beim aktuellen Trend außer Kraft ab %(day)s (in %(n)s Tag).",
                            "Beim aktuellen Trend außer Kraft ab %(day)s (in %(n)s Tagen).", fc.days_until) % {
            "day": d(fc.effective_on), "n": fc.days_until}
    periods = tuple((period_text(p), bool(p.fallback_days)) for p in ev.periods)
    return StatusView(text, symbol, css, detail, forecast, fallback_text(ev.fallback_days), periods)


def fallback_text(days) -> str:
    """The visible note on a status, period or value that rests on computed instead of published values."""
    days = sorted(days)
    if not days:
        return ""
    shown = ", ".join(d(x) for x in days[:5]) + (" …" if len(days) > 5 else "")
    return _("berechnet, nicht veröffentlicht: %(n)s Tag(e) ohne veröffentlichten Wert (%(days)s)") % {
        "n": len(days), "days": shown}


def trend_text(figure) -> tuple[str, str]:
    symbol, word = figure.trend
    return symbol, {"steigend": _("steigend"), "fallend": _("fallend"), "gleichbleibend": _("gleichbleibend"),
                    "keine Angabe": _("keine Angabe")}[word]
