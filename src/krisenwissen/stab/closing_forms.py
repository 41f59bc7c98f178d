"""Forms of the Rückführung (validated input for ``closing_actions``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krisenwissen.people.models import Organisation
from krisenwissen.people.selectors import visible_people


class HandoverForm(forms.Form):
    """Who in the regular organisation takes over an open task (one form per task, prefixed)."""

    owner_text = forms.CharField(label=_("Dienststelle oder Person (Freitext)"), max_length=300, required=False)
    owner_organisation = forms.ModelChoiceField(label=_("Organisation aus dem Verzeichnis"), queryset=Organisation.objects.none(),
                                                required=False, empty_label="–")
    owner_person = forms.ModelChoiceField(label=_("Person aus dem Verzeichnis"), queryset=visible_people(user=None).none(),
                                          required=False, empty_label="–")

    def __init__(self, *args, staff, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(municipality=staff.municipality).select_related("parent")
        self.fields["owner_person"].queryset = visible_people(user=user).filter(municipality=staff.municipality)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Vermerk (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ArchiveForm(forms.Form):
    note = forms.CharField(label=_("Ablage des Archivs (optional)"), max_length=500, required=False,
                           help_text=_("Zum Beispiel: Stadtarchiv, Bestand und Signatur, oder DMS-Ablage."))


class NotifyForm(forms.Form):
    message = forms.CharField(label=_("Nachricht an die Mitglieder (optional)"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class DeactivateForm(forms.Form):
    justification = forms.CharField(
        label=_("Trotzdem deaktivieren, weil …"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur nötig, solange die Checkliste nicht vollständig ist. Die Begründung steht im Einsatztagebuch."))
