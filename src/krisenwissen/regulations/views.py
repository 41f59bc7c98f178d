"""Views of the Verordnungs-Synopse (thin: forms, selectors, actions, templates)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rules.contrib.views import objectgetter
from rules.contrib.views import permission_required as rules_permission_required

from krisenwissen.core.exports import mark_download
from krisenwissen.core.forms import add_errors
from krisenwissen.core.params import id_param
from krisenwissen.core.policy import permission_required, require_perm
from krisenwissen.reports.http import document_response

from . import actions, selectors
from .compare import STATUS_LABELS
from .export import build_document, render_html, render_json, unit_inline, unit_rows
from .forms import AmendForm, KeywordRuleForm, LegalTextForm, VersionDetailsForm, VersionForm
from .models import KeywordRule, LegalText, Version

VIEWS = {"synopse": gettext_lazy("Synopse"), "redline": gettext_lazy("Änderungsmodus"),
         "aenderungen": gettext_lazy("Nur Änderungen")}

# Public pages declare the (always granted) read permission; the others need a login first
# (anonymous visitors are sent to the login page, logged-in people without the role get 403).
public = rules_permission_required("regulations.view_legaltext", raise_exception=True)


legal_text_by_slug = objectgetter(LegalText, "slug", "slug")


def version_by_slug_and_pk(request, slug, pk):
    version = Version.objects.select_related("legal_text").filter(legal_text__slug=slug, pk=pk).first()
    if version is None:
        raise Http404
    return version
keyword_rule_by_pk = objectgetter(KeywordRule, "pk", "pk")


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


# ---------------------------------------------------------------------------- legal texts


@public
def legal_text_list(request):
    return render(request, "regulations/list.html", {"legal_texts": selectors.legal_texts(user=request.user)})


@permission_required("regulations.add_legaltext")
def legal_text_create(request):
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


@public
def legal_text_detail(request, slug):
    legal_text = selectors.legal_text(slug, user=request.user)
    versions = selectors.versions_of(legal_text)
    pair = selectors.comparison_pair(versions)
    return render(request, "regulations/detail.html", {
        "legal_text": legal_text,
        "versions": versions,
        "versions_desc": list(reversed(versions)),
        "subscribed": selectors.is_subscribed(legal_text, user=request.user),
        "default_old": pair[0].pk if pair else None,
        "default_new": pair[1].pk if pair else (versions[-1].pk if versions else None),
    })


@permission_required("regulations.subscribe_legaltext", fn=legal_text_by_slug)
@require_POST
def subscribe(request, slug):
    legal_text = selectors.legal_text(slug, user=request.user)
    subscribed = actions.do_toggle_subscription(legal_text, acting_user=request.user)
    messages.success(request, _("Sie erhalten eine Benachrichtigung bei jeder neuen Fassung.") if subscribed
                     else _("Abonnement beendet."))
    return redirect(legal_text)


@permission_required("regulations.add_version", fn=legal_text_by_slug)
def version_add(request, slug):
    legal_text = selectors.legal_text(slug, user=request.user)
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
                legal_text, text=text, in_force_from=data.get("in_force_from"), in_force_until=data.get("in_force_until"),
                source=data.get("source") or "", announced_on=data.get("announced_on"), note=data.get("note") or "",
                amending_act=data.get("amending_act") or "", amending_act_reference=data.get("amending_act_reference") or "",
                original_name=name, acting_user=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Fassung ab %(date)s gespeichert.") % {"date": version.in_force_from.strftime("%d.%m.%Y")})
            return redirect(legal_text)
    return render(request, "regulations/version_form.html", {"legal_text": legal_text, "form": form})


@permission_required("regulations.add_version", fn=legal_text_by_slug)
def amend(request, slug):
    """Änderungsverordnung anwenden: the instruction report and the Synopse base → result, then save."""
    legal_text = selectors.legal_text(slug, user=request.user)
    versions = selectors.versions_of(legal_text)
    form = AmendForm(request.POST or None, request.FILES or None, versions=versions)
    context = {"legal_text": legal_text, "versions": versions, "form": form}
    if not versions:
        return render(request, "regulations/amend.html", context)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        base = selectors.version_of(legal_text, pk=data["base"])
        try:
            if base is None:
                raise ValidationError({"base": _("Bitte eine Ausgangsfassung wählen.")})
            upload = data.get("file")
            if upload is not None:
                name, act_text = upload.name[:255], actions.text_from_upload(upload.read(), upload.name)
            elif (data.get("text") or "").strip():
                name, act_text = "", data["text"]
            else:
                name, act_text = data.get("act_name") or "", data["act_text"]
            if request.POST.get("step") == "save":
                version, result = actions.do_apply_amending_act(
                    legal_text, base=base, act_text=act_text, in_force_from=data.get("in_force_from"),
                    in_force_until=data.get("in_force_until"), announced_on=data.get("announced_on"),
                    source=data.get("source") or "", original_name=name, accept_failed=data.get("accept_failed", False),
                    articles=data.get("artikel") or None, acting_user=request.user)
                messages.success(request, _("Neue Fassung ab %(date)s gespeichert. %(summary)s") % {
                    "date": version.in_force_from.strftime("%d.%m.%Y"), "summary": result.summary})
                return redirect(reverse("regulations:synopse", kwargs={"slug": legal_text.slug})
                                + f"?alt={base.pk}&neu={version.pk}")
            result = selectors.amendment_result(base, act_text=act_text, articles=data.get("artikel") or None)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            comparison = selectors.compare_texts(base.text, result.text)
            bound = request.POST.copy()
            bound["act_text"], bound["act_name"] = act_text, name
            bound.pop("text", None)
            info = selectors.act_details(act_text)
            for field, value in (("in_force_from", info.in_force_from), ("announced_on", info.announced_on)):
                if value and not bound.get(field):
                    bound[field] = value.isoformat()  # read from the act; the Redaktion may correct it
            form = AmendForm(bound, versions=versions)
            form.is_valid()
            context.update({
                "form": form, "result": result, "base": base, "comparison": comparison,
                "changes": [{"change": c, "status_label": STATUS_LABELS[c.status], "rows": unit_rows(c)}
                            for c in comparison.changes],
            })
    return render(request, "regulations/amend.html", context)


@permission_required("regulations.change_version", fn=version_by_slug_and_pk)
def version_edit(request, slug, pk):
    legal_text = selectors.legal_text(slug, user=request.user)
    version = selectors.version_of(legal_text, pk=pk)
    if version is None:
        raise Http404
    form = VersionDetailsForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_change_version_details(
                version, acting_user=request.user, **{name: form.cleaned_data[name] for name in actions.VERSION_DETAILS})
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Angaben zur Fassung gespeichert."))
            return redirect("regulations:version", slug=legal_text.slug, pk=version.pk)
    return render(request, "regulations/version_details_form.html",
                  {"legal_text": legal_text, "version": version, "form": form})


@public
def version_detail(request, slug, pk):
    legal_text = selectors.legal_text(slug, user=request.user)
    version = selectors.version_of(legal_text, pk=pk)
    if version is None:
        raise Http404
    document = selectors.parsed(version)
    units = [{"unit": u, "tree": u.tree()} for u in document.units]
    return render(request, "regulations/version_detail.html", {
        "legal_text": legal_text, "version": version, "document": document, "units": units,
    })


# ---------------------------------------------------------------------------- comparison


def _comparison_context(request, legal_text):
    versions = selectors.versions_of(legal_text)
    if len(versions) < 2:
        return None, versions
    # Never the same version on both sides: the two newest different versions by default.
    pair = selectors.comparison_pair(versions, old=selectors.version_of(legal_text, pk=id_param(request.GET, "alt")),
                                     new=selectors.version_of(legal_text, pk=id_param(request.GET, "neu")))
    return pair, versions


def _department(request, comparison) -> str:
    """The department of ``?amt=`` if the comparison concerns it; otherwise "" (all changes)."""
    department = request.GET.get("amt", "").strip()
    return department if department in comparison.departments else ""


def _full(request) -> bool:
    """``?vollstaendig=1``: the vollständige Synopse (every unit, unchanged ones too)."""
    return request.GET.get("vollstaendig", "") == "1"


def _version_details(version) -> list[str]:
    """Lines about a version for the Synopse documents (promulgation; the act is in its name)."""
    lines = []
    if version.announced_on:
        lines.append(_("Verkündet am %(date)s") % {"date": version.announced_on.strftime("%d.%m.%Y")})
    if version.in_force_until:
        lines.append(_("In Kraft bis %(date)s") % {"date": version.in_force_until.strftime("%d.%m.%Y")})
    return lines


@public
def synopse(request, slug):
    legal_text = selectors.legal_text(slug, user=request.user)
    pair, versions = _comparison_context(request, legal_text)
    view = request.GET.get("ansicht", "synopse")
    if view not in VIEWS:
        view = "synopse"
    full = _full(request)
    if full:
        view = "synopse"  # the full synopsis is the two-column view of every unit
    context = {"legal_text": legal_text, "versions": versions, "view": view, "views": VIEWS, "full": full}
    if pair is None:
        return render(request, "regulations/synopse.html", context)
    old, new = pair
    comparison = selectors.compare_versions(old, new=new)
    department = _department(request, comparison)
    departments = comparison.departments
    shown = comparison.for_department(department) if department else comparison.changes
    shown_ids = {id(u) for u in shown}
    items = []
    for change in comparison.units:
        if id(change) not in shown_ids and (department or view != "synopse"):
            continue  # redline, "Nur Änderungen" and the department view leave unchanged units out
        with_rows = view != "redline" and (change.changed or full)
        items.append({
            "change": change,
            "status_label": STATUS_LABELS[change.status],
            "rows": [{"label": label, "old": old_ops, "new": new_ops,
                      "same": all(op == "equal" for op, _t in [*old_ops, *new_ops])}
                     for label, old_ops, new_ops in unit_rows(change, full=view == "synopse")] if with_rows else [],
            "inline": unit_inline(change) if change.changed and view == "redline" else [],
            "unit": change.new or change.old,
        })
    unchanged_count = sum(1 for u in comparison.units if not u.changed)
    counts = {STATUS_LABELS[k]: v for k, v in comparison.counts().items()}
    query = f"alt={old.pk}&neu={new.pk}"
    context.update({
        "old": old, "new": new, "comparison": comparison, "items": items, "department": department, "shown": shown,
        "departments": departments, "tasks": selectors.rule_tasks(), "unchanged_count": unchanged_count, "counts": counts,
        "query": query, "export_query": query + ("&vollstaendig=1" if full else ""),
        "department_counts": [(d, len(comparison.for_department(d))) for d in departments],
    })
    return render(request, "regulations/synopse.html", context)


@public
def synopse_export(request, slug, fmt):
    legal_text = selectors.legal_text(slug, user=request.user)
    if fmt not in ("pdf", "docx", "html", "json"):
        raise Http404
    pair, _versions = _comparison_context(request, legal_text)
    if pair is None:
        raise Http404
    old, new = pair
    comparison = selectors.compare_versions(old, new=new)
    if fmt == "json":
        data = render_json(comparison, old=selectors.version_meta(old), new=selectors.version_meta(new))
        return mark_download(HttpResponse(data, content_type="application/json; charset=utf-8"))
    department = _department(request, comparison)
    full = _full(request)
    title = (_("Vollständige Synopse %(abbr)s") if full else _("Synopse %(abbr)s")) % {"abbr": legal_text.abbreviation}
    basename = f"synopse-{legal_text.slug}-{old.in_force_from}-{new.in_force_from}" + ("-vollstaendig" if full else "")
    if fmt == "html":
        response = HttpResponse(render_html(comparison, title=title, old_name=old.title_line, new_name=new.title_line,
                                            department=department, full=full), content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{basename}.html"'
        return response
    document = build_document(comparison, title=title, old_name=old.title_line, new_name=new.title_line,
                              department=department, full=full, old_details=_version_details(old),
                              new_details=_version_details(new))
    return document_response(document, fmt, basename)


# ---------------------------------------------------------------------------- keyword rules


@public
def keyword_rules(request):
    form = KeywordRuleForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_perm(request.user, "regulations.add_keywordrule", message=actions.EDITORS_ONLY)
        if form.is_valid():
            try:
                actions.do_save_keyword_rule(None, acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(request, _("Regel gespeichert."))
                return redirect("regulations:keywords")
    return render(request, "regulations/keywords.html", {
        "rules": selectors.keyword_rules(user=request.user), "form": form,
    })


@permission_required("regulations.change_keywordrule", fn=keyword_rule_by_pk)
def keyword_rule_edit(request, pk):
    rule = keyword_rule_by_pk(request, pk=pk)
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


@permission_required("regulations.delete_keywordrule", fn=keyword_rule_by_pk)
@require_POST
def keyword_rule_delete(request, pk):
    rule = keyword_rule_by_pk(request, pk=pk)
    actions.do_delete_keyword_rule(rule, acting_user=request.user)
    messages.success(request, _("Regel gelöscht."))
    return redirect("regulations:keywords")
