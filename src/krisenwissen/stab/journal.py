"""The one way every part of the staff writes into the Einsatztagebuch.

Messages, tasks, meetings, handovers and deactivation call ``record_in_log`` inside their
own transaction, so that the automatic ETB entry and the change commit together.
Implemented by the ETB part (``etb_actions.do_append_entry``).
"""

from __future__ import annotations


def record_in_log(staff, *, category: str, text: str, acting_user, event_at=None, corrects=None):
    """Append an entry to ``staff``'s ETB and return it (see ``etb_actions.do_append_entry``)."""
    from .etb_actions import do_append_entry

    return do_append_entry(staff, category=category, text=text, event_at=event_at, corrects=corrects, acting_user=acting_user)
