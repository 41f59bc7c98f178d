from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Role, User
from .throttle import ThrottleMessageMixin


class LoginForm(ThrottleMessageMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Benutzername oder Passwort ist falsch. Bitte prüfen Sie die Groß- und Kleinschreibung."),
        "inactive": _("Dieses Konto ist deaktiviert."),
    }


class NewPersonForm(forms.Form):
    username = forms.CharField(label=_("Benutzername"), max_length=150)
    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    email = forms.EmailField(label=_("E-Mail"), required=False)
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.filter(is_active=True).order_by("username"))
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)


class AdminLoginForm(ThrottleMessageMixin, AdminAuthenticationForm):
    """The Django admin's login form, saying how long to wait when throttled."""
