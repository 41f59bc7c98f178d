"""Forms of the ingest part: a document's descriptive fields and visibility."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krisenwissen.knowledge.models import Phase

from .models import Document


class DocumentEditForm(forms.ModelForm):
    phase = forms.ModelChoiceField(label=_("Krisenphase"), required=False,
                                   queryset=Phase.objects.select_related("crisis").order_by("crisis__start", "number"))

    class Meta:
        model = Document
        fields = ["title", "visibility", "kind", "description", "phase", "department_function"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"visibility": _("Wer die Textstellen des Dokuments in der Suche findet, richtet sich danach.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].label_from_instance = lambda p: f"{p.crisis.title}: {p.number}. {p.name}"
