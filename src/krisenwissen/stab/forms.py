"""Forms of the crisis staff core."""

from __future__ import annotations

import uuid
from datetime import timedelta

import yaml
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krisenwissen.core import safeyaml
from krisenwissen.knowledge.models import Crisis

from .models import AlertLevel, AssignmentRole, FunctionGroup, StaffKind
from .templates_schema import validate_template_data

MAX_CONTENT = 100_000


def _person_label(user) -> str:
    return user.get_full_name() or user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person_label(obj)


class ActivationForm(forms.Form):
    """Step two of the activation: name, exercise, alert level, functions and who holds them."""

    name = forms.CharField(label=_("Bezeichnung des Stabes"), max_length=200)
    crisis = forms.ModelChoiceField(label=_("Krise"), queryset=Crisis.objects.all(), required=False, empty_label=_("– keine –"))
    exercise = forms.BooleanField(label=_("Übung (der Stab wird überall als ÜBUNG gekennzeichnet)"), required=False)
    alert_level = forms.TypedChoiceField(label=_("Alarmstufe"), choices=AlertLevel.choices, coerce=int, initial=AlertLevel.VOLLAKTIVIERUNG)
    first_meeting_at = forms.DateTimeField(label=_("Erste Lagebesprechung"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                           input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"])
    functions = forms.MultipleChoiceField(label=_("Aktivierte Funktionen"), widget=forms.CheckboxSelectMultiple, required=True)
    # One-time key of this form: a second submit (double click, reload) activates nothing new.
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, template, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        specs = template.data.get("functions", [])
        self.specs = specs
        self.fields["functions"].choices = [(f["code"], f["name"]) for f in specs]
        self.fields["functions"].initial = [f["code"] for f in specs if not f.get("optional")]
        self.fields["submission"].initial = uuid.uuid4()
        self.fields["first_meeting_at"].initial = (timezone.localtime() + timedelta(hours=2)).replace(second=0, microsecond=0)
        for spec in specs:
            self.fields[f"holder_{spec['code']}"] = PersonChoiceField(
                label=_("Inhaber/in: %(name)s") % {"name": spec["name"]}, queryset=candidates, required=False, empty_label=_("– offen –"))
            self.fields[f"deputy_{spec['code']}"] = PersonChoiceField(
                label=_("Vertretung: %(name)s") % {"name": spec["name"]}, queryset=candidates, required=False, empty_label=_("– offen –"))

    def function_fields(self):
        return [(spec, self[f"holder_{spec['code']}"], self[f"deputy_{spec['code']}"]) for spec in self.specs]

    def clean_first_meeting_at(self):
        value = self.cleaned_data["first_meeting_at"]
        now = timezone.now()
        if value < now - timedelta(days=1) or value > now + timedelta(days=30):
            raise ValidationError(_("Die erste Lagebesprechung muss zwischen gestern und den nächsten 30 Tagen liegen."))
        return value

    def assignments(self) -> dict:
        chosen = set(self.cleaned_data.get("functions") or [])
        out: dict = {}
        for spec in self.specs:
            code = spec["code"]
            if code not in chosen:
                continue
            holder, deputy = self.cleaned_data.get(f"holder_{code}"), self.cleaned_data.get(f"deputy_{code}")
            people = []
            if holder:
                people.append((holder, AssignmentRole.INHABER))
            if deputy and deputy != holder:
                people.append((deputy, AssignmentRole.VERTRETUNG))
            if people:
                out[code] = people
        return out


class AssignForm(forms.Form):
    function = forms.TypedChoiceField(label=_("Funktion"), coerce=int)
    user = PersonChoiceField(label=_("Person"), queryset=None)
    role = forms.ChoiceField(label=_("Rolle"), choices=AssignmentRole.choices)

    def __init__(self, *args, staff, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].choices = [(f.pk, f.name) for f in staff.functions.all()]
        self.fields["user"].queryset = candidates


class AlertLevelForm(forms.Form):
    alert_level = forms.TypedChoiceField(label=_("Alarmstufe"), choices=AlertLevel.choices, coerce=int)


class TemplateCopyForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Bezeichnung der Kopie"), max_length=200, required=False)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class TemplateEditForm(forms.Form):
    """Name, kind and the content as structured text (YAML, validated by the template schema)."""

    name = forms.CharField(label=_("Bezeichnung"), max_length=200)
    kind = forms.ChoiceField(label=_("Art des Stabes"), choices=StaffKind.choices)
    content = forms.CharField(
        label=_("Inhalt (Funktionen, Fachteams, Tagesordnung, Kontakte)"), widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}),
        help_text=_("Strukturierter Text: je Zeile „feld: wert“, Listeneinträge mit „- “. Funktionen nennen Funktionen, keine Personen."))

    @staticmethod
    def dump(data: dict) -> str:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)

    def clean_content(self):
        text = self.cleaned_data["content"]
        if len(text) > MAX_CONTENT:
            raise ValidationError(_("Der Inhalt ist zu lang (höchstens 100.000 Zeichen)."))
        try:
            data = safeyaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = _(" (Zeile %(line)s)") % {"line": mark.line + 1} if mark is not None else ""
            if getattr(exc, "problem", None) == safeyaml.ALIAS_PROBLEM:
                raise ValidationError(_("Der Inhalt enthält einen Anker-Verweis (*name)%(where)s; bitte den Inhalt "
                                        "ausschreiben.") % {"where": where}) from None
            raise ValidationError(_("Der Inhalt ist kein gültiger strukturierter Text%(where)s.") % {"where": where}) from None
        return validate_template_data(data)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class FunctionSpecForm(forms.Form):
    """One function of a template, edited without structured text (tasks one per line)."""

    code = forms.SlugField(label=_("Kürzel"), max_length=40, required=False)
    name = forms.CharField(label=_("Bezeichnung"), max_length=300, required=False)
    group = forms.ChoiceField(label=_("Gruppe"), choices=FunctionGroup.choices, initial=FunctionGroup.STAENDIG)
    deputies = forms.IntegerField(label=_("Vertretungen (Soll)"), min_value=0, max_value=5, initial=1)
    optional = forms.BooleanField(label=_("Nur bei Bedarf aktivieren"), required=False)
    first_tasks = forms.CharField(label=_("Erste Aufgaben (eine je Zeile)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10_000)
    checklist = forms.CharField(label=_("Checkliste (ein Punkt je Zeile)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10_000)

    def clean(self):
        data = super().clean()
        if data.get("code") and not data.get("name"):
            self.add_error("name", _("Bitte eine Bezeichnung angeben."))
        if data.get("name") and not data.get("code"):
            self.add_error("code", _("Bitte ein Kürzel angeben."))
        return data

    def spec(self) -> dict | None:
        data = self.cleaned_data
        if not data or data.get("DELETE") or not data.get("code"):
            return None
        spec = {"code": data["code"].lower(), "name": data["name"], "group": data["group"], "deputies": data["deputies"],
                "first_tasks": _lines(data["first_tasks"]), "checklist": _lines(data["checklist"])}
        if data.get("optional"):
            spec["optional"] = True
        return spec

    @staticmethod
    def initial_for(spec: dict) -> dict:
        return {**spec, "first_tasks": "\n".join(spec.get("first_tasks", [])), "checklist": "\n".join(spec.get("checklist", []))}


FunctionFormSet = forms.formset_factory(FunctionSpecForm, extra=2, can_delete=True, max_num=60, validate_max=True, absolute_max=60)
