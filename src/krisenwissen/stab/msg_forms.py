"""Forms of the Meldungen and Aufträge (validation of values; the rules live in msg_actions)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MessageChannel, MessageDirection, MessagePriority

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class IdempotentForm(forms.Form):
    """A create form with a hidden key: the same form sent twice creates one object."""

    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4().hex)


class MessageForm(IdempotentForm):
    direction = forms.ChoiceField(label=_("Richtung"), choices=MessageDirection.choices, widget=forms.RadioSelect, initial=MessageDirection.EINGANG)
    priority = forms.ChoiceField(label=_("Vorrang"), choices=MessagePriority.choices, widget=forms.RadioSelect, initial=MessagePriority.NORMAL,
                                 help_text=_("Blitz: Gefahr für Leib und Leben oder sofortige Entscheidung nötig; wird allen zuerst gezeigt."))
    channel = forms.ChoiceField(label=_("Übermittlungsart"), choices=MessageChannel.choices, initial=MessageChannel.TELEFON)
    sender = forms.CharField(label=_("Absender/in"), max_length=200, error_messages={"required": _("Bitte Absender/in angeben.")})
    recipient = forms.CharField(label=_("Empfänger/in"), max_length=200, error_messages={"required": _("Bitte Empfänger/in angeben.")})
    transmitted_at = forms.DateTimeField(label=_("Zeit der Übermittlung"), required=False, input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput(),
                                         help_text=_("Leer lassen für „jetzt“."), error_messages={"invalid": _("Bitte Datum und Uhrzeit angeben.")})
    content = forms.CharField(label=_("Inhalt"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000,
                              error_messages={"required": _("Bitte den Inhalt angeben.")})


class RouteForm(forms.Form):
    functions = forms.ModelMultipleChoiceField(label=_("Verteiler (Funktionen)"), queryset=None, widget=forms.CheckboxSelectMultiple,
                                               error_messages={"required": _("Bitte mindestens eine Funktion für den Verteiler wählen.")})
    sichter_note = forms.CharField(label=_("Sichtervermerk"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000)

    def __init__(self, *args, functions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["functions"].queryset = functions


class TaskForm(IdempotentForm):
    title = forms.CharField(label=_("Auftrag"), max_length=300, error_messages={"required": _("Bitte den Auftrag angeben.")})
    owner_function = forms.ModelChoiceField(label=_("Zuständige Funktion"), queryset=None,
                                            error_messages={"required": _("Bitte die zuständige Funktion wählen.")})
    due_at = forms.DateTimeField(label=_("Fällig bis"), required=False, input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput(),
                                 error_messages={"invalid": _("Bitte Datum und Uhrzeit angeben.")})
    description = forms.CharField(label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000)

    def __init__(self, *args, functions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_function"].queryset = functions


class TaskFeedbackForm(forms.Form):
    feedback = forms.CharField(label=_("Rückmeldung"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000, required=False)


class SichterForm(forms.Form):
    sichter_function = forms.ModelChoiceField(label=_("Sichtende Funktion"), queryset=None, required=False,
                                              empty_label=_("Standard (Sichter, Koordinierungsgruppe, Lagezentrum oder S2)"))

    def __init__(self, *args, functions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sichter_function"].queryset = functions
