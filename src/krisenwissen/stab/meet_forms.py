"""Forms of the Lagebesprechung and the Lagebericht (validation only; the actions decide)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import ContributionKind, StaffFunction

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _key() -> str:
    return uuid.uuid4().hex


class StartMeetingForm(forms.Form):
    lage_minutes = forms.IntegerField(label=_("Zeitfenster Lage (Minuten)"), min_value=1, max_value=120, initial=5)
    function_minutes = forms.IntegerField(label=_("Zeitfenster je Funktion (Minuten)"), min_value=1, max_value=60, initial=3)


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art des Beitrags"), choices=ContributionKind.choices, widget=forms.RadioSelect,
                             initial=ContributionKind.FAKT)
    function = forms.ModelChoiceField(label=_("Für die Funktion"), queryset=StaffFunction.objects.none(), empty_label=None)
    text = forms.CharField(label=_("Beitrag"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, functions, initial_function=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].queryset = functions
        if initial_function is not None:
            self.fields["function"].initial = initial_function.pk
        self.fields["client_key"].initial = _key()


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Entscheidung"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    owner_function = forms.ModelChoiceField(label=_("Auftrag an (Funktion)"), queryset=StaffFunction.objects.none(), required=False,
                                            empty_label=_("– kein Auftrag –"),
                                            help_text=_("Mit einer Funktion wird aus der Entscheidung ein Auftrag."))
    due_at = forms.DateTimeField(label=_("Fällig"), required=False, widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M"])
    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_function"].queryset = StaffFunction.objects.filter(staff=staff, active=True).order_by("order", "name")
        self.fields["client_key"].initial = _key()


class CloseMeetingForm(forms.Form):
    next_meeting_at = forms.DateTimeField(label=_("Nächste Lagebesprechung"), required=False, widget=DATETIME_INPUT,
                                          input_formats=["%Y-%m-%dT%H:%M"],
                                          help_text=_("Leer: jetzt plus der Besprechungsrhythmus des Stabes."))


class ReportCreateForm(forms.Form):
    title = forms.CharField(label=_("Titel des Lageberichts"), max_length=200)


class SectionForm(forms.Form):
    text = forms.CharField(label=_("Abschnitt"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 5}))


class RecipientForm(forms.Form):
    function = forms.ModelChoiceField(label=_("Funktion"), queryset=StaffFunction.objects.none(), required=False,
                                      empty_label=_("– keine –"))
    user = forms.ModelChoiceField(label=_("Mitglied des Stabes"), queryset=get_user_model().objects.none(), required=False,
                                  empty_label=_("– keines –"))
    email = forms.EmailField(label=_("Oder freie E-Mail-Adresse"), required=False, max_length=254)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].queryset = StaffFunction.objects.filter(staff=staff).order_by("order", "name")
        self.fields["user"].queryset = get_user_model().objects.filter(
            staff_assignments__function__staff=staff).distinct().order_by("last_name", "username")
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()

    def clean(self):
        data = super().clean()
        if sum(bool(data.get(k)) for k in ("function", "user", "email")) != 1:
            raise forms.ValidationError(_("Bitte genau eine Funktion, ein Mitglied oder eine E-Mail-Adresse angeben."))
        return data
