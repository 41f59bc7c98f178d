"""Forms of the load part: they parse input; the actions validate and write."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import StaffFunction


class SignInForm(forms.Form):
    function = forms.ModelChoiceField(label=_("Funktion"), queryset=StaffFunction.objects.none(), required=False,
                                      empty_label=_("ohne bestimmte Funktion"))

    def __init__(self, *args, functions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].queryset = functions if functions is not None else StaffFunction.objects.none()


class ShiftForm(forms.Form):
    function = forms.ModelChoiceField(label=_("Funktion"), queryset=StaffFunction.objects.none())
    user = forms.ModelChoiceField(label=_("Person"), queryset=get_user_model().objects.none(), required=False,
                                  empty_label=_("noch offen"))
    starts_at = forms.DateTimeField(label=_("Beginn"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    ends_at = forms.DateTimeField(label=_("Ende"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    note = forms.CharField(label=_("Hinweis"), max_length=200, required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].queryset = staff.functions.filter(active=True).order_by("order", "name")
        self.fields["user"].queryset = get_user_model().objects.filter(
            staff_assignments__function__staff=staff, staff_assignments__ended_at__isnull=True).distinct().order_by("last_name", "username")
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class LimitsForm(forms.Form):
    max_shift_hours = forms.IntegerField(label=_("Höchstdauer im Dienst (Stunden)"), min_value=1, max_value=24, required=False,
                                         help_text=_("Leer: Voreinstellung der Plattform."))
    max_days_without_break = forms.IntegerField(label=_("Höchstzahl Tage in Folge ohne freien Tag"), min_value=1, max_value=60, required=False,
                                                help_text=_("Leer: Voreinstellung der Plattform."))


STRAIN_CHOICES = [
    (1, _("1 – gering")), (2, _("2 – eher gering")), (3, _("3 – mittel")), (4, _("4 – hoch")), (5, _("5 – sehr hoch")),
]


class StrainForm(forms.Form):
    value = forms.TypedChoiceField(label=_("Wie belastet fühlen Sie sich heute?"), choices=STRAIN_CHOICES, coerce=int,
                                   widget=forms.RadioSelect)
