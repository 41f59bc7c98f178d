"""Panels the knowledge detail pages include: lifecycle, history, actions, recurring lessons.

The buttons come from the lifecycle tables (``knowledge.lifecycles``); other links ask the
declared permissions (``learning/rules.py``). Audit rows are labelled with core's
``{% load audit %}{{ row.action|event_label }}``.
"""

from django import template
from django.contrib.auth.models import AnonymousUser

from krisenwissen.core.policy import has_perm
from krisenwissen.knowledge.lifecycles import LESSON, OBSERVATION_REVIEW
from krisenwissen.knowledge.models import Lesson, LessonStatus
from krisenwissen.knowledge.selectors import visible

from .. import selectors
from ..models import ActionStatus

register = template.Library()

LESSON_PATH = [LessonStatus.ERKANNT, LessonStatus.BESTAETIGT, LessonStatus.IN_UMSETZUNG, LessonStatus.UEBERPRUEFT, LessonStatus.VERANKERT]


def _user(context):
    request = context.get("request")
    return request.user if request else AnonymousUser()


@register.inclusion_tag("learning/partials/lesson_lifecycle.html", takes_context=True)
def lesson_lifecycle(context, lesson):
    user = _user(context)
    index = LESSON_PATH.index(lesson.status) if lesson.status in LESSON_PATH else len(LESSON_PATH)
    steps = [{"label": s.label, "state": "done" if i < index else ("current" if i == index else "todo")} for i, s in enumerate(LESSON_PATH)]
    is_member = has_perm(user, "learning.view_actions", lesson)
    return {
        "lesson": lesson,
        "steps": steps,
        "closed": lesson.status in (LessonStatus.ARCHIVIERT, LessonStatus.ERSETZT),
        "transitions": LESSON.available(user, lesson),
        "history": selectors.item_history(lesson, user=user),
        "pending_texts": selectors.pending_step_texts(lesson),
        "similar": selectors.similar_lessons(lesson, user=user),
        "actions": list(selectors.actions_for_lesson(lesson, user=user)) if is_member else [],
        "can_plan": has_perm(user, "learning.add_action", lesson),
        "is_member": is_member,
        # Only lessons the reader may read are named (the replacement may be internal elsewhere).
        "replaced_by": visible(Lesson, user=user).filter(pk=lesson.replaced_by_id).first() if lesson.replaced_by_id else None,
        "replaces": list(visible(Lesson, user=user).filter(replaced_by=lesson)),
    }


@register.inclusion_tag("learning/partials/observation_lifecycle.html", takes_context=True)
def observation_lifecycle(context, observation):
    user = _user(context)
    steps = {t.name for t in OBSERVATION_REVIEW.available(user, observation)}
    return {
        "item": observation,
        "can_submit": "submit" in steps,
        "can_review": bool(steps & {"accept", "reject"}),
        "can_derive": has_perm(user, "learning.derive_lesson", observation),
        "history": selectors.item_history(observation, user=user),
    }


@register.filter
def action_status_label(value: str) -> str:
    try:
        return ActionStatus(value).label
    except ValueError:
        return value
