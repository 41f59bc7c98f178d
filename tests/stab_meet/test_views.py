"""The pages of the Lagebesprechung and the Lagebericht: the whole flow through HTTP, bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from krisenwissen.stab.models import (
    LogCategory,
    LogEntry,
    Meeting,
    ReportStatus,
    SituationReport,
    Task,
)

from .helpers import make_staff

pytestmark = pytest.mark.django_db


def test_a_meeting_through_the_pages(client):
    w = make_staff()
    staff = w["staff"]
    client.force_login(w["users"]["gesundheit"])
    page = client.get(f"/stab/{staff.pk}/")
    assert "Lagebesprechungen" in page.content.decode()
    assert "Lagebesprechung beginnen" not in client.get(f"/stab/{staff.pk}/lagebesprechungen/").content.decode()
    assert client.post(f"/stab/{staff.pk}/lagebesprechungen/", {"lage_minutes": 5, "function_minutes": 3}).status_code == 403
    client.force_login(w["users"]["leitung"])
    response = client.post(f"/stab/{staff.pk}/lagebesprechungen/", {"lage_minutes": 5, "function_minutes": 3})
    meeting = Meeting.objects.get(staff=staff)
    assert response.status_code == 302 and response["Location"] == f"/stab/lagebesprechung/{meeting.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Jetzt: 1. Lage (S2 Lage)" in page and 'data-until="' in page and "stab/meet.js" in page
    base = f"/stab/lagebesprechung/{meeting.pk}"
    bad = client.post(f"{base}/beitrag/", {"beitrag-kind": "fakt", "beitrag-function": "999999", "beitrag-text": "x", "beitrag-client_key": "a"})
    assert bad.status_code == 400 and "Bitte prüfen Sie Ihre Eingaben." in bad.content.decode()
    ok = client.post(f"{base}/beitrag/", {"beitrag-kind": "fakt", "beitrag-function": w["functions"]["s2"].pk, "beitrag-text": "Inzidenz 54", "beitrag-client_key": "a"})
    assert ok.status_code == 302
    client.post(f"{base}/beitrag/", {"beitrag-kind": "fakt", "beitrag-function": w["functions"]["s2"].pk, "beitrag-text": "Inzidenz 54", "beitrag-client_key": "a"})
    assert meeting.contributions.count() == 1
    bad = client.post(f"{base}/entscheidung/", {"entscheidung-text": "x", "entscheidung-due_at": "morgen", "entscheidung-client_key": "b"})
    assert bad.status_code == 400
    soon = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(f"{base}/entscheidung/", {"entscheidung-text": "Testzentrum öffnen", "entscheidung-owner_function": w["functions"]["gesundheit"].pk,
                                          "entscheidung-due_at": soon, "entscheidung-client_key": "c"})
    task = Task.objects.get(staff=staff)
    assert task.owner_function == w["functions"]["gesundheit"]
    client.post(f"{base}/weiter/", {"from_position": "0"})
    client.post(f"{base}/weiter/", {"from_position": "nix"})
    assert Meeting.objects.get(pk=meeting.pk).current_position == 1
    assert client.get(f"{base}/protokoll.pdf").status_code == 404  # not before closing
    assert client.post(f"{base}/schliessen/", {"schluss-next_meeting_at": "2020-01-01T10:00"}).status_code == 400
    assert client.post(f"{base}/schliessen/", {}).status_code == 302
    pdf = client.get(f"{base}/protokoll.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    assert client.get(f"{base}/protokoll.docx").status_code == 200
    assert client.get(f"{base}/protokoll.exe").status_code == 404
    assert LogEntry.objects.filter(staff=staff, category=LogCategory.ANLAGE).count() == 1
    client.force_login(w["users"]["outsider"])
    assert client.get(f"{base}/").status_code == 403
    assert client.get(f"{base}/protokoll.pdf").status_code == 403


def test_a_report_through_the_pages(client):
    w = make_staff()
    staff = w["staff"]
    client.force_login(w["users"]["gesundheit"])
    response = client.post(f"/stab/{staff.pk}/lageberichte/", {"title": "Lage am Dienstag"})
    report = SituationReport.objects.get(staff=staff)
    assert response["Location"] == f"/stab/lagebericht/{report.pk}/"
    page = client.get(response["Location"]).content.decode()
    own = report.sections.get(function=w["functions"]["gesundheit"])
    other = report.sections.get(function=w["functions"]["ordnung"])
    assert f"s{own.pk}-text" in page and f"s{other.pk}-text" not in page
    assert client.post(f"/stab/lagebericht/{report.pk}/abschnitt/{own.pk}/", {f"s{own.pk}-text": "Testkapazität ausgelastet."}).status_code == 302
    assert client.post(f"/stab/lagebericht/{report.pk}/abschnitt/{other.pk}/", {f"s{other.pk}-text": "fremd"}).status_code == 403
    assert client.post(f"/stab/lagebericht/{report.pk}/schritt/", {"step": "approve"}).status_code == 403
    assert client.post(f"/stab/lagebericht/{report.pk}/schritt/", {"step": "submit"}).status_code == 302
    client.force_login(w["users"]["leitung"])
    assert client.post(f"/stab/lagebericht/{report.pk}/verteiler/", {"email": "kein-mail"}).status_code == 400
    assert client.post(f"/stab/lagebericht/{report.pk}/verteiler/", {"email": "presse@stadt.example"}).status_code == 302
    assert client.post(f"/stab/lagebericht/{report.pk}/schritt/", {"step": "approve"}).status_code == 302
    assert client.post(f"/stab/lagebericht/{report.pk}/schritt/", {"step": "approve"}).status_code == 400  # double submit
    assert client.post(f"/stab/lagebericht/{report.pk}/schritt/", {"step": "distribute"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.VERTEILT
    docx = client.get(f"/stab/lagebericht/{report.pk}/bericht.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    page = client.get(f"/stab/lagebericht/{report.pk}/").content.decode()
    assert "Testkapazität ausgelastet." in page and "Verteilt" in page
