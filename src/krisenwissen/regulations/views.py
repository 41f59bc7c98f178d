"""Views of the Verordnungs-Synopse (thin: forms, selectors, actions, templates)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import actions, selectors
from .compare import STATUS_LABELS
from .export import build_document, render_html, render_json, unit_inline, unit_rows
from .forms import KeywordRuleForm, LegalTextForm, VersionForm
from .models import KeywordRule
from .rules import is_editor
from .services import compare_versions, parsed, rule_tasks

VIEWS = {"synopse": gettext_lazy("Synopse"), "redline": gettext_lazy("Änderungsmodus"),
         "aenderungen": gettext_lazy("Nur Änderungen")}


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


def _require_editor(request) -> None:
    if not is_editor(request.user):
        raise PermissionDenied


# ---------------------------------------------------------------------------- legal texts


def legal_text_list(request):
    return render(request, "regulations/list.html", {
        "legal_texts": selectors.legal_texts(request.user),
        "can_edit": is_editor(request.user),
    })


@login_required
def legal_text_create(request):
    _require_editor(request)
    form = LegalTextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            legal_text = actions.do_create_legal_text(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Rechtstext angelegt."))
            return redirect(legal_text)
    return render(request, "regulations/legal_text_form.html", {"form": form})


def legal_text_detail(request, slug):
    legal_text = selectors.legal_text(slug, request.user)
    versions = selectors.versions_of(legal_text)
    return render(request, "regulations/detail.html", {
        "legal_text": legal_text,
        "versions": versions,
        "versions_desc": list(reversed(versions)),
        "can_edit": is_editor(request.user),
        "subscribed": selectors.is_subscribed(request.user, legal_text),
        "default_old": versions[-2].pk if len(versions) > 1 else None,
        "default_new": versions[-1].pk if versions else None,
    })


@login_required
@require_POST
def subscribe(request, slug):
    legal_text = selectors.legal_text(slug, request.user)
    subscribed = actions.do_toggle_subscription(legal_text, acting_user=request.user)
    messages.success(request, _("Sie erhalten eine Benachrichtigung bei jeder neuen Fassung.") if subscribed
                     else _("Abonnement beendet."))
    return redirect(legal_text)


@login_required
def version_add(request, slug):
    legal_text = selectors.legal_text(slug, request.user)
    _require_editor(request)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            upload = data.get("file")
            if upload is not None:
                name = upload.name
                text = actions.text_from_upload(upload.read(), name)
            else:
                name, text = "", data["text"]
            version = actions.do_add_version(
                legal_text, text=text, in_force_from=data["in_force_from"], in_force_until=data.get("in_force_until"),
                source=data.get("source") or "", announced_on=data.get("announced_on"), note=data.get("note") or "",
                original_name=name, acting_user=request.user)
        except ValidationError as exc:
            if hasattr(exc, "message_dict"):
                for field, msgs in exc.message_dict.items():
                    target = field if field in form.fields else None
                    for msg in msgs:
                        form.add_error(target, msg)
            else:
                form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Fassung ab %(date)s gespeichert.") % {"date": version.in_force_from.strftime("%d.%m.%Y")})
            return redirect(legal_text)
    return render(request, "regulations/version_form.html", {"legal_text": legal_text, "form": form})


def version_detail(request, slug, pk):
    legal_text = selectors.legal_text(slug, request.user)
    version = selectors.version_of(legal_text, pk)
    if version is None:
        raise Http404
    document = parsed(version)
    units = [{"unit": u, "tree": u.tree()} for u in document.units]
    return render(request, "regulations/version_detail.html", {
        "legal_text": legal_text, "version": version, "document": document, "units": units,
    })


# ---------------------------------------------------------------------------- comparison


def _comparison_context(request, legal_text):
    versions = selectors.versions_of(legal_text)
    if len(versions) < 2:
        return None, versions
    old = selectors.version_of(legal_text, request.GET.get("alt")) or versions[-2]
    new = selectors.version_of(legal_text, request.GET.get("neu")) or versions[-1]
    return (old, new), versions


def _department(request, comparison) -> str:
    """The department of ``?amt=`` if the comparison concerns it; otherwise "" (all changes)."""
    department = request.GET.get("amt", "").strip()
    return department if department in comparison.departments else ""


def synopse(request, slug):
    legal_text = selectors.legal_text(slug, request.user)
    pair, versions = _comparison_context(request, legal_text)
    view = request.GET.get("ansicht", "synopse")
    if view not in VIEWS:
        view = "synopse"
    context = {"legal_text": legal_text, "versions": versions, "view": view, "views": VIEWS}
    if pair is None:
        return render(request, "regulations/synopse.html", context)
    old, new = pair
    comparison = compare_versions(old, new)
    department = _department(request, comparison)
    departments = comparison.departments
    shown = comparison.for_department(department) if department else comparison.changes
    shown_ids = {id(u) for u in shown}
    items = []
    for change in comparison.units:
        if id(change) not in shown_ids and (department or view != "synopse"):
            continue  # redline, "Nur Änderungen" and the department view leave unchanged units out
        items.append({
            "change": change,
            "status_label": STATUS_LABELS[change.status],
            "rows": [{"label": label, "old": old_ops, "new": new_ops,
                      "same": all(op == "equal" for op, _t in [*old_ops, *new_ops])}
                     for label, old_ops, new_ops in unit_rows(change, full=view == "synopse")]
            if change.changed and view != "redline" else [],
            "inline": unit_inline(change) if change.changed and view == "redline" else [],
            "unit": change.new or change.old,
        })
    unchanged_count = sum(1 for u in comparison.units if not u.changed)
    counts = {STATUS_LABELS[k]: v for k, v in comparison.counts().items()}
    query = f"alt={old.pk}&neu={new.pk}"
    context.update({
        "old": old, "new": new, "comparison": comparison, "items": items, "department": department, "shown": shown,
        "departments": departments, "tasks": rule_tasks(), "unchanged_count": unchanged_count, "counts": counts,
        "query": query,
        "department_counts": [(d, len(comparison.for_department(d))) for d in departments],
    })
    return render(request, "regulations/synopse.html", context)


def synopse_export(request, slug, fmt):
    legal_text = selectors.legal_text(slug, request.user)
    if fmt not in ("pdf", "docx", "html", "json"):
        raise Http404
    pair, _versions = _comparison_context(request, legal_text)
    if pair is None:
        raise Http404
    old, new = pair
    comparison = compare_versions(old, new)
    if fmt == "json":
        return HttpResponse(render_json(comparison), content_type="application/json; charset=utf-8")
    department = _department(request, comparison)
    title = _("Synopse %(abbr)s") % {"abbr": legal_text.abbreviation}
    basename = f"synopse-{legal_text.slug}-{old.in_force_from}-{new.in_force_from}"
    if fmt == "html":
        response = HttpResponse(render_html(comparison, title=title, old_name=old.label, new_name=new.label,
                                            department=department), content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{basename}.html"'
        return response
    from krisenwissen.reports.http import document_response

    document = build_document(comparison, title=title, old_name=old.label, new_name=new.label, department=department)
    return document_response(document, fmt, basename)


# ---------------------------------------------------------------------------- keyword rules


def keyword_rules(request):
    can_edit = is_editor(request.user)
    form = KeywordRuleForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.do_save_keyword_rule(None, acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(request, _("Regel gespeichert."))
                return redirect("regulations:keywords")
    return render(request, "regulations/keywords.html", {
        "rules": selectors.keyword_rules(), "form": form, "can_edit": can_edit,
    })


@login_required
def keyword_rule_edit(request, pk):
    _require_editor(request)
    rule = get_object_or_404(KeywordRule, pk=pk)
    form = KeywordRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_keyword_rule(rule, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Regel gespeichert."))
            return redirect("regulations:keywords")
    return render(request, "regulations/keyword_form.html", {"form": form, "rule": rule})


@login_required
@require_POST
def keyword_rule_delete(request, pk):
    _require_editor(request)
    rule = get_object_or_404(KeywordRule, pk=pk)
    actions.do_delete_keyword_rule(rule, acting_user=request.user)
    messages.success(request, _("Regel gelöscht."))
    return redirect("regulations:keywords")
