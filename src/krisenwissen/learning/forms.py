"""Forms of the learning loop. Validation that needs the database lives in the actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import Department, Role, User
from krisenwissen.accounts.selectors import municipalities_with_role
from krisenwissen.knowledge.forms import german_placeholders
from krisenwissen.knowledge.models import (
    Code,
    GoodPractice,
    HazardType,
    Lesson,
    Recommendation,
    ValidationMethod,
    Visibility,
)
from krisenwissen.knowledge.selectors import visible

from . import recall
from .models import Action, ActionStatus
from .selectors import unknown_hazard_message


class HazardTypeField(forms.ChoiceField):
    """A hazard type of the briefing's vocabulary; mapped synonyms ("Hochwasser") become their
    type, anything else is refused with a German message that lists the known types."""

    def __init__(self, **kwargs):
        super().__init__(choices=HazardType.choices, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            return recall.resolve_hazard(value)
        except recall.UnknownHazard:
            raise forms.ValidationError(unknown_hazard_message(value), code="invalid_choice") from None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["municipality", "title", "description", "department", "owner", "owner_role", "start", "due", "horizon",
                  "impact", "feasibility", "capability", "resources", "success_indicator", "codes"]
        widgets = {"start": DateInput(), "due": DateInput(),
                   "description": forms.Textarea(attrs={"rows": 4}), "resources": forms.Textarea(attrs={"rows": 2}),
                   "success_indicator": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "owner": _("Nur Mitglieder der Kommune können verantwortlich sein."),
            "impact": _("1 = gering, 3 = hoch. Die Priorität ist Wirkung × Umsetzbarkeit."),
            "feasibility": _("1 = schwer, 3 = leicht umsetzbar."),
        }

    def __init__(self, *args, user, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = municipalities_with_role(user, minimum=Role.MITWIRKENDE)
        self.fields["municipality"].queryset = allowed
        self.fields["municipality"].empty_label = None
        if municipality is not None or self.instance.pk:
            self.fields["municipality"].disabled = True
            if municipality is not None:
                self.fields["municipality"].initial = municipality.pk
        # Owners and departments of the action's municipality only (the fixed one, the one chosen in
        # the submitted form, else the user's own); the action re-checks membership against the
        # chosen municipality and refuses others with a clear message.
        chosen = self._municipality_shown(allowed, user, municipality)
        if chosen is not None and not self.fields["municipality"].disabled and not self.is_bound:
            self.fields["municipality"].initial = chosen.pk
        scope = allowed.filter(pk=chosen.pk) if chosen is not None else allowed
        self.fields["owner"].queryset = User.objects.filter(memberships__municipality__in=scope, is_active=True).distinct().order_by("last_name", "username")
        self.fields["owner"].label_from_instance = lambda u: f"{u.get_full_name() or u.username}"
        self.fields["department"].queryset = Department.objects.filter(municipality__in=scope).select_related("municipality").order_by("name")
        self.fields["department"].label_from_instance = lambda d: d.name
        if chosen is not None:
            self.fields["department"].help_text = _("Dienststellen von %(m)s.") % {"m": chosen.name}
        self.fields["capability"].queryset = Code.objects.filter(scheme__key="faehigkeiten").order_by("order", "name")
        self.fields["codes"].queryset = Code.objects.filter(scheme__key="themen").order_by("order", "name")
        self.fields["codes"].widget = forms.CheckboxSelectMultiple(choices=self.fields["codes"].choices)
        self.fields["codes"].required = False
        self.fields["codes"].label = _("Themen")
        german_placeholders(self)


    def _municipality_shown(self, allowed, user, municipality):
        """The municipality whose departments and people the form offers."""
        if municipality is not None:
            return municipality
        if self.instance.pk:
            return self.instance.municipality
        if self.is_bound:
            try:
                pk = int(self.data.get(self.add_prefix("municipality"), ""))
            except (TypeError, ValueError):
                pk = None
            found = allowed.filter(pk=pk).first() if pk is not None else None
            if found is not None:
                return found
        own = allowed.filter(memberships__user=user).order_by("name").first()
        return own or allowed.order_by("name").first()


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Neuer Status"), choices=ActionStatus.choices)
    reason = forms.CharField(label=_("Begründung"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Pflicht bei „blockiert“ und „nicht umgesetzt“."))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Fortschrittsvermerk"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ObservationReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Entscheidung"), widget=forms.RadioSelect,
                                 choices=[("annehmen", _("geprüft – annehmen")), ("ablehnen", _("ablehnen"))])
    reason = forms.CharField(label=_("Begründung der Ablehnung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LessonFromObservationForm(forms.Form):
    title = forms.CharField(label=_("Titel der Erkenntnis"), max_length=300)
    finding = forms.CharField(label=_("Befund"), widget=forms.Textarea(attrs={"rows": 4}))
    cause = forms.CharField(label=_("Ursache"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class NoteOnlyForm(forms.Form):
    note = forms.CharField(label=_("Anmerkung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ValidateLessonForm(forms.Form):
    date = forms.DateField(label=_("Datum der Überprüfung"), widget=DateInput())
    method = forms.ChoiceField(label=_("Art der Überprüfung"), choices=[("", "—"), *ValidationMethod.choices])
    result = forms.CharField(label=_("Ergebnis"), widget=forms.Textarea(attrs={"rows": 3}))


class EmbedLessonForm(forms.Form):
    recheck_due = forms.DateField(label=_("Nächste Überprüfung am"), widget=DateInput(),
                                  help_text=_("Eine Erkenntnis gilt erst als gelernt, wenn die Veränderung nachweislich hält."))
    note = forms.CharField(label=_("Anmerkung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 2}))


class ReplaceLessonForm(forms.Form):
    replacement = forms.ModelChoiceField(label=_("Ersetzt durch"), queryset=None)
    reason = forms.CharField(label=_("Begründung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = candidates
        german_placeholders(self)


class CrisisForm(forms.Form):
    title = forms.CharField(label=_("Bezeichnung der Krise"), max_length=200)
    hazard_type = HazardTypeField(label=_("Gefahrenart"))
    start = forms.DateField(label=_("Beginn"), required=False, widget=DateInput())
    description = forms.CharField(label=_("Lagebeschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Erkenntnis aus der Übung"), widget=forms.Textarea(attrs={"rows": 3}))
    as_observation = forms.BooleanField(label=_("Als Beobachtung (Entwurf) übernehmen"), required=False, initial=True)
    validates = forms.ModelChoiceField(label=_("Belegt die Überprüfung dieser Erkenntnis"), queryset=None, required=False,
                                       help_text=_("Nur Erkenntnisse der übenden Kommune mit Maßnahmen in Umsetzung oder verankert."))

    def __init__(self, *args, lessons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["validates"].queryset = lessons
        german_placeholders(self)


class _OwnedContentForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=None, empty_label=None)
    visibility = forms.ChoiceField(label=_("Sichtbarkeit"), choices=Visibility.choices,
                                   help_text=_("Die Redaktion veröffentlicht selbst; bitte keine personenbezogenen Daten."))
    title = forms.CharField(label=_("Titel"), max_length=300)

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities_with_role(user, minimum=Role.REDAKTION)
        if editing:
            self.fields["municipality"].disabled = True
            self.fields["municipality"].required = False
        if "lessons" in self.fields:
            self.fields["lessons"].queryset = visible(Lesson, user=user).order_by("title")


class ModuleForm(_OwnedContentForm):
    path = forms.CharField(label=_("Lernpfad"), max_length=200, initial="Krise können")
    order = forms.IntegerField(label=_("Reihenfolge"), min_value=0, max_value=999, initial=1)
    summary = forms.CharField(label=_("Kurzbeschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(label=_("Lerntext"), widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("Absätze durch eine Leerzeile trennen."))
    lessons = forms.ModelMultipleChoiceField(label=_("Erkenntnisse"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    recommendations = forms.ModelMultipleChoiceField(label=_("Handlungsempfehlungen"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    good_practices = forms.ModelMultipleChoiceField(label=_("Gute Praxis"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    questions = forms.CharField(label=_("Fragen zur Selbstkontrolle"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
                                help_text=_("„? Frage“, dann Antworten: „+ richtig | Rückmeldung“ oder „- falsch | Rückmeldung“."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["recommendations"].queryset = visible(Recommendation, user=user).order_by("title")
        self.fields["good_practices"].queryset = visible(GoodPractice, user=user).order_by("title")


class ExerciseForm(_OwnedContentForm):
    hazard_type = HazardTypeField(label=_("Gefahrenart"))
    starting_situation = forms.CharField(label=_("Ausgangslage"), widget=forms.Textarea(attrs={"rows": 5}))
    injects = forms.CharField(label=_("Einspielungen"), widget=forms.Textarea(attrs={"rows": 8}),
                              help_text=_("Je Zeile „Zeitpunkt | Einspielung | Hinweis für die Moderation“; darunter Diskussionsfragen mit „?“."))
    questions = forms.CharField(label=_("Fragen zur Auswertung"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("Eine Frage je Zeile."))
    lessons = forms.ModelMultipleChoiceField(label=_("Erkenntnisse, die die Übung überprüft"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
