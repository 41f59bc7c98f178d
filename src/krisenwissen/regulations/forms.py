"""Forms of the Verordnungs-Synopse."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .extract import MAX_BYTES
from .models import KeywordRule, Level, State, Version


class LegalTextForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=500)
    abbreviation = forms.CharField(label=_("Abkürzung"), max_length=60, help_text=_("z. B. IfSG oder CoronaSchVO NRW"))
    level = forms.ChoiceField(label=_("Ebene"), choices=Level.choices)
    state = forms.ChoiceField(label=_("Land"), choices=State.choices, required=False)


class VersionForm(forms.Form):
    file = forms.FileField(
        label=_("Datei"), required=False,
        help_text=_("Markdown, Text, HTML, DOCX oder PDF mit Textebene, höchstens 50 MB."))
    text = forms.CharField(label=_("oder Text einfügen"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    in_force_from = forms.DateField(
        label=_("In Kraft ab"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leer lassen, wenn der Text das Datum nennt („Diese Verordnung tritt am … in Kraft“)."))
    in_force_until = forms.DateField(label=_("In Kraft bis"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text=_("Leer lassen, wenn sie bis zur nächsten Fassung gilt."))
    announced_on = forms.DateField(label=_("Verkündet am"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    amending_act = forms.CharField(
        label=_("Rechtsakt dieser Fassung"), max_length=500, required=False,
        help_text=_("z. B. „Zweite Verordnung zur Änderung der Coronavirus-Einreiseverordnung“. "
                    "Leer lassen, wenn der Text ihn nennt („Stand: Zuletzt geändert durch …“)."))
    amending_act_reference = forms.CharField(
        label=_("Fundstelle des Rechtsakts"), max_length=200, required=False,
        help_text=_("z. B. BAnz AT 17.12.2021 V1 oder BGBl. I S. 2397"))
    source = forms.CharField(label=_("Quelle"), max_length=500, required=False,
                             help_text=_("z. B. Fundstelle im Gesetz- und Verordnungsblatt oder Adresse"))
    note = forms.CharField(label=_("Anmerkung"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Die Datei ist zu groß (höchstens 50 MB)."))
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Bitte eine Datei wählen oder den Text einfügen."))
        return data


VERSION_DETAIL_FIELDS = ["in_force_from", "in_force_until", "announced_on", "amending_act", "amending_act_reference",
                         "source", "note"]


class VersionDetailsForm(forms.Form):
    """The details of a stored version that may be corrected later (never its text).

    A plain form with the model's fields (labels, lengths): the action validates and saves,
    the form never touches the stored version.
    """

    def __init__(self, *args, version: Version, **kwargs):
        kwargs.setdefault("initial", {name: getattr(version, name) for name in VERSION_DETAIL_FIELDS})
        super().__init__(*args, **kwargs)
        date = {"type": "date"}
        self.fields.update(forms.fields_for_model(Version, fields=VERSION_DETAIL_FIELDS, widgets={
            "in_force_from": forms.DateInput(attrs=date, format="%Y-%m-%d"),
            "in_force_until": forms.DateInput(attrs=date, format="%Y-%m-%d"),
            "announced_on": forms.DateInput(attrs=date, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }, help_texts={"in_force_until": _("Leer lassen, wenn sie bis zur nächsten Fassung gilt.")}))


class KeywordRuleForm(forms.ModelForm):
    class Meta:
        model = KeywordRule
        fields = ["term", "department", "task", "active"]


class AmendForm(forms.Form):
    """Änderungsverordnung anwenden: check first (report + Synopse), then save as a new version."""

    base = forms.TypedChoiceField(label=_("Ausgangsfassung"), coerce=int,
                                  help_text=_("Die Fassung, die die Änderungsverordnung ändert."))
    file = forms.FileField(
        label=_("Änderungsverordnung"), required=False,
        help_text=_("PDF mit Textebene (z. B. aus dem Bundesanzeiger), DOCX, HTML, Markdown oder Text, höchstens 50 MB."))
    text = forms.CharField(label=_("oder Text der Änderungsverordnung einfügen"), required=False,
                           widget=forms.Textarea(attrs={"rows": 8}))
    artikel = forms.CharField(
        label=_("Nur diese Artikel anwenden"), required=False, max_length=100,
        help_text=_("Nummern, z. B. „1“ oder „1, 3“. Leer lassen: die Artikel, die diesen Rechtstext nach ihrem "
                    "Titel ändern."))
    act_text = forms.CharField(required=False, widget=forms.HiddenInput)
    act_name = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)
    in_force_from = forms.DateField(label=_("Neue Fassung in Kraft ab"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}),
                                    help_text=_("Aus dem Inkrafttreten der Änderungsverordnung gelesen, wo sie es "
                                                "nennt; bitte prüfen (einzelne Befehle können später oder "
                                                "rückwirkend in Kraft treten)."))
    in_force_until = forms.DateField(label=_("In Kraft bis"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    announced_on = forms.DateField(label=_("Verkündet am"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("Quelle"), max_length=500, required=False)
    accept_failed = forms.BooleanField(
        label=_("Trotz fehlgeschlagener Änderungsbefehle speichern"), required=False,
        help_text=_("Die fehlgeschlagenen Befehle haben den Text nicht verändert; bitte nachtragen."))

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].choices = [(v.pk, v.in_force_from.strftime("%d.%m.%Y")) for v in reversed(list(versions))]
        if versions and not self.is_bound:
            self.fields["base"].initial = list(versions)[-1].pk

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Die Datei ist zu groß (höchstens 50 MB)."))
        return upload

    def clean_artikel(self):
        value = self.cleaned_data.get("artikel") or ""
        numbers = [n for n in re.split(r"[\s,;]+|\bund\b", value) if n]
        if any(not re.fullmatch(r"\d{1,4}[a-z]?", n) for n in numbers):
            raise forms.ValidationError(_("Bitte Artikelnummern angeben, z. B. „1“ oder „1, 3“."))
        return numbers

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip() and not (data.get("act_text") or "").strip():
            raise forms.ValidationError(_("Bitte die Änderungsverordnung als Datei wählen oder ihren Text einfügen."))
        return data
