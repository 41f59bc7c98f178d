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


class PublicationSettingsForm(forms.Form):
    """The municipality's publication settings (prefix ``freigabe``; the marker tells the forms apart)."""

    four_eyes_marker = forms.CharField(widget=forms.HiddenInput, initial="1")
    publication_four_eyes = forms.BooleanField(
        label=_("Vier-Augen-Prinzip bei Freigaben"), required=False,
        help_text=_("Eingeschaltet erteilt eine andere Person der Redaktion die Freigabe als die, die sie beantragt "
                    "oder die Änderung verfasst hat. Abschalten nur, wenn die Kommune nur eine Person in der Redaktion hat."),
    )


class TOTPCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code aus der Authenticator-App"), max_length=12,
        help_text=_("Sechs Ziffern, die Ihre App gerade anzeigt."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none",
                                      "spellcheck": "false", "size": "8"}),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("Bitte geben Sie die sechs Ziffern aus Ihrer App ein."))
        return token


class AdminLoginForm(ThrottleMessageMixin, AdminAuthenticationForm):
    """The Django admin's login form, saying how long to wait when throttled."""
