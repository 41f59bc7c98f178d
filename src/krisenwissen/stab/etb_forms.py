"""Forms of the Einsatztagebuch (the checks of content and time windows are in ``etb_actions``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import LogCategory, StaffAssignment

# The categories a person writes in the fast entry, with their shortcut keys (Alt + digit).
WRITABLE = [c for c in LogCategory if c not in (LogCategory.ANLAGE, LogCategory.KORREKTUR)]
SHORTCUTS = {str(i + 1): c.value for i, c in enumerate(WRITABLE)}


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class EntryForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategorie"), choices=[(c.value, f"{c.label} (Alt+{i + 1})") for i, c in enumerate(WRITABLE)],
                                 initial=LogCategory.LAGE, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Inhalt"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3, "autofocus": True}),
                           help_text=_("Enter speichert, Umschalt+Enter beginnt eine neue Zeile. Alt+1 bis Alt+8 wählt die Kategorie."))
    event_at = forms.DateTimeField(label=_("Zeitpunkt des Ereignisses"), required=False, widget=LocalDateTimeInput(),
                                   help_text=_("Leer lassen, wenn das Ereignis jetzt ist."))
    written_at = forms.DateTimeField(required=False, widget=forms.HiddenInput())
    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput())


class CorrectionForm(forms.Form):
    text = forms.CharField(label=_("Korrektur"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Der ursprüngliche Eintrag bleibt unverändert stehen und wird als korrigiert markiert."))
    written_at = forms.DateTimeField(required=False, widget=forms.HiddenInput())
    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput())


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Datei"), help_text=_("Foto (JPEG, PNG) oder PDF, höchstens 15 MB. Bilddaten wie GPS-Position werden entfernt."))
    text = forms.CharField(label=_("Beschreibung"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput())


class HandoverForm(forms.Form):
    to_user = forms.ModelChoiceField(label=_("Neue ETB-Führung"), queryset=get_user_model().objects.none())
    note = forms.CharField(label=_("Bemerkung zur Übergabe"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        ids = StaffAssignment.objects.filter(function__staff=staff, ended_at__isnull=True).values_list("user_id", flat=True)
        self.fields["to_user"].queryset = get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")
        self.fields["to_user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class FilterForm(forms.Form):
    kategorie = forms.ChoiceField(label=_("Kategorie"), required=False, choices=[("", _("alle"))] + list(LogCategory.choices))
    funktion = forms.CharField(label=_("Funktion"), required=False, max_length=200)
    text = forms.CharField(label=_("Text"), required=False, max_length=200)
    von = forms.DateTimeField(label=_("Ereignis von"), required=False, widget=LocalDateTimeInput())
    bis = forms.DateTimeField(label=_("Ereignis bis"), required=False, widget=LocalDateTimeInput())
