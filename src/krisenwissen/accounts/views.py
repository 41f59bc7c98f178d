"""Login, logout and the administration area of a municipality."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from krisenwissen.core.audit import event_label
from krisenwissen.core.exports import csv_response
from krisenwissen.core.params import int_param
from krisenwissen.core.policy import require_perm

from . import actions, selectors
from .forms import LoginForm, MembershipForm, NewPersonForm


class LoginView(auth_views.LoginView):
    """Throttling and audit rows of every login path live in ``accounts.throttle``."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def _administered(request, ags: str):
    """The municipality ``ags`` if the user manages its people and roles; 404 otherwise."""
    municipality = selectors.administered_municipalities(user=request.user).filter(ags=ags).first()
    if municipality is None:
        raise Http404
    require_perm(request.user, "accounts.manage_memberships", municipality)
    return municipality


@login_required
@permission_required("accounts.view_administration", raise_exception=True)
def admin_home(request):
    municipalities = selectors.administered_municipalities(user=request.user)
    return render(request, "accounts/admin_home.html", {"municipalities": municipalities})


@login_required
@permission_required("accounts.view_administration", raise_exception=True)
def members(request, ags):
    municipality = _administered(request, ags)
    new_person_form = NewPersonForm(prefix="neu")
    membership_form = MembershipForm(prefix="rolle")
    if request.method == "POST":
        try:
            if "neu-username" in request.POST:
                new_person_form = NewPersonForm(request.POST, prefix="neu")
                if new_person_form.is_valid():
                    d = new_person_form.cleaned_data
                    actions.do_create_user(username=d["username"], first_name=d["first_name"], last_name=d["last_name"], email=d["email"],
                                           municipality=municipality, role=d["role"], acting_user=request.user)
                    messages.success(request, _("Person angelegt. Das Passwort setzt die Plattform-Administration."))
                    return redirect("accounts:members", ags=ags)
            else:
                membership_form = MembershipForm(request.POST, prefix="rolle")
                if membership_form.is_valid():
                    actions.do_set_membership(user=membership_form.cleaned_data["user"], municipality=municipality,
                                              role=membership_form.cleaned_data["role"], acting_user=request.user)
                    messages.success(request, _("Rolle gespeichert."))
                    return redirect("accounts:members", ags=ags)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    memberships = selectors.memberships_of(municipality)
    return render(request, "accounts/members.html", {
        "municipality": municipality, "memberships": memberships,
        "new_person_form": new_person_form, "membership_form": membership_form,
    })


@login_required
@permission_required("accounts.view_administration", raise_exception=True)
@require_POST
def membership_remove(request, pk):
    membership = selectors.memberships_of(selectors.administered_municipalities(user=request.user)).filter(pk=pk).first()
    if membership is None:
        raise Http404
    try:
        actions.do_remove_membership(membership, acting_user=request.user)
        messages.success(request, _("Mitgliedschaft entfernt."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("accounts:members", ags=membership.municipality.ags)


@login_required
@permission_required("accounts.view_audit_log", raise_exception=True)
def audit_log(request):
    action = request.GET.get("aktion", "").strip()
    entries = selectors.audit_entries_for(user=request.user, action=action)
    if request.GET.get("format") == "csv":
        return csv_response("aenderungsprotokoll", ["Zeitpunkt", "Person", "Aktion", "Schlüssel", "Objekt", "Kommune", "Client-Adresse"],
                            ([e.timestamp.isoformat(), str(e.actor or "System"), str(event_label(e.action)), e.action, e.object_repr,
                              str(e.municipality or ""), e.client_address or ""] for e in entries[:10000]))
    page = Paginator(entries, 50).get_page(int_param(request.GET, "seite", default=1, minimum=1))
    return render(request, "accounts/audit_log.html", {"page": page, "action": action,
                                                        "querystring": urlencode({"aktion": action}) if action else ""})
