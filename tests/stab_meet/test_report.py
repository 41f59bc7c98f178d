"""The Lagebericht: sections by functions, Lagebild snapshot, approval by the Leitung, distribution
(PDF/DOCX by e-mail, in-app notification) with ETB entries, all driven by one transition table."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from krisenwissen.core.models import Notification
from krisenwissen.core.policy import PermissionDenied
from krisenwissen.stab import meet_actions as actions
from krisenwissen.stab.meet_documents import report_document
from krisenwissen.stab.meet_lifecycles import SITUATION_REPORT
from krisenwissen.stab.models import LogCategory, LogEntry, ReportStatus

from .helpers import make_staff

pytestmark = pytest.mark.django_db


def _report(w):
    return actions.do_create_situation_report(w["staff"], title="Lage am Montag", acting_user=w["users"]["s2"])


def test_each_function_writes_its_own_section_only_while_draft():
    w = make_staff()
    report = _report(w)
    sections = {s.function.code: s for s in report.sections.select_related("function")}
    assert set(sections) == {"leitung", "s2", "gesundheit", "ordnung", "bium"}
    assert report.recipients.count() == 5  # the staff's functions are the default distribution list
    actions.do_write_report_section(sections["gesundheit"], text="Zwei Ausbrüche in Pflegeheimen.", acting_user=w["users"]["gesundheit"])
    with pytest.raises(PermissionDenied, match="zuständige Funktion"):
        actions.do_write_report_section(sections["ordnung"], text="fremd", acting_user=w["users"]["gesundheit"])
    with pytest.raises(PermissionDenied):
        actions.do_write_report_section(sections["ordnung"], text="fremd", acting_user=w["users"]["leitung"])
    with pytest.raises(PermissionDenied):
        actions.do_create_situation_report(w["staff"], title="x", acting_user=w["users"]["outsider"])
    actions.do_submit_situation_report(report, acting_user=w["users"]["gesundheit"])
    with pytest.raises(ValidationError, match="nicht mehr im Entwurf"):
        actions.do_write_report_section(sections["gesundheit"], text="später", acting_user=w["users"]["gesundheit"])
    assert "Zwei Ausbrüche in Pflegeheimen." in report_document(report).plain_text()


def test_only_the_leitung_approves_and_the_table_drives_the_buttons():
    w = make_staff()
    report = _report(w)
    assert [t.name for t in SITUATION_REPORT.available(w["users"]["gesundheit"], report)] == ["submit"]
    with pytest.raises(ValidationError, match="Entwurf"):
        actions.do_approve_situation_report(report, acting_user=w["users"]["leitung"])
    actions.do_submit_situation_report(report, acting_user=w["users"]["s2"])
    report.refresh_from_db()
    assert [t.name for t in SITUATION_REPORT.available(w["users"]["gesundheit"], report)] == []
    assert {t.name for t in SITUATION_REPORT.available(w["users"]["leitung"], report)} == {"return", "approve"}
    with pytest.raises(PermissionDenied, match="Leitung"):
        actions.do_approve_situation_report(report, acting_user=w["users"]["s2"])
    actions.do_return_situation_report(report, acting_user=w["users"]["leitung"])
    report.refresh_from_db()
    assert report.status == ReportStatus.ENTWURF
    actions.do_submit_situation_report(report, acting_user=w["users"]["s2"])
    approved = actions.do_approve_situation_report(report, acting_user=w["users"]["leitung"])
    assert approved.status == ReportStatus.FREIGEGEBEN and approved.approved_by == w["users"]["leitung"]
    entry = LogEntry.objects.filter(staff=w["staff"]).latest("number")
    assert entry.category == LogCategory.ENTSCHEIDUNG and "Lagebericht 1 „Lage am Montag“ freigegeben" in entry.text


def test_distribution_mails_notifies_and_logs(django_capture_on_commit_callbacks):
    w = make_staff(exercise=True)
    report = _report(w)
    actions.do_add_report_recipient(report, email="Kreis@Nachbarkreis.example", acting_user=w["users"]["leitung"])
    with pytest.raises(ValidationError):
        actions.do_add_report_recipient(report, user=w["users"]["outsider"], acting_user=w["users"]["leitung"])
    with pytest.raises(ValidationError):
        actions.do_add_report_recipient(report, acting_user=w["users"]["leitung"])
    with pytest.raises(PermissionDenied):
        actions.do_add_report_recipient(report, email="x@y.example", acting_user=w["users"]["gesundheit"])
    actions.do_submit_situation_report(report, acting_user=w["users"]["s2"])
    with pytest.raises(ValidationError):
        actions.do_distribute_situation_report(report, acting_user=w["users"]["leitung"])  # not approved yet
    actions.do_approve_situation_report(report, acting_user=w["users"]["leitung"])
    with pytest.raises(PermissionDenied):
        actions.do_distribute_situation_report(report, acting_user=w["users"]["gesundheit"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = actions.do_distribute_situation_report(report, acting_user=w["users"]["s2"])
    assert done.status == ReportStatus.VERTEILT and done.distributed_at
    notes = Notification.objects.filter(subject__contains="Lagebericht 1")
    assert {n.recipient for n in notes} == {w["users"][c] for c in ("leitung", "s2", "gesundheit", "ordnung", "bium")}
    assert all(n.subject.startswith("ÜBUNG") for n in notes)
    external = [m for m in mail.outbox if m.to == ["kreis@nachbarkreis.example"]]
    assert len(external) == 1 and external[0].subject.startswith("ÜBUNG")
    assert [a[0] for a in external[0].attachments] == ["lagebericht-1.pdf", "lagebericht-1.docx"]
    assert external[0].attachments[0][1].startswith(b"%PDF")
    entry = LogEntry.objects.filter(staff=w["staff"]).latest("number")
    assert entry.category == LogCategory.MELDUNG_AUS and "kreis@nachbarkreis.example" in entry.text
    with pytest.raises(ValidationError, match="bereits verteilt"):
        actions.do_add_report_recipient(report, email="z@y.example", acting_user=w["users"]["leitung"])
    assert report_document(done).title.startswith("ÜBUNG")
