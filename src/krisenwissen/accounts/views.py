"""Login, logout, the password lifecycle, the second factor and the administration area of a municipality."""

import base64
import json

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from krisenwissen.core.audit import event_label
from krisenwissen.core.clientaddress import client_address
from krisenwissen.core.exports import csv_response
from krisenwissen.core.params import int_param
from krisenwissen.core.policy import permission_required as perm_required
from krisenwissen.core.policy import require_perm

from . import actions, directory, selectors
from .forms import LoginForm, MembershipForm, NewPersonForm, PublicationSettingsForm, TOTPCodeForm
from .middleware import has_authenticator, mfa_required
from .tokens import invitation_token_generator


class LoginView(auth_views.LoginView):
    """Throttling and audit rows of every login path live in ``accounts.throttle``."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = directory.oidc_configured()
        context["oidc_label"] = settings.KRISENWISSEN_OIDC_BUTTON_LABEL or _("Mit Dienstkonto anmelden")
        return context


class LogoutView(auth_views.LogoutView):
    pass


class OIDCStartView(View):
    """"Mit Dienstkonto anmelden": on to the city's OpenID provider (404 when none is configured)."""

    def get(self, request):
        if not directory.oidc_configured():
            raise Http404
        from mozilla_django_oidc.views import OIDCAuthenticationRequestView

        return OIDCAuthenticationRequestView.as_view()(request)


class OIDCCallbackView(View):
    """Back from the OpenID provider: sign in, or back to the login page with a German message."""

    def get(self, request):
        if not directory.oidc_configured():
            raise Http404
        from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

        class Callback(OIDCAuthenticationCallbackView):
            def login_failure(self):
                messages.error(self.request, _("Die Anmeldung mit dem Dienstkonto ist fehlgeschlagen. "
                                               "Bitte versuchen Sie es erneut oder wenden Sie sich an Ihre IT."))
                return redirect("accounts:login")

        try:
            return Callback.as_view()(request)
        except SuspiciousOperation:  # an unknown or replayed "state"
            messages.error(request, _("Die Anmeldung mit dem Dienstkonto ist abgelaufen. Bitte beginnen Sie erneut."))
            return redirect("accounts:login")


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
    settings_form = PublicationSettingsForm(prefix="freigabe", initial={"publication_four_eyes": municipality.publication_four_eyes})
    if request.method == "POST":
        try:
            if "freigabe-four_eyes_marker" in request.POST:
                settings_form = PublicationSettingsForm(request.POST, prefix="freigabe")
                if settings_form.is_valid():
                    actions.do_set_publication_four_eyes(municipality, enabled=settings_form.cleaned_data["publication_four_eyes"],
                                                         acting_user=request.user)
                    messages.success(request, _("Einstellung zu Freigaben gespeichert."))
                    return redirect("accounts:members", ags=ags)
            elif "neu-username" in request.POST:
                new_person_form = NewPersonForm(request.POST, prefix="neu")
                if new_person_form.is_valid():
                    d = new_person_form.cleaned_data
                    actions.do_create_user(username=d["username"], first_name=d["first_name"], last_name=d["last_name"], email=d["email"],
                                           municipality=municipality, role=d["role"], acting_user=request.user)
                    if d["email"]:
                        messages.success(request, _("Person angelegt. Sie erhält eine Einladung per E-Mail, um ihr Passwort festzulegen."))
                    else:
                        messages.success(request, _("Person angelegt. Ohne E-Mail-Adresse kann keine Einladung versandt werden; "
                                                    "das Passwort setzt die Plattform-Administration."))
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
        "with_authenticator": selectors.users_with_authenticator(memberships=memberships),
        "new_person_form": new_person_form, "membership_form": membership_form, "settings_form": settings_form,
    })


def _on_membership(request, pk, action, success) -> HttpResponseRedirect:
    """Run ``action(membership, acting_user=...)`` on a membership the user administers (404
    otherwise), report ``success(membership)`` or the refusal, and go back to the members page."""
    membership = _membership_administered(request, pk)
    try:
        action(membership, acting_user=request.user)
        messages.success(request, success(membership))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("accounts:members", ags=membership.municipality.ags)


@login_required
@permission_required("accounts.view_administration", raise_exception=True)
@require_POST
def membership_remove(request, pk):
    return _on_membership(request, pk, actions.do_remove_membership, lambda m: _("Mitgliedschaft entfernt."))


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


def _membership_administered(request, pk):
    membership = selectors.memberships_of(selectors.administered_municipalities(user=request.user)).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


@login_required
@permission_required("accounts.view_administration", raise_exception=True)
@require_POST
def invitation_resend(request, pk):
    return _on_membership(request, pk, actions.do_send_invitation,
                          lambda m: _("Einladung an %(email)s versandt.") % {"email": m.user.email})


@login_required
@permission_required("accounts.view_administration", raise_exception=True)
@require_POST
def otp_reset(request, pk):
    return _on_membership(request, pk, actions.do_reset_totp,
                          lambda m: _("Zweiter Faktor zurückgesetzt. Die Person richtet ihre App bei der nächsten Anmeldung neu ein."))


# --- Own account: password and second factor -------------------------------------------------

def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return default


@perm_required("accounts.manage_own_credentials")
def security(request):
    return render(request, "accounts/security.html", {
        "has_authenticator": has_authenticator(request.user),
        "mfa_required": mfa_required(request.user),
        "has_password": request.user.has_usable_password(),
    })


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        actions.do_change_password(form.user, form.cleaned_data["new_password1"], acting_user=self.request.user)
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Ihr Passwort wurde geändert."))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Same answer for every address; mail (if any) is written by a background task.
        actions.do_request_password_reset(form.cleaned_data["email"], client_address(self.request),
                                          acting_user=self.request.user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password through a one-time reset link (never signs in: the second factor stays)."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    via = "reset"

    def form_valid(self, form):
        actions.do_set_password(form.user, form.cleaned_data["new_password1"], via=self.via)
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(via=self.via, **kwargs)


class InvitationConfirmView(PasswordResetConfirmView):
    """Set the first password through an invitation link."""

    token_generator = invitation_token_generator
    via = "invitation"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_set_done.html"


@perm_required("accounts.manage_own_credentials")
def otp_setup(request):
    """Enrol a TOTP authenticator: QR code (and the key to type in), confirmed by one code."""
    user = request.user
    if has_authenticator(user) and not user.is_verified():
        # Only the password is proven: replacing the authenticator needs its code first.
        return redirect(reverse("accounts:otp_verify") + "?" + urlencode({"next": request.get_full_path()}))
    device = actions.start_totp_enrolment(user)
    form = TOTPCodeForm()
    if request.method == "POST":
        form = TOTPCodeForm(request.POST)
        if form.is_valid():
            if actions.do_confirm_totp(device, form.cleaned_data["token"], acting_user=user):
                from django_otp import login as otp_login

                otp_login(request, device)
                messages.success(request, _("Die Authenticator-App ist eingerichtet. Bei jeder Anmeldung fragen wir nun nach ihrem Code."))
                return redirect(_next_url(request, reverse("accounts:security")))
            form.add_error("token", _("Der Code ist nicht gültig. Prüfen Sie die Uhrzeit Ihres Telefons und geben Sie den aktuellen Code ein."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/otp_setup.html", {
        "form": form, "next": _next_url(request, ""),
        "qr_data_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret_groups": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "replacing": has_authenticator(user), "required": mfa_required(user),
    })


@perm_required("accounts.manage_own_credentials")
def otp_verify(request):
    """The second sign-in step: a code from the person's authenticator verifies the session."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = request.user
    done = _next_url(request, reverse(settings.LOGIN_REDIRECT_URL))
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if user.is_verified() or not devices:
        return redirect(done)
    form = TOTPCodeForm()
    status = 200
    if request.method == "POST":
        form = TOTPCodeForm(request.POST)
        if form.is_valid():
            allowed = [d for d in devices if d.verify_is_allowed()[0]]
            if not allowed:
                form.add_error("token", _("Zu viele falsche Codes. Bitte warten Sie einen Moment und versuchen Sie es dann erneut."))
                status = 429
            else:
                for device in allowed:
                    if device.verify_token(form.cleaned_data["token"]):
                        otp_login(request, device)
                        return redirect(done)
                actions.record_failed_totp(user, client_address(request))
                form.add_error("token", _("Der Code ist nicht gültig. Bitte geben Sie den aktuellen Code aus Ihrer App ein."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request, "")}, status=status)


# --- Data protection: erasure (Art. 17 GDPR) and data export (Art. 15) ----------------------

def _data_export_response(person, *, acting_user):
    document = actions.do_export_person_data(person, acting_user=acting_user)
    body = json.dumps(document, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"datenauskunft-{person.pk}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required("accounts.view_administration", raise_exception=True)
def person_erase(request, pk):
    """Confirmation page (GET) and erasure (POST) of a member of an administered municipality."""
    membership = _membership_administered(request, pk)
    person, ags = membership.user, membership.municipality.ags
    require_perm(request.user, "accounts.erase_person", person)
    if request.method == "POST":
        try:
            erased = actions.do_erase_person(person, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("accounts:members", ags=ags)
        messages.success(request, _("Die Person wurde gelöscht. Ihre Beiträge bleiben unter dem Pseudonym „%(name)s“ erhalten; "
                                    "Namen in Texten prüft die Redaktion.") % {"name": erased.get_full_name()})
        return redirect("accounts:members", ags=ags)
    return render(request, "accounts/person_erase.html", {"membership": membership, "person": person,
                                                           "municipality": membership.municipality})


@login_required
@permission_required("accounts.view_administration", raise_exception=True)
def person_data_export(request, pk):
    """The data export of a member (Art. 15 GDPR) for the Administration of their municipality."""
    membership = _membership_administered(request, pk)
    return _data_export_response(membership.user, acting_user=request.user)


@perm_required("accounts.manage_own_credentials")
def own_data_export(request):
    """The signed-in person's own data export (Art. 15 GDPR)."""
    return _data_export_response(request.user, acting_user=request.user)
