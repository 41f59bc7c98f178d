"""Review of passages: a passage becomes an observation that cites document and page.

Separate from ``ingest_actions`` because it works on the knowledge base's items (whose states
only their lifecycles change), while ingest moves a version through its processing states.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from krisenwissen.core.audit import record
from krisenwissen.core.policy import require_perm

from .ingest_actions import _person
from .ingest_events import IngestEvent
from .models import Passage


def do_create_observation_from_passage(passage: Passage, *, kind: str, text: str, acting_user, code_ids=(),
                                       crisis_id=None, phase_id=None, department_function: str = ""):
    """Turn a passage into an observation (status Entwurf, visibility intern) whose source is the
    document and whose citation names the page (``DocumentCitation``)."""
    from krisenwissen.knowledge.actions import do_create_item, do_ensure_source
    from krisenwissen.knowledge.models import Code, Observation, SourceKind

    from .models import DocumentCitation

    require_perm(acting_user, "documents.review_passage", passage,
                 message=_("Nur die Redaktion der Kommune übernimmt Textstellen als Beobachtungen."))
    document = passage.document
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Bitte den Text der Beobachtung angeben."))
    with transaction.atomic():
        source = do_ensure_source(kind=SourceKind.DOCUMENT, title=document.title[:300], municipality=document.municipality,
                                  defaults={"citation": _("Dokument „%(t)s“ (Kommune %(m)s)") % {
                                      "t": document.title, "m": document.municipality.name}},
                                  acting_user=acting_user)
        fields = {"kind": kind, "text": text, "source": source, "anonymous": True,
                  "department_function": department_function or ""}
        if crisis_id:
            fields["crisis_id"] = crisis_id
        if phase_id:
            fields["phase_id"] = phase_id
        codes = list(Code.objects.filter(pk__in=[int(c) for c in code_ids if str(c).isdigit()]))
        observation = do_create_item(Observation, municipality=document.municipality, fields=fields, codes=codes,
                                     acting_user=acting_user)
        citation = DocumentCitation.objects.create(observation=observation, passage=passage, document=document,
                                                   page=passage.page, created_by=_person(acting_user))
        record(IngestEvent.OBSERVATION_FROM_PASSAGE, acting_user=acting_user, obj=document,
               textstelle=passage.key, seite=passage.page, beobachtung=observation.pk)
    return citation
