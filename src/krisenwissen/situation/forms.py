from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from krisenwissen.knowledge.models import Visibility

from .models import Area, NoteKind
from .parsing import FORMATS


class DateForm(forms.Form):
    """The day of the situation; bounded, because the pages compute weeks before and days after it."""

    FIRST, LAST = date(2000, 1, 1), date(2099, 12, 31)

    datum = forms.DateField(label=_("Lage am"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                            input_formats=["%Y-%m-%d", "%d.%m.%Y"],
                            error_messages={"invalid": _("Bitte ein Datum im Format TT.MM.JJJJ angeben.")})

    def clean_datum(self):
        day = self.cleaned_data.get("datum")
        if day is not None and not self.FIRST <= day <= self.LAST:
            raise forms.ValidationError(_("Bitte ein Datum zwischen dem 01.01.2000 und dem 31.12.2099 angeben."))
        return day


class ImportForm(forms.Form):
    datei = forms.FileField(label=_("Datei"), help_text=_("CSV, TSV oder die RKI-Arbeitsmappe Fallzahlen_Kum_Tab (XLSX), höchstens 50 MB."))
    format = forms.ChoiceField(label=_("Format"), choices=[("", _("automatisch erkennen")), *FORMATS.items()],
                               required=False)


class FollowForm(forms.Form):
    gebiete = forms.ModelMultipleChoiceField(
        label=_("Gebiete"), queryset=Area.objects.order_by("name"), widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Mehrfachauswahl mit Strg- oder Umschalttaste. Ohne Auswahl: die fünf Partnerstädte."),
        required=False)


class NoteForm(forms.Form):
    kommune = forms.ModelChoiceField(label=_("Kommune"), queryset=None)
    datum = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    art = forms.ChoiceField(label=_("Art"), choices=NoteKind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    sichtbarkeit = forms.ChoiceField(label=_("Sichtbarkeit"), choices=Visibility.choices, initial="intern")

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommune"].queryset = municipalities


class RuleSetForm(forms.Form):
    kommune = forms.ModelChoiceField(label=_("Kommune"), queryset=None)
    text = forms.CharField(label=_("Regelsatz (YAML oder JSON)"), widget=forms.Textarea(attrs={"rows": 16}),
                           max_length=50_000)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommune"].queryset = municipalities


class IndicatorForm(forms.Form):
    kommune = forms.ModelChoiceField(label=_("Kommune"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    einheit = forms.CharField(label=_("Einheit"), max_length=60, required=False)
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    hoeher_schlechter = forms.BooleanField(label=_("Höhere Werte sind schlechter"), required=False, initial=True)
    sichtbarkeit = forms.ChoiceField(label=_("Sichtbarkeit"), choices=Visibility.choices, initial="intern")

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommune"].queryset = municipalities


class ValueForm(forms.Form):
    indikator = forms.ModelChoiceField(label=_("Indikator"), queryset=None)
    gebiet = forms.CharField(label=_("Gebietsschlüssel (AGS)"), max_length=8)
    datum = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    wert = forms.FloatField(label=_("Wert"), min_value=0)

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indikator"].queryset = indicators

    def clean_gebiet(self):
        ags = self.cleaned_data["gebiet"].strip()
        area = Area.objects.filter(ags=ags).first()
        if area is None:
            raise forms.ValidationError(_("Unbekannter Gebietsschlüssel."))
        return area
