"""``{% msg_panel staff as panel %}``: the counts of the Meldungen/Aufträge panel on the staff page."""

from django import template

from krisenwissen.stab.msg_selectors import panel_summary

register = template.Library()


@register.simple_tag(takes_context=True)
def msg_panel(context, staff):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or staff is None:
        return None
    return panel_summary(staff, user=user)
