"""Forms of the operator's pages and the accessibility feedback."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import MAX_BODY, MAX_MESSAGE


class SitePageForm(forms.Form):
    body = forms.CharField(
        label=_("Text"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("Formatierung wie in Markdown: „## Überschrift“, „- Aufzählung“, **fett**, "
                    "[Linktext](https://…). HTML wird nicht übernommen. Stellen in der Form "
                    "„[Bitte ergänzen: …]“ erscheinen hervorgehoben, bis Sie sie ersetzen."),
    )


class AccessibilityFeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Welche Barriere haben Sie gefunden?"), max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Beschreiben Sie bitte, was nicht funktioniert hat und wie Sie die Seite genutzt haben "
                    "(z. B. mit Bildschirmleser oder nur mit der Tastatur)."),
    )
    page_url = forms.CharField(label=_("Betroffene Seite (optional)"), max_length=500, required=False,
                               help_text=_("Adresse oder Name der Seite."))
    name = forms.CharField(label=_("Ihr Name (optional)"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Ihre E-Mail-Adresse (optional)"), required=False,
                             help_text=_("Nur wenn Sie eine Antwort wünschen."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
