"""Forms only validate and convert input; actions write."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import DepartmentFunction, Municipality
from krisenwissen.accounts.selectors import participating_municipalities
from krisenwissen.knowledge.models import Code, Crisis
from krisenwissen.knowledge.models import Phase as CrisisPhase

from .actions import MAX_PHOTO_BYTES
from .models import CARD_MAX_LENGTH, Attribution, ClusterKind, Feeling, WorkshopKind


class DateInput(forms.DateInput):
    input_type = "date"


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    kind = forms.ChoiceField(label=_("Format"), choices=WorkshopKind.choices)
    host = forms.ModelChoiceField(label=_("Gastgebende Kommune"), queryset=Municipality.objects.none())
    crisis = forms.ModelChoiceField(label=_("Krise"), queryset=Crisis.objects.all(), required=False)
    theme = forms.ModelChoiceField(label=_("Themenschwerpunkt"), queryset=Code.objects.filter(scheme__key="themen", parent=None), required=False)
    focus = forms.CharField(label=_("Thema (frei)"), max_length=300, required=False)
    start_date = forms.DateField(label=_("Beginn"), widget=DateInput)
    end_date = forms.DateField(label=_("Ende"), widget=DateInput, required=False, help_text=_("Bei zweitägigen Workshops"))
    place = forms.CharField(label=_("Ort"), max_length=300, required=False)
    invited = forms.ModelMultipleChoiceField(label=_("Eingeladene Kommunen"), queryset=Municipality.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text=_("Typisch sind 2 bis 4 Beschäftigte je Stadt aus verschiedenen Ämtern."))
    attribution = forms.ChoiceField(label=_("Nennung der Beiträge"), choices=Attribution.choices, initial=Attribution.CHATHAM_HOUSE,
                                    help_text=_("Anonym: keine Namen. Chatham House: Namen nur im Raum, nicht im Protokoll. Namentlich: Namen im Protokoll."))
    private_until_reveal = forms.BooleanField(label=_("Karten bleiben verdeckt, bis die Moderation sie aufdeckt"), required=False, initial=True)
    votes_per_participant = forms.IntegerField(label=_("Punkte je Person bei der Punktabfrage"), min_value=1, max_value=20, initial=3)

    def __init__(self, *args, hosts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts if hosts is not None else Municipality.objects.none()
        self.fields["invited"].queryset = participating_municipalities()

    def clean(self):
        data = super().clean()
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("Das Ende liegt vor dem Beginn."))
        return data


class JoinForm(forms.Form):
    display_name = forms.CharField(label=_("Anzeigename"), max_length=80, required=False,
                                   help_text=_("Freiwillig. Leer lassen, um anonym teilzunehmen."))
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=Municipality.objects.none(), required=False)
    department_function = forms.ChoiceField(label=_("Bereich"), choices=[("", _("keine Angabe")), *DepartmentFunction.choices], required=False)

    def __init__(self, *args, anonymous=False, workshop=None, **kwargs):
        super().__init__(*args, **kwargs)
        if workshop is not None:  # only the host and the invited municipalities
            self.fields["municipality"].queryset = Municipality.objects.filter(
                Q(pk=workshop.host_id) | Q(pk__in=workshop.invited.values("pk"))).order_by("name")
        else:
            self.fields["municipality"].queryset = participating_municipalities()
        if anonymous:
            del self.fields["display_name"]


class CardForm(forms.Form):
    uuid = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Ihre Karte"), max_length=CARD_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Ein Gedanke pro Karte, höchstens %(n)s Zeichen.") % {"n": CARD_MAX_LENGTH},
                           error_messages={"max_length": _("Die Karte ist zu lang (höchstens %(limit_value)d Zeichen, jetzt %(show_value)d)."),
                                           "required": _("Die Karte ist leer. Bitte schreiben Sie einen Text.")})
    crisis_phase = forms.ModelChoiceField(label=_("Krisenphase (Zeitstrahl)"), queryset=None, required=False, empty_label=_("keine Zuordnung"))
    when = forms.DateField(label=_("Zeitpunkt (ungefähr)"), widget=DateInput, required=False)
    feeling = forms.ChoiceField(label=_("Wie haben Sie sich damals gefühlt?"), choices=[("", _("keine Angabe")), *Feeling.choices], required=False)

    def __init__(self, *args, workshop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crisis_phase"].queryset = (CrisisPhase.objects.filter(crisis_id=workshop.crisis_id)
                                                if workshop is not None and workshop.crisis_id else CrisisPhase.objects.none())


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Foto (JPEG oder PNG)"), help_text=_("Höchstens %(n)s MB. Ortsangaben und Gerätedaten werden entfernt.")
                            % {"n": MAX_PHOTO_BYTES // 1024 // 1024})
    caption = forms.CharField(label=_("Was ist zu sehen?"), max_length=300, help_text=_("Kurze Beschreibung, z. B. „Pinnwand Transferphase“."))


class ClusterForm(forms.Form):
    name = forms.CharField(label=_("Name des Clusters"), max_length=200)
    kind = forms.ChoiceField(label=_("Einordnung"), choices=ClusterKind.choices, required=False)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Leitfrage"), max_length=500)


class SynthesisForm(forms.Form):
    text = forms.CharField(label=_("Text des Syntheseberichts"), widget=forms.Textarea(attrs={"rows": 30}), max_length=200_000, required=False,
                           help_text=_("„## “ beginnt eine Überschrift, „- “ einen Aufzählungspunkt, „> “ ein anonymes Zitat."))
    final = forms.BooleanField(label=_("Bericht ist abgeschlossen"), required=False)
