"""Forms of Köpfe kennen: they parse input; the actions validate and write."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import Department, User
from krisenwissen.knowledge.models import Visibility

from .models import (
    Audience,
    Availability,
    ChannelKind,
    CompetenceArea,
    Doctrine,
    FunctionKind,
    HolderRole,
    LeavingReason,
    Organisation,
    OrganisationKind,
)


class PersonForm(forms.Form):
    display_name = forms.CharField(label=_("Anzeigename"), max_length=200, required=False,
                                   help_text=_("Ohne Konto und ohne Einwilligung: eine Funktionsbezeichnung, z. B. „Lagedienst Feuerwehr“."))
    given_name = forms.CharField(label=_("Vorname"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Nachname"), max_length=100, required=False)
    position = forms.CharField(label=_("Funktion/Titel"), max_length=200, required=False)
    department = forms.ModelChoiceField(label=_("Dienststelle"), queryset=Department.objects.none(), required=False)
    unit = forms.CharField(label=_("Organisationseinheit"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(), required=False)
    visibility = forms.ChoiceField(label=_("Sichtbarkeit"), choices=Visibility.choices,
                                   help_text=_("intern: nur die eigene Kommune; Netzwerk: auch die Städte des Netzwerks; öffentlich: alle."))
    languages = forms.CharField(label=_("Sprachen"), max_length=200, required=False,
                                help_text=_("Kürzel nach ISO 639-1, durch Komma getrennt, z. B. „en, tr“."))
    competences = forms.ModelMultipleChoiceField(label=_("Kompetenzen"), queryset=CompetenceArea.objects.filter(active=True),
                                                 required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipality is not None:
            self.fields["organisation"].queryset = Organisation.objects.filter(municipality=municipality)
            self.fields["department"].queryset = Department.objects.filter(municipality=municipality).order_by("name")


class ConsentForm(forms.Form):
    consent_note = forms.CharField(label=_("Nachweis der Einwilligung"), max_length=500, required=False,
                                   help_text=_("Wann und wie hat die Person eingewilligt (z. B. „Formular vom 3.12.2026, Akte P-12“)? "
                                               "Nötig für Personen ohne Konto, deren Name oder persönliche Erreichbarkeit gespeichert wird."))


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art"), choices=[("", "–"), *ChannelKind.choices], required=False)
    value = forms.CharField(label=_("Nummer/Adresse"), max_length=254, required=False)
    availability = forms.ChoiceField(label=_("Erreichbarkeit"), choices=Availability.choices, initial=Availability.BUEROZEITEN)
    audience = forms.ChoiceField(label=_("Sichtbar für"), choices=Audience.choices, initial=Audience.ALLE_BERECHTIGTEN)


ChannelFormSet = formset_factory(ChannelForm, extra=2, max_num=20, absolute_max=20)


class CreatePersonForm(PersonForm, ConsentForm):
    municipality = forms.ChoiceField(label=_("Kommune"), choices=())
    account = forms.ModelChoiceField(label=_("Konto auf der Plattform"), queryset=User.objects.none(), required=False,
                                     help_text=_("Hat die Person ein Konto, kann sie ihren Eintrag selbst pflegen und bestätigen."))

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, municipality=municipality, **kwargs)
        if municipality is not None:
            self.fields["account"].queryset = (User.objects.filter(memberships__municipality=municipality, is_active=True,
                                                                   directory_entry__isnull=True).order_by("last_name", "username"))


class LeavingForm(forms.Form):
    leaving_on = forms.DateField(label=_("Scheidet aus am"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Leer lassen, um ein eingetragenes Ausscheiden zu entfernen."))
    leaving_reason = forms.ChoiceField(label=_("Grund"), choices=[("", "–"), *LeavingReason.choices], required=False)


class FunctionForm(forms.Form):
    name = forms.CharField(label=_("Bezeichnung"), max_length=200)
    kind = forms.ChoiceField(label=_("Art"), choices=FunctionKind.choices, initial=FunctionKind.STAB)
    doctrine = forms.ChoiceField(label=_("Stabsfunktion"), choices=[("", "–"), *Doctrine.choices], required=False)


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name der Organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("Art der Organisation"), choices=OrganisationKind.choices, initial=OrganisationKind.VERWALTUNG)


class HolderForm(forms.Form):
    function = forms.IntegerField(widget=forms.HiddenInput)
    person = forms.ChoiceField(label=_("Person"), choices=())
    role = forms.ChoiceField(label=_("Rolle"), choices=HolderRole.choices)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Wen suchen Sie?"), max_length=200, required=False)
