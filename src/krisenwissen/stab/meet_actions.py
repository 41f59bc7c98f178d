"""State changes of the Lagebesprechung and the Lagebericht (``meet`` part).

Every step of a meeting is its own action and transaction, so a server restart during a
meeting loses nothing: the meeting page resumes at ``Meeting.current_position``. Double
submits are absorbed (``client_key`` on contributions and decisions; advancing names the item
it advances from).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from krisenwissen.core.audit import record
from krisenwissen.core.notifications import notify
from krisenwissen.core.policy import has_perm, person, require_perm
from krisenwissen.reports.render import ReportError, render_docx, render_pdf

from .journal import record_in_log
from .meet_documents import protocol_document, report_document, when
from .meet_events import MeetEvent
from .meet_lifecycles import MEETING, SITUATION_REPORT
from .meet_rules import held_functions
from .meet_selectors import lagebild_snapshot
from .models import (
    LEITUNG_CODES,
    AgendaItem,
    AgendaKind,
    ContributionKind,
    FunctionGroup,
    LogCategory,
    Meeting,
    MeetingContribution,
    MeetingDecision,
    MeetingStatus,
    ReportRecipient,
    ReportSection,
    ReportStatus,
    SituationReport,
    Staff,
    StaffAssignment,
    StaffFunction,
)
from .msg_actions import do_create_task

MAX_TEXT = 4000
MAX_TITLE = 300


def _clean_text(text: str, *, field: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    text = (text or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({field: _("Bitte einen Text eingeben.")})
    if len(text) > limit:
        raise ValidationError({field: _("Höchstens %(limit)s Zeichen.") % {"limit": limit}})
    return text


def _own_function(staff: Staff, function: StaffFunction | None, *, field: str = "function") -> StaffFunction:
    if function is None or function.staff_id != staff.pk:
        raise ValidationError({field: _("Bitte eine Funktion dieses Stabes wählen.")})
    return function


# --- the meeting ---------------------------------------------------------------------------------

def _is_lage(function: StaffFunction) -> bool:
    return function.group == FunctionGroup.S2 or function.code in {"s2", "lage", "lagedarstellung"}


def _is_leitung(function: StaffFunction) -> bool:
    return function.code in LEITUNG_CODES or function.group == FunctionGroup.LEITUNG


def agenda_for(staff: Staff, *, lage_minutes: int = 5, function_minutes: int = 3) -> list[dict]:
    """The fixed agenda: Lage first (S2/Lagedarstellung), the functions in the staff's order, Leitung closes."""
    functions = list(StaffFunction.objects.filter(staff=staff, active=True).order_by("order", "name"))
    lage = next((f for f in functions if _is_lage(f)), None)
    leitung = next((f for f in functions if _is_leitung(f)), None)
    items = [{"kind": AgendaKind.LAGE, "function": lage, "minutes": lage_minutes,
              "title": _("Lage (%(who)s)") % {"who": lage.name} if lage else _("Lage (Lagedarstellung)")}]
    for f in functions:
        if f is lage or f is leitung:
            continue
        items.append({"kind": AgendaKind.FUNKTION, "function": f, "minutes": function_minutes, "title": f.name})
    items.append({"kind": AgendaKind.LEITUNG, "function": leitung, "minutes": function_minutes,
                  "title": _("Abschluss durch die Leitung") + (f" ({leitung.name})" if leitung else "")})
    return items


def do_start_meeting(staff: Staff, *, acting_user, lage_minutes: int = 5, function_minutes: int = 3) -> Meeting:
    """Start a Lagebesprechung with the fixed agenda; one running meeting per staff at a time."""
    require_perm(acting_user, "stab.run_meeting", staff,
                 message=_("Die Lagebesprechung leiten Leitung, Koordinierungsgruppe oder S2."))
    if not (1 <= lage_minutes <= 120 and 1 <= function_minutes <= 60):
        raise ValidationError(_("Zeitfenster: Lage 1 bis 120 Minuten, je Funktion 1 bis 60 Minuten."))
    with transaction.atomic():
        locked = Staff.objects.select_for_update().get(pk=staff.pk)
        if not locked.is_active:
            raise ValidationError(_("Der Stab ist deaktiviert."))
        running = Meeting.objects.filter(staff=locked, status=MeetingStatus.LAUFEND).first()
        if running is not None:
            return running  # a double submit, or a second person starting: join the running one
        last = Meeting.objects.filter(staff=locked).order_by("-number").values_list("number", flat=True).first() or 0
        now = timezone.now()
        agenda = agenda_for(locked, lage_minutes=lage_minutes, function_minutes=function_minutes)
        meeting = Meeting.objects.create(
            staff=locked, number=last + 1, started_at=now, started_by=person(acting_user),
            planned_minutes=sum(i["minutes"] for i in agenda), lagebild=lagebild_snapshot(locked),
        )
        AgendaItem.objects.bulk_create([
            AgendaItem(meeting=meeting, position=pos, kind=i["kind"], function=i["function"], title=i["title"][:200],
                       minutes=i["minutes"], started_at=now if pos == 0 else None)
            for pos, i in enumerate(agenda)
        ])
        record(MeetEvent.MEETING_STARTED, acting_user=acting_user, obj=meeting, municipality=locked.municipality, number=meeting.number)
        return meeting


def _locked_open_meeting(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("staff").get(pk=meeting.pk)
    if not locked.is_open:
        raise ValidationError(_("Die Lagebesprechung ist bereits geschlossen."))
    return locked


def do_advance_item(meeting: Meeting, *, from_position: int, acting_user) -> Meeting:
    """Close the current agenda item and open the next. Names the item it advances from, so a
    double click (or a second chair clicking at once) advances once."""
    require_perm(acting_user, "stab.run_meeting", meeting)
    with transaction.atomic():
        locked = _locked_open_meeting(meeting)
        if locked.current_position != from_position:
            return locked
        items = {i.position: i for i in locked.items.select_for_update()}
        if from_position + 1 not in items:
            raise ValidationError(_("Das ist der letzte Tagesordnungspunkt. Bitte die Besprechung schließen."))
        now = timezone.now()
        current, nxt = items[from_position], items[from_position + 1]
        current.ended_at = now
        current.save(update_fields=["ended_at"])
        nxt.started_at = now
        nxt.save(update_fields=["started_at"])
        locked.current_position = nxt.position
        locked.save(update_fields=["current_position"])
        record(MeetEvent.MEETING_ITEM_ADVANCED, acting_user=acting_user, obj=locked, municipality=locked.staff.municipality,
               item=nxt.title)
        return locked


def do_add_contribution(meeting: Meeting, *, kind: str, function: StaffFunction | None, text: str, acting_user,
                        client_key: str = "") -> MeetingContribution:
    """A contribution (Fakt / Annahme / Frage) to the current item, tagged with the contributing function."""
    require_perm(acting_user, "stab.contribute_meeting", meeting,
                 message=_("Beiträge zur Lagebesprechung schreiben die Mitglieder des Stabes."))
    if kind not in ContributionKind.values:
        raise ValidationError({"kind": _("Bitte Fakt, Annahme oder Frage wählen.")})
    text = _clean_text(text, field="text")
    client_key = (client_key or "")[:64]
    with transaction.atomic():
        locked = _locked_open_meeting(meeting)
        function = _own_function(locked.staff, function)
        own = {fid for fid, _c, _g in held_functions(acting_user, locked.staff)}
        if function.pk not in own and not has_perm(acting_user, "stab.run_meeting", locked):
            raise ValidationError({"function": _("Beiträge nur für eine eigene Funktion (oder als Besprechungsleitung).")})
        if client_key:
            existing = MeetingContribution.objects.filter(meeting=locked, client_key=client_key).first()
            if existing is not None:
                return existing
        item = locked.items.get(position=locked.current_position)
        contribution = MeetingContribution.objects.create(meeting=locked, item=item, kind=kind, function=function, text=text,
                                                          author=person(acting_user), client_key=client_key)
        record(MeetEvent.MEETING_CONTRIBUTION_ADDED, acting_user=acting_user, obj=locked, municipality=locked.staff.municipality,
               kind=kind, function=function.name)
        return contribution


def do_record_decision(meeting: Meeting, *, text: str, acting_user, owner_function: StaffFunction | None = None,
                       due_at: datetime | None = None, client_key: str = "") -> MeetingDecision:
    """Record a decision on the current item; with an owner function it becomes an Auftrag.

    Writes the ETB entries „Entscheidung“ and (with a task, through ``msg_actions.do_create_task``)
    „Auftrag“ in the same transaction.
    """
    require_perm(acting_user, "stab.run_meeting", meeting,
                 message=_("Entscheidungen halten Leitung, Koordinierungsgruppe oder S2 fest."))
    text = _clean_text(text, field="text")
    client_key = (client_key or "")[:64]
    now = timezone.now()
    if due_at is not None and not (now - timedelta(days=1) <= due_at <= now + timedelta(days=366)):
        raise ValidationError({"due_at": _("Die Frist muss zwischen gestern und einem Jahr von heute liegen.")})
    with transaction.atomic():
        locked = _locked_open_meeting(meeting)
        staff = locked.staff
        if owner_function is not None:
            _own_function(staff, owner_function, field="owner_function")
        if client_key:
            existing = MeetingDecision.objects.filter(meeting=locked, client_key=client_key).first()
            if existing is not None:
                return existing
        item = locked.items.get(position=locked.current_position)
        # The decision first, then (through ``do_create_task``) the Auftrag it gives.
        record_in_log(staff, category=LogCategory.ENTSCHEIDUNG, acting_user=acting_user,
                      text=_("Lagebesprechung %(number)s: %(text)s") % {"number": locked.number, "text": text})
        task = None
        if owner_function is not None:
            task = do_create_task(staff, title=text[:MAX_TITLE], owner_function=owner_function, due_at=due_at,
                                  description=_("Aus Lagebesprechung %(number)s, %(item)s.") % {"number": locked.number, "item": item.title},
                                       acting_user=acting_user)
        decision = MeetingDecision.objects.create(meeting=locked, item=item, text=text, task=task,
                                                  created_by=person(acting_user), client_key=client_key)
        # The Auftrag's own ETB entry is written by ``do_create_task``.
        record(MeetEvent.MEETING_DECISION_RECORDED, acting_user=acting_user, obj=locked, municipality=staff.municipality,
               task=task.number if task else None)
        return decision


def _state_of_meeting(meeting: Meeting) -> tuple:
    """What the protocol is made of (position, last contribution and decision): compared before
    storing a protocol rendered outside the lock."""
    return (meeting.current_position, meeting.contributions.order_by("-pk").values_list("pk", flat=True).first(),
            meeting.decisions.order_by("-pk").values_list("pk", flat=True).first(), meeting.contributions.count(),
            meeting.decisions.count())


def do_close_meeting(meeting: Meeting, *, acting_user, next_meeting_at: datetime | None = None) -> Meeting:
    """Close the meeting, announce the next one and generate the protocol (PDF/UA and DOCX) at once.

    The next meeting defaults to now + the staff's meeting rhythm and is set on the staff. The
    protocol files are stored on the meeting, and an ETB entry references them (with their hash).
    The protocol is rendered before the rows are locked (rendering takes seconds; the staff's
    ETB must not wait for it) and stored only if the meeting did not change meanwhile.
    """
    for _attempt in range(3):
        fresh = Meeting.objects.select_related("staff").get(pk=meeting.pk)
        MEETING.check(acting_user, fresh, "close")
        now = timezone.now()
        next_at = next_meeting_at or now + timedelta(hours=fresh.staff.meeting_rhythm_hours or 24)
        if not (now <= next_at <= now + timedelta(days=60)):
            raise ValidationError({"next_meeting_at": _("Die nächste Lagebesprechung muss in der Zukunft liegen (höchstens 60 Tage).")})
        seen = _state_of_meeting(fresh)
        fresh.closed_at = now
        fresh.next_meeting_at = next_at
        document = protocol_document(fresh)
        try:
            pdf, docx = render_pdf(document), render_docx(document)
        except ReportError as exc:
            raise ValidationError(_("Das Protokoll konnte nicht erzeugt werden: %(error)s") % {"error": exc}) from exc
        with transaction.atomic():
            locked = Meeting.objects.select_for_update(of=("self",)).select_related("staff").get(pk=meeting.pk)
            MEETING.check(acting_user, locked, "close")
            if _state_of_meeting(locked) != seen:
                continue  # a contribution or decision arrived while rendering: render again
            staff = Staff.objects.select_for_update().get(pk=locked.staff_id)
            locked.items.filter(position=locked.current_position, ended_at__isnull=True).update(ended_at=now)
            locked.closed_at = now
            locked.next_meeting_at = next_at
            Staff.objects.filter(pk=staff.pk).update(next_meeting_at=next_at)
            locked.protocol_pdf, locked.protocol_docx = pdf, docx
            locked.protocol_sha256 = hashlib.sha256(pdf).hexdigest()
            locked.protocol_entry = record_in_log(staff, category=LogCategory.ANLAGE, acting_user=acting_user, text=_(
                "Protokoll der Lagebesprechung %(number)s (PDF/UA und DOCX, SHA-256 des PDF %(sha)s): %(url)s. "
                "Nächste Lagebesprechung: %(next)s.") % {
                    "number": locked.number, "sha": locked.protocol_sha256,
                    "url": reverse("stab:meet_protocol", kwargs={"pk": locked.pk, "fmt": "pdf"}), "next": when(next_at)})
            MEETING.apply(locked, "close", acting_user=acting_user,
                          update_fields=["closed_at", "next_meeting_at", "protocol_pdf", "protocol_docx", "protocol_sha256",
                                         "protocol_entry"],
                          number=locked.number)
            return locked
    raise ValidationError(_("Die Besprechung ändert sich gerade laufend. Bitte noch einmal schließen."))


# --- the Lagebericht -----------------------------------------------------------------------------

def do_create_situation_report(staff: Staff, *, title: str, acting_user) -> SituationReport:
    """A new draft with one section per active function, the Lagebild snapshot and the functions
    of the staff as the default distribution list."""
    require_perm(acting_user, "stab.create_situation_report", staff,
                 message=_("Lageberichte legen die Mitglieder des Stabes an."))
    title = _clean_text(title, field="title", limit=200)
    with transaction.atomic():
        locked = Staff.objects.select_for_update().get(pk=staff.pk)
        last = SituationReport.objects.filter(staff=locked).order_by("-number").values_list("number", flat=True).first() or 0
        report = SituationReport.objects.create(staff=locked, number=last + 1, title=title, created_by=person(acting_user),
                                                lagebild=lagebild_snapshot(locked))
        functions = list(StaffFunction.objects.filter(staff=locked, active=True).order_by("order", "name"))
        ReportSection.objects.bulk_create([ReportSection(report=report, function=f) for f in functions])
        ReportRecipient.objects.bulk_create([ReportRecipient(report=report, function=f) for f in functions])
        record(MeetEvent.REPORT_CREATED, acting_user=acting_user, obj=report, municipality=locked.municipality, number=report.number)
        return report


def do_write_report_section(section: ReportSection, *, text: str, acting_user) -> ReportSection:
    """A function writes its own section (only while the report is a draft)."""
    require_perm(acting_user, "stab.write_report_section", section,
                 message=_("Jeden Abschnitt schreibt die zuständige Funktion."))
    text = _clean_text(text, field="text", limit=20000, required=False)
    with transaction.atomic():
        report = SituationReport.objects.select_for_update().get(pk=section.report_id)
        if report.status != ReportStatus.ENTWURF:
            raise ValidationError(_("Der Lagebericht ist nicht mehr im Entwurf; Abschnitte sind nicht mehr änderbar."))
        locked = ReportSection.objects.select_for_update(of=("self",)).select_related("function").get(pk=section.pk)
        locked.text = text
        locked.updated_by = person(acting_user)
        locked.updated_at = timezone.now()
        locked.save(update_fields=["text", "updated_by", "updated_at"])
        record(MeetEvent.REPORT_SECTION_WRITTEN, acting_user=acting_user, obj=report, municipality=report.staff.municipality,
               function=locked.function.name)
        return locked


def _locked_report(report: SituationReport) -> SituationReport:
    return SituationReport.objects.select_for_update(of=("self",)).select_related("staff").get(pk=report.pk)


def do_submit_situation_report(report: SituationReport, *, acting_user) -> SituationReport:
    """Submit for approval; the Lagebild snapshot is taken afresh and frozen from now on."""
    with transaction.atomic():
        locked = _locked_report(report)
        SITUATION_REPORT.check(acting_user, locked, "submit")
        locked.lagebild = lagebild_snapshot(locked.staff)
        return SITUATION_REPORT.apply(locked, "submit", acting_user=acting_user, update_fields=["lagebild"])


def do_return_situation_report(report: SituationReport, *, acting_user) -> SituationReport:
    with transaction.atomic():
        return SITUATION_REPORT.apply(_locked_report(report), "return", acting_user=acting_user)


def do_approve_situation_report(report: SituationReport, *, acting_user) -> SituationReport:
    """The Leitung approves; an ETB entry records it."""
    with transaction.atomic():
        locked = _locked_report(report)
        SITUATION_REPORT.check(acting_user, locked, "approve")
        locked.approved_by = person(acting_user)
        locked.approved_at = timezone.now()
        SITUATION_REPORT.apply(locked, "approve", acting_user=acting_user, update_fields=["approved_by", "approved_at"])
        record_in_log(locked.staff, category=LogCategory.ENTSCHEIDUNG, acting_user=acting_user,
                      text=_("Lagebericht %(number)s „%(title)s“ freigegeben.") % {"number": locked.number, "title": locked.title})
        return locked


def resolve_recipients(report: SituationReport) -> tuple[list, list[str]]:
    """(accounts, free e-mail addresses) of the distribution list; functions resolve to their holders and deputies."""
    users = {}
    emails = set()
    for r in report.recipients.select_related("user", "function"):
        if r.user_id:
            users[r.user_id] = r.user
        elif r.function_id:
            for a in StaffAssignment.objects.filter(function=r.function, ended_at__isnull=True).select_related("user"):
                users[a.user_id] = a.user
        elif r.email:
            emails.add(r.email.lower())
    known = {u.email.lower() for u in users.values() if u.email}
    return list(users.values()), sorted(emails - known)


def do_distribute_situation_report(report: SituationReport, *, acting_user) -> SituationReport:
    """Distribute the approved report: in-app notification (with e-mail) to every account on the
    list, an e-mail with the PDF and DOCX to every free address, and an ETB entry."""
    with transaction.atomic():
        locked = _locked_report(report)
        SITUATION_REPORT.check(acting_user, locked, "distribute")
        users, emails = resolve_recipients(locked)
        if not users and not emails:
            raise ValidationError(_("Der Verteiler ist leer. Bitte zuerst Empfängerinnen und Empfänger eintragen."))
        locked.distributed_at = timezone.now()
        SITUATION_REPORT.apply(locked, "distribute", acting_user=acting_user, update_fields=["distributed_at"],
                               audit={"accounts": len(users), "addresses": len(emails)})
        staff = locked.staff
        subject = _("%(staff)s: Lagebericht %(number)s – %(title)s") % {"staff": str(staff), "number": locked.number, "title": locked.title}
        url = reverse("stab:meet_report_detail", kwargs={"pk": locked.pk})
        body = _("Der Lagebericht %(number)s „%(title)s“ des Stabes %(staff)s ist freigegeben und verteilt.") % {
            "number": locked.number, "title": locked.title, "staff": str(staff)}
        notify(users, subject=subject, body=body, url=url)
        if emails:
            report_pk, document_number = locked.pk, locked.number

            def send():
                # rendered after the commit (no lock held while Typst works), from the distributed report
                document = report_document(SituationReport.objects.select_related("staff", "approved_by").get(pk=report_pk))
                pdf, docx = render_pdf(document), render_docx(document)
                name = f"lagebericht-{document_number}"
                for address in emails:
                    message = EmailMessage(subject=subject, body=body + "\n\n-- krisenwissen\n", to=[address])
                    message.attach(f"{name}.pdf", pdf, "application/pdf")
                    message.attach(f"{name}.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
                    message.send(fail_silently=True)

            transaction.on_commit(send)
        names = sorted({u.get_full_name() or u.get_username() for u in users}) + emails
        record_in_log(staff, category=LogCategory.MELDUNG_AUS, acting_user=acting_user,
                      text=_("Lagebericht %(number)s „%(title)s“ verteilt an: %(names)s.") % {
                          "number": locked.number, "title": locked.title, "names": ", ".join(names)})
        return locked


def do_add_report_recipient(report: SituationReport, *, acting_user, function: StaffFunction | None = None, user=None,
                            email: str = "") -> ReportRecipient:
    """Add a function, a member of the staff or a free e-mail address to the distribution list."""
    require_perm(acting_user, "stab.distribute_situation_report", report,
                 message=_("Den Verteiler pflegen die Leitung oder die Koordinierungsgruppe."))
    email = (email or "").strip()
    if sum(bool(x) for x in (function, user, email)) != 1:
        raise ValidationError(_("Bitte genau eine Funktion, ein Mitglied oder eine E-Mail-Adresse angeben."))
    with transaction.atomic():
        locked = _locked_report(report)
        if locked.status == ReportStatus.VERTEILT:
            raise ValidationError(_("Der Lagebericht ist bereits verteilt."))
        if function is not None:
            _own_function(locked.staff, function)
        if user is not None and not StaffAssignment.objects.filter(user=user, function__staff=locked.staff).exists():
            raise ValidationError({"user": _("Nur Mitglieder dieses Stabes; andere bitte per E-Mail-Adresse.")})
        if locked.recipients.count() >= 200:
            raise ValidationError(_("Höchstens 200 Einträge im Verteiler."))
        existing = locked.recipients.filter(function=function, user=user, email=email).first()
        if existing is not None:
            return existing
        recipient = ReportRecipient.objects.create(report=locked, function=function, user=user, email=email)
        record(MeetEvent.REPORT_RECIPIENTS_CHANGED, acting_user=acting_user, obj=locked, municipality=locked.staff.municipality,
               added=str(recipient))
        return recipient


def do_remove_report_recipient(recipient: ReportRecipient, *, acting_user) -> None:
    require_perm(acting_user, "stab.distribute_situation_report", recipient.report,
                 message=_("Den Verteiler pflegen die Leitung oder die Koordinierungsgruppe."))
    with transaction.atomic():
        locked = _locked_report(recipient.report)
        if locked.status == ReportStatus.VERTEILT:
            raise ValidationError(_("Der Lagebericht ist bereits verteilt."))
        record(MeetEvent.REPORT_RECIPIENTS_CHANGED, acting_user=acting_user, obj=locked, municipality=locked.staff.municipality,
               removed=str(recipient))
        ReportRecipient.objects.filter(pk=recipient.pk, report=locked).delete()
