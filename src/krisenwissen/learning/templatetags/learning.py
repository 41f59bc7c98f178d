"""Panels the knowledge detail pages include: lifecycle, history, actions, recurring lessons."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from krisenwissen.accounts.models import Role
from krisenwissen.accounts.selectors import has_role
from krisenwissen.core.audit import event_label
from krisenwissen.knowledge.models import LessonStatus, ObservationStatus

register = template.Library()

LESSON_PATH = [LessonStatus.ERKANNT, LessonStatus.BESTAETIGT, LessonStatus.IN_UMSETZUNG, LessonStatus.UEBERPRUEFT, LessonStatus.VERANKERT]


@register.inclusion_tag("learning/partials/lesson_lifecycle.html", takes_context=True)
def lesson_lifecycle(context, lesson):
    from krisenwissen.knowledge.models import Lesson
    from krisenwissen.knowledge.selectors import visible

    from .. import selectors
    from ..views import lesson_steps_for

    request = context.get("request")
    user = request.user if request else AnonymousUser()
    index = LESSON_PATH.index(lesson.status) if lesson.status in LESSON_PATH else len(LESSON_PATH)
    steps = [{"label": s.label, "state": "done" if i < index else ("current" if i == index else "todo")} for i, s in enumerate(LESSON_PATH)]
    is_member = has_role(user, municipality_id=lesson.municipality_id, minimum=Role.LESER)
    return {
        "lesson": lesson,
        "steps": steps,
        "closed": lesson.status in (LessonStatus.ARCHIVIERT, LessonStatus.ERSETZT),
        "transitions": lesson_steps_for(user, lesson) if user.is_authenticated else [],
        "history": selectors.item_history(lesson, user),
        "similar": selectors.similar_lessons(lesson, user),
        "actions": list(selectors.actions_for_lesson(lesson, user)) if is_member else [],
        "can_plan": has_role(user, municipality_id=lesson.municipality_id, minimum=Role.MITWIRKENDE),
        "is_member": is_member,
        # Only lessons the reader may read are named (the replacement may be internal elsewhere).
        "replaced_by": visible(Lesson, user=user).filter(pk=lesson.replaced_by_id).first() if lesson.replaced_by_id else None,
        "replaces": list(visible(Lesson, user=user).filter(replaced_by=lesson)),
    }


@register.inclusion_tag("learning/partials/observation_lifecycle.html", takes_context=True)
def observation_lifecycle(context, observation):
    from .. import selectors

    request = context.get("request")
    user = request.user if request else AnonymousUser()
    return {
        "item": observation,
        "can_submit": observation.status in (ObservationStatus.ENTWURF, ObservationStatus.ABGELEHNT)
        and has_role(user, municipality_id=observation.municipality_id, minimum=Role.MITWIRKENDE),
        "can_review": observation.status == ObservationStatus.EINGEREICHT
        and has_role(user, municipality_id=observation.municipality_id, minimum=Role.MODERATION),
        "can_derive": has_role(user, municipality_id=observation.municipality_id, minimum=Role.MITWIRKENDE),
        "history": selectors.item_history(observation, user),
    }


@register.filter
def audit_label(action: str) -> str:
    return {
        "lesson_erstellt": _("erkannt (angelegt)"),
        "lesson_geaendert": _("Inhalt geändert"),
        "erkenntnis_bestaetigt": _("bestätigt"),
        "erkenntnis_in_umsetzung": _("Maßnahmen in Umsetzung"),
        "erkenntnis_ueberprueft": _("überprüft"),
        "erkenntnis_verankert": _("verankert"),
        "erkenntnis_archiviert": _("archiviert"),
        "erkenntnis_ersetzt": _("ersetzt"),
        "observation_erstellt": _("als Entwurf angelegt"),
        "observation_geaendert": _("Inhalt geändert"),
        "beobachtung_eingereicht": _("eingereicht"),
        "beobachtung_geprueft": _("geprüft"),
        "beobachtung_abgelehnt": _("abgelehnt"),
        "freigabe_beantragt": _("Freigabe beantragt"),
        "freigabe_erteilt": _("Freigabe erteilt"),
        "freigabe_abgelehnt": _("Freigabe abgelehnt"),
        "sichtbarkeit_gesenkt": _("Sichtbarkeit eingeschränkt"),
        "massnahme_angelegt": _("Maßnahme angelegt"),
        "massnahme_geaendert": _("Maßnahme geändert"),
        "massnahme_status": _("Status geändert"),
        "massnahme_vermerk": _("Fortschrittsvermerk"),
        "massnahme_erinnerung": _("Erinnerung versandt"),
    }.get(action) or event_label(action)  # registered events (core.audit) have their own labels


@register.filter
def action_status_label(value: str) -> str:
    from ..models import ActionStatus

    try:
        return ActionStatus(value).label
    except ValueError:
        return value
