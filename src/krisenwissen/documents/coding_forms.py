"""Forms of the coding part."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import DepartmentFunction, Municipality
from krisenwissen.knowledge.models import Code, Phase, Scheme

from .models import Passage


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.scheme.name} › {obj.parent.name + ' › ' if obj.parent_id else ''}{obj.name}"


def codes_queryset():
    return Code.objects.select_related("scheme", "parent").order_by("scheme__order", "scheme__name", "order", "name")


class CodingForm(forms.Form):
    code = CodeChoiceField(label=_("Code"), queryset=None)
    start = forms.IntegerField(label=_("Anfang (Zeichen)"), min_value=0, required=False,
                               help_text=_("Zeichenposition ab 0; wird beim Markieren im Text ausgefüllt."))
    end = forms.IntegerField(label=_("Ende (Zeichen, ausschließlich)"), min_value=1, required=False)
    passage = forms.ModelChoiceField(label=_("… oder ganze Textstelle"), queryset=None, required=False)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = codes_queryset()
        self.fields["passage"].queryset = Passage.objects.filter(version=version)
        self.fields["start"].widget.attrs["data-coding-start"] = ""
        self.fields["end"].widget.attrs["data-coding-end"] = ""

    def clean(self):
        data = super().clean()
        passage = data.get("passage")
        if passage is not None:
            data["start"], data["end"] = passage.start, passage.end
        elif data.get("start") is None or data.get("end") is None:
            raise forms.ValidationError(_("Markieren Sie eine Textstelle, geben Sie Anfang und Ende an oder wählen Sie eine Textstelle."))
        return data


class MemoForm(forms.Form):
    text = forms.CharField(label=_("Memo"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000)


class SegmentFilterForm(forms.Form):
    stadt = forms.ModelChoiceField(label=_("Kommune"), queryset=Municipality.objects.order_by("name"), required=False)
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.select_related("crisis"), required=False)
    dienststelle = forms.ChoiceField(label=_("Dienststelle"), choices=[("", "—"), *DepartmentFunction.choices], required=False)
    unter = forms.BooleanField(label=_("Untercodes einbeziehen"), required=False)


class AgreementForm(forms.Form):
    coder_a = forms.ChoiceField(label=_("Erste codierende Person"))
    coder_b = forms.ChoiceField(label=_("Zweite codierende Person"))

    def __init__(self, *args, coders, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(name, name) for name in coders]
        self.fields["coder_a"].choices = choices
        self.fields["coder_b"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("coder_a") and data.get("coder_a") == data.get("coder_b"):
            raise forms.ValidationError(_("Wählen Sie zwei verschiedene Personen."))
        return data


class RenameCodeForm(forms.Form):
    name = forms.CharField(label=_("Neuer Name"), max_length=200)


class MoveCodeForm(forms.Form):
    parent = CodeChoiceField(label=_("Neuer übergeordneter Code (leer: oberste Ebene)"), queryset=None, required=False)

    def __init__(self, *args, code, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = codes_queryset().filter(scheme=code.scheme).exclude(pk=code.pk)


class MergeCodeForm(forms.Form):
    into = CodeChoiceField(label=_("Zusammenführen in"), queryset=None)

    def __init__(self, *args, code, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = codes_queryset().filter(scheme=code.scheme).exclude(pk=code.pk)


class SplitCodeForm(forms.Form):
    name = forms.CharField(label=_("Name des neuen Codes"), max_length=200)
    key = forms.SlugField(label=_("Schlüssel des neuen Codes"), max_length=50)
    codings = forms.ModelMultipleChoiceField(label=_("Codierungen, die zum neuen Code wechseln"), queryset=None,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, codings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codings"].queryset = codings
        self.fields["codings"].label_from_instance = lambda c: f"{c.document.title}: „{c.segment[:80]}“ ({c.coder_name})"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("REFI-QDA-Datei (.qdpx oder .qdc)"))
    municipality = forms.ModelChoiceField(label=_("Kommune der neuen Dokumente"), queryset=Municipality.objects.order_by("name"),
                                          required=False)
    scheme = forms.ModelChoiceField(label=_("Schema für neue Codes (leer: „Aus REFI-QDA importiert“)"),
                                    queryset=Scheme.objects.all(), required=False)
