"""Template tags of the Einsatztagebuch: the last entries for the panel on the staff page."""

from django import template

register = template.Library()


@register.simple_tag
def etb_recent(staff, count=5):
    """The last ``count`` entries of ``staff``'s ETB, newest first (one query, bounded)."""
    from krisenwissen.stab.models import LogEntry

    return list(LogEntry.objects.filter(staff=staff).order_by("-number")[: max(1, min(int(count), 50))])
