"""Forms for creating and editing knowledge items and deciding on publication."""

from django import forms
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import Role
from krisenwissen.accounts.selectors import municipalities_with_role

from . import selectors
from .models import (
    REVIEW_TEXT_FIELDS,
    Code,
    GoodPractice,
    Lesson,
    Observation,
    Phase,
    Recommendation,
    Scheme,
    Visibility,
)

COMMON_FIELDS = ["municipality", "crisis", "phase", "department_function", "codes"]

CHOOSE = _("– bitte wählen –")
NO_CHOICE = _("– keine Angabe –")


def german_placeholders(form) -> None:
    """Replace Django's "---------" placeholders of the form's select fields by German text."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelMultipleChoiceField):
            continue
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = CHOOSE if field.required else NO_CHOICE
                field.widget.choices = field.choices
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and str(choices[0][1]).strip("-") == "":
                field.choices = [("", CHOOSE if field.required else NO_CHOICE), *choices[1:]]


class CodePicker(forms.CheckboxSelectMultiple):
    """The code book as checkboxes grouped by scheme (one fieldset each), with a filter field
    that ``knowledge/codepicker.js`` shows and drives; without JavaScript all codes stay visible."""

    template_name = "knowledge/widgets/code_picker.html"


def grouped_code_choices(codes) -> list:
    """Codes (ordered) as ``[(scheme name, [(pk, label), ...]), ...]``: each top-level code is
    followed by its children, which are labelled "Parent › Child"."""
    by_pk = {code.pk: code for code in codes}
    children: dict = {}
    for code in codes:
        if code.parent_id in by_pk:
            children.setdefault(code.parent_id, []).append(code)
    groups: dict = {}

    def add(code, prefix=""):
        groups.setdefault(code.scheme.name, []).append((code.pk, f"{prefix}{code.name}"))
        for child in children.get(code.pk, []):
            add(child, f"{prefix}{code.name} › ")

    for code in codes:
        if code.parent_id not in by_pk:
            add(code)
    return list(groups.items())


class KnowledgeItemForm(forms.ModelForm):
    """Base form: owner limited to the user's municipalities with at least Mitwirkende."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["municipality"].queryset = municipalities_with_role(user, minimum=Role.MITWIRKENDE)
        self.fields["municipality"].empty_label = None
        if self.instance.pk:
            # The owner of an existing item does not change; it decides who may see it.
            self.fields["municipality"].disabled = True
        codes = Code.objects.select_related("scheme").order_by("scheme__order", "scheme__name", "order", "name")
        self.fields["codes"].queryset = codes
        self.fields["codes"].widget = CodePicker(choices=grouped_code_choices(list(codes)))
        self.fields["codes"].required = False
        self.fields["codes"].help_text = _("Wählen Sie die passenden Themen, Gefahren und Fähigkeiten; "
                                           "das Filterfeld grenzt die Liste ein.")
        self.fields["phase"].queryset = Phase.objects.select_related("crisis")
        for name in ("observations", "lessons"):
            if name in self.fields:
                model = Observation if name == "observations" else Lesson
                self.fields[name].queryset = selectors.visible(model, user=user).order_by("municipality__name", "id")
                self.fields[name].widget = forms.CheckboxSelectMultiple(choices=self.fields[name].choices)
                self.fields[name].required = False
        german_placeholders(self)

    def clean(self):
        cleaned = super().clean()
        phase, crisis = cleaned.get("phase"), cleaned.get("crisis")
        if phase and crisis and phase.crisis_id != crisis.pk:
            self.add_error("phase", _("Die Phase gehört nicht zur gewählten Krise."))
        if phase and not crisis:
            cleaned["crisis"] = phase.crisis
        return cleaned


class ObservationForm(KnowledgeItemForm):
    class Meta:
        model = Observation
        fields = ["kind", "text", "source", "anonymous", *COMMON_FIELDS]
        help_texts = {
            "anonymous": _("Beiträge sind anonym: angezeigt wird nur Ihre Kommune. Ohne Häkchen steht Ihr Name "
                           "als „Erfasst von“ am Eintrag."),
            "source": _("Woher stammt die Beobachtung (Workshop, Interview, Dokument …)? Leer lassen bei eigener Erfahrung."),
        }


class LessonForm(KnowledgeItemForm):
    class Meta:
        model = Lesson
        fields = ["title", "finding", "cause", "observations", *COMMON_FIELDS]


class RecommendationForm(KnowledgeItemForm):
    class Meta:
        model = Recommendation
        fields = ["title", "text", "addressee_level", "lessons", *COMMON_FIELDS]


class GoodPracticeForm(KnowledgeItemForm):
    class Meta:
        model = GoodPractice
        fields = ["title", "city", "country", "problem", "solution", "results", "transferability", "contact", "sources", *COMMON_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].required = False


FORM_BY_KIND = {
    "observation": ObservationForm,
    "lesson": LessonForm,
    "recommendation": RecommendationForm,
    "goodpractice": GoodPracticeForm,
}
LINK_FIELDS = {"lesson": ["observations"], "recommendation": ["lessons"], "goodpractice": ["sources"]}


class PublicationRequestForm(forms.Form):
    visibility = forms.ChoiceField(label=_("Neue Sichtbarkeit"), choices=Visibility.choices, widget=forms.RadioSelect)


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[("freigeben", _("Freigeben")), ("ablehnen", _("Ablehnen"))],
        widget=forms.RadioSelect,
    )
    confirm_checked = forms.BooleanField(
        label=_("Ich habe den Text auf Personennamen und andere personenbezogene Daten geprüft."),
        required=False,
    )
    flags_reason = forms.CharField(
        label=_("Begründung trotz Hinweisen"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Nur nötig, wenn Sie trotz der Hinweise auf personenbezogene Daten freigeben, ohne den Text "
                    "zu bearbeiten (z. B. „Kein Personenname: Bezeichnung einer Einrichtung“). Die Begründung wird "
                    "gespeichert und protokolliert."),
    )
    note = forms.CharField(label=_("Bemerkung"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, can_approve: bool = True, flagged: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.flagged = flagged
        if not can_approve:
            # Four-eyes principle: the requester or author may only reject (withdraw).
            self.fields["decision"].choices = [("ablehnen", _("Ablehnen"))]
            del self.fields["confirm_checked"]
        if not can_approve or not flagged:
            del self.fields["flags_reason"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "freigeben" and not cleaned.get("confirm_checked"):
            self.add_error("confirm_checked", _("Bitte bestätigen Sie die Prüfung auf personenbezogene Daten."))
        if (cleaned.get("decision") == "freigeben" and self.flagged
                and not (cleaned.get("flags_reason") or "").strip()):
            self.add_error("flags_reason", _(
                "Der Text enthält mögliche personenbezogene Daten. Bearbeiten Sie den Text oben oder begründen Sie, "
                "warum er trotzdem veröffentlicht werden kann."))
        if cleaned.get("decision") == "ablehnen" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Bitte begründen Sie die Ablehnung."))
        return cleaned


def review_text_form(item, *, proposed, data=None):
    """The form to edit the text under review on the review page (the kind's text fields),
    filled from the proposed version (a pending revision) or the item."""
    form_class = forms.modelform_factory(type(item), fields=REVIEW_TEXT_FIELDS[item.kind_key])
    return form_class(data, instance=proposed, prefix="text")


class CodeForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("Schema"), queryset=None)
    parent = forms.ModelChoiceField(label=_("Übergeordneter Code"), queryset=None, required=False)
    key = forms.SlugField(label=_("Schlüssel"), help_text=_("Kleinbuchstaben, Ziffern und Bindestriche."))
    name = forms.CharField(label=_("Name"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.all()
        self.fields["parent"].queryset = Code.objects.select_related("scheme")
