"""``{% available_transitions "app.lifecycle" obj as steps %}``: the buttons of a lifecycle.

The rows come from the lifecycle's one transition table (``core.lifecycle``), filtered by the
current state and by the permissions of the person viewing the page.
"""

from django import template

from krisenwissen.core import lifecycle

register = template.Library()


@register.simple_tag(takes_context=True)
def available_transitions(context, key, obj):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or obj is None:
        return []
    return lifecycle.get(key).available(user, obj)
