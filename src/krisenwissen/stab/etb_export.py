"""The Einsatztagebuch for the archive: one PDF/UA document (the reports' Typst pipeline).

Every entry with number, times, author and function, category, text, the corrected entry's
number and the entry's hash; the chain head and the result of the chain check; a closing
signature block. An exercise staff's export says ÜBUNG in its title (``str(staff)``).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from krisenwissen.reports.document import (
    BulletList,
    Callout,
    Document,
    Heading,
    Paragraph,
    Run,
)

from .etb_selectors import verify
from .models import LogCategory, LogEntry, Staff

_CATEGORY = dict(LogCategory.choices)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") if moment else ""


def build_document(staff: Staff) -> Document:
    check = verify(staff=staff)
    now = timezone.now()
    title = _("Einsatztagebuch – %(staff)s") % {"staff": str(staff)}
    blocks: list = [
        Heading(title, 1),
        Paragraph(_("Kommune: %(city)s. Aktiviert am %(from)s%(to)s. Exportiert am %(now)s.") % {
            "city": staff.municipality.name, "from": _when(staff.activated_at),
            "to": (_(", deaktiviert am %(d)s") % {"d": _when(staff.deactivated_at)}) if staff.deactivated_at else "",
            "now": _when(now)}),
    ]
    if staff.exercise:
        blocks.append(Callout(_("Dies ist ein Übungsstab, kein echter Einsatz."), title=_("ÜBUNG")))
    blocks.append(Callout(
        (_("Die Hash-Kette ist intakt (%(n)s Einträge).") % {"n": check.count}) if check.holds
        else (_("Die Hash-Kette ist ab Eintrag Nr. %(nr)s gebrochen: dieser Eintrag wurde nach dem Schreiben verändert.")
              % {"nr": check.first_broken}),
        title=_("Prüfung der Hash-Kette")))
    corrected_by: dict[int, list[int]] = {}
    for number, corrects in LogEntry.objects.filter(staff=staff, corrects__isnull=False).values_list("number", "corrects__number"):
        corrected_by.setdefault(corrects, []).append(number)
    # One paragraph per entry (not a table: Typst lays out 10,000 table rows about twice as slowly).
    blocks.append(Heading(_("Einträge"), 2))
    qs = (LogEntry.objects.filter(staff=staff).order_by("number")
          .values_list("number", "event_at", "entered_at", "written_at", "author_name", "author_function", "category", "text",
                       "corrects__number", "attachment_name", "hash"))
    count = 0
    for number, event_at, entered_at, written_at, author, function, category, text, corrects, attachment, digest in qs.iterator(chunk_size=2000):
        count += 1
        times = _("Ereignis %(e)s, eingetragen %(t)s") % {"e": _when(event_at), "t": _when(entered_at)}
        if written_at:
            times += ", " + _("geschrieben %(t)s") % {"t": _when(written_at)}
        who = (author or _("System")) + (f" ({function})" if function else "")
        runs = [Run(_("Nr. %(nr)s") % {"nr": number} + " – ", bold=True), Run(f"{times} – {who}"), Run(" – "),
                Run(_CATEGORY.get(category, category) + ": ", bold=True), Run(text)]
        if attachment:
            runs.append(Run(" " + _("(Anlage: %(name)s)") % {"name": attachment}, italic=True))
        if corrects:
            runs.append(Run(" " + _("Korrigiert Nr. %(nr)s.") % {"nr": corrects}, italic=True))
        if number in corrected_by:
            runs.append(Run(" " + _("Korrigiert durch Nr. %(nrs)s.") % {"nrs": ", ".join(map(str, corrected_by[number]))}, italic=True))
        runs.append(Run(" " + _("Hash: %(hash)s") % {"hash": digest}, italic=True))
        blocks.append(Paragraph(runs))
    if not count:
        blocks.append(Paragraph(_("Das Einsatztagebuch enthält keine Einträge.")))
    blocks += [
        Heading(_("Abschluss"), 2),
        Paragraph(_("Kopf der Hash-Kette (Hash des letzten Eintrags): %(head)s") % {"head": check.head or "–"}),
        Paragraph(_("Jeder Hash deckt den Inhalt seines Eintrags und den Hash des vorigen Eintrags ab. Geprüft wird mit "
                    "„krisenwissen etb verify %(ref)s“.") % {"ref": staff.uuid}),
        Paragraph(_("Abgeschlossen am: ____________________   ETB-Führer/in: %(keeper)s") % {
            "keeper": (staff.log_keeper.get_full_name() or staff.log_keeper.get_username()) if staff.log_keeper else "____________________"}),
        BulletList([_("Unterschrift ETB-Führer/in: ______________________________"),
                    _("Unterschrift Leitung des Stabes: ______________________________")]),
    ]
    return Document(title=title, blocks=blocks, print_title=False, date=timezone.localdate(now),
                    keywords=[_("Einsatztagebuch"), staff.municipality.name])


def render_pdf(staff: Staff) -> bytes:
    from krisenwissen.reports.render import render_pdf as typst_pdf

    return typst_pdf(build_document(staff))
