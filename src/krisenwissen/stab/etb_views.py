"""Views of the Einsatztagebuch (thin: permissions declared, state changes in ``etb_actions``).

The fast entry answers JSON to the page's script (201 stored, 200 already stored, 400 refused
with German messages) and redirects without script. The live log polls ``etb_events``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from krisenwissen.core.audit import record
from krisenwissen.core.params import int_param
from krisenwissen.core.policy import has_perm, permission_required
from krisenwissen.workshops.views import retry_when_locked

from . import etb_actions as actions
from . import etb_selectors as selectors
from .etb_events import EtbEvent
from .etb_export import render_pdf
from .etb_forms import (
    SHORTCUTS,
    AttachmentForm,
    CorrectionForm,
    EntryForm,
    FilterForm,
    HandoverForm,
)
from .models import LogEntry, Staff
from .views import staff_by_pk

PER_PAGE = 100


def staff_of_entry_url(request, pk, number):
    """The staff of an entry URL (``/stab/<pk>/etb/<number>/...``), for the declared permission."""
    return staff_by_pk(request, pk)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.headers.get("X-Requested-With") == "fetch"


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for msgs in error.message_dict.values() for m in msgs]
    return list(error.messages)


def _form_errors(form) -> list[str]:
    return [f"{form.fields[name].label}: {msg}" if name in form.fields and form.fields[name].label else msg
            for name, msgs in form.errors.items() for msg in msgs]


def _entry_json(request, entry: LogEntry, *, status: int) -> JsonResponse:
    return JsonResponse({"ok": True, "number": entry.number, "already_stored": bool(getattr(entry, "already_stored", False)),
                         "url": reverse("stab:etb_log", args=[entry.staff_id]) + f"#etb-{entry.number}"}, status=status)


def _refused(request, errors: list[str], back: str):
    if _wants_json(request):
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    for msg in errors:
        messages.error(request, msg)
    return redirect(back)


def _context(request, staff: Staff, **extra) -> dict:
    return {"staff": staff, "may_write": has_perm(request.user, "stab.write_log", staff),
            "may_hand_over": has_perm(request.user, "stab.hand_over_log", staff), **extra}


@never_cache
@permission_required("stab.view_log", fn=staff_by_pk)
def etb_log(request, pk):
    staff = staff_by_pk(request, pk)
    form = FilterForm(request.GET or None)
    filters = selectors.LogFilter()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.LogFilter(category=d["kategorie"], function=d["funktion"].strip(), text=d["text"].strip(),
                                      since=d["von"], until=d["bis"])
    page = Paginator(selectors.entries(staff=staff, filters=filters), PER_PAGE).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(request, "stab/etb_log.html", _context(
        request, staff, page=page, form=form, filtered=filters.active, query=query.urlencode(),
        last=selectors.last_number(staff=staff), functions=selectors.functions(staff=staff), here=_("Einsatztagebuch")))


def _staff_once(request, pk, **kwargs):
    """The staff of the URL, read once per request (the permission check and the view share it)."""
    cached = getattr(request, "_etb_staff", None)
    if cached is None or cached.pk != pk:
        cached = request._etb_staff = staff_by_pk(request, pk)
    return cached


@never_cache
@permission_required("stab.view_log", fn=_staff_once)
def etb_events(request, pk):
    """Entries after ``?nach=N`` as rendered rows (oldest first), for the live log.

    Polled every 500 ms by every open log: keyset by number (only the new rows, one query plus
    one for their corrections); most polls find nothing and answer at once. The rows are
    rendered without the request context (no context processors per row)."""
    staff = _staff_once(request, pk)
    after = int_param(request.GET, "nach", default=0, minimum=0)
    new = selectors.entries_after(staff=staff, after=after)
    if not new:
        return JsonResponse({"last": after, "entries": [], "more": False})
    may_write = has_perm(request.user, "stab.write_log", staff)
    rows = [{"number": e.number, "corrects": e.corrects.number if e.corrects_id else None,
             "html": render_to_string("stab/_etb_entry.html", {"entry": e, "staff": staff, "may_write": may_write})}
            for e in new]
    last = new[-1].number if new else after
    return JsonResponse({"last": last, "entries": rows, "more": len(new) >= selectors.PAGE})


@never_cache
@permission_required("stab.write_log", fn=staff_by_pk)
@require_http_methods(["GET", "POST"])
@retry_when_locked
def etb_new(request, pk):
    """The keyboard-first fast entry."""
    staff = staff_by_pk(request, pk)
    back = reverse("stab:etb_new", args=[staff.pk])
    if request.method == "POST":
        form = EntryForm(request.POST)
        if not form.is_valid():
            return _refused(request, _form_errors(form), back)
        d = form.cleaned_data
        try:
            entry = actions.do_write_entry(staff, category=d["category"], text=d["text"], event_at=d["event_at"],
                                           written_at=d["written_at"], client_key=d["client_key"], acting_user=request.user)
        except ValidationError as exc:
            return _refused(request, _messages_of(exc), back)
        if _wants_json(request):
            return _entry_json(request, entry, status=200 if entry.already_stored else 201)
        messages.success(request, _("Eintrag Nr. %(nr)s gespeichert.") % {"nr": entry.number})
        return redirect(back)
    recent = list(selectors.entries(staff=staff)[:10])
    return render(request, "stab/etb_new.html", _context(
        request, staff, form=EntryForm(), recent=recent, shortcuts=SHORTCUTS, last=selectors.last_number(staff=staff),
        here=_("Schnelleingabe")))


def _entry(staff: Staff, number: int) -> LogEntry:
    return get_object_or_404(LogEntry.objects.select_related("corrects"), staff=staff, number=number)


@never_cache
@permission_required("stab.write_log", fn=staff_of_entry_url)
@require_http_methods(["GET", "POST"])
@retry_when_locked
def etb_correct(request, pk, number):
    staff = staff_by_pk(request, pk)
    entry = _entry(staff, number)
    back = reverse("stab:etb_correct", args=[staff.pk, number])
    form = CorrectionForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return _refused(request, _form_errors(form), back)
        try:
            fix = actions.do_correct_entry(entry, text=form.cleaned_data["text"], client_key=form.cleaned_data["client_key"],
                                           written_at=form.cleaned_data["written_at"], acting_user=request.user)
        except ValidationError as exc:
            return _refused(request, _messages_of(exc), back)
        if _wants_json(request):
            return _entry_json(request, fix, status=200 if fix.already_stored else 201)
        messages.success(request, _("Korrektur als Eintrag Nr. %(nr)s gespeichert; Eintrag Nr. %(old)s ist als korrigiert markiert.")
                         % {"nr": fix.number, "old": entry.number})
        return redirect(reverse("stab:etb_log", args=[staff.pk]) + f"#etb-{fix.number}")
    return render(request, "stab/etb_correct.html", _context(request, staff, form=form, entry=entry, here=_("Korrektur")))


@never_cache
@permission_required("stab.write_log", fn=staff_by_pk)
@require_http_methods(["GET", "POST"])
@retry_when_locked
def etb_attach(request, pk):
    staff = staff_by_pk(request, pk)
    back = reverse("stab:etb_attach", args=[staff.pk])
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not form.is_valid():
            return _refused(request, _form_errors(form), back)
        upload = form.cleaned_data["file"]
        if upload.size > actions.MAX_ATTACHMENT_BYTES:
            return _refused(request, [_("Anlage: Die Datei ist zu groß (%(mb)s MB); erlaubt sind höchstens %(max)s MB.")
                                      % {"mb": round(upload.size / 1024 / 1024, 1), "max": actions.MAX_ATTACHMENT_BYTES // 1024 // 1024}], back)
        try:
            entry = actions.do_attach_file(staff, data=upload.read(), name=upload.name, text=form.cleaned_data["text"],
                                           client_key=form.cleaned_data["client_key"], acting_user=request.user)
        except ValidationError as exc:
            return _refused(request, _messages_of(exc), back)
        if _wants_json(request):
            return _entry_json(request, entry, status=200 if entry.already_stored else 201)
        messages.success(request, _("Anlage als Eintrag Nr. %(nr)s gespeichert.") % {"nr": entry.number})
        return redirect(reverse("stab:etb_log", args=[staff.pk]) + f"#etb-{entry.number}")
    return render(request, "stab/etb_attach.html", _context(request, staff, form=form, here=_("Anlage")))


@never_cache
@permission_required("stab.view_log", fn=staff_of_entry_url)
def etb_attachment(request, pk, number):
    staff = staff_by_pk(request, pk)
    entry = _entry(staff, number)
    if not entry.attachment:
        raise Http404
    try:
        handle = entry.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=entry.attachment_type or "application/octet-stream",
                            as_attachment=entry.attachment_type == "application/pdf", filename=entry.attachment_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@permission_required("stab.hand_over_log", fn=staff_by_pk)
@require_http_methods(["GET", "POST"])
@retry_when_locked
def etb_handover(request, pk):
    staff = staff_by_pk(request, pk)
    form = HandoverForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            entry = actions.do_hand_over_log(staff, to_user=form.cleaned_data["to_user"], note=form.cleaned_data["note"], acting_user=request.user)
        except ValidationError as exc:
            for msg in _messages_of(exc):
                messages.error(request, msg)
        else:
            messages.success(request, _("ETB-Führung übergeben (Eintrag Nr. %(nr)s).") % {"nr": entry.number})
            return redirect("stab:etb_log", staff.pk)
    return render(request, "stab/etb_handover.html", _context(request, staff, form=form, here=_("Übergabe der ETB-Führung")))


@never_cache
@permission_required("stab.view_log", fn=staff_by_pk)
def etb_export(request, pk):
    from django.http import HttpResponse

    from krisenwissen.reports.render import ReportError

    staff = staff_by_pk(request, pk)
    try:
        data = render_pdf(staff)
    except ReportError as exc:
        messages.error(request, str(exc))
        return redirect("stab:etb_log", staff.pk)
    record(EtbEvent.LOG_EXPORTED, acting_user=request.user, obj=staff, municipality=staff.municipality, format="pdf")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="einsatztagebuch-{staff.pk}.pdf"'
    return response
