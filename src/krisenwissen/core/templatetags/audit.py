"""``{{ key|event_label }}``: the label of an audit event key (see ``core.audit``)."""

from django import template

from krisenwissen.core.audit import event_label as _event_label

register = template.Library()


@register.filter
def event_label(key):
    return _event_label(key)
