"""Views of the ingest part: upload, list, viewer (with highlights), versions, original, passages."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from krisenwissen.accounts.models import DepartmentFunction, Municipality
from krisenwissen.accounts.selectors import municipalities_with_role
from krisenwissen.core.audit import record
from krisenwissen.core.clientaddress import client_address
from krisenwissen.core.policy import permission_required
from krisenwissen.knowledge.models import Code, ObservationKind, Phase, Visibility

from .ingest_actions import do_update_document, do_upload_document
from .ingest_events import IngestEvent
from .ingest_forms import DocumentEditForm
from .ingest_review import do_create_observation_from_passage
from .ingest_selectors import current_version, readable_documents
from .models import Document, DocumentKind, DocumentVersion, Passage

MAX_FILES = 20


def _document(request, pk):
    return get_object_or_404(Document, pk=pk)


def _version_document(request, pk):
    return get_object_or_404(DocumentVersion.objects.select_related("document"), pk=pk).document


def _passage(request, pk):
    return get_object_or_404(Passage.objects.select_related("document"), pk=pk)


def _upload_targets(user):
    if user.is_superuser:
        return Municipality.objects.order_by("name")
    return municipalities_with_role(user, minimum="mitwirkende").order_by("name")


@permission_required("documents.view_document_list")
def document_list(request):
    documents = (readable_documents(user=request.user).select_related("municipality")
                 .prefetch_related("versions").order_by("-created_at")[:200])
    rows = [{"document": d, "version": max(d.versions.all(), key=lambda v: v.number, default=None)} for d in documents]
    return render(request, "documents/ingest_list.html", {"rows": rows})


@permission_required("documents.upload_document")
@require_http_methods(["GET", "POST"])
def upload(request):
    targets = list(_upload_targets(request.user))
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "POST":
        files = request.FILES.getlist("files")
        municipality = next((m for m in targets if str(m.pk) == request.POST.get("municipality")), None)
        visibility = request.POST.get("visibility") or Visibility.INTERN
        kind = request.POST.get("kind") or DocumentKind.DOKUMENT
        errors = []
        phase = None
        if request.POST.get("phase"):
            phase = Phase.objects.filter(pk=request.POST["phase"] if request.POST["phase"].isdigit() else 0).first()
            if phase is None:
                errors.append(_("Unbekannte Krisenphase."))
        department_function = request.POST.get("department_function") or ""
        if department_function and department_function not in DepartmentFunction.values:
            errors.append(_("Unbekannte Funktion der Dienststelle."))
        if municipality is None:
            errors.append(_("Bitte eine Kommune wählen, in der Sie Dokumente hochladen dürfen."))
        if not files:
            errors.append(_("Bitte mindestens eine Datei auswählen."))
        if len(files) > MAX_FILES:
            errors.append(_("Höchstens %(n)s Dateien auf einmal.") % {"n": MAX_FILES})
        if errors:
            if wants_json:
                return JsonResponse({"results": [{"name": "", "ok": False, "message": e} for e in errors]}, status=400)
            for error in errors:
                messages.error(request, error)
            return render(request, "documents/ingest_upload.html", _upload_context(targets), status=400)
        results = []
        max_bytes = settings.KRISENWISSEN_DOCUMENTS_MAX_BYTES
        for handle in files:
            if handle.size > max_bytes:  # refused before the file is read into memory
                results.append({"name": handle.name, "ok": False, "message": _(
                    "Die Datei ist %(mb).1f MB groß; erlaubt sind höchstens %(max).0f MB.") % {
                        "mb": handle.size / 1024 / 1024, "max": max_bytes / 1024 / 1024}})
                continue
            try:
                result = do_upload_document(municipality=municipality, data=handle.read(), filename=handle.name,
                                            visibility=visibility, kind=kind, phase=phase,
                                            department_function=department_function, acting_user=request.user)
            except ValidationError as exc:
                results.append({"name": handle.name, "ok": False, "message": " ".join(exc.messages)})
            except PermissionDenied as exc:
                results.append({"name": handle.name, "ok": False, "message": str(exc) or _("Keine Berechtigung.")})
            else:
                results.append({"name": handle.name, "ok": True, "message": result.message,
                                "url": result.document.get_absolute_url(), "duplicate": result.duplicate,
                                "status_url": _status_url(result.document)})
        if wants_json:
            return JsonResponse({"results": results})
        for row in results:
            (messages.success if row["ok"] else messages.error)(request, f"{row['name']}: {row['message']}")
        return redirect("documents:list")
    return render(request, "documents/ingest_upload.html", _upload_context(targets))


def _status_url(document):
    from django.urls import reverse

    return reverse("documents:status", args=[document.pk])


def _upload_context(targets):
    return {"targets": targets, "visibilities": Visibility.choices, "kinds": DocumentKind.choices,
            "phases": Phase.objects.select_related("crisis").order_by("crisis__start", "number"),
            "departments": DepartmentFunction.choices}


def _highlight(text: str, term: str):
    """The passage text, escaped, with the searched term marked (case-insensitive)."""
    escaped = escape(text)
    words = [w for w in re.split(r"\s+", term.strip()) if len(w) >= 3][:5]
    if not words:
        return escaped
    pattern = re.compile("|".join(re.escape(escape(w)) for w in words), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))  # noqa: S308 (escaped above)


@permission_required("documents.view_document", fn=_document)
def detail(request, pk):
    document = get_object_or_404(Document.objects.select_related("municipality"), pk=pk)
    version = current_version(document=document)
    term = (request.GET.get("q") or "")[:200]
    passages = []
    may_review = request.user.has_perm("documents.review_passage", document)
    if version is not None:
        cited = set(document.citations.values_list("passage_id", flat=True))
        for passage in version.passages.order_by("order"):
            passages.append({"passage": passage, "html": _highlight(passage.text, term), "cited": passage.pk in cited,
                             "suggestions": passage.suggestions or {}})
    context = {"document": document, "version": version, "passages": passages, "term": term,
               "may_review": may_review, "may_download": request.user.has_perm("documents.download_original", document),
               "kinds": ObservationKind.choices,
               "may_add_version": request.user.has_perm("documents.add_document_version", document),
               "may_view_codings": request.user.has_perm("documents.view_codings"),
               "may_code": request.user.has_perm("documents.code_document", document),
               "may_edit": request.user.has_perm("documents.edit_document", document)}
    return render(request, "documents/ingest_detail.html", context)


@permission_required("documents.view_document", fn=_document)
def versions(request, pk):
    document = get_object_or_404(Document, pk=pk)
    return render(request, "documents/ingest_versions.html", {
        "document": document, "versions": document.versions.select_related("created_by").order_by("-number"),
        "may_download": request.user.has_perm("documents.download_original", document)})


@permission_required("documents.view_document", fn=_document)
def status(request, pk):
    document = get_object_or_404(Document, pk=pk)
    version = document.versions.order_by("-number").first()
    if version is None:
        raise Http404
    return JsonResponse({"status": version.status, "label": version.get_status_display(), "progress": version.progress,
                         "error": version.error, "passages": version.passages.count()})


@permission_required("documents.download_original", fn=_version_document)
def original(request, pk):
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), pk=pk)
    record(IngestEvent.ORIGINAL_DOWNLOADED, acting_user=request.user, obj=version.document,
           client_address=client_address(request), fassung=version.number)
    response = FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("documents.view_document", fn=_passage)
def passage(request, pk):
    item = get_object_or_404(Passage, pk=pk)
    return redirect(f"{item.document.get_absolute_url()}#{item.key}")


@permission_required("documents.review_passage", fn=_passage)
@require_POST
def accept_passage(request, pk):
    item = get_object_or_404(Passage.objects.select_related("document__municipality"), pk=pk)
    kind = request.POST.get("kind", "")
    if kind not in ObservationKind.values:
        messages.error(request, _("Bitte eine Art der Beobachtung wählen."))
        return redirect(f"{item.document.get_absolute_url()}#{item.key}")
    suggestions = item.suggestions or {}
    code_ids = [c for c in request.POST.getlist("codes") if Code.objects.filter(pk=c if str(c).isdigit() else 0).exists()]
    try:
        citation = do_create_observation_from_passage(
            item, kind=kind, text=request.POST.get("text") or item.text, code_ids=code_ids,
            crisis_id=suggestions.get("crisis_id") if request.POST.get("use_phase") else None,
            phase_id=suggestions.get("phase_id") if request.POST.get("use_phase") else None,
            department_function=request.POST.get("department_function", ""), acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{item.document.get_absolute_url()}#{item.key}")
    messages.success(request, _("Beobachtung angelegt (Beleg: %(doc)s, S. %(page)s).") % {
        "doc": item.document.title, "page": citation.page or "–"})
    return redirect(citation.observation.get_absolute_url())


@permission_required("documents.edit_document", fn=_document)
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """Change a document's title, visibility and descriptive fields (re-indexes its passages)."""
    document = get_object_or_404(Document.objects.select_related("municipality"), pk=pk)
    form = DocumentEditForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_update_document(document, title=data["title"], visibility=data["visibility"], kind=data["kind"],
                               description=data["description"], phase=data["phase"], clear_phase=not data["phase"],
                               department_function=data["department_function"], acting_user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Angaben gespeichert."))
            return redirect(document.get_absolute_url())
    return render(request, "documents/ingest_edit.html", {"document": document, "form": form},
                  status=400 if request.method == "POST" else 200)
