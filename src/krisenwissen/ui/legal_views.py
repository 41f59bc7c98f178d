"""Pages a German public body must publish (imprint, privacy, accessibility statement with its
feedback form, Leichte Sprache) and the "Erste Schritte" help per role. All readable without login."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from krisenwissen.accounts.models import Role
from krisenwissen.core.clientaddress import client_address
from krisenwissen.core.forms import add_errors
from krisenwissen.core.policy import PermissionDenied, permission_required
from krisenwissen.core.ratelimit import RateLimited

from . import actions, selectors
from .forms import AccessibilityFeedbackForm, SitePageForm
from .models import SitePageKey
from .sitepages import default_text, has_placeholders, page_text, render_markdown

# Role slug -> template of its "Erste Schritte" page (the slugs are the Role values).
ROLE_GUIDES = [Role.LESER, Role.MITWIRKENDE, Role.MODERATION, Role.REDAKTION, Role.ADMINISTRATION]
CONFORMITY = {"vollstaendig", "teilweise", "nicht"}


def _site_page(request, key: str, template: str, extra: dict | None = None):
    text, page = page_text(key)
    context = {"key": key, "body": render_markdown(text), "page": page, "placeholders": has_placeholders(text)}
    context.update(extra or {})
    return render(request, template, context)


def imprint(request):
    return _site_page(request, SitePageKey.IMPRESSUM, "ui/legal/impressum.html")


def privacy(request):
    return _site_page(request, SitePageKey.DATENSCHUTZ, "ui/legal/datenschutz.html")


def _statement_date() -> dt.date | None:
    try:
        return dt.date.fromisoformat(settings.KRISENWISSEN_ACCESSIBILITY_STATEMENT_DATE)
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "POST"])
def accessibility(request):
    """Erklärung zur Barrierefreiheit with the feedback form (posting stores and notifies)."""
    form = AccessibilityFeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_send_accessibility_feedback(
                **form.cleaned_data, client_address=client_address(request), acting_user=request.user)
        except RateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Vielen Dank. Ihre Rückmeldung ist eingegangen. Wir melden uns, "
                                        "wenn Sie eine E-Mail-Adresse angegeben haben."))
            return redirect("ui:accessibility")
    conformity = settings.KRISENWISSEN_ACCESSIBILITY_CONFORMITY
    response = _site_page(request, SitePageKey.BARRIEREFREIHEIT, "ui/legal/barrierefreiheit.html", {
        "form": form,
        "conformity": conformity if conformity in CONFORMITY else "teilweise",
        "statement_date": _statement_date(),
        "law": settings.KRISENWISSEN_ACCESSIBILITY_LAW,
        "contact_email": settings.KRISENWISSEN_ACCESSIBILITY_CONTACT_EMAIL,
        "enforcement": settings.KRISENWISSEN_ENFORCEMENT_BODY,
    })
    response.status_code = status
    return response


@permission_required("ui.view_accessibility_feedback")
def accessibility_feedback_list(request):
    return render(request, "ui/legal/feedback_list.html",
                  {"feedback": selectors.accessibility_feedback(user=request.user)})


def easy_language(request):
    return render(request, "ui/legal/leichte_sprache.html")


@permission_required("ui.edit_site_page")
@require_http_methods(["GET", "POST"])
def site_page_edit(request, key: str):
    if key not in SitePageKey.values:
        raise Http404
    text, page = page_text(key)
    form = SitePageForm(request.POST or None, initial={"body": text})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_edit_site_page(key, form.cleaned_data["body"], acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Die Seite wurde gespeichert."))
            return redirect(_PAGE_URLS[key])
    return render(request, "ui/legal/edit.html", {
        "form": form, "key": key, "label": SitePageKey(key).label, "page": page,
        "default": default_text(key), "back_url": _PAGE_URLS[key],
    })


_PAGE_URLS = {SitePageKey.IMPRESSUM: "ui:imprint", SitePageKey.DATENSCHUTZ: "ui:privacy",
              SitePageKey.BARRIEREFREIHEIT: "ui:accessibility"}


def getting_started(request):
    roles = selectors.own_roles(user=request.user)
    guides = [{"slug": role.value, "label": role.label, "own": role.value in roles} for role in ROLE_GUIDES]
    return render(request, "ui/help/erste_schritte.html", {"guides": guides})


def getting_started_role(request, role: str):
    if role not in Role.values:
        raise Http404
    return render(request, "ui/help/erste_schritte_rolle.html", {
        "role": role, "label": Role(role).label, "template": f"ui/help/rolle_{role}.html",
        "own": role in selectors.own_roles(user=request.user),
        "guides": [{"slug": r.value, "label": r.label} for r in ROLE_GUIDES],
    })


@permission_required("accounts.set_up_municipality")
@require_http_methods(["GET", "POST"])
def municipality_setup(request):
    """Guided set-up of a new municipality: pick it from the directory, take it in, invite people
    (the existing people-and-roles page), join a network."""
    from krisenwissen.accounts import actions as account_actions
    from krisenwissen.accounts.models import Municipality, Network
    from krisenwissen.core.params import id_param

    query = request.GET.get("q", "")
    municipality = None
    if ags := (request.POST.get("ags") or request.GET.get("ags") or "").strip()[:8]:
        municipality = Municipality.objects.filter(ags=ags).first()
        if municipality is None:
            raise Http404
    if request.method == "POST" and municipality is not None:
        step = request.POST.get("step")
        try:
            if step == "join":
                account_actions.do_set_up_municipality(municipality, acting_user=request.user)
                messages.success(request, _("%(name)s nimmt jetzt an der Plattform teil.") % {"name": municipality.name})
            elif step == "network":
                network = Network.objects.filter(pk=id_param(request.POST, "network")).first()
                if network is None:
                    messages.error(request, _("Bitte wählen Sie ein Netzwerk."))
                else:
                    account_actions.do_join_network(municipality, network, acting_user=request.user)
                    messages.success(request, _("%(name)s gehört jetzt zum Netzwerk %(network)s.")
                                     % {"name": municipality.name, "network": network.name})
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(f"{request.path}?ags={municipality.ags}")
    return render(request, "ui/help/municipality_setup.html", {
        "query": query,
        "matches": selectors.directory_matches(query, user=request.user) if query else [],
        "municipality": municipality,
        "state": selectors.setup_state(municipality, user=request.user) if municipality else None,
    })
