"""Pages of qualitative coding (thin: parse, call selectors/actions, render)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krisenwissen.core.forms import add_errors
from krisenwissen.core.policy import has_perm, permission_required
from krisenwissen.knowledge.models import Code

from . import coding_actions as actions
from . import coding_qda as qda
from . import coding_selectors as selectors
from .coding_forms import (
    AgreementForm,
    CodingForm,
    ImportForm,
    MemoForm,
    MergeCodeForm,
    MoveCodeForm,
    RenameCodeForm,
    SegmentFilterForm,
    SplitCodeForm,
)
from .models import Coding

MAX_IMPORT_BYTES = 100 * 1024 * 1024


def text_chunks(text: str, codings) -> list[dict]:
    """The text cut at every coding boundary: each chunk knows its code-point offset and the codings over it.

    A chunk also ends after every carriage return: HTML parsing turns CR LF into one LF, which
    would shift the browser's offsets; a CR alone (the LF in the next chunk) becomes one LF, so
    every chunk keeps its length in the page.
    """
    bounds = {0, len(text)} | {m.end() for m in re.finditer("\r", text)}
    for coding in codings:
        bounds.update((coding.start, coding.end))
    bounds = sorted(b for b in bounds if 0 <= b <= len(text))
    chunks = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        over = [c for c in codings if c.start <= start and end <= c.end]
        chunks.append({"start": start, "text": text[start:end], "codings": over})
    return chunks


def _version_context(request, version, form=None, memo_form=None):
    codings = list(selectors.version_codings(version))
    return {
        "version": version, "document": version.document, "codings": codings,
        "chunks": text_chunks(version.text, codings),
        "can_code": has_perm(request.user, "documents.code_document", version.document),
        "form": form or CodingForm(version=version),
        "memo_form": memo_form or MemoForm(),
        "document_memos": version.document.memos.all(),
        "coders": selectors.coders_of(version),
    }


@permission_required("documents.view_codings")
def version_coding(request, pk):
    """A version's text to code: select text (or give offsets, or choose a passage) and a code."""
    version = selectors.get_readable_version(pk=pk, user=request.user)
    form = None
    if request.method == "POST":
        form = CodingForm(request.POST, version=version)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.do_code_segment(version, start=d["start"], end=d["end"], code=d["code"], acting_user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Textstelle codiert."))
                return redirect("documents:coding_version", pk=version.pk)
    return render(request, "documents/coding_version.html", _version_context(request, version, form=form))


@require_POST
@permission_required("documents.view_codings")
def coding_remove(request, pk):
    coding = get_object_or_404(selectors.readable_codings(user=request.user), pk=pk)
    version_pk = coding.version_id
    try:
        actions.do_remove_coding(coding, acting_user=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Codierung entfernt."))
    return redirect("documents:coding_version", pk=version_pk)


@require_POST
@permission_required("documents.view_codings")
def version_memo(request, pk):
    """A memo on the document of this version, or on one of its codings (field ``coding``)."""
    version = selectors.get_readable_version(pk=pk, user=request.user)
    form = MemoForm(request.POST)
    coding = None
    if request.POST.get("coding"):
        coding = version.codings.filter(pk=request.POST["coding"] if str(request.POST["coding"]).isdigit() else 0).first()
        if coding is None:
            raise Http404
    if form.is_valid():
        try:
            actions.do_add_memo(text=form.cleaned_data["text"], acting_user=request.user,
                                document=None if coding else version.document, coding=coding)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Memo gespeichert."))
            return redirect("documents:coding_version", pk=version.pk)
    return render(request, "documents/coding_version.html", _version_context(request, version, memo_form=form), status=400)


@permission_required("documents.view_codings")
def code_index(request):
    """The code book with the number of readable segments per code."""
    from django.db.models import Count

    counts = dict(selectors.readable_codings(user=request.user).values_list("code_id").annotate(n=Count("pk")).values_list("code_id", "n"))
    codes = list(Code.objects.select_related("scheme", "parent").order_by("scheme__order", "scheme__name", "order", "name"))
    for code in codes:
        code.segment_count = counts.get(code.pk, 0)
    return render(request, "documents/coding_codes.html", {
        "codes": codes, "documents": selectors.readable_documents(user=request.user).order_by("title")[:200],
        "can_edit": has_perm(request.user, "documents.edit_codebook"),
        "can_import": has_perm(request.user, "documents.import_qda")})


@permission_required("documents.view_codings")
def code_segments(request, pk):
    """Every segment of a code across the documents the user may read (filter: city, phase, department)."""
    code = get_object_or_404(Code.objects.select_related("scheme", "parent"), pk=pk)
    filters = SegmentFilterForm(request.GET or None)
    d = filters.cleaned_data if filters.is_valid() else {}
    memo_form = MemoForm(request.POST or None)
    if request.method == "POST" and memo_form.is_valid():
        try:
            actions.do_add_memo(text=memo_form.cleaned_data["text"], code=code, acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(memo_form, exc)
        else:
            messages.success(request, _("Memo gespeichert."))
            return redirect("documents:coding_code", pk=code.pk)
    segments = selectors.code_segments(code=code, user=request.user, subcodes=bool(d.get("unter")),
                                       municipality_id=d["stadt"].pk if d.get("stadt") else None,
                                       phase_id=d["phase"].pk if d.get("phase") else None,
                                       department_function=d.get("dienststelle") or "")[:500]
    return render(request, "documents/coding_code.html", {
        "code": code, "segments": segments, "filters": filters, "memos": selectors.code_memos(code), "memo_form": memo_form,
        "can_edit": has_perm(request.user, "documents.edit_codebook")})


@permission_required("documents.view_codings")
def cooccurrence(request):
    return render(request, "documents/coding_cooccurrence.html", {"table": selectors.cooccurrence(user=request.user)})


@permission_required("documents.view_codings")
def agreement(request, pk):
    """Intercoder agreement of two coders on one version (per code: %, Cohen's κ, Krippendorff's α)."""
    version = selectors.get_readable_version(pk=pk, user=request.user)
    coders = selectors.coders_of(version)
    form = AgreementForm(request.GET or None, coders=coders)
    results = None
    if form.is_valid():
        results = selectors.intercoder_agreement(version, form.cleaned_data["coder_a"], form.cleaned_data["coder_b"])
    return render(request, "documents/coding_agreement.html", {"version": version, "document": version.document,
                                                               "form": form, "results": results, "coders": coders})


@permission_required("documents.edit_codebook")
def code_edit(request, pk):
    """Rename, move, merge or split a code; its codings stay (merge/split move them)."""
    code = get_object_or_404(Code.objects.select_related("scheme", "parent"), pk=pk)
    codings = Coding.objects.filter(code=code).select_related("document", "version")
    op = request.POST.get("op") if request.method == "POST" else None
    forms = {
        "rename": RenameCodeForm(request.POST if op == "rename" else None, initial={"name": code.name}),
        "move": MoveCodeForm(request.POST if op == "move" else None, code=code, initial={"parent": code.parent_id}),
        "merge": MergeCodeForm(request.POST if op == "merge" else None, code=code),
        "split": SplitCodeForm(request.POST if op == "split" else None, codings=codings),
    }
    if op in forms and forms[op].is_valid():
        d = forms[op].cleaned_data
        try:
            if op == "rename":
                actions.do_rename_code(code, name=d["name"], acting_user=request.user)
                target = code
            elif op == "move":
                actions.do_move_code(code, parent=d["parent"], acting_user=request.user)
                target = code
            elif op == "merge":
                target = actions.do_merge_codes(code, into=d["into"], acting_user=request.user)
            else:
                target = actions.do_split_code(code, codings=d["codings"], name=d["name"], key=d["key"], acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(forms[op], exc)
        else:
            messages.success(request, _("Codebuch geändert; die Codierungen sind erhalten."))
            return redirect("documents:coding_code", pk=target.pk)
    return render(request, "documents/coding_code_edit.html", {"code": code, "forms": forms, "codings": codings},
                  status=400 if op else 200)


@permission_required("documents.export_qda")
def export_project(request):
    data = qda.do_export_project(acting_user=request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="krisenwissen.qdpx"'
    return response


@permission_required("documents.export_qda")
def export_codebook(request):
    data = qda.do_export_codebook(acting_user=request.user)
    response = HttpResponse(data, content_type="application/xml")
    response["Content-Disposition"] = 'attachment; filename="krisenwissen-codebuch.qdc"'
    return response


@permission_required("documents.import_qda")
def import_file(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        d = form.cleaned_data
        try:
            if upload.size > MAX_IMPORT_BYTES:
                raise ValidationError(_("Die Datei ist zu groß (höchstens 100 MB)."))
            data = upload.read()
            if upload.name.lower().endswith(".qdc"):
                report = qda.do_import_codebook(data, scheme=d["scheme"], acting_user=request.user)
            else:
                report = qda.do_import_project(data, municipality=d["municipality"], scheme=d["scheme"], acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Import abgeschlossen."))
    return render(request, "documents/coding_import.html", {"form": form, "report": report},
                  status=400 if request.method == "POST" and report is None else 200)
